package io.fleethealth.processor.api;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.HealthAlert;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An alert from fleet.alerts as the dashboard lists it: the identifying labels and descriptive annotations
 * of the Alertmanager shape, with the common ones lifted out. {@code endsAt} is null while firing.
 */
public record AlertView(
        String fingerprint,
        AlertStatus status,
        String alertname,
        String severity,
        String sessionId,
        String hostId,
        String summary,
        Instant startsAt,
        Instant endsAt,
        Map<String, String> labels,
        Map<String, String> annotations) {

    public AlertView {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(status, "status");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public static AlertView of(HealthAlert alert) {
        Map<String, String> labels = alert.getLabels();
        Map<String, String> annotations = alert.getAnnotations();
        return new AlertView(
                alert.getFingerprint(),
                alert.getStatus(),
                labels.get("alertname"),
                labels.get("severity"),
                labels.get("session_id"),
                labels.get("host_id"),
                annotations.get("summary"),
                alert.getStartsAt(),
                alert.getEndsAt(),
                labels,
                annotations);
    }
}
