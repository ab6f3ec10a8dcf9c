package io.fleethealth.processor.topology;

import static io.fleethealth.processor.topology.TopologyFixture.T0;
import static io.fleethealth.processor.topology.TopologyFixture.check;
import static io.fleethealth.processor.topology.TopologyFixture.heartbeat;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.ControlAction;
import io.fleethealth.events.SessionControl;
import io.fleethealth.serde.SampleEvents;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.Test;

/**
 * Alertmanager ends an alert that is not sent again within its resolve timeout: the topology re-sends every
 * active alert from the stored state at ALERT_RESEND_INTERVAL until it resolves, and a resolution goes out once.
 */
class AlertResendTest {

    private static final Map<String, String> ENV = Map.of("ALERT_RESEND_INTERVAL", "60",
            "CONTAINER_MAX_RESTART_ATTEMPTS", "0");

    @Test
    void shouldResendAFailedSessionsAlertEveryIntervalUntilAResetResolvesItOnce() {
        try (TopologyFixture fixture = new TopologyFixture(ENV)) {
            TestInputTopic<String, HealthCheckResult> checks = fixture.input(Topics.HEALTH_CHECKS);
            for (int i = 0; i < 3; i++) {
                checks.pipeInput("s1", check("s1", "c" + i, T0.plusSeconds(30L * i), HealthStatus.UNHEALTHY));
            }
            HealthAlert fired = single(fixture.values(Topics.ALERTS));
            assertThat(fired.getLabels()).containsEntry("alertname", "SessionFailed");

            for (int round = 1; round <= 3; round++) {
                // The session keeps failing (checks keep coming, so it never goes stale).
                checks.pipeInput("s1", check("s1", "r" + round, T0.plusSeconds(60L + 60 * round), HealthStatus.UNHEALTHY));
                fixture.driver.advanceWallClockTime(Duration.ofSeconds(60));
                HealthAlert again = single(fixture.values(Topics.ALERTS));
                assertThat(again.getFingerprint()).as("round %d", round).isEqualTo(fired.getFingerprint());
                assertThat(again.getStatus()).isEqualTo(AlertStatus.FIRING);
                assertThat(again.getStartsAt()).as("the start stays that of the firing").isEqualTo(fired.getStartsAt());
                assertThat(again.getEndsAt()).isNull();
                assertThat(again.getAnnotations()).isEqualTo(fired.getAnnotations());
            }

            SessionControl reset = SessionControl.newBuilder(SampleEvents.sessionControl()).setSessionId("s1")
                    .setAction(ControlAction.RESET).setRequestedAt(T0.plusSeconds(200)).build();
            fixture.input(Topics.SESSION_CONTROL).pipeInput("s1", reset, T0.plusSeconds(200));
            HealthAlert resolved = single(fixture.values(Topics.ALERTS));
            assertThat(resolved.getFingerprint()).isEqualTo(fired.getFingerprint());
            assertThat(resolved.getStatus()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(resolved.getEndsAt()).isNotNull();

            checks.pipeInput("s1", check("s1", "r4", T0.plusSeconds(240), HealthStatus.HEALTHY));
            fixture.driver.advanceWallClockTime(Duration.ofSeconds(60));
            assertThat(fixture.values(Topics.ALERTS)).as("a resolution is sent once, then nothing").isEmpty();
        }
    }

    @Test
    void shouldResendAHostAlertHeldByEverySessionOfTheHostOnce() {
        try (TopologyFixture fixture = new TopologyFixture(ENV)) {
            TestInputTopic<String, HealthCheckResult> checks = fixture.input(Topics.HEALTH_CHECKS);
            for (String session : List.of("a1", "a2", "a3")) {
                HealthCheckResult unreachable = HealthCheckResult.newBuilder(check(session, "c0", T0, HealthStatus.UNKNOWN))
                        .setErrorCategory(ErrorCategory.DOCKER_UNREACHABLE).setErrorMessage("engine down").build();
                checks.pipeInput(session, unreachable);
            }
            List<HealthAlert> fired = fixture.values(Topics.ALERTS);
            assertThat(fired).extracting(HealthAlert::getFingerprint).containsOnly(fired.get(0).getFingerprint());

            fixture.driver.advanceWallClockTime(Duration.ofSeconds(60));

            HealthAlert again = single(fixture.values(Topics.ALERTS));
            assertThat(again.getLabels()).containsEntry("alertname", "DockerEngineUnreachable").containsEntry("host_id", "host-a");
            assertThat(again.getFingerprint()).isEqualTo(fired.get(0).getFingerprint());
        }
    }

    @Test
    void shouldResendTheAlertOfASilentHostUntilItsHeartbeatsResume() {
        try (TopologyFixture fixture = new TopologyFixture(ENV)) {
            TestInputTopic<String, io.fleethealth.events.AgentHeartbeat> heartbeats = fixture.input(Topics.AGENT_HEARTBEATS);
            heartbeats.pipeInput("host-a", heartbeat("host-a", T0), T0);
            fixture.driver.advanceWallClockTime(Duration.ofMinutes(3));
            assertThat(fixture.values(Topics.ALERTS)).extracting(HealthAlert::getStatus).contains(AlertStatus.FIRING);

            fixture.driver.advanceWallClockTime(Duration.ofSeconds(60));
            HealthAlert again = single(fixture.values(Topics.ALERTS));
            assertThat(again.getLabels()).containsEntry("alertname", "HostHeartbeatsStopped");
            assertThat(again.getStatus()).isEqualTo(AlertStatus.FIRING);

            heartbeats.pipeInput("host-a", heartbeat("host-a", T0.plus(Duration.ofMinutes(4))), T0.plus(Duration.ofMinutes(4)));
            assertThat(single(fixture.values(Topics.ALERTS)).getStatus()).isEqualTo(AlertStatus.RESOLVED);
            fixture.driver.advanceWallClockTime(Duration.ofSeconds(60));
            assertThat(fixture.values(Topics.ALERTS)).isEmpty();
        }
    }

    private static HealthAlert single(List<HealthAlert> alerts) {
        assertThat(alerts).hasSize(1);
        return alerts.get(0);
    }
}
