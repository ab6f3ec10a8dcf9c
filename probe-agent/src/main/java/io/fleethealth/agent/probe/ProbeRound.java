package io.fleethealth.agent.probe;

import io.fleethealth.agent.docker.ContainerEngine;
import io.fleethealth.agent.docker.ContainerGoneException;
import io.fleethealth.agent.docker.ContainerSnapshot;
import io.fleethealth.agent.docker.ContainerSummary;
import io.fleethealth.agent.docker.EngineException;
import io.fleethealth.agent.docker.EngineUnreachableException;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the session containers of one host. Every engine call runs on the bounded probe executor as a future with the
 * probe timeout, so a hung inspect costs its own probe a PROBE_TIMEOUT and nothing else.
 */
public final class ProbeRound {

    private static final Logger log = LoggerFactory.getLogger(ProbeRound.class);

    private final ContainerEngine engine;
    private final ProbeClassifier classifier;
    private final String sessionLabel;
    private final Duration timeout;
    private final Executor probeExecutor;
    private final Clock clock;
    private final EngineBreaker breaker;
    // The sessions of the last successful list, to report on when the engine stops answering. Only the round thread
    // writes it; volatile so that readers elsewhere see a whole map.
    private volatile Map<String, ProbeTarget> lastSeenBySession = Map.of();

    public ProbeRound(ContainerEngine engine, ProbeClassifier classifier, String sessionLabel, Duration timeout,
                      Executor probeExecutor, Clock clock) {
        this(engine, classifier, sessionLabel, timeout, probeExecutor, clock, EngineBreaker.DEFAULT);
    }

    public ProbeRound(ContainerEngine engine, ProbeClassifier classifier, String sessionLabel, Duration timeout,
                      Executor probeExecutor, Clock clock, EngineBreaker breaker) {
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.sessionLabel = Objects.requireNonNull(sessionLabel, "sessionLabel");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.probeExecutor = Objects.requireNonNull(probeExecutor, "probeExecutor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Lists the labelled containers and probes every one, all at once. */
    public RoundReport run() {
        Instant startedAt = clock.instant();
        long start = System.nanoTime();
        List<ContainerSummary> containers;
        try {
            containers = await(CompletableFuture.supplyAsync(() -> engine.listLabelled(sessionLabel), probeExecutor));
        } catch (ProbeFailed e) {
            List<HealthCheckResult> results = engineDown(e.failure, startedAt, Duration.ofNanos(System.nanoTime() - start));
            return new RoundReport(startedAt, Duration.ofNanos(System.nanoTime() - start), false, 0, results, true);
        }
        List<ProbeTarget> targets = targets(containers);
        List<CompletableFuture<HealthCheckResult>> probes = targets.stream().map(this::probe).toList();
        List<HealthCheckResult> results = new ArrayList<>(probes.size());
        for (CompletableFuture<HealthCheckResult> probe : probes) {
            results.add(probe.join()); // never throws: probe() turns every failure into a result
        }
        Optional<String> trouble = breaker.trips(results, classifier.identity().hostId());
        if (trouble.isPresent()) {
            log.warn("{}: those probes are reported as engine trouble, not as container failures", trouble.get());
            return new RoundReport(startedAt, Duration.ofNanos(System.nanoTime() - start), true, targets.size(),
                    EngineBreaker.mark(results, trouble.get()), true);
        }
        return new RoundReport(startedAt, Duration.ofNanos(System.nanoTime() - start), true, targets.size(), results);
    }

    /**
     * Probes one container. The future always completes with a result within about the timeout: a failure or a
     * timeout becomes a result of its own category.
     */
    public CompletableFuture<HealthCheckResult> probe(ProbeTarget target) {
        Instant probeTime = clock.instant();
        long start = System.nanoTime();
        CompletableFuture<HealthCheckResult> inspected;
        try {
            inspected = CompletableFuture
                    .supplyAsync(() -> inspectUnlessLate(target, start), probeExecutor)
                    .thenApply(snapshot -> classifier.result(target, snapshot, probeTime, since(start)));
        } catch (RejectedExecutionException e) {
            // The executor's queue is full of probes stuck behind a hung engine: as good as a timeout.
            log.warn("Probe of container {} (session {}) rejected: probe queue full", target.containerId(), target.sessionId());
            return CompletableFuture.completedFuture(classifier.result(target, ProbeFailure.timeout(timeout), probeTime, since(start)));
        }
        return inspected
                .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .exceptionally(error -> {
                    ProbeFailure failure = failureOf(error, target.containerId());
                    log.debug("Probe of container {} (session {}) failed: {}", target.containerId(), target.sessionId(),
                            failure.message());
                    return classifier.result(target, failure, probeTime, since(start));
                });
    }

    /** A probe that waited in the queue past its timeout has already been reported: it leaves the engine alone. */
    private ContainerSnapshot inspectUnlessLate(ProbeTarget target, long start) {
        if (System.nanoTime() - start >= timeout.toNanos()) {
            throw new CompletionException(new TimeoutException("probe started after its timeout"));
        }
        return engine.inspect(target.containerId());
    }

    /** The targets of this host's most recent successful listing, by session. */
    public Map<String, ProbeTarget> lastSeenBySession() {
        return lastSeenBySession;
    }

    private List<ProbeTarget> targets(List<ContainerSummary> containers) {
        Map<String, ProbeTarget> bySession = new LinkedHashMap<>();
        List<ProbeTarget> targets = new ArrayList<>();
        for (ContainerSummary summary : containers) {
            Optional<ProbeTarget> target = ProbeTarget.of(summary, sessionLabel);
            if (target.isEmpty()) {
                log.debug("Container {} has a blank {} label: not probed", summary.id(), sessionLabel);
            } else {
                // Opted-out containers too: they are shown as not managed, and only the processor decides that.
                targets.add(target.get());
                bySession.put(target.get().sessionId(), target.get());
            }
        }
        lastSeenBySession = Map.copyOf(bySession);
        return targets;
    }

    /**
     * The engine could not be asked: one UNKNOWN result per session last seen on this host, so that each session's
     * status says why it is unknown; when none was ever seen, one host-level result under {@code host:<hostId>}.
     * Once per round either way, never per retry.
     */
    private List<HealthCheckResult> engineDown(ProbeFailure failure, Instant startedAt, Duration elapsed) {
        ProbeFailure unreachable = failure.category() == ErrorCategory.DOCKER_UNREACHABLE
                ? failure
                : ProbeFailure.engineUnreachable("container list failed: " + failure.message());
        log.warn("Docker engine unreachable on host {}: {}", classifier.identity().hostId(), unreachable.message());
        Map<String, ProbeTarget> known = lastSeenBySession;
        String reason = "docker engine of host " + classifier.identity().hostId() + " unreachable: "
                + unreachable.message();
        if (known.isEmpty()) {
            ProbeTarget host = new ProbeTarget(classifier.identity().hostSessionId(), "", "", "", Map.of());
            return EngineBreaker.mark(List.of(classifier.result(host, unreachable, startedAt, elapsed)), reason);
        }
        return EngineBreaker.mark(
                known.values().stream().map(t -> classifier.result(t, unreachable, startedAt, elapsed)).toList(), reason);
    }

    private <T> T await(CompletableFuture<T> future) throws ProbeFailed {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ProbeFailed(ProbeFailure.engineUnreachable(
                    "docker engine did not answer within " + timeout.toMillis() + " ms"));
        } catch (ExecutionException e) {
            throw new ProbeFailed(failureOf(e.getCause(), ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeFailed(ProbeFailure.engineError("interrupted while waiting for the engine"));
        } catch (RejectedExecutionException e) {
            throw new ProbeFailed(ProbeFailure.engineUnreachable("probe queue full: engine calls are hanging"));
        }
    }

    private ProbeFailure failureOf(Throwable error, String containerId) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TimeoutException) {
            return ProbeFailure.timeout(timeout);
        }
        if (cause instanceof ContainerGoneException) {
            return ProbeFailure.gone("container " + containerId + " no longer exists");
        }
        if (cause instanceof EngineUnreachableException) {
            return ProbeFailure.engineUnreachable(cause.getMessage());
        }
        if (cause instanceof EngineException) {
            return ProbeFailure.engineError(cause.getMessage());
        }
        log.warn("Unexpected probe failure for container {}", containerId, cause);
        return ProbeFailure.engineError("probe failed: " + cause);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Carries a failure out of {@link #await}; never leaves this class. */
    private static final class ProbeFailed extends Exception {
        private final transient ProbeFailure failure;

        ProbeFailed(ProbeFailure failure) {
            super(failure.message(), null, false, false);
            this.failure = failure;
        }
    }
}
