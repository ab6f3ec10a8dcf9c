package io.fleethealth.processor.decision;

import static io.fleethealth.processor.decision.Fixture.at;
import static io.fleethealth.processor.decision.Fixture.check;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.contract.check.CheckVerdict;
import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.AuditAction;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.topics.Topics;
import org.junit.jupiter.api.Test;

/** When failures count, and when they add up to a restart. Defaults: interval 30 s, threshold 3. */
class FailureDetectionTest {

    private final SessionDriver session = new SessionDriver();

    @Test
    void shouldStartANewSessionHealthyOnItsFirstHealthyCheck() {
        Decision decision = session.check(check(0).healthy());

        assertThat(decision.statuses()).singleElement().satisfies(status -> {
            assertThat(status.getStatus()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(status.getPreviousStatus()).isNull();
            assertThat(status.getSessionId()).isEqualTo(Fixture.SESSION);
            assertThat(status.getContainerName()).isEqualTo(Fixture.CONTAINER_NAME);
            assertThat(status.getLastCheckAt()).isEqualTo(at(0));
        });
        assertThat(decision.commands()).isEmpty();
    }

    @Test
    void shouldEmitNoStatusWhileNothingAnOperatorWatchesChanges() {
        session.check(check(0).healthy());

        assertThat(session.check(check(30).healthy()).emitted()).isEmpty();
        assertThat(session.state.lastProbeTime()).isEqualTo(at(30));
    }

    @Test
    void shouldRestartAfterThreeConsecutiveFailures() {
        Decision first = session.check(check(0).unhealthy());
        Decision second = session.check(check(30).unhealthy());
        Decision third = session.check(check(60).unhealthy());

        assertThat(first.commands()).isEmpty();
        assertThat(second.commands()).isEmpty();
        assertThat(first.statuses()).singleElement()
                .satisfies(s -> assertThat(s.getStatus()).isEqualTo(HealthStatus.UNHEALTHY));
        assertThat(second.statuses()).singleElement()
                .satisfies(s -> assertThat(s.getConsecutiveFailures()).isEqualTo(2));
        RestartCommand command = third.commands().get(0);
        assertThat(third.commands()).hasSize(1);
        assertThat(command.getAttempt()).isEqualTo(1);
        assertThat(command.getEpisode()).isEqualTo(1);
        assertThat(command.getHostId()).isEqualTo(Fixture.HOST);
        assertThat(command.getContainerId()).isEqualTo(Fixture.CONTAINER_ID);
        assertThat(command.getIssuedAt()).isEqualTo(at(60));
        assertThat(command.getNotBefore()).isEqualTo(at(65));
        assertThat(command.getExpiresAt()).isEqualTo(at(65 + 120));
        assertThat(command.getStopTimeoutSeconds()).isEqualTo(10);
        assertThat(command.getReason()).startsWith("3 consecutive failure(s): healthcheck failing");
        assertThat(third.statuses()).singleElement()
                .satisfies(s -> assertThat(s.getStatus()).isEqualTo(HealthStatus.RESTARTING));
        assertThat(third.audits()).extracting(a -> a.getAction()).containsExactly(AuditAction.COMMAND_ISSUED);
        assertThat(third.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.getLabels()).containsEntry("alertname", "SessionUnhealthy");
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.FIRING);
            assertThat(alert.getStartsAt()).isEqualTo(at(0));
        });
        assertThat(third.counted(DecisionCounter.COMMAND_ISSUED)).isTrue();
    }

    @Test
    void shouldCountNotRunningAndUndecidableChecksAsFailures() {
        session.check(check(0).exited());
        session.check(check(30).probeTimeout());
        Decision third = session.check(check(60).unhealthy());

        assertThat(third.commands()).hasSize(1);
    }

    @Test
    void shouldNotCountAProbeMarkedAsEngineTroubleButRaiseOneHostAlert() {
        session.check(check(0).unhealthy());
        session.check(check(30).unhealthy());
        Decision firstTrouble = session.check(check(45).engineTrouble());
        Decision secondTrouble = session.check(check(50).engineTrouble());

        assertThat(firstTrouble.commands()).as("a slow engine must not restart the host's containers").isEmpty();
        assertThat(secondTrouble.commands()).isEmpty();
        assertThat(firstTrouble.counted(DecisionCounter.ENGINE_TROUBLE)).isTrue();
        assertThat(firstTrouble.counted(DecisionCounter.FAILURE_COUNTED)).isFalse();
        assertThat(session.state.consecutiveFailures()).isEqualTo(2);
        assertThat(session.state.status()).isEqualTo(HealthStatus.UNKNOWN);
        var hostAlert = firstTrouble.emitted(Topics.ALERTS).get(0);
        assertThat(hostAlert.key()).isEqualTo(Fixture.HOST);
        assertThat(hostAlert.value().getLabels())
                .containsOnlyKeys("alertname", "severity", "host_id")
                .containsEntry("alertname", "DockerEngineTrouble");
        assertThat(hostAlert.value().getAnnotations().get("description")).contains("9 of 10 probes");
        assertThat(secondTrouble.alerts()).as("fired once, not once per check").isEmpty();

        Decision nextFailure = session.check(check(60).unhealthy());
        assertThat(nextFailure.commands()).as("the run goes on: engine trouble is neither failure nor success")
                .hasSize(1);
        assertThat(nextFailure.alerts()).anySatisfy(alert -> {
            assertThat(alert.getLabels()).containsEntry("alertname", "DockerEngineTrouble");
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.RESOLVED);
        });
    }

    @Test
    void shouldReadAProbeMarkedAsEngineTroubleAsNeutral() {
        assertThat(CheckVerdict.of(check(0).engineTrouble().build())).isEqualTo(CheckVerdict.NEUTRAL);
        assertThat(CheckVerdict.of(check(0).probeTimeout().build())).isEqualTo(CheckVerdict.FAILURE);
    }

    @Test
    void shouldNeverCountDockerUnreachableTowardARestartButRaiseOneHostAlert() {
        session.check(check(0).unhealthy());
        session.check(check(30).unhealthy());
        Decision firstUnreachable = session.check(check(45).dockerUnreachable());
        Decision secondUnreachable = session.check(check(50).dockerUnreachable());

        assertThat(firstUnreachable.commands()).isEmpty();
        assertThat(firstUnreachable.counted(DecisionCounter.DOCKER_UNREACHABLE)).isTrue();
        assertThat(session.state.consecutiveFailures()).isEqualTo(2);
        assertThat(session.state.status()).isEqualTo(HealthStatus.UNKNOWN);
        var hostAlert = firstUnreachable.emitted(Topics.ALERTS).get(0);
        assertThat(hostAlert.key()).isEqualTo(Fixture.HOST);
        assertThat(hostAlert.value().getLabels())
                .containsOnlyKeys("alertname", "severity", "host_id")
                .containsEntry("alertname", "DockerEngineUnreachable")
                .containsEntry("severity", "critical");
        assertThat(secondUnreachable.alerts()).as("fired once, not once per check").isEmpty();

        Decision nextFailure = session.check(check(60).unhealthy());
        assertThat(nextFailure.commands()).as("the run goes on: unreachable is neither failure nor success").hasSize(1);
        assertThat(nextFailure.alerts()).anySatisfy(alert -> {
            assertThat(alert.getLabels()).containsEntry("alertname", "DockerEngineUnreachable");
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(alert.getFingerprint()).isEqualTo(hostAlert.value().getFingerprint());
        });
    }

    @Test
    void shouldNotRestartWhenTheFailuresInARowAreNotRecent() {
        session.check(check(0).unhealthy());
        session.check(check(30).unhealthy());
        Decision afterAnHourOfSilence = session.check(check(3630).unhealthy());

        assertThat(afterAnHourOfSilence.commands()).isEmpty();
        assertThat(session.state.consecutiveFailures()).isEqualTo(3);
        assertThat(session.check(check(3660).unhealthy()).commands()).isEmpty();
        assertThat(session.check(check(3690).unhealthy()).commands())
                .as("the last three failures are recent again").hasSize(1);
    }

    @Test
    void shouldRestartWhenTheOldestFailureIsExactlyAtTheEdgeOfTheWindow() {
        // window = threshold x interval + one interval = 120 s
        session.check(check(0).unhealthy());
        session.check(check(60).unhealthy());

        assertThat(session.check(check(120).unhealthy()).commands()).hasSize(1);
    }

    @Test
    void shouldNotRestartWhenTheOldestFailureIsJustOutsideTheWindow() {
        session.check(check(0).unhealthy());
        session.check(check(61).unhealthy());

        assertThat(session.check(check(121).unhealthy()).commands()).isEmpty();
    }

    @Test
    void shouldResetTheRunOfFailuresOnASuccess() {
        session.check(check(0).unhealthy());
        session.check(check(30).unhealthy());
        session.check(check(60).healthy());
        session.check(check(90).unhealthy());

        assertThat(session.check(check(120).unhealthy()).commands()).isEmpty();
        assertThat(session.check(check(150).unhealthy()).commands()).hasSize(1);
    }

    @Test
    void shouldIgnoreACheckWhoseIdWasAlreadyProcessed() {
        session.check(check(0).unhealthy());
        session.check(check(30).unhealthy());
        SessionState before = session.state;

        Decision duplicate = session.check(check(30).unhealthy());
        Decision again = session.check(check(30).unhealthy());

        assertThat(duplicate.counted(DecisionCounter.IGNORED_DUPLICATE)).isTrue();
        assertThat(duplicate.stateChanged()).isFalse();
        assertThat(duplicate.emitted()).isEmpty();
        assertThat(again.commands()).isEmpty();
        assertThat(session.state).isSameAs(before);
    }

    @Test
    void shouldIgnoreAndCountAResultOlderThanTheLastProcessedOne() {
        session.check(check(0).unhealthy());
        session.check(check(60).unhealthy());

        Decision late = session.check(check(30).unhealthy().id("late-one"));

        assertThat(late.counted(DecisionCounter.IGNORED_OUT_OF_ORDER)).isTrue();
        assertThat(late.stateChanged()).isFalse();
        assertThat(session.state.consecutiveFailures()).isEqualTo(2);
        assertThat(session.state.lastProbeTime()).isEqualTo(at(60));
    }

    @Test
    void shouldTreatAContainerStillStartingAsNeitherSuccessNorFailure() {
        session.check(check(0).unhealthy());
        session.check(check(30).unhealthy());
        Decision starting = session.check(check(45).starting());

        assertThat(starting.counted(DecisionCounter.CHECK_NEUTRAL)).isTrue();
        assertThat(session.state.consecutiveFailures()).isEqualTo(2);
        assertThat(session.check(check(60).unhealthy()).commands()).hasSize(1);
    }

    @Test
    void shouldRecordTheLastErrorOfAFailingCheck() {
        session.check(check(0).exited());

        assertThat(session.state.lastErrorCategory()).hasToString("EXITED");
        assertThat(session.state.lastErrorMessage()).isEqualTo("exited with code 1");
        assertThat(session.decisions.get(0).statuses().get(0).getLastErrorMessage()).isEqualTo("exited with code 1");
    }

    @Test
    void shouldAuditTheMomentAHealthySessionStartsFailing() {
        session.check(check(0).healthy());
        Decision failing = session.check(check(30).unhealthy());

        assertThat(failing.audits()).singleElement().satisfies(audit -> {
            assertThat(audit.getAction()).isEqualTo(AuditAction.SESSION_UNHEALTHY);
            assertThat(audit.getDetails()).containsEntry("statusBefore", "HEALTHY");
        });
        assertThat(session.check(check(60).unhealthy()).audits()).as("once per transition").isEmpty();
    }

    @Test
    void shouldAlertOnTheThresholdWithAlertmanagerLabels() {
        session.checks(0, 3, c -> c.unhealthy());

        HealthAlert alert = session.decisions.get(2).alerts().get(0);
        assertThat(alert.getLabels()).containsOnlyKeys("alertname", "severity", "session_id", "host_id",
                "container_name");
        assertThat(alert.getLabels()).containsEntry("session_id", Fixture.SESSION)
                .containsEntry("severity", "warning").containsEntry("container_name", Fixture.CONTAINER_NAME);
        assertThat(alert.getAnnotations()).containsKeys("summary", "description").doesNotContainKey("paused");
        assertThat(alert.getFingerprint()).isEqualTo(Alerts.fingerprint(alert.getLabels()));
        assertThat(alert.getEndsAt()).isNull();
    }
}
