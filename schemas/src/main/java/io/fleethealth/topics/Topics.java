package io.fleethealth.topics;

import io.fleethealth.events.AgentHeartbeat;
import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.ProcessorSettings;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.SessionControl;
import io.fleethealth.events.SessionStatus;
import java.time.Duration;
import java.util.List;

/** The one place where topic names live. Keys are strings: a session id unless the topic says otherwise. */
public final class Topics {

    public static final String SESSION_ID = "session id";
    public static final String HOST_ID = "host id";

    private static final Duration WEEK = Duration.ofDays(7);
    private static final Duration MONTH = Duration.ofDays(30);

    public static final Topic<HealthCheckResult> HEALTH_CHECKS =
            new Topic<>("fleet.health.checks", HealthCheckResult.class, SESSION_ID, false, WEEK);
    public static final Topic<byte[]> HEALTH_CHECKS_DLQ =
            new Topic<>("fleet.health.checks.dlq", byte[].class, SESSION_ID, false, MONTH);
    public static final Topic<AgentHeartbeat> AGENT_HEARTBEATS =
            new Topic<>("fleet.agent.heartbeats", AgentHeartbeat.class, HOST_ID, false, Duration.ofDays(1));
    public static final Topic<RestartCommand> RESTART_COMMANDS =
            new Topic<>("fleet.restart.commands", RestartCommand.class, SESSION_ID, false, WEEK);
    public static final Topic<RestartOutcome> RESTART_OUTCOMES =
            new Topic<>("fleet.restart.outcomes", RestartOutcome.class, SESSION_ID, false, WEEK);
    public static final Topic<SessionStatus> SESSION_STATUS =
            new Topic<>("fleet.session.status", SessionStatus.class, SESSION_ID, true, WEEK);
    public static final Topic<HealthAlert> ALERTS =
            new Topic<>("fleet.alerts", HealthAlert.class, SESSION_ID + " (host id for host alerts)", false, MONTH);
    /** The current host-scoped alert per host (compacted), which every processor instance reads as a whole. */
    public static final Topic<HealthAlert> HOST_ALERTS =
            new Topic<>("fleet.host.alerts", HealthAlert.class, HOST_ID, true, MONTH);
    public static final Topic<SessionControl> SESSION_CONTROL =
            new Topic<>("fleet.session.control", SessionControl.class, SESSION_ID, false, MONTH);
    public static final Topic<AuditEvent> AUDIT =
            new Topic<>("fleet.audit", AuditEvent.class, SESSION_ID, false, Duration.ofDays(90));

    /**
     * The decision settings in force, one record per processor start. Keyed by application id and start time,
     * so compaction keeps every change of settings (a re-sent record replaces only itself).
     */
    public static final Topic<ProcessorSettings> PROCESSOR_SETTINGS =
            new Topic<>("fleet.processor.settings", ProcessorSettings.class, "application id @ effectiveAt", true,
                    Duration.ofDays(3650));

    /** Every topic, in the order an operator reads the catalogue. */
    public static final List<Topic<?>> ALL = List.of(
            HEALTH_CHECKS, HEALTH_CHECKS_DLQ, AGENT_HEARTBEATS, RESTART_COMMANDS, RESTART_OUTCOMES,
            SESSION_STATUS, ALERTS, HOST_ALERTS, SESSION_CONTROL, AUDIT, PROCESSOR_SETTINGS);

    private Topics() {
    }
}
