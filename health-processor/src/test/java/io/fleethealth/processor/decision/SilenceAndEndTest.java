package io.fleethealth.processor.decision;

import io.fleethealth.processor.config.ProcessorConfig;

import static io.fleethealth.processor.decision.Fixture.at;
import static io.fleethealth.processor.decision.Fixture.check;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.AuditAction;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.topics.Topics;
import org.junit.jupiter.api.Test;

/** Silence (stale sessions) and the end of a session whose container is gone. Stale after 90 s. */
class SilenceAndEndTest {

    private final SessionDriver session = new SessionDriver();

    @Test
    void shouldMarkASilentSessionUnknownWithAnAlertAndAnAudit() {
        session.check(check(0).healthy());

        Decision silent = session.silence(95);

        assertThat(session.state.status()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(session.state.stale()).isTrue();
        assertThat(silent.statuses()).singleElement().satisfies(s -> {
            assertThat(s.getStatus()).isEqualTo(HealthStatus.UNKNOWN);
            assertThat(s.getPreviousStatus()).isEqualTo(HealthStatus.HEALTHY);
        });
        assertThat(silent.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.getLabels()).containsEntry("alertname", "SessionStale");
            assertThat(alert.getStartsAt()).isEqualTo(at(0));
        });
        assertThat(silent.audits()).extracting(a -> a.getAction()).containsExactly(AuditAction.SESSION_STALE);
        assertThat(session.silence(200).emitted()).as("once per silent stretch").isEmpty();
    }

    @Test
    void shouldLeaveASessionAloneBeforeTheStalePeriod() {
        session.check(check(0).healthy());

        Decision early = session.silence(89);

        assertThat(early.stateChanged()).isFalse();
        assertThat(early.emitted()).isEmpty();
    }

    @Test
    void shouldNeverRestartBecauseOfSilenceNorForgetTheFailureRun() {
        session.checks(0, 2, c -> c.unhealthy());

        Decision silent = session.silence(125);
        assertThat(silent.commands()).isEmpty();
        assertThat(session.state.consecutiveFailures()).isEqualTo(2);

        assertThat(session.check(check(120).unhealthy()).commands())
                .as("the same decision as without the silence event").hasSize(1);
    }

    @Test
    void shouldResolveTheStaleAlertOnTheNextCheck() {
        session.check(check(0).healthy());
        session.silence(95);

        Decision back = session.check(check(100).healthy());

        assertThat(session.state.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(back.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.getLabels()).containsEntry("alertname", "SessionStale");
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.RESOLVED);
        });
    }

    @Test
    void shouldLeaveTheAlertToTheHostWhenTheWholeHostIsSilent() {
        session.check(check(0).healthy());

        Decision silent = session.feed(new SessionEvent.SilenceDetected(at(100), true));

        assertThat(session.state.status()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(silent.alerts()).isEmpty();
        assertThat(Alerts.hostHeartbeatsStopped(Fixture.HOST, at(0)).getFingerprint())
                .isEqualTo(Alerts.hostHeartbeatsResumed(Fixture.HOST, at(0), at(300)).getFingerprint());
    }

    @Test
    void shouldKeepAFailedSessionFailedWhenItFallsSilent() {
        SessionDriver never = new SessionDriver(ProcessorConfig.defaultDecisionSettings().withMaxRestartAttempts(0));
        never.checks(0, 3, c -> c.unhealthy());

        Decision silent = never.silence(500);

        assertThat(never.state.status()).isEqualTo(HealthStatus.FAILED);
        assertThat(silent.alerts()).extracting(a -> a.getLabels().get("alertname")).containsExactly("SessionStale");
    }

    @Test
    void shouldEndTheSessionWhenItsContainerIsGone() {
        session.checks(0, 3, c -> c.unhealthy());

        Decision gone = session.check(check(90).gone());

        assertThat(gone.sessionEnded()).isTrue();
        assertThat(gone.state()).isNull();
        var statuses = gone.emitted(Topics.SESSION_STATUS);
        assertThat(statuses).singleElement().satisfies(tombstone -> {
            assertThat(tombstone.tombstone()).isTrue();
            assertThat(tombstone.key()).isEqualTo(Fixture.SESSION);
        });
        assertThat(gone.audits()).singleElement()
                .satisfies(audit -> assertThat(audit.getAction()).isEqualTo(AuditAction.SESSION_ENDED));
        assertThat(gone.alerts()).as("its firing alerts resolve").singleElement()
                .satisfies(alert -> assertThat(alert.getStatus()).isEqualTo(AlertStatus.RESOLVED));
        assertThat(gone.counted(DecisionCounter.SESSION_ENDED)).isTrue();
    }

    @Test
    void shouldIgnoreAGoneContainerOfAnUnknownSession() {
        Decision gone = session.check(check(0).gone());

        assertThat(gone.stateChanged()).isFalse();
        assertThat(gone.emitted()).isEmpty();
    }

    @Test
    void shouldGiveANewContainerOfAnEndedSessionNewCommandIds() {
        String before = session.checks(0, 3, c -> c.unhealthy()).commands().get(0).getCommandId();
        session.check(check(90).gone());

        String after = session.checks(120, 3, c -> c.unhealthy().container("beef02")).commands().get(0).getCommandId();

        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void shouldIgnoreOutcomesAndControlsOfASessionWithoutState() {
        SessionStateMachine machine = new SessionStateMachine(ProcessorConfig.defaultDecisionSettings());

        Decision outcome = machine.decide(null, new SessionEvent.OutcomeReceived(
                Fixture.outcome("x", io.fleethealth.events.RestartResult.SUCCEEDED, 0)));
        Decision control = machine.decide(null, new SessionEvent.ControlReceived(
                Fixture.control(io.fleethealth.events.ControlAction.RESET, 0)));
        Decision silence = machine.decide(null, new SessionEvent.SilenceDetected(at(0)));

        assertThat(outcome.counted(DecisionCounter.IGNORED_UNKNOWN_SESSION)).isTrue();
        assertThat(control.counted(DecisionCounter.IGNORED_UNKNOWN_SESSION)).isTrue();
        assertThat(silence.stateChanged()).isFalse();
        assertThat(outcome.emitted()).isEmpty();
    }
}
