package io.fleethealth.processor.decision;

/** The conditions the processor alerts on: the {@code alertname} and {@code severity} labels. */
public enum AlertKind {
    /** The failure threshold was reached (a restart follows unless paused). */
    SESSION_UNHEALTHY("SessionUnhealthy", "warning", false),
    /** Restarts exhausted without recovery: someone must look, then reset. */
    SESSION_FAILED("SessionFailed", "critical", false),
    /** A restart command failed, expired, was rejected or was lost: an attempt used for nothing. */
    RESTART_FAILED("RestartFailed", "warning", false),
    /** Another container sends checks under this session's id while its owner lives. */
    SESSION_ID_CONFLICT("SessionIdConflict", "warning", false),
    /** No check for the stale period. */
    SESSION_STALE("SessionStale", "warning", false),
    /** The agent of a host cannot reach its Docker engine: the host is sick, not the container. */
    DOCKER_UNREACHABLE("DockerEngineUnreachable", "critical", true),
    /** A host's agent stopped sending heartbeats: one alert for the host instead of one per session. */
    HOST_SILENT("HostHeartbeatsStopped", "critical", true),
    /**
     * The agent of a host reports its engine in trouble (most probes of a round timed out or erred): the engine
     * breaker is open, container failures are not counted on that host until a round is answered again.
     */
    ENGINE_TROUBLE("DockerEngineTrouble", "critical", true);

    private final String alertName;
    private final String severity;
    private final boolean hostScoped;

    AlertKind(String alertName, String severity, boolean hostScoped) {
        this.alertName = alertName;
        this.severity = severity;
        this.hostScoped = hostScoped;
    }

    public String alertName() {
        return alertName;
    }

    public String severity() {
        return severity;
    }

    /** Host-scoped alerts carry no session labels and are keyed by host id. */
    public boolean hostScoped() {
        return hostScoped;
    }
}
