package io.fleethealth.agent.probe;

import io.fleethealth.agent.docker.ContainerSnapshot;
import io.fleethealth.contract.labels.ContainerOverrides;
import io.fleethealth.events.DockerHealth;
import io.fleethealth.events.DockerState;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns what a probe saw into a {@link HealthCheckResult}. {@link #verdict} is a pure function of the snapshot; the
 * instance adds the identity of the agent and the per-agent sequence number.
 */
public final class ProbeClassifier {

    private final AgentIdentity identity;
    private final AtomicLong sequence = new AtomicLong();

    public ProbeClassifier(AgentIdentity identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    public AgentIdentity identity() {
        return identity;
    }

    /**
     * The status rules of the issue, first match wins.
     * <ul>
     *   <li>Docker state first: after a stop, Health.Status stays "unhealthy" on an exited container, so the health
     *   of a container that is not running says nothing.</li>
     *   <li>Paused is UNHEALTHY, not FAILED: the engine itself reports a paused container as running (State.Running
     *   stays true, its processes are frozen, not gone) and an unpause brings it back without a restart; it still
     *   serves nothing, so it is not healthy either.</li>
     *   <li>A HEALTHCHECK still "starting" (its start period, or no run finished yet) is not a failure: HEALTHY, with
     *   dockerHealth STARTING and a note in the message.</li>
     * </ul>
     */
    public static Verdict verdict(ContainerSnapshot s) {
        return switch (s.state()) {
            case RUNNING -> runningVerdict(s);
            case PAUSED -> Verdict.of(HealthStatus.UNHEALTHY, ErrorCategory.PAUSED, "container is paused");
            case EXITED -> s.oomKilled()
                    ? Verdict.of(HealthStatus.FAILED, ErrorCategory.OOM_KILLED,
                            "OOM killed (exited with code " + s.exitCode() + ")")
                    : Verdict.of(HealthStatus.FAILED, ErrorCategory.EXITED, "exited with code " + s.exitCode());
            case DEAD -> Verdict.of(HealthStatus.FAILED, s.oomKilled() ? ErrorCategory.OOM_KILLED : ErrorCategory.NOT_RUNNING,
                    "container is dead (exit code " + s.exitCode() + ")");
            case CREATED -> Verdict.of(HealthStatus.FAILED, ErrorCategory.NOT_RUNNING, "container created but never started");
            case RESTARTING -> Verdict.of(HealthStatus.FAILED, ErrorCategory.NOT_RUNNING,
                    "container is being restarted by its restart policy (last exit code " + s.exitCode() + ")");
            case REMOVING -> Verdict.of(HealthStatus.FAILED, ErrorCategory.NOT_RUNNING, "container is being removed");
            case UNKNOWN -> Verdict.of(HealthStatus.UNKNOWN, ErrorCategory.OTHER, "the engine reported an unknown state");
        };
    }

    private static Verdict runningVerdict(ContainerSnapshot s) {
        return switch (s.health()) {
            // No count here: Docker's failing streak counts its own runs, and the processor's reason already
            // says how many failures it counted ("7 consecutive failure(s): ..."); two counts read as a contradiction.
            case UNHEALTHY -> Verdict.of(HealthStatus.UNHEALTHY, ErrorCategory.HEALTHCHECK_FAILING,
                    "Docker healthcheck failing"
                            + s.lastHealthOutput().filter(o -> !o.isEmpty()).map(o -> ": " + o).orElse(""));
            case STARTING -> Verdict.of(HealthStatus.HEALTHY, ErrorCategory.NONE,
                    "healthcheck starting: within its start period or no run finished yet");
            case HEALTHY, NONE -> Verdict.of(HealthStatus.HEALTHY, ErrorCategory.NONE, null);
        };
    }

    /**
     * What a failed probe means. A container the engine no longer knows is FAILED (it certainly does not run; whether
     * the session ended is the processor's call). Timeouts and an unreachable engine are UNKNOWN: the agent cannot tell.
     */
    public static Verdict verdict(ProbeFailure failure) {
        HealthStatus status = failure.category() == ErrorCategory.CONTAINER_GONE ? HealthStatus.FAILED : HealthStatus.UNKNOWN;
        return Verdict.of(status, failure.category(), failure.message());
    }

    public HealthCheckResult result(ProbeTarget target, ContainerSnapshot snapshot, Instant probeTime, Duration responseTime) {
        Verdict verdict = verdict(snapshot);
        Map<String, String> metadata = metadata(snapshot.labels());
        snapshot.finishedAt().ifPresent(t -> metadata.put("finishedAt", t.toString()));
        return builder(target, probeTime, responseTime, verdict, metadata)
                .setContainerId(snapshot.id())
                .setContainerName(snapshot.name().isEmpty() ? target.containerName() : snapshot.name())
                .setImage(snapshot.image().isEmpty() ? target.image() : snapshot.image())
                .setDockerState(snapshot.state())
                .setDockerHealth(snapshot.health())
                .setHealthFailingStreak(snapshot.failingStreak())
                .setLastHealthOutput(snapshot.lastHealthOutput().orElse(null))
                .setExitCode(snapshot.state() == DockerState.RUNNING || snapshot.state() == DockerState.PAUSED
                        ? null : snapshot.exitCode())
                .setOomKilled(snapshot.oomKilled())
                .setRestartCount(snapshot.restartCount())
                .setStartedAt(snapshot.startedAt().map(ProbeClassifier::millis).orElse(null))
                .build();
    }

    public HealthCheckResult result(ProbeTarget target, ProbeFailure failure, Instant probeTime, Duration responseTime) {
        return builder(target, probeTime, responseTime, verdict(failure), metadata(target.labels())).build();
    }

    private HealthCheckResult.Builder builder(ProbeTarget target, Instant probeTime, Duration responseTime,
                                              Verdict verdict, Map<String, String> metadata) {
        long seq = sequence.incrementAndGet();
        return HealthCheckResult.newBuilder()
                .setCheckId(identity.hostId() + "/" + identity.runId() + "/" + seq)
                .setSequence(seq)
                .setSessionId(target.sessionId())
                .setHostId(identity.hostId())
                .setContainerId(target.containerId())
                .setContainerName(target.containerName())
                .setImage(target.image())
                .setProbeTime(millis(probeTime))
                .setStatus(verdict.status())
                .setDockerState(DockerState.UNKNOWN)
                .setDockerHealth(DockerHealth.NONE)
                .setResponseTimeMs(responseTime.toNanos() / 1_000_000.0)
                .setErrorCategory(verdict.category())
                .setErrorMessage(verdict.message().orElse(null))
                .setMetadata(Map.copyOf(metadata))
                .setAgentVersion(identity.agentVersion());
    }

    /** The container's labels as the contract sends them: invalid override values replaced by one entry naming them. */
    static Map<String, String> metadata(Map<String, String> labels) {
        return ContainerOverrides.metadataOf(labels);
    }

    /** The schema's timestamps have millisecond precision; truncating here keeps equality after a round trip. */
    private static Instant millis(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
