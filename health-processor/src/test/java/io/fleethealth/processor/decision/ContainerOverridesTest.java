package io.fleethealth.processor.decision;

import static io.fleethealth.processor.decision.Fixture.check;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.contract.labels.Labels;
import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.AuditAction;
import io.fleethealth.events.HealthStatus;
import org.junit.jupiter.api.Test;

/** Per-container overrides from the check's metadata win over the defaults; the opt-out label unmanages. */
class ContainerOverridesTest {

    private final SessionDriver session = new SessionDriver();

    @Test
    void shouldRestartAtOnceWhenTheContainerLowersTheThresholdToOne() {
        Decision first = session.check(check(0).unhealthy().label(Labels.FAILURE_THRESHOLD, "1"));

        assertThat(first.commands()).hasSize(1);
    }

    @Test
    void shouldWaitLongerWhenTheContainerRaisesTheThreshold() {
        Decision third = session.checks(0, 3, c -> c.unhealthy().label(Labels.FAILURE_THRESHOLD, "5"));
        assertThat(third.commands()).isEmpty();

        Decision fifth = session.checks(90, 2, c -> c.unhealthy().label(Labels.FAILURE_THRESHOLD, "5"));

        assertThat(fifth.commands()).hasSize(1);
    }

    @Test
    void shouldNeverRestartNorAlertForAContainerThatOptedOut() {
        Decision last = session.checks(0, 8, c -> c.exited().label(Labels.ENABLED, "false"));

        assertThat(session.allCommands()).isEmpty();
        assertThat(session.decisions).allSatisfy(d -> assertThat(d.alerts()).isEmpty());
        assertThat(session.state.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(session.state.managed()).isFalse();
        assertThat(session.state.reason()).contains("not managed", "fleet-health.enabled=false");
        assertThat(last.counted(DecisionCounter.RESTART_WITHHELD_OPTED_OUT)).isTrue();
    }

    /** The defect of wave 1: an opted-out session that goes quiet became UNKNOWN and raised SessionStale. */
    @Test
    void shouldNeverMarkAnOptedOutSessionStale() {
        session.check(check(0).healthy().label(Labels.ENABLED, "false"));

        Decision silent = session.silence(3600);

        assertThat(silent.stateChanged()).isFalse();
        assertThat(silent.emitted()).isEmpty();
        assertThat(session.state.stale()).isFalse();
        assertThat(session.state.status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void shouldNotAlertForAnOptedOutContainerWhoseEngineIsUnreachable() {
        Decision unreachable = session.check(check(0).dockerUnreachable().label(Labels.ENABLED, "false"));

        assertThat(unreachable.alerts()).isEmpty();
        assertThat(session.state.status()).isEqualTo(HealthStatus.UNKNOWN);
    }

    @Test
    void shouldResolveWhatWasFiringWhenTheContainerOptsOutAndManageItAgainWhenItOptsIn() {
        session.checks(0, 2, c -> c.unhealthy());
        session.silence(200);
        assertThat(session.state.activeAlerts()).extracting(ActiveAlert::kind).contains(AlertKind.SESSION_STALE);

        Decision optedOut = session.check(check(210).unhealthy().label(Labels.ENABLED, "false"));

        assertThat(optedOut.alerts()).isNotEmpty().allSatisfy(a -> assertThat(a.getStatus()).isEqualTo(AlertStatus.RESOLVED));
        assertThat(session.state.activeAlerts()).isEmpty();

        session.check(check(240).healthy());
        assertThat(session.state.managed()).isTrue();
        assertThat(session.silence(400).alerts()).as("managed again: stale raises its alert").isNotEmpty();
    }

    @Test
    void shouldCarryTheContainersStopTimeoutInTheCommand() {
        Decision third = session.checks(0, 3, c -> c.unhealthy().label(Labels.STOP_TIMEOUT, "2"));

        assertThat(third.commands().get(0).getStopTimeoutSeconds()).isEqualTo(2);
    }

    @Test
    void shouldFallBackToTheDefaultAndCountAnUnreadableOverride() {
        Decision first = session.check(check(0).unhealthy().label(Labels.FAILURE_THRESHOLD, "three"));
        session.check(check(30).unhealthy().label(Labels.FAILURE_THRESHOLD, "0"));
        Decision third = session.check(check(60).unhealthy().label(Labels.FAILURE_THRESHOLD, "three"));

        assertThat(first.counted(DecisionCounter.INVALID_OVERRIDE)).isTrue();
        assertThat(first.commands()).isEmpty();
        assertThat(third.commands()).as("default threshold 3").hasSize(1);
    }

    @Test
    void shouldShowTheOverridesTheAgentRejectedAndAuditEachNewSetOnce() {
        String reported = "fleet-health.stop-timeout='soon'";
        Decision first = session.check(check(0).healthy().label(Labels.INVALID_OVERRIDES, reported));
        Decision second = session.check(check(30).healthy().label(Labels.INVALID_OVERRIDES, reported));
        Decision fixed = session.check(check(60).healthy());
        Decision again = session.check(check(90).healthy().label(Labels.INVALID_OVERRIDES, reported));

        assertThat(first.audits()).singleElement().satisfies(a -> {
            assertThat(a.getAction()).isEqualTo(AuditAction.INVALID_OVERRIDES);
            assertThat(a.getReason()).contains(reported);
            assertThat(a.getDetails()).containsEntry(Labels.INVALID_OVERRIDES, reported);
        });
        assertThat(second.audits()).as("the same set again: no new audit").isEmpty();
        assertThat(second.counted(DecisionCounter.INVALID_OVERRIDE)).isTrue();
        assertThat(fixed.state().invalidOverrides()).isNull();
        assertThat(again.audits()).extracting(a -> a.getAction()).containsExactly(AuditAction.INVALID_OVERRIDES);
        assertThat(session.state.invalidOverrides()).isEqualTo(reported);
    }
}
