package io.fleethealth.processor.decision;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.HealthAlert;
import java.nio.charset.StandardCharsets;
import io.fleethealth.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds Alertmanager-shaped alerts. The fingerprint is a hash of the sorted identifying labels
 * (FNV-1a 64, as Prometheus hashes label sets), so the firing and the resolved alert of one condition
 * share it, and so does every session of a host for a host alert.
 */
public final class Alerts {

    public static final String ALERTNAME = "alertname";
    public static final String SEVERITY = "severity";
    public static final String SESSION_ID = "session_id";
    public static final String HOST_ID = "host_id";
    public static final String CONTAINER_NAME = "container_name";
    public static final String SUMMARY = "summary";
    public static final String DESCRIPTION = "description";
    public static final String PAUSED = "paused";

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final byte SEPARATOR = (byte) 0xff;

    private Alerts() {
    }

    /** Stable hash of a label set, independent of the map's order: 16 hex digits. */
    public static String fingerprint(Map<String, String> labels) {
        long hash = FNV_OFFSET;
        for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
            hash = fnv(hash, label.getKey());
            hash = fnv(hash, label.getValue());
        }
        String hex = Long.toHexString(hash); // as %016x, without the Formatter
        return "0".repeat(16 - hex.length()) + hex;
    }

    /** The alert the shell raises once for a host whose heartbeats stopped. Keyed by host id. */
    public static HealthAlert hostHeartbeatsStopped(String hostId, Instant lastHeartbeat) {
        return hostSilence(hostId, lastHeartbeat, null);
    }

    /** The resolution of {@link #hostHeartbeatsStopped}: same fingerprint, ends now. */
    public static HealthAlert hostHeartbeatsResumed(String hostId, Instant lastHeartbeat, Instant resumedAt) {
        return hostSilence(hostId, lastHeartbeat, resumedAt);
    }

    private static HealthAlert hostSilence(String hostId, Instant lastHeartbeat, Instant endsAt) {
        ActiveAlert alert = new ActiveAlert(AlertKind.HOST_SILENT, hostId, lastHeartbeat,
                "Agent of host " + hostId + " stopped sending heartbeats",
                "No heartbeat from the probe-agent of host " + hostId + " since " + lastHeartbeat
                        + "; its sessions are UNKNOWN.");
        return build(alert, "", "", false, endsAt);
    }

    /**
     * The firing alerts of a session as they are re-sent while they stay active: same labels, start and
     * annotations as when they fired, no end. Alertmanager resolves an alert by itself when it is not
     * re-sent within its resolve timeout, so the shell sends these again at an interval well inside it.
     * Host-scoped alerts are keyed by host id, like when they fired.
     */
    public static List<Emitted<HealthAlert>> stillFiring(SessionState state, Instant at) {
        List<Emitted<HealthAlert>> out = new ArrayList<>(state.activeAlerts().size());
        for (ActiveAlert alert : state.activeAlerts()) {
            HealthAlert value = build(alert, state.sessionId(), state.containerName(), state.paused(), null);
            out.add(new Emitted<>(Topics.ALERTS, keyOf(alert, state.sessionId()), value, at));
        }
        return out;
    }

    /** The record key of an alert on fleet.alerts: the host for host-scoped alerts, else the session. */
    static String keyOf(ActiveAlert alert, String sessionId) {
        return alert.kind().hostScoped() ? alert.hostId() : sessionId;
    }

    /** Labels of an alert: alertname and severity, plus session_id/host_id/container_name where they apply. */
    static Map<String, String> labels(AlertKind kind, String sessionId, String hostId, String containerName) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(ALERTNAME, kind.alertName());
        labels.put(SEVERITY, kind.severity());
        labels.put(HOST_ID, hostId);
        if (!kind.hostScoped()) {
            labels.put(SESSION_ID, sessionId);
            labels.put(CONTAINER_NAME, containerName);
        }
        return labels;
    }

    /** A firing (endsAt null) or resolved alert for a condition tracked in the session's state. */
    static HealthAlert build(ActiveAlert alert, String sessionId, String containerName, boolean paused,
                             Instant endsAt) {
        Map<String, String> labels = labels(alert.kind(), sessionId, alert.hostId(), containerName);
        Map<String, String> annotations = new TreeMap<>();
        annotations.put(SUMMARY, alert.summary());
        annotations.put(DESCRIPTION, alert.description());
        if (paused && !alert.kind().hostScoped()) {
            annotations.put(PAUSED, "true");
        }
        return HealthAlert.newBuilder()
                .setFingerprint(fingerprint(labels))
                .setStatus(endsAt == null ? AlertStatus.FIRING : AlertStatus.RESOLVED)
                .setLabels(labels)
                .setAnnotations(annotations)
                .setStartsAt(alert.startsAt())
                .setEndsAt(endsAt)
                .setGeneratorUrl(null)
                .build();
    }

    private static long fnv(long hash, String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= (b & 0xff);
            hash *= FNV_PRIME;
        }
        hash ^= (SEPARATOR & 0xff);
        hash *= FNV_PRIME;
        return hash;
    }
}
