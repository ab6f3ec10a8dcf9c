package io.fleethealth.processor.decision;

import io.fleethealth.processor.config.ProcessorConfig;

import static io.fleethealth.processor.decision.Fixture.at;
import static io.fleethealth.processor.decision.Fixture.check;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.AuditAction;
import io.fleethealth.events.ControlAction;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartResult;
import org.junit.jupiter.api.Test;

/** Maintenance (PAUSE/RESUME) and recovery (success threshold, attempt reset after continuous health). */
class PauseAndRecoveryTest {

    private final SessionDriver session = new SessionDriver();

    @Test
    void shouldWithholdRestartsFromAPausedSessionButKeepRecordingItsChecks() {
        session.check(check(0).healthy());
        Decision pause = session.control(ControlAction.PAUSE, 10);

        Decision last = session.checks(30, 6, c -> c.unhealthy());

        assertThat(pause.audits()).singleElement().satisfies(audit -> {
            assertThat(audit.getAction()).isEqualTo(AuditAction.OPERATOR_PAUSE);
            assertThat(audit.getActor()).isEqualTo("alice");
        });
        assertThat(pause.statuses()).singleElement().satisfies(s -> assertThat(s.getPaused()).isTrue());
        assertThat(session.allCommands()).isEmpty();
        assertThat(session.state.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(session.state.consecutiveFailures()).isEqualTo(6);
        assertThat(session.state.lastProbeTime()).isEqualTo(at(180));
        assertThat(last.counted(DecisionCounter.RESTART_WITHHELD_PAUSED)).isTrue();
    }

    @Test
    void shouldSayInItsAlertsThatTheSessionIsPaused() {
        session.check(check(0).healthy());
        session.control(ControlAction.PAUSE, 1);

        session.checks(30, 3, c -> c.unhealthy());

        assertThat(session.decisions.get(session.decisions.size() - 1).alerts()).singleElement()
                .satisfies(alert -> assertThat(alert.getAnnotations()).containsEntry("paused", "true"));
    }

    @Test
    void shouldReannotateFiringAlertsWhenPausedAndResumed() {
        session.checks(0, 3, c -> c.unhealthy());
        session.outcome(RestartResult.FAILED, 70);

        Decision pause = session.control(ControlAction.PAUSE, 80);
        Decision resume = session.control(ControlAction.RESUME, 85);

        assertThat(pause.alerts()).isNotEmpty().allSatisfy(alert -> {
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.FIRING);
            assertThat(alert.getAnnotations()).containsEntry("paused", "true");
        });
        assertThat(resume.alerts()).isNotEmpty()
                .allSatisfy(alert -> assertThat(alert.getAnnotations()).doesNotContainKey("paused"));
    }

    @Test
    void shouldRestartOnTheNextFailureAfterResume() {
        session.check(check(0).healthy());
        session.control(ControlAction.PAUSE, 10);
        session.checks(30, 4, c -> c.unhealthy());

        Decision resume = session.control(ControlAction.RESUME, 130);
        Decision next = session.check(check(150).unhealthy());

        assertThat(resume.commands()).as("a control is not a check: no restart on its own").isEmpty();
        assertThat(resume.audits()).extracting(a -> a.getAction()).containsExactly(AuditAction.OPERATOR_RESUME);
        assertThat(next.commands()).hasSize(1);
    }

    @Test
    void shouldBecomeHealthyOnlyAfterTheSuccessThreshold() {
        SessionDriver strict = new SessionDriver(ProcessorConfig.defaultDecisionSettings().withSuccessThreshold(2));
        strict.checks(0, 2, c -> c.unhealthy());

        strict.check(check(60).healthy());
        assertThat(strict.state.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(strict.state.consecutiveFailures()).isZero();
        Decision second = strict.check(check(90).healthy());

        assertThat(strict.state.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(second.audits()).extracting(a -> a.getAction()).containsExactly(AuditAction.SESSION_RECOVERED);
    }

    @Test
    void shouldEndTheGraceAndRecoverWhenTheRestartedContainerIsHealthy() {
        session.checks(0, 3, c -> c.unhealthy());
        session.outcome(RestartResult.SUCCEEDED, 70);

        Decision healthy = session.check(check(90).healthy());

        assertThat(session.state.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(session.state.graceUntil()).isNull();
        assertThat(session.state.restartAttempts()).as("kept until continuous health").isEqualTo(1);
        assertThat(healthy.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.getLabels()).containsEntry("alertname", "SessionUnhealthy");
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(alert.getStartsAt()).isEqualTo(at(0));
            assertThat(alert.getEndsAt()).isEqualTo(at(90));
        });
        assertThat(healthy.counted(DecisionCounter.SESSION_RECOVERED)).isTrue();
    }

    @Test
    void shouldResetTheAttemptCounterAfterTenMinutesOfContinuousHealth() {
        session.checks(0, 3, c -> c.unhealthy());
        session.outcome(RestartResult.SUCCEEDED, 70);
        session.checks(90, 20, c -> c.healthy()); // 90 .. 660: 570 s of health
        assertThat(session.state.restartAttempts()).isEqualTo(1);

        Decision tenMinutes = session.check(check(690).healthy());

        assertThat(tenMinutes.counted(DecisionCounter.ATTEMPTS_RESET)).isTrue();
        assertThat(session.state.restartAttempts()).isZero();
        assertThat(tenMinutes.statuses()).singleElement()
                .satisfies(s -> assertThat(s.getRestartAttempts()).isZero());
        var next = session.checks(720, 3, c -> c.unhealthy()).commands().get(0);
        assertThat(next.getAttempt()).isEqualTo(1);
        assertThat(next.getEpisode()).isEqualTo(2);
        assertThat(next.getNotBefore()).as("back-off starts over").isEqualTo(at(780 + 5));
    }

    @Test
    void shouldKeepTheAttemptCounterWhenAFailureInterruptsTheHealthyStretch() {
        session.checks(0, 3, c -> c.unhealthy());
        session.outcome(RestartResult.SUCCEEDED, 70);
        session.checks(90, 10, c -> c.healthy());
        session.check(check(400).unhealthy());

        session.checks(430, 15, c -> c.healthy()); // 430 .. 850: more than 600 s since 90, not since 430

        assertThat(session.state.restartAttempts()).isEqualTo(1);
        session.check(check(1030).healthy());
        assertThat(session.state.restartAttempts()).isZero();
    }
}
