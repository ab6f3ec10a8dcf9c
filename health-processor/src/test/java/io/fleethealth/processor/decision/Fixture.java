package io.fleethealth.processor.decision;

import io.fleethealth.events.ControlAction;
import io.fleethealth.events.DockerHealth;
import io.fleethealth.events.DockerState;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.RestartResult;
import io.fleethealth.events.SessionControl;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Test data on a fixed time base: no clock anywhere. */
public final class Fixture {

    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    static final String SESSION = "session-42";
    static final String HOST = "host-a";
    static final String CONTAINER_ID = "c0ffee0000000000000000000000000000000000000000000000000000000001";
    static final String CONTAINER_NAME = "desktop-42";

    private Fixture() {
    }

    public static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    public static CheckBuilder check(long seconds) {
        return new CheckBuilder(at(seconds));
    }

    static RestartOutcome outcome(String commandId, RestartResult result, long seconds) {
        return RestartOutcome.newBuilder()
                .setCommandId(commandId)
                .setSessionId(SESSION)
                .setHostId(HOST)
                .setContainerId(CONTAINER_ID)
                .setAttempt(0)
                .setResult(result)
                .setMessage(result == RestartResult.SUCCEEDED ? null : "engine said no")
                .setExecutedAt(at(seconds))
                .setDurationMs(0)
                .build();
    }

    static SessionControl control(ControlAction action, long seconds) {
        return control(action, seconds, action + "-" + seconds);
    }

    static SessionControl control(ControlAction action, long seconds, String controlId) {
        return SessionControl.newBuilder()
                .setControlId(controlId)
                .setSessionId(SESSION)
                .setAction(action)
                .setActor("alice")
                .setReason("maintenance window")
                .setRequestedAt(at(seconds))
                .build();
    }

    /** A health-check result; healthy unless told otherwise. Its id is unique per probe time and status. */
    public static final class CheckBuilder {
        private final Instant probeTime;
        private String checkId;
        private String sessionId = SESSION;
        private String containerId = CONTAINER_ID;
        private String hostId = HOST;
        private Instant processedAt;
        private HealthStatus status = HealthStatus.HEALTHY;
        private DockerState dockerState = DockerState.RUNNING;
        private DockerHealth dockerHealth = DockerHealth.HEALTHY;
        private ErrorCategory category = ErrorCategory.NONE;
        private String message;
        private final Map<String, String> metadata = new HashMap<>();
        private String engineTrouble;

        CheckBuilder(Instant probeTime) {
            this.probeTime = probeTime;
        }

        public CheckBuilder id(String id) {
            this.checkId = id;
            return this;
        }

        public CheckBuilder session(String id) {
            this.sessionId = id;
            return this;
        }

        /** Another host (the check id follows it, so two hosts' checks never share one). */
        public CheckBuilder host(String id) {
            this.hostId = id;
            return this;
        }

        /** Decided at this wall-clock time (a backlog), instead of on time. */
        public CheckBuilder processedAt(Instant at) {
            this.processedAt = at;
            return this;
        }

        public CheckBuilder container(String id) {
            this.containerId = id;
            return this;
        }

        public CheckBuilder healthy() {
            return set(HealthStatus.HEALTHY, DockerState.RUNNING, DockerHealth.HEALTHY, ErrorCategory.NONE, null);
        }

        /** HEALTHCHECK failing. */
        public CheckBuilder unhealthy() {
            return set(HealthStatus.UNHEALTHY, DockerState.RUNNING, DockerHealth.UNHEALTHY,
                    ErrorCategory.HEALTHCHECK_FAILING, "healthcheck failing: curl: (7) connection refused");
        }

        /** Not running: exited with code 1. */
        public CheckBuilder exited() {
            return set(HealthStatus.FAILED, DockerState.EXITED, DockerHealth.NONE, ErrorCategory.EXITED,
                    "exited with code 1");
        }

        /** The agent could not tell, for the container's own reasons (probe timeout). */
        public CheckBuilder probeTimeout() {
            return set(HealthStatus.UNKNOWN, DockerState.UNKNOWN, DockerHealth.NONE, ErrorCategory.PROBE_TIMEOUT,
                    "probe timed out after 10s");
        }

        public CheckBuilder dockerUnreachable() {
            return set(HealthStatus.UNKNOWN, DockerState.UNKNOWN, DockerHealth.NONE, ErrorCategory.DOCKER_UNREACHABLE,
                    "cannot connect to the Docker daemon");
        }

        public CheckBuilder gone() {
            return set(HealthStatus.FAILED, DockerState.UNKNOWN, DockerHealth.NONE, ErrorCategory.CONTAINER_GONE,
                    "no such container");
        }

        /** Running, HEALTHCHECK still in its start period. */
        public CheckBuilder starting() {
            return set(HealthStatus.HEALTHY, DockerState.RUNNING, DockerHealth.STARTING, ErrorCategory.NONE, null);
        }

        /** A probe timeout the agent marked as engine trouble: most probes of its round got no answer. */
        CheckBuilder engineTrouble() {
            probeTimeout();
            this.engineTrouble = "docker engine of host " + HOST + " in trouble: 9 of 10 probes of the round got no"
                    + " answer from it (timeout or engine error)";
            return this;
        }

        public CheckBuilder label(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        private CheckBuilder set(HealthStatus status, DockerState state, DockerHealth health, ErrorCategory category,
                                 String message) {
            this.status = status;
            this.dockerState = state;
            this.dockerHealth = health;
            this.category = category;
            this.message = message;
            return this;
        }

        public HealthCheckResult build() {
            String id = checkId != null ? checkId : hostId + "-" + containerId.substring(0, Math.min(12, containerId.length()))
                    + "-" + probeTime.toEpochMilli() + "-" + status;
            return HealthCheckResult.newBuilder()
                    .setCheckId(id)
                    .setSessionId(sessionId)
                    .setHostId(hostId)
                    .setContainerId(containerId)
                    .setContainerName(CONTAINER_NAME)
                    .setImage("fleet-test/busybox:1")
                    .setProbeTime(probeTime)
                    .setStatus(status)
                    .setDockerState(dockerState)
                    .setDockerHealth(dockerHealth)
                    .setErrorCategory(category)
                    .setErrorMessage(message)
                    .setMetadata(new HashMap<>(metadata))
                    .setEngineTrouble(engineTrouble)
                    .build();
        }

        public SessionEvent event() {
            return new SessionEvent.CheckReceived(build(), processedAt);
        }
    }
}
