package io.fleethealth.processor.decision;

import static io.fleethealth.processor.decision.Fixture.at;
import static io.fleethealth.processor.decision.Fixture.check;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.AuditAction;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartResult;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Catching up never burns attempts. Defaults: interval 30 s, threshold 3, 3 attempts, delay 5 s,
 * expiry not-before + 120 s (a command decided 125 s after its check's probe time would be expired).
 */
class BacklogTest {

    private final SessionDriver session = new SessionDriver();

    @Test
    void shouldIssueNoCommandForABacklogOfFailingChecksAndRestartOnTheFirstOneStillCurrent() {
        // The processor was down 16.5 minutes while the container failed every probe; at 1000 s it reads
        // the whole backlog at once. Before, ~13.5 min of it ended in FAILED with zero restarts done.
        Instant caughtUpAt = at(1000);
        for (int i = 0; i <= 33; i++) {
            session.check(check(i * 30L).unhealthy().processedAt(caughtUpAt));
        }

        // Only the check of 900 s (not before 905, expires 1025) and later could still be executed.
        assertThat(session.allCommands()).singleElement().satisfies(command -> {
            assertThat(command.getIssuedAt()).isEqualTo(at(900));
            assertThat(command.getAttempt()).isEqualTo(1);
            assertThat(command.getExpiresAt()).isAfter(caughtUpAt);
        });
        assertThat(session.state.status()).isEqualTo(HealthStatus.RESTARTING);
        assertThat(session.decisions.stream().flatMap(d -> d.audits().stream())
                .filter(a -> a.getAction() == AuditAction.RESTART_WITHHELD))
                .hasSize(28)
                .allSatisfy(a -> assertThat(a.getDetails()).containsEntry("processedAt", caughtUpAt.toString()));
    }

    @Test
    void shouldWithholdEveryCommandOfAnOldBacklogWithoutSpendingAnAttempt() {
        for (int i = 0; i < 10; i++) {
            session.check(check(i * 30L).unhealthy().processedAt(at(3_600)));
        }

        assertThat(session.allCommands()).isEmpty();
        assertThat(session.state.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(session.state.restartAttempts()).isZero();
        // The current checks restart within threshold intervals of catching up.
        Decision current = session.checks(3_600, 3, c -> c.unhealthy());
        assertThat(current.commands()).hasSize(1);
    }

    @Test
    void shouldStillIssueACommandThatReachesTheAgentBeforeItsExpiry() {
        session.checks(0, 2, c -> c.unhealthy());

        // 100 s late: the command (not before 65, expires 185) is still good at 160.
        Decision late = session.check(check(60).unhealthy().processedAt(at(160)));

        assertThat(late.commands()).hasSize(1);
    }

    @Test
    void shouldNotFailASessionWhoseCommandsExpiredWithoutBeingExecuted() {
        long t = 0;
        for (int i = 0; i < 6; i++) {
            RestartCommand command = session.checks(t, 3, c -> c.unhealthy()).commands().get(0);
            session.outcome(RestartResult.EXPIRED, command.getExpiresAt().getEpochSecond() - at(0).getEpochSecond());
            t = command.getExpiresAt().getEpochSecond() - at(0).getEpochSecond() + 30;
        }

        assertThat(session.state.status()).isNotEqualTo(HealthStatus.FAILED);
        assertThat(session.state.restartsReported()).isZero();
        assertThat(session.allCommands()).hasSize(6);
        assertThat(session.allCommands().stream().map(RestartCommand::getCommandId).distinct()).hasSize(6);
    }

    @Test
    void shouldFailOnlyAfterTheConfiguredRestartsWereAnsweredByTheAgent() {
        long t = 0;
        int executed = 0;
        for (int i = 0; i < 5; i++) {
            Decision decision = session.checks(t, 3, c -> c.unhealthy());
            if (decision.commands().isEmpty()) {
                break;
            }
            RestartCommand command = decision.commands().get(0);
            long done = command.getNotBefore().getEpochSecond() - at(0).getEpochSecond() + 1;
            // A lost command first (no outcome; the next check after its lost deadline gives it up).
            if (i == 0) {
                t = command.getExpiresAt().getEpochSecond() - at(0).getEpochSecond() + 10 + 30 + 1;
                continue;
            }
            session.outcome(RestartResult.SUCCEEDED, done);
            executed++;
            t = done + 90;
        }

        assertThat(executed).isEqualTo(3);
        assertThat(session.state.status()).isEqualTo(HealthStatus.FAILED);
        assertThat(session.state.restartsReported()).isEqualTo(3);
        assertThat(session.allCommands()).hasSize(4);
    }
}
