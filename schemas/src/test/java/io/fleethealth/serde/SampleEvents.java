package io.fleethealth.serde;

import io.fleethealth.events.AgentHeartbeat;
import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.AuditAction;
import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.ControlAction;
import io.fleethealth.events.DockerHealth;
import io.fleethealth.events.DockerState;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.ProcessorSettings;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.RestartResult;
import io.fleethealth.events.SessionControl;
import io.fleethealth.events.SessionStatus;
import io.fleethealth.topics.Topic;
import io.fleethealth.topics.Topics;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One fully populated event per type (optional fields set too), for round-trip tests. */
public final class SampleEvents {

    /** Millisecond precision, as timestamp-millis keeps it. */
    public static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123Z");

    /** A value for a topic, paired so that tests can iterate over the whole catalogue. */
    public record TopicValue<T extends SpecificRecord>(Topic<T> topic, T value) {
    }

    private SampleEvents() {
    }

    /** One sample per Avro topic of the catalogue. */
    public static List<TopicValue<?>> all() {
        return List.of(
                new TopicValue<>(Topics.HEALTH_CHECKS, healthCheck()),
                new TopicValue<>(Topics.AGENT_HEARTBEATS, heartbeat()),
                new TopicValue<>(Topics.RESTART_COMMANDS, restartCommand()),
                new TopicValue<>(Topics.RESTART_OUTCOMES, restartOutcome()),
                new TopicValue<>(Topics.SESSION_STATUS, sessionStatus()),
                new TopicValue<>(Topics.ALERTS, alert()),
                new TopicValue<>(Topics.HOST_ALERTS, alert()),
                new TopicValue<>(Topics.SESSION_CONTROL, sessionControl()),
                new TopicValue<>(Topics.AUDIT, audit()),
                new TopicValue<>(Topics.PROCESSOR_SETTINGS, processorSettings()));
    }

    public static ProcessorSettings processorSettings() {
        return ProcessorSettings.newBuilder().setApplicationId("fleet-health-processor").setEffectiveAt(T0)
                .setSettings(java.util.Map.of("CONTAINER_FAILURE_THRESHOLD", "3", "CONTAINER_HEALTH_CHECK_INTERVAL", "30"))
                .build();
    }

    public static HealthCheckResult healthCheck() {
        return HealthCheckResult.newBuilder()
                .setCheckId("host-a:run-1:42")
                .setSessionId("session-7")
                .setHostId("host-a")
                .setContainerId("c0ffee" + "0".repeat(58))
                .setContainerName("session-7-desktop")
                .setImage("fleet/desktop:2.3")
                .setProbeTime(T0)
                .setStatus(HealthStatus.FAILED)
                .setDockerState(DockerState.EXITED)
                .setDockerHealth(DockerHealth.UNHEALTHY)
                .setHealthFailingStreak(3)
                .setLastHealthOutput("curl: (7) connection refused")
                .setExitCode(137)
                .setOomKilled(true)
                .setRestartCount(2)
                .setStartedAt(T0.minusSeconds(600))
                .setResponseTimeMs(12.5)
                .setErrorCategory(ErrorCategory.OOM_KILLED)
                .setErrorMessage("exited with code 137")
                .setMetadata(Map.of("fleet-health.failure-threshold", "5", "team", "desktops"))
                .setAgentVersion("1.4.0")
                .setSequence(42L)
                .build();
    }

    /**
     * A minimal check as an agent reports it: a running container when healthy, one that exited with code 1
     * when not. Callers override what their test cares about (host, container name, ...).
     */
    public static HealthCheckResult.Builder check(String session, String checkId, Instant at, boolean healthy) {
        return HealthCheckResult.newBuilder()
                .setCheckId(checkId).setSessionId(session).setHostId("host-" + Math.abs(session.hashCode() % 3))
                .setContainerId("cid-" + session).setContainerName(session + "-desktop").setImage("fleet-test/busybox:1")
                .setProbeTime(at)
                .setStatus(healthy ? HealthStatus.HEALTHY : HealthStatus.FAILED)
                .setDockerState(healthy ? DockerState.RUNNING : DockerState.EXITED)
                .setDockerHealth(DockerHealth.NONE)
                .setExitCode(healthy ? null : 1)
                .setErrorCategory(healthy ? ErrorCategory.NONE : ErrorCategory.EXITED)
                .setErrorMessage(healthy ? null : "exited with code 1")
                .setResponseTimeMs(1.5)
                .setMetadata(new HashMap<>())
                .setAgentVersion("test");
    }

    public static AgentHeartbeat heartbeat() {
        return AgentHeartbeat.newBuilder()
                .setHostId("host-a")
                .setAgentVersion("1.4.0")
                .setSentAt(T0)
                .setSequence(99L)
                .setContainersMonitored(17)
                .setEngineReachable(true)
                .setEngineVersion("20.10.24")
                .setLastRoundAt(T0.minusSeconds(30))
                .setLastRoundDurationMs(85L)
                .setIntervalSeconds(15)
                .build();
    }

    public static RestartCommand restartCommand() {
        return RestartCommand.newBuilder()
                .setCommandId("session-7:1:2")
                .setSessionId("session-7")
                .setHostId("host-a")
                .setContainerId("c0ffee")
                .setContainerName("session-7-desktop")
                .setAttempt(2)
                .setEpisode(1)
                .setReason("3 consecutive failures: exited with code 1")
                .setIssuedAt(T0)
                .setNotBefore(T0.plusSeconds(10))
                .setExpiresAt(T0.plusSeconds(300))
                .setStopTimeoutSeconds(5)
                .build();
    }

    public static RestartOutcome restartOutcome() {
        return RestartOutcome.newBuilder()
                .setCommandId("session-7:1:2")
                .setSessionId("session-7")
                .setHostId("host-a")
                .setContainerId("c0ffee")
                .setAttempt(2)
                .setResult(RestartResult.SKIPPED_ALREADY_RESTARTED)
                .setMessage("container started after the command was issued")
                .setExecutedAt(T0.plusSeconds(11))
                .setDurationMs(0L)
                .build();
    }

    public static SessionStatus sessionStatus() {
        return SessionStatus.newBuilder()
                .setSessionId("session-7")
                .setHostId("host-a")
                .setContainerId("c0ffee")
                .setContainerName("session-7-desktop")
                .setStatus(HealthStatus.RESTARTING)
                .setPreviousStatus(HealthStatus.UNHEALTHY)
                .setConsecutiveFailures(3)
                .setRestartAttempts(1)
                .setPaused(true)
                .setReason("restart 1 of 3 issued")
                .setLastCheckAt(T0)
                .setLastTransitionAt(T0)
                .setLastErrorCategory(ErrorCategory.EXITED)
                .setLastErrorMessage("exited with code 1")
                .build();
    }

    public static HealthAlert alert() {
        return HealthAlert.newBuilder()
                .setFingerprint("5d41402abc4b2a76")
                .setStatus(AlertStatus.RESOLVED)
                .setLabels(Map.of("alertname", "SessionFailed", "severity", "critical", "session_id", "session-7"))
                .setAnnotations(Map.of("summary", "session-7 failed", "paused", "true"))
                .setStartsAt(T0)
                .setEndsAt(T0.plusSeconds(120))
                .setGeneratorUrl("http://127.0.0.1:8081/sessions/session-7")
                .build();
    }

    public static SessionControl sessionControl() {
        return SessionControl.newBuilder()
                .setControlId("ctl-1")
                .setSessionId("session-7")
                .setAction(ControlAction.PAUSE)
                .setActor("alice")
                .setReason("maintenance window")
                .setRequestedAt(T0)
                .build();
    }

    public static AuditEvent audit() {
        return AuditEvent.newBuilder()
                .setEventId("audit:session-7:1:2:issued")
                .setSessionId("session-7")
                .setHostId("host-a")
                .setAction(AuditAction.COMMAND_ISSUED)
                .setActor("health-processor")
                .setReason("3 consecutive failures")
                .setTime(T0)
                .setCommandId("session-7:1:2")
                .setDetails(Map.of("attempt", "2", "before", "UNHEALTHY", "after", "RESTARTING"))
                .build();
    }
}
