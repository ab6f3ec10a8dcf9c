package io.fleethealth.processor.brake;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.HealthAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncidentAlertsAndReportTest {

    private static final BrakeSettings SETTINGS = new BrakeSettings(true, Duration.ofMinutes(2), 5, 50,
            Duration.ofSeconds(60), 2, 4, 3);

    private final FakeClock clock = new FakeClock();
    private final RestartBrake brake = new RestartBrake(SETTINGS);
    private final List<BrakeEvent> history = new ArrayList<>();

    private void tenContainersFailTogetherThenRelease() {
        for (int i = 0; i < 10; i++) {
            history.addAll(brake.seen(new SessionRef("web-" + i, "h1", "web:2", true), clock.now()));
        }
        for (int i = 0; i < 10; i++) {
            history.addAll(brake.failureStarted(new SessionRef("web-" + i, "h1", "web:2", true), clock.plusSeconds(1)));
        }
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 10; i++) {
                history.addAll(brake.restartWanted(new SessionRef("web-" + i, "h1", "web:2", true), clock.plusSeconds(1)));
            }
        }
        history.addAll(brake.recovered(new SessionRef("web-9", "h1", "web:2", true), clock.plusSeconds(1)));
        history.addAll(brake.release(GroupKey.image("web:2"), "alice", clock.plusSeconds(30)));
    }

    @Test
    void shouldFireOneAlertmanagerShapedAlertPerIncidentAndResolveItWithTheSameFingerprint() {
        tenContainersFailTogetherThenRelease();
        BrakeEvent.IncidentOpened opened = history.stream().filter(BrakeEvent.IncidentOpened.class::isInstance)
                .map(BrakeEvent.IncidentOpened.class::cast).findFirst().orElseThrow();
        BrakeEvent.IncidentClosed closed = history.stream().filter(BrakeEvent.IncidentClosed.class::isInstance)
                .map(BrakeEvent.IncidentClosed.class::cast).findFirst().orElseThrow();

        HealthAlert firing = IncidentAlerts.firing(opened.incident());
        HealthAlert resolved = IncidentAlerts.resolved(closed);

        assertThat(firing.getStatus()).isEqualTo(AlertStatus.FIRING);
        assertThat(firing.getEndsAt()).isNull();
        assertThat(firing.getLabels()).containsAllEntriesOf(Map.of("alertname", "FleetIncident",
                "group", "image:web:2", "group_kind", "image"));
        assertThat(firing.getAnnotations()).containsEntry("failing_sessions", "5").containsEntry("group_sessions", "10")
                .containsEntry("sample_sessions", "web-0,web-1,web-2")
                .containsEntry("incident_id", opened.incident().id());
        assertThat(firing.getStartsAt()).isEqualTo(opened.incident().since());
        assertThat(resolved.getFingerprint()).isEqualTo(firing.getFingerprint());
        assertThat(resolved.getStatus()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(resolved.getEndsAt()).isEqualTo(clock.now());
        assertThat(resolved.getAnnotations()).containsEntry("closed_by", "released by alice");
        // Another group, another fingerprint.
        Incident other = new Incident("host:h1@1", GroupKey.host("h1"), Instant.EPOCH, 5, 5, List.of("a"));
        assertThat(IncidentAlerts.firing(other).getFingerprint()).isNotEqualTo(firing.getFingerprint());
    }

    @Test
    void shouldReportIncidentsHeldReleasedAndWithdrawnRestarts() {
        tenContainersFailTogetherThenRelease();

        BrakeReport report = BrakeReport.of(history);

        assertThat(report.incidents()).isEqualTo(1);
        assertThat(report.incidentsByKind()).isEqualTo(Map.of(GroupKey.Kind.IMAGE, 1));
        assertThat(report.restartsHeld()).isEqualTo(10);
        assertThat(report.restartsWithdrawn()).isEqualTo(1);
        assertThat(report.restartsReleased()).isEqualTo(9);
        assertThat(report.restartsIssuedDirectly()).isZero();
        // Host budget 2 a minute: 9 released restarts on one host take until 4 minutes after the release.
        assertThat(report.restartsDelayedByBudget()).isEqualTo(7);
        assertThat(report.longestBudgetDelayMillis()).isEqualTo(Duration.ofMinutes(4).toMillis());
    }
}
