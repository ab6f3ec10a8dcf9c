package io.fleethealth.processor.decision;

import io.fleethealth.processor.config.ProcessorConfig;

import static io.fleethealth.processor.decision.Fixture.check;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.AuditAction;
import io.fleethealth.events.ControlAction;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Giving up after CONTAINER_MAX_RESTART_ATTEMPTS restarts without recovery, and the operator's reset. */
class FailedSessionTest {

    private final SessionDriver session = new SessionDriver();

    /** A container that fails forever: every restart succeeds technically, then it fails again. */
    private long failForever(int restarts) {
        long t = 0;
        for (int i = 0; i < restarts; i++) {
            session.checks(t, 3, c -> c.unhealthy());
            session.outcome(RestartResult.SUCCEEDED, t + 70);
            t += 150; // past the 60 s grace
        }
        return t;
    }

    @Test
    void shouldFailTheSessionAfterMaxRestartsWithoutRecovery() {
        long t = failForever(3);

        Decision giveUp = session.checks(t, 3, c -> c.unhealthy());

        assertThat(session.allCommands()).extracting(RestartCommand::getAttempt).containsExactly(1, 2, 3);
        assertThat(giveUp.commands()).isEmpty();
        assertThat(session.state.status()).isEqualTo(HealthStatus.FAILED);
        assertThat(session.state.failed()).isTrue();
        assertThat(giveUp.statuses()).singleElement().satisfies(status -> {
            assertThat(status.getStatus()).isEqualTo(HealthStatus.FAILED);
            assertThat(status.getRestartAttempts()).isEqualTo(3);
        });
        HealthAlert critical = giveUp.alerts().stream()
                .filter(a -> a.getLabels().get("alertname").equals("SessionFailed")).findFirst().orElseThrow();
        assertThat(critical.getLabels()).containsEntry("severity", "critical");
        assertThat(critical.getStatus()).isEqualTo(AlertStatus.FIRING);
        assertThat(giveUp.audits()).extracting(a -> a.getAction()).contains(AuditAction.SESSION_FAILED);
        assertThat(giveUp.counted(DecisionCounter.SESSION_FAILED)).isTrue();
    }

    @Test
    void shouldIssueNoMoreCommandsOnceFailedWhateverTheChecksSay() {
        long t = failForever(3);
        session.checks(t, 3, c -> c.unhealthy());

        session.checks(t + 90, 10, c -> c.exited());
        session.checks(t + 400, 3, c -> c.healthy());
        session.checks(t + 500, 5, c -> c.unhealthy());

        assertThat(session.allCommands()).hasSize(3);
        assertThat(session.state.status()).isEqualTo(HealthStatus.FAILED);
    }

    @Test
    void shouldReviveAFailedSessionOnAnOperatorReset() {
        long t = failForever(3);
        session.checks(t, 3, c -> c.unhealthy());

        Decision reset = session.control(ControlAction.RESET, t + 100);

        assertThat(session.state.status()).as("its last check failed").isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(session.state.restartAttempts()).isZero();
        assertThat(session.state.consecutiveFailures()).isZero();
        assertThat(reset.alerts()).anySatisfy(alert -> {
            assertThat(alert.getLabels()).containsEntry("alertname", "SessionFailed");
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.RESOLVED);
        });
        assertThat(reset.audits()).singleElement().satisfies(audit -> {
            assertThat(audit.getAction()).isEqualTo(AuditAction.OPERATOR_RESET);
            assertThat(audit.getActor()).isEqualTo("alice");
            assertThat(audit.getDetails()).containsEntry("applied", "true");
        });
        RestartCommand revived = session.checks(t + 120, 3, c -> c.unhealthy()).commands().get(0);
        assertThat(revived.getAttempt()).isEqualTo(1);
        assertThat(revived.getEpisode()).as("a new episode: a new command id").isEqualTo(2);
    }

    @Test
    void shouldMakeAResetSessionHealthyWhenItsContainerRecoveredMeanwhile() {
        long t = failForever(3);
        session.checks(t, 3, c -> c.unhealthy());
        session.check(check(t + 90).healthy());
        assertThat(session.state.status()).isEqualTo(HealthStatus.FAILED);

        session.control(ControlAction.RESET, t + 100);

        assertThat(session.state.status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void shouldFailAndAlertAtTheThresholdWithoutRestartingWhenMaxRestartAttemptsIsZero() {
        // CONTAINER_MAX_RESTART_ATTEMPTS=0 is documented as "never restart: FAILED and alerted at the threshold".
        SessionDriver never = new SessionDriver(ProcessorConfig.decisionSettingsForInterval(Duration.ofSeconds(30))
                .withMaxRestartAttempts(0));

        never.checks(0, 2, c -> c.unhealthy());
        assertThat(never.state.status()).isNotEqualTo(HealthStatus.FAILED);
        never.checks(60, 1, c -> c.unhealthy());

        assertThat(never.allCommands()).isEmpty();
        assertThat(never.state.status()).isEqualTo(HealthStatus.FAILED);
        assertThat(never.decisions).flatExtracting(Decision::alerts)
                .extracting(a -> a.getLabels().get("alertname")).contains("SessionFailed");
    }

    @Test
    void shouldIgnoreTheSameResetDeliveredTwice() {
        long t = failForever(3);
        session.checks(t, 3, c -> c.unhealthy());
        session.control(ControlAction.RESET, t + 100);
        session.checks(t + 120, 3, c -> c.unhealthy());
        int attempts = session.state.restartAttempts();

        Decision again = session.control(ControlAction.RESET, t + 100);

        assertThat(again.counted(DecisionCounter.IGNORED_CONTROL)).isTrue();
        assertThat(session.state.restartAttempts()).isEqualTo(attempts).isEqualTo(1);
    }

    @Test
    void shouldNotApplyAResetWhileACommandIsInFlight() {
        session.checks(0, 3, c -> c.unhealthy());

        Decision reset = session.control(ControlAction.RESET, 70);

        assertThat(session.state.restartAttempts()).isEqualTo(1);
        assertThat(session.state.pending()).isNotNull();
        assertThat(reset.audits()).singleElement()
                .satisfies(audit -> assertThat(audit.getDetails()).containsEntry("applied", "false"));
    }

    @Test
    void shouldClearTheAttemptCounterOnAResetOfASessionThatIsNotFailed() {
        failForever(1);
        session.checks(150, 2, c -> c.unhealthy());

        session.control(ControlAction.RESET, 200);

        assertThat(session.state.restartAttempts()).isZero();
        assertThat(session.state.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(session.checks(210, 3, c -> c.unhealthy()).commands().get(0).getAttempt()).isEqualTo(1);
    }
}
