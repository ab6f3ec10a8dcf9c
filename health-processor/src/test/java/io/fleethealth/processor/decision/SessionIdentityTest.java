package io.fleethealth.processor.decision;

import static io.fleethealth.processor.decision.Fixture.check;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.AuditAction;
import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartResult;
import io.fleethealth.events.SessionStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A session belongs to the host and container of its first check: a second container with the same
 * session label (another host, a copied compose file) raises one conflict and never touches the owner's
 * decision. Interval 30 s, threshold 3.
 */
class SessionIdentityTest {

    private static final String OTHER_HOST = "host-b";
    private static final String OTHER_CONTAINER = "d00d000000000000000000000000000000000000000000000000000000000002";

    private final SessionDriver session = new SessionDriver();

    private Fixture.CheckBuilder intruder(long seconds) {
        return check(seconds).host(OTHER_HOST).container(OTHER_CONTAINER);
    }

    @Test
    void shouldRestartTheOwnerAlthoughAHealthyCopyOnAnotherHostSendsChecksInBetween() {
        for (int i = 0; i < 3; i++) {
            session.check(check(i * 30L).unhealthy());
            session.check(intruder(i * 30L + 1).healthy());
        }

        assertThat(session.allCommands()).hasSize(1);
        assertThat(session.allCommands().get(0).getHostId()).isEqualTo(Fixture.HOST);
        assertThat(session.allCommands().get(0).getContainerId()).isEqualTo(Fixture.CONTAINER_ID);
        assertThat(session.state.hostId()).isEqualTo(Fixture.HOST);
    }

    @Test
    void shouldRaiseOneConflictAlertAndOneAuditEventForManyChecksOfTheOtherContainer() {
        session.check(check(0).healthy());
        for (int i = 0; i < 10; i++) {
            session.check(intruder(i * 30L + 1).unhealthy());
        }

        List<HealthAlert> alerts = session.decisions.stream().flatMap(d -> d.alerts().stream()).toList();
        List<AuditEvent> audits = session.decisions.stream().flatMap(d -> d.audits().stream()).toList();
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.getLabels()).containsEntry(Alerts.ALERTNAME, "SessionIdConflict")
                    .containsEntry(Alerts.SESSION_ID, Fixture.SESSION);
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.FIRING);
            assertThat(alert.getAnnotations().get(Alerts.DESCRIPTION)).contains(OTHER_HOST).contains(OTHER_CONTAINER);
        });
        assertThat(audits).singleElement().satisfies(audit -> {
            assertThat(audit.getAction()).isEqualTo(AuditAction.SESSION_ID_CONFLICT);
            assertThat(audit.getDetails()).containsEntry("otherHostId", OTHER_HOST);
        });
        // The owner is untouched: healthy, no failure counted, no restart.
        assertThat(session.state.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(session.state.consecutiveFailures()).isZero();
        assertThat(session.allCommands()).isEmpty();
    }

    @Test
    void shouldShowTheConflictInTheSessionStatus() {
        session.check(check(0).healthy());
        Decision conflict = session.check(intruder(1).healthy());

        assertThat(conflict.statuses()).singleElement().extracting(SessionStatus::getIdConflict)
                .asString().contains(OTHER_HOST).contains(OTHER_CONTAINER);
        assertThat(session.state.conflict().hostId()).isEqualTo(OTHER_HOST);
    }

    @Test
    void shouldKeepTheOwnersFailedVerdictWhenTheOtherContainerIsRemoved() {
        session.check(check(0).healthy());
        session.check(intruder(1).healthy());
        // Exhaust the owner's restarts: three answered attempts, then FAILED.
        long t = 30;
        for (int attempt = 0; attempt < 3; attempt++) {
            session.check(intruder(t - 1).healthy());
            session.checks(t, 3, c -> c.unhealthy());
            session.outcome(RestartResult.SUCCEEDED, t + 70);
            t += 200;
        }
        session.check(intruder(t - 1).healthy());
        session.checks(t, 3, c -> c.unhealthy());
        assertThat(session.state.status()).isEqualTo(HealthStatus.FAILED);

        Decision removed = session.check(intruder(t + 61).gone());

        assertThat(removed.sessionEnded()).isFalse();
        assertThat(session.state.status()).isEqualTo(HealthStatus.FAILED);
        assertThat(session.state.restartsReported()).isEqualTo(3);
        assertThat(session.state.conflict()).isNull();
        assertThat(removed.alerts()).singleElement().satisfies(alert ->
                assertThat(alert.getStatus()).isEqualTo(AlertStatus.RESOLVED));
    }

    @Test
    void shouldKeepTheOwnersPendingRestartWhenAContainerWithItsLabelComesAndGoes() {
        session.checks(0, 3, c -> c.unhealthy());
        String pending = session.state.pending().commandId();

        session.check(intruder(70).healthy());
        Decision removed = session.check(intruder(80).gone());

        assertThat(removed.sessionEnded()).isFalse();
        assertThat(session.state.pending().commandId()).isEqualTo(pending);
        assertThat(session.state.status()).isEqualTo(HealthStatus.RESTARTING);
    }

    @Test
    void shouldIgnoreTheRemovalOfAnUnrelatedContainerWithTheSameLabel() {
        session.checks(0, 3, c -> c.unhealthy());

        Decision removed = session.check(intruder(70).gone());

        assertThat(removed.sessionEnded()).isFalse();
        assertThat(session.state.pending()).isNotNull();
    }

    @Test
    void shouldEndTheSessionOnTheOwnersRemovalOnly() {
        session.check(check(0).healthy());
        session.check(intruder(1).healthy());

        Decision ownerGone = session.check(check(30).gone());

        assertThat(ownerGone.sessionEnded()).isTrue();
        // The other container now starts a session of its own.
        session.check(intruder(60).unhealthy());
        assertThat(session.state.hostId()).isEqualTo(OTHER_HOST);
        assertThat(session.state.conflict()).isNull();
    }

    @Test
    void shouldEndTheConflictWhenTheOtherContainerFallsSilent() {
        session.check(check(0).healthy());
        session.check(intruder(1).healthy());

        // staleAfter = 3 intervals = 90 s; the owner's check at 200 finds the other one silent since 1.
        Decision later = session.check(check(200).healthy());

        assertThat(session.state.conflict()).isNull();
        assertThat(later.alerts()).singleElement().satisfies(alert ->
                assertThat(alert.getStatus()).isEqualTo(AlertStatus.RESOLVED));
        assertThat(later.statuses()).singleElement().satisfies(status ->
                assertThat(status.getIdConflict()).isNull());
    }

    @Test
    void shouldEndTheSessionWhenItsContainerWasReplacedOnTheSameHostWithoutAReportedRemoval() {
        String recreated = "beef000000000000000000000000000000000000000000000000000000000003";
        session.check(check(0).healthy());
        session.check(check(30).healthy());

        // compose recreated the container; the old one's removal was never reported, nothing of it since 30.
        Decision early = session.check(check(60).container(recreated).healthy());
        assertThat(early.sessionEnded()).as("the owner may still live: 30 s < stale period").isFalse();
        Decision replaced = session.check(check(150).container(recreated).healthy());

        assertThat(replaced.sessionEnded()).isTrue();
        session.check(check(180).container(recreated).healthy());
        assertThat(session.state.containerId()).isEqualTo(recreated);
    }

    @Test
    void shouldNotTakeOverASilentOwnerFromAnotherHost() {
        session.checks(0, 3, c -> c.unhealthy());
        session.outcome(RestartResult.SUCCEEDED, 70);

        Decision later = session.check(intruder(1_000).healthy());

        assertThat(later.sessionEnded()).isFalse();
        assertThat(session.state.hostId()).isEqualTo(Fixture.HOST);
    }
}
