package io.fleethealth.processor.topology;

/** Names of the processor's state stores, shared by the topology and the interactive queries. */
public final class StoreNames {

    /** Per-session decision state: session id -> SessionState. */
    public static final String SESSIONS = "session-state";
    /** Rolling history of processed checks: session id, probe time -> CheckSummary. */
    public static final String CHECK_HISTORY = "check-history";
    /** Per-host agent liveness: host id -> HostState (partitioned by host id). */
    public static final String HOSTS = "host-state";
    /** Restarts and operator actions per session (window store), for the dashboard's timeline. */
    public static final String SESSION_MARKS = "session-marks";
    /** Global copy of the current host alerts: host id -> HealthAlert, read by every session task. */
    public static final String HOST_ALERTS = "host-alerts";

    private StoreNames() {
    }
}
