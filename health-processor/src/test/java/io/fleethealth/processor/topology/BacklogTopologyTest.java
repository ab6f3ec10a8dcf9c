package io.fleethealth.processor.topology;

import static io.fleethealth.processor.topology.TopologyFixture.T0;
import static io.fleethealth.processor.topology.TopologyFixture.check;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.AuditAction;
import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.topics.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The processor catches up on checks made while it was down: the wall clock the shell passes to the
 * decision (the driver's mock clock, at T0) keeps it from issuing commands that would already be expired.
 */
class BacklogTopologyTest {

    private final TopologyFixture fixture = new TopologyFixture();
    private final TestInputTopic<String, HealthCheckResult> checks = fixture.input(Topics.HEALTH_CHECKS);

    @AfterEach
    void close() {
        fixture.close();
    }

    private void pipe(HealthCheckResult check) {
        checks.pipeInput(check.getSessionId(), check, check.getProbeTime());
    }

    @Test
    void shouldIssueNoExpiredCommandsForABacklogAndRestartOnCurrentChecks() {
        // Ten failing checks from 15 to 10.5 minutes ago, read now (T0) in one go.
        for (int i = 0; i < 10; i++) {
            pipe(check("s1", "old-" + i, T0.minusSeconds(900 - 30L * i), HealthStatus.UNHEALTHY));
        }
        assertThat(fixture.output(Topics.RESTART_COMMANDS).readRecordsToList()).isEmpty();
        List<AuditEvent> audits = fixture.values(Topics.AUDIT);
        assertThat(audits).extracting(AuditEvent::getAction).contains(AuditAction.RESTART_WITHHELD)
                .doesNotContain(AuditAction.COMMAND_ISSUED, AuditAction.SESSION_FAILED);

        // Caught up: current checks, the wall clock moving with them.
        for (int i = 0; i < 3; i++) {
            fixture.driver.advanceWallClockTime(Duration.ofSeconds(30));
            pipe(check("s1", "new-" + i, T0.plusSeconds(30L * (i + 1)), HealthStatus.UNHEALTHY));
        }

        List<RestartCommand> commands = fixture.values(Topics.RESTART_COMMANDS);
        assertThat(commands).singleElement().satisfies(command -> {
            assertThat(command.getAttempt()).isEqualTo(1);
            assertThat(command.getExpiresAt()).isAfter(T0.plusSeconds(90));
        });
        assertThat(fixture.driver.<String, io.fleethealth.processor.decision.SessionState>getKeyValueStore(
                StoreNames.SESSIONS).get("s1").status()).isEqualTo(HealthStatus.RESTARTING);
    }
}
