package io.fleethealth.processor.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.processor.decision.Alerts;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertBookTest {

    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private static final Map<String, String> HOST_LABELS = Map.of("alertname", "DockerEngineUnreachable",
            "severity", "critical", "host_id", "host-a");

    private static HealthAlert alert(Map<String, String> labels, AlertStatus status, String description, Instant endsAt) {
        return HealthAlert.newBuilder()
                .setFingerprint(Alerts.fingerprint(labels))
                .setStatus(status)
                .setLabels(labels)
                .setAnnotations(Map.of("summary", labels.get("alertname"), "description", description))
                .setStartsAt(T0)
                .setEndsAt(endsAt)
                .setGeneratorUrl(null)
                .build();
    }

    /** As seen during one 30 s engine outage: three sessions of one host, one fingerprint, plus a re-send. */
    @Test
    void shouldListAHostAlertFiredByEverySessionOfTheHostOnce() {
        AlertBook book = new AlertBook(200);
        for (int session = 0; session < 3; session++) {
            book.record(alert(HOST_LABELS, AlertStatus.FIRING, "engine down", null));
        }
        book.record(alert(HOST_LABELS, AlertStatus.FIRING, "engine down", null)); // the periodic re-send

        assertThat(book.active()).singleElement().satisfies(a -> assertThat(a.alertname()).isEqualTo("DockerEngineUnreachable"));
        assertThat(book.history(20)).hasSize(1);

        for (int session = 0; session < 3; session++) {
            book.record(alert(HOST_LABELS, AlertStatus.RESOLVED, "engine down", T0.plusSeconds(30)));
        }
        assertThat(book.active()).isEmpty();
        assertThat(book.history(20)).extracting(AlertView::status).containsExactly(AlertStatus.RESOLVED, AlertStatus.FIRING);
    }

    @Test
    void shouldKeepWhatIsActiveApartFromTheHistoryMostUrgentFirst() {
        AlertBook book = new AlertBook(200);
        Map<String, String> unhealthy = Map.of("alertname", "SessionUnhealthy", "severity", "warning", "session_id", "s1",
                "host_id", "host-a");
        Map<String, String> failed = Map.of("alertname", "SessionFailed", "severity", "critical", "session_id", "s2",
                "host_id", "host-a");
        book.record(alert(unhealthy, AlertStatus.FIRING, "3 failures", null));
        book.record(alert(failed, AlertStatus.FIRING, "gave up", null));
        book.record(alert(unhealthy, AlertStatus.FIRING, "3 failures; paused", null));
        Map<String, String> gone = Map.of("alertname", "SessionStale", "severity", "warning", "session_id", "s3",
                "host_id", "host-b");
        book.record(alert(gone, AlertStatus.FIRING, "silent", null));
        book.record(alert(gone, AlertStatus.RESOLVED, "silent", T0.plusSeconds(90)));

        assertThat(book.active()).extracting(AlertView::alertname).containsExactly("SessionFailed", "SessionUnhealthy");
        assertThat(book.history(20)).extracting(AlertView::alertname, AlertView::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("SessionStale", AlertStatus.RESOLVED),
                org.assertj.core.groups.Tuple.tuple("SessionStale", AlertStatus.FIRING),
                org.assertj.core.groups.Tuple.tuple("SessionUnhealthy", AlertStatus.FIRING),
                org.assertj.core.groups.Tuple.tuple("SessionFailed", AlertStatus.FIRING),
                org.assertj.core.groups.Tuple.tuple("SessionUnhealthy", AlertStatus.FIRING));
        assertThat(book.history(2)).hasSize(2);
    }
}
