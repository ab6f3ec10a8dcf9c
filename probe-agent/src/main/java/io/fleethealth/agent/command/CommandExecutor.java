package io.fleethealth.agent.command;

import io.fleethealth.agent.docker.ContainerEngine;
import io.fleethealth.agent.docker.ContainerGoneException;
import io.fleethealth.agent.docker.ContainerSnapshot;
import io.fleethealth.agent.docker.EngineException;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.RestartResult;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out this host's restart commands. Commands for one container run one after the other (each container has a
 * chain of futures); commands for different containers run side by side on the worker executor. A command waiting
 * for its not-before time holds no thread, only its container's place in line.
 *
 * <p>Sequence per command: the {@link RestartGuard} checks on arrival (a refusal is answered at once), the wait until
 * not-before, the same checks again (the command may have expired meanwhile, the container may have been removed or
 * restarted), then the command id is recorded as executed and only then is the container restarted. Recording first
 * is deliberate: if the agent dies between the restart and the report, the redelivered command finds the container
 * started after the command was issued and is answered SKIPPED_DUPLICATE instead of restarting it a second time. A
 * recorded id whose container was NOT started since the command was issued is executed (see {@link RestartGuard}).
 *
 * <p>Every future returned by {@link #submit} completes with an outcome, except on shutdown, when commands that have
 * not started their restart complete with a {@link CancellationException}: they have no outcome, their offsets stay
 * uncommitted, and the next agent run receives them again.
 */
public final class CommandExecutor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommandExecutor.class);

    private final ContainerEngine engine;
    private final RestartGuard guard;
    private final ExecutedCommands executed;
    private final String hostId;
    private final Clock clock;
    private final Executor workers;
    private final Delays delays;
    private final Consumer<RestartCommand> afterRestart;
    private final Map<String, CompletableFuture<RestartOutcome>> lineByContainer = new ConcurrentHashMap<>();
    private volatile boolean closing;

    /**
     * @param afterRestart called after a successful restart, e.g. to probe the container at once; must not block
     */
    public CommandExecutor(ContainerEngine engine, RestartGuard guard, ExecutedCommands executed, String hostId,
                           Clock clock, Executor workers, Delays delays, Consumer<RestartCommand> afterRestart) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.executed = Objects.requireNonNull(executed, "executed");
        this.hostId = Objects.requireNonNull(hostId, "hostId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.delays = Objects.requireNonNull(delays, "delays");
        this.afterRestart = Objects.requireNonNull(afterRestart, "afterRestart");
    }

    /** Commands for other hosts are none of this agent's business: it neither executes nor answers them. */
    public boolean isForThisHost(RestartCommand command) {
        return hostId.equals(command.getHostId());
    }

    /** Queues the command behind earlier commands for the same container. */
    public CompletableFuture<RestartOutcome> submit(RestartCommand command) {
        if (!isForThisHost(command)) {
            throw new IllegalArgumentException("command " + command.getCommandId() + " is for host " + command.getHostId());
        }
        if (closing) {
            return CompletableFuture.failedFuture(new CancellationException("agent stopping"));
        }
        String containerId = command.getContainerId();
        @SuppressWarnings("unchecked")
        CompletableFuture<RestartOutcome>[] mine = new CompletableFuture[1];
        lineByContainer.compute(containerId, (id, previous) -> {
            CompletableFuture<Void> turn = previous == null
                    ? CompletableFuture.completedFuture(null)
                    : previous.handle((outcome, error) -> null);
            mine[0] = turn.thenComposeAsync(v -> handle(command), workers);
            return mine[0];
        });
        mine[0].whenComplete((outcome, error) -> lineByContainer.remove(containerId, mine[0]));
        return mine[0];
    }

    /** Commands queued or running, over all containers' lines. */
    public int containersBusy() {
        return lineByContainer.size();
    }

    private CompletableFuture<RestartOutcome> handle(RestartCommand command) {
        Optional<RestartOutcome> refused = refusal(command);
        if (refused.isPresent()) {
            return CompletableFuture.completedFuture(refused.get());
        }
        Duration wait = Duration.between(clock.instant(), command.getNotBefore());
        CompletableFuture<Void> due = wait.isNegative() || wait.isZero()
                ? CompletableFuture.completedFuture(null)
                : delays.after(wait);
        if (!wait.isNegative() && !wait.isZero()) {
            log.info("Restart command {} for container {} (session {}) waits {} ms until {}", command.getCommandId(),
                    command.getContainerId(), command.getSessionId(), wait.toMillis(), command.getNotBefore());
        }
        return due.thenApplyAsync(v -> executeNow(command), workers);
    }

    private RestartOutcome executeNow(RestartCommand command) {
        if (closing) {
            throw new CancellationException("agent stopping before command " + command.getCommandId() + " ran");
        }
        try {
            Optional<RestartOutcome> refused = refusal(command);
            if (refused.isPresent()) {
                return refused.get();
            }
            if (!executed.record(command.getCommandId())) {
                // The guard saw the container not restarted since the command was issued: the earlier try never
                // reached the engine (crash between record and restart) or the id comes from an earlier session life.
                log.warn("Restart command {} for container {} was recorded before, but the container was not restarted"
                        + " since {}: restarting it now", command.getCommandId(), command.getContainerId(),
                        command.getIssuedAt());
            }
            return restart(command);
        } catch (RuntimeException e) {
            // Above all the executed record failing (disk full): no restart happened.
            log.error("Restart command {} for container {} failed before the restart", command.getCommandId(),
                    command.getContainerId(), e);
            return outcome(command, RestartResult.FAILED, "agent error before the restart: " + e.getMessage(), 0);
        }
    }

    private RestartOutcome restart(RestartCommand command) {
        Duration stopTimeout = Duration.ofSeconds(Math.max(0, command.getStopTimeoutSeconds()));
        long start = System.nanoTime();
        try {
            engine.restart(command.getContainerId(), stopTimeout);
        } catch (EngineException e) {
            long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
            log.warn("Restart of container {} (session {}, command {}) failed: {}", command.getContainerId(),
                    command.getSessionId(), command.getCommandId(), e.getMessage());
            return outcome(command, RestartResult.FAILED, e.getMessage(), ms);
        }
        long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
        log.info("Restarted container {} (session {}, command {}, attempt {}) in {} ms", command.getContainerId(),
                command.getSessionId(), command.getCommandId(), command.getAttempt(), ms);
        try {
            afterRestart.accept(command);
        } catch (RuntimeException e) {
            log.warn("Follow-up of the restart of container {} failed", command.getContainerId(), e);
        }
        return outcome(command, RestartResult.SUCCEEDED, null, ms);
    }

    /** The guard's verdict on the command as things stand now; an engine that cannot be asked fails the command. */
    private Optional<RestartOutcome> refusal(RestartCommand command) {
        Optional<ContainerSnapshot> container;
        try {
            container = Optional.of(engine.inspect(command.getContainerId()));
        } catch (ContainerGoneException e) {
            container = Optional.empty();
        } catch (EngineException e) {
            return Optional.of(outcome(command, RestartResult.FAILED,
                    "cannot inspect container " + command.getContainerId() + ": " + e.getMessage(), 0));
        }
        CommandVerdict verdict = guard.check(command, clock.instant(), executed.contains(command.getCommandId()),
                container);
        if (verdict.mayExecute()) {
            return Optional.empty();
        }
        log.info("Restart command {} for container {} (session {}) not executed: {} ({})", command.getCommandId(),
                command.getContainerId(), command.getSessionId(), verdict.refusal().get(), verdict.reason());
        return Optional.of(outcome(command, verdict.refusal().get(), verdict.reason(), 0));
    }

    private RestartOutcome outcome(RestartCommand command, RestartResult result, String message, long durationMs) {
        return RestartOutcome.newBuilder()
                .setCommandId(command.getCommandId())
                .setSessionId(command.getSessionId())
                .setHostId(hostId)
                .setContainerId(command.getContainerId())
                .setAttempt(command.getAttempt())
                .setResult(result)
                .setMessage(message)
                .setExecutedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setDurationMs(durationMs)
                .build();
    }

    /**
     * Stops taking commands: those waiting for their not-before time or their turn end without an outcome (the
     * caller also closes the {@link Delays}). Restarts already under way finish.
     */
    @Override
    public void close() {
        closing = true;
    }
}
