package io.fleethealth.processor.brake;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.processor.decision.Alerts;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one alert of an incident, Alertmanager-shaped like every other alert: identifying labels (alertname,
 * severity, group kind and name) whose hash is the fingerprint, so the firing and the resolved alert
 * share it; counts, sample sessions and the incident id in annotations. It fires instead of one
 * alert per held session.
 */
public final class IncidentAlerts {

    public static final String ALERTNAME_VALUE = "FleetIncident";
    public static final String GROUP_KIND = "group_kind";
    public static final String GROUP = "group";
    public static final String INCIDENT_ID = "incident_id";
    public static final String FAILING_SESSIONS = "failing_sessions";
    public static final String GROUP_SESSIONS = "group_sessions";
    public static final String SAMPLE_SESSIONS = "sample_sessions";
    public static final String CLOSED_BY = "closed_by";

    private IncidentAlerts() {
    }

    public static HealthAlert firing(Incident incident) {
        return build(incident, null, Map.of());
    }

    /** Same fingerprint as {@link #firing}; says how it ended (recovered, or released by whom). */
    public static HealthAlert resolved(BrakeEvent.IncidentClosed closed) {
        String by = closed.reason() == BrakeEvent.CloseReason.RELEASED
                ? "released by " + closed.operator() : "recovered";
        return build(closed.incident(), closed.at(), Map.of(CLOSED_BY, by));
    }

    private static HealthAlert build(Incident incident, Instant endsAt, Map<String, String> extra) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(Alerts.ALERTNAME, ALERTNAME_VALUE);
        labels.put(Alerts.SEVERITY, "critical");
        labels.put(GROUP_KIND, incident.group().kind().name().toLowerCase(java.util.Locale.ROOT));
        labels.put(GROUP, incident.group().id());
        Map<String, String> annotations = new TreeMap<>(extra);
        annotations.put(INCIDENT_ID, incident.id());
        annotations.put(FAILING_SESSIONS, String.valueOf(incident.failingSessions()));
        annotations.put(GROUP_SESSIONS, String.valueOf(incident.groupSessions()));
        annotations.put(SAMPLE_SESSIONS, String.join(",", incident.samples()));
        annotations.put(Alerts.SUMMARY, "Correlated failure in " + incident.group().id() + ": "
                + incident.failingSessions() + " of " + incident.groupSessions() + " sessions");
        annotations.put(Alerts.DESCRIPTION, "Failures started in " + incident.failingSessions() + " of "
                + incident.groupSessions() + " sessions of " + incident.group().id() + " since " + incident.since()
                + "; their restarts are held until the group recovers or an operator releases it"
                + " (e.g. " + String.join(", ", incident.samples()) + ").");
        return HealthAlert.newBuilder()
                .setFingerprint(Alerts.fingerprint(labels))
                .setStatus(endsAt == null ? AlertStatus.FIRING : AlertStatus.RESOLVED)
                .setLabels(labels)
                .setAnnotations(annotations)
                .setStartsAt(incident.since())
                .setEndsAt(endsAt)
                .setGeneratorUrl(null)
                .build();
    }
}
