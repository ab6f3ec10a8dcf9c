package io.fleethealth.agent.command;

import io.fleethealth.agent.docker.ContainerEngine;
import io.fleethealth.agent.docker.ContainerGoneException;
import io.fleethealth.agent.docker.ContainerSnapshot;
import io.fleethealth.agent.docker.ContainerSummary;
import io.fleethealth.agent.docker.EngineException;
import io.fleethealth.events.DockerHealth;
import io.fleethealth.events.DockerState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-memory engine for the executor's tests: containers that a restart starts again (StartedAt moves to the clock's
 * now), restarts that can be held on a latch or made to fail, and a record of every restart with its stop timeout.
 */
final class RestartableEngine implements ContainerEngine {

    record Restart(String containerId, Duration stopTimeout) {
    }

    final Map<String, ContainerSnapshot> containers = new ConcurrentHashMap<>();
    final List<Restart> restarts = new CopyOnWriteArrayList<>();
    final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
    final Map<String, EngineException> failures = new ConcurrentHashMap<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();
    volatile Consumer<String> onRestart = id -> { };
    private final Clock clock;

    RestartableEngine(Clock clock) {
        this.clock = clock;
    }

    void add(String id, Map<String, String> labels, Instant startedAt) {
        containers.put(id, new ContainerSnapshot(id, "name-" + id, "fleet-test/busybox:1", labels, DockerState.EXITED, 1,
                false, DockerHealth.NONE, 0, Optional.empty(), 0, Optional.of(startedAt),
                Optional.of(startedAt.plusSeconds(1))));
    }

    List<Restart> restartsOf(String id) {
        return restarts.stream().filter(r -> r.containerId().equals(id)).toList();
    }

    @Override
    public ContainerSnapshot inspect(String containerId) {
        ContainerSnapshot snapshot = containers.get(containerId);
        if (snapshot == null) {
            throw new ContainerGoneException(containerId, null);
        }
        return snapshot;
    }

    @Override
    public void restart(String containerId, Duration stopTimeout) {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            onRestart.accept(containerId);
            restarts.add(new Restart(containerId, stopTimeout));
            CountDownLatch hold = holds.get(containerId);
            if (hold != null) {
                hold.await();
            }
            EngineException failure = failures.get(containerId);
            if (failure != null) {
                throw failure;
            }
            ContainerSnapshot c = inspect(containerId);
            containers.put(containerId, new ContainerSnapshot(c.id(), c.name(), c.image(), c.labels(), DockerState.RUNNING,
                    0, false, c.health(), 0, Optional.empty(), c.restartCount(), Optional.of(clock.instant()),
                    c.finishedAt()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted", e);
        } finally {
            running.decrementAndGet();
        }
    }

    @Override
    public List<ContainerSummary> listLabelled(String labelKey) {
        throw new UnsupportedOperationException("not used by the command tests");
    }

    @Override
    public String version() {
        return "fake";
    }

    @Override
    public Subscription subscribe(String labelKey, Listener listener) {
        throw new UnsupportedOperationException("not used by the command tests");
    }
}
