package io.fleethealth.processor.decision;

/** The conditions the processor alerts on: the {@code alertname} and {@code severity} labels. */
public enum AlertKind {
    /** The failure threshold was reached (a restart follows unless paused). */
    SESSION_UNHEALTHY("SessionUnhealthy", "warning", false, "per-session-and-per-host-alerts"),
    /** Restarts exhausted without recovery: someone must look, then reset. */
    SESSION_FAILED("SessionFailed", "critical", false, "a-session-is-failed"),
    /** A restart command failed, expired, was rejected or was lost: an attempt used for nothing. */
    RESTART_FAILED("RestartFailed", "warning", false, "restarts-fail-expire-or-are-rejected"),
    /** Another container sends checks under this session's id while its owner lives. */
    SESSION_ID_CONFLICT("SessionIdConflict", "warning", false, "two-containers-claim-one-session"),
    /** No check for the stale period. */
    SESSION_STALE("SessionStale", "warning", false, "an-agent-drops-results"),
    /** The agent of a host cannot reach its Docker engine: the host is sick, not the container. */
    DOCKER_UNREACHABLE("DockerEngineUnreachable", "critical", true, "per-session-and-per-host-alerts"),
    /** A host's agent stopped sending heartbeats: one alert for the host instead of one per session. */
    HOST_SILENT("HostHeartbeatsStopped", "critical", true, "a-processor-or-agent-is-down"),
    /**
     * The agent of a host reports its engine in trouble (most probes of a round timed out or erred): the engine
     * breaker is open, container failures are not counted on that host until a round is answered again.
     */
    ENGINE_TROUBLE("DockerEngineTrouble", "critical", true, "the-docker-engine-of-a-host-is-slow-or-failing");

    private final String alertName;
    private final String severity;
    private final boolean hostScoped;
    private final String runbookSection;

    AlertKind(String alertName, String severity, boolean hostScoped, String runbookSection) {
        this.alertName = alertName;
        this.severity = severity;
        this.hostScoped = hostScoped;
        this.runbookSection = runbookSection;
    }

    /** The kind with this {@code alertname} label, if any. */
    public static java.util.Optional<AlertKind> byAlertName(String alertName) {
        for (AlertKind kind : values()) {
            if (kind.alertName.equals(alertName)) {
                return java.util.Optional.of(kind);
            }
        }
        return java.util.Optional.empty();
    }

    /** The anchor of its section in docs/operations.md (the runbook). */
    public String runbookSection() {
        return runbookSection;
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
