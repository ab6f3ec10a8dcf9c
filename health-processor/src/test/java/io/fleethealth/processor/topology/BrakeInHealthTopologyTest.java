package io.fleethealth.processor.topology;

import static io.fleethealth.processor.topology.TopologyFixture.T0;
import static io.fleethealth.processor.topology.TopologyFixture.check;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.AuditAction;
import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.SessionStatus;
import io.fleethealth.processor.brake.BrakeSignal;
import io.fleethealth.processor.brake.GroupKey;
import io.fleethealth.processor.brake.IncidentAlerts;
import io.fleethealth.processor.decision.SessionState;
import io.fleethealth.processor.state.JsonSerde;
import io.fleethealth.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The brake wired into the whole processor topology (default brake settings: an incident is 5 sessions and
 * 30 % of a group within 2 minutes; 2 restarts per host per minute): the session decisions' restart
 * commands go through the brake, and its answers come back to the sessions.
 */
class BrakeInHealthTopologyTest {

    private static final String IMAGE = "fleet-test/busybox:1";

    private final TopologyFixture fixture = new TopologyFixture(Map.of("FLEET_BRAKE_ENABLED", "true"));
    private final TestInputTopic<String, HealthCheckResult> checks = fixture.input(Topics.HEALTH_CHECKS);
    private final TestInputTopic<String, BrakeSignal> brakeSignals = fixture.driver.createInputTopic(
            BrakeTopology.SIGNALS_TOPIC, new StringSerializer(), new JsonSerde<>(BrakeSignal.class).serializer());
    private int checkNo;

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void shouldHoldTheRestartsOfTenSessionsOfOneImageFailingTogetherAndRaiseOneIncident() {
        failTogether(10, 3);

        assertThat(fixture.values(Topics.RESTART_COMMANDS)).as("every restart held").isEmpty();
        List<HealthAlert> incidents = incidentAlerts(fixture.values(Topics.ALERTS));
        assertThat(incidents).hasSize(1);
        assertThat(incidents.get(0).getStatus()).isEqualTo(AlertStatus.FIRING);
        assertThat(incidents.get(0).getLabels()).containsEntry(IncidentAlerts.GROUP, "image:" + IMAGE);
        List<AuditEvent> audits = fixture.values(Topics.AUDIT);
        assertThat(audits).filteredOn(a -> a.getAction() == AuditAction.RESTART_HELD).hasSize(10)
                .allSatisfy(a -> assertThat(a.getDetails()).containsKey("incident_id"));
        for (int i = 0; i < 10; i++) {
            SessionState state = sessions().get("s" + i);
            assertThat(state.pending()).as("s%d's restart pending, held", i).isNotNull();
            assertThat(state.pending().held()).isTrue();
            assertThat(state.status()).isEqualTo(HealthStatus.UNHEALTHY);
        }
    }

    @Test
    void shouldNeverExpireOrFailAHeldSessionHoweverLongItsIncidentLasts() {
        failTogether(10, 3);
        fixture.output(Topics.SESSION_STATUS).readRecordsToList();
        // 30 more minutes of failing checks: far past the command's expiry and the loss of a sent command.
        failTogether(10, 60);

        assertThat(fixture.values(Topics.RESTART_COMMANDS)).isEmpty();
        assertThat(fixture.values(Topics.SESSION_STATUS)).extracting(SessionStatus::getStatus)
                .doesNotContain(HealthStatus.FAILED);
        assertThat(fixture.values(Topics.AUDIT)).extracting(AuditEvent::getAction)
                .doesNotContain(AuditAction.COMMAND_EXPIRED, AuditAction.SESSION_FAILED);
        for (int i = 0; i < 10; i++) {
            SessionState state = sessions().get("s" + i);
            assertThat(state.status()).isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(state.restartAttempts()).as("the held attempt is the only one").isEqualTo(1);
            assertThat(state.pending().held()).isTrue();
        }
    }

    @Test
    void shouldSendTheHeldRestartsWithinTheBudgetWhenAnOperatorReleasesTheIncident() {
        failTogether(10, 3);
        fixture.output(Topics.AUDIT).readRecordsToList();
        Instant releasedAt = T0.plusSeconds(120);
        brakeSignals.pipeInput("fleet", BrakeSignal.release(GroupKey.parse("image:" + IMAGE), "alice", releasedAt),
                releasedAt);

        List<RestartCommand> commands = fixture.values(Topics.RESTART_COMMANDS);
        assertThat(commands).hasSize(10);
        assertThat(commands).extracting(RestartCommand::getSessionId).doesNotHaveDuplicates();
        // 2 per host in any minute: the (i+2)-th restart starts a minute after the i-th at the earliest.
        List<Instant> starts = commands.stream().map(RestartCommand::getNotBefore).sorted().toList();
        for (int i = 0; i + 2 < starts.size(); i++) {
            assertThat(Duration.between(starts.get(i), starts.get(i + 2))).isGreaterThanOrEqualTo(Duration.ofMinutes(1));
        }
        for (RestartCommand command : commands) {
            assertThat(Duration.between(command.getNotBefore(), command.getExpiresAt()))
                    .as("the agent's window starts at the budget's slot").isPositive();
            SessionState state = sessions().get(command.getSessionId());
            assertThat(state.pending().held()).isFalse();
            assertThat(state.pending().commandId()).isEqualTo(command.getCommandId());
            assertThat(state.pending().expiresAt()).isEqualTo(command.getExpiresAt());
            assertThat(state.status()).isEqualTo(HealthStatus.RESTARTING);
        }
        List<AuditEvent> audits = fixture.values(Topics.AUDIT);
        assertThat(audits).filteredOn(a -> a.getAction() == AuditAction.RESTART_RELEASED).hasSize(10);
        assertThat(audits).filteredOn(a -> a.getAction() == AuditAction.INCIDENT_CLOSED)
                .singleElement().satisfies(a -> assertThat(a.getActor()).isEqualTo("alice"));
        assertThat(incidentAlerts(fixture.values(Topics.ALERTS))).extracting(HealthAlert::getStatus)
                .as("fired once, resolved by the release").containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
    }

    @Test
    void shouldRestartOneSessionFailingAloneAsUsual() {
        for (int round = 0; round < 3; round++) {
            Instant at = T0.plusSeconds(30L * round);
            for (int i = 0; i < 10; i++) {
                pipe(check("s" + i, "c" + checkNo++, at, i == 0 ? HealthStatus.FAILED : HealthStatus.HEALTHY));
            }
        }

        List<RestartCommand> commands = fixture.values(Topics.RESTART_COMMANDS);
        assertThat(commands).singleElement().satisfies(c -> {
            assertThat(c.getSessionId()).isEqualTo("s0");
            assertThat(c.getIssuedAt()).isEqualTo(T0.plusSeconds(60));
            assertThat(c.getNotBefore()).as("the usual restart delay, no budget wait").isEqualTo(T0.plusSeconds(65));
        });
        assertThat(incidentAlerts(fixture.values(Topics.ALERTS))).isEmpty();
        assertThat(sessions().get("s0").status()).isEqualTo(HealthStatus.RESTARTING);
    }

    @Test
    void shouldWithdrawAHeldRestartAndGiveTheAttemptBackWhenTheSessionRecovers() {
        failTogether(10, 3);
        pipe(check("s3", "c" + checkNo++, T0.plusSeconds(90), HealthStatus.HEALTHY));

        SessionState state = sessions().get("s3");
        assertThat(state.pending()).isNull();
        assertThat(state.restartAttempts()).isZero();
        brakeSignals.pipeInput("fleet", BrakeSignal.release(GroupKey.parse("image:" + IMAGE), "alice",
                T0.plusSeconds(120)), T0.plusSeconds(120));
        assertThat(fixture.values(Topics.RESTART_COMMANDS)).extracting(RestartCommand::getSessionId)
                .hasSize(9).doesNotContain("s3");
    }

    @Test
    void shouldSendEveryRestartAtOnceWithTheBrakeOff() {
        try (TopologyFixture off = new TopologyFixture(Map.of("FLEET_BRAKE_ENABLED", "false"))) {
            TestInputTopic<String, HealthCheckResult> input = off.input(Topics.HEALTH_CHECKS);
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 10; i++) {
                    HealthCheckResult c = check("s" + i, "c" + checkNo++, T0.plusSeconds(30L * round), HealthStatus.FAILED);
                    input.pipeInput(c.getSessionId(), c, c.getProbeTime());
                }
            }
            assertThat(off.values(Topics.RESTART_COMMANDS)).hasSize(10);
        }
    }

    /** {@code sessions} sessions of one image on one host fail for {@code rounds} more rounds of 30 s. */
    private void failTogether(int sessions, int rounds) {
        int start = checkNo;
        for (int round = 0; round < rounds; round++) {
            Instant at = T0.plusSeconds(30L * (start / sessions + round));
            for (int i = 0; i < sessions; i++) {
                pipe(check("s" + i, "c" + checkNo++, at, HealthStatus.FAILED));
            }
        }
    }

    private void pipe(HealthCheckResult check) {
        checks.pipeInput(check.getSessionId(), check, check.getProbeTime());
    }

    private KeyValueStore<String, SessionState> sessions() {
        return fixture.driver.getKeyValueStore(StoreNames.SESSIONS);
    }

    private static List<HealthAlert> incidentAlerts(List<HealthAlert> alerts) {
        List<HealthAlert> out = new ArrayList<>();
        for (HealthAlert alert : alerts) {
            if (IncidentAlerts.ALERTNAME_VALUE.equals(alert.getLabels().get("alertname"))) {
                out.add(alert);
            }
        }
        return out;
    }
}
