package io.fleethealth.agent.probe;

import io.fleethealth.agent.docker.ContainerEngine;
import io.fleethealth.agent.docker.ContainerEvent;
import io.fleethealth.agent.docker.ContainerGoneException;
import io.fleethealth.agent.docker.ContainerSnapshot;
import io.fleethealth.agent.docker.ContainerSummary;
import io.fleethealth.agent.docker.EngineUnreachableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory engine for unit tests: containers, hanging inspects, an unreachable switch and a pushable event stream. */
final class FakeEngine implements ContainerEngine {

    final Map<String, ContainerSnapshot> containers = new ConcurrentHashMap<>();
    final Set<String> hanging = ConcurrentHashMap.newKeySet();
    final AtomicInteger inspects = new AtomicInteger();
    final AtomicInteger activeLists = new AtomicInteger();
    final AtomicInteger maxConcurrentLists = new AtomicInteger();
    final List<Listener> listeners = new CopyOnWriteArrayList<>();
    final AtomicInteger failingSubscriptions = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    volatile boolean unreachable;
    volatile Duration listDelay = Duration.ZERO;

    void add(ContainerSnapshot snapshot) {
        containers.put(snapshot.id(), snapshot);
    }

    /** Lets every hanging inspect finish (call in cleanup so no thread stays blocked). */
    void releaseHangs() {
        release.countDown();
    }

    @Override
    public List<ContainerSummary> listLabelled(String labelKey) {
        failIfUnreachable();
        maxConcurrentLists.accumulateAndGet(activeLists.incrementAndGet(), Math::max);
        try {
            sleep(listDelay);
        } finally {
            activeLists.decrementAndGet();
        }
        List<ContainerSummary> list = new ArrayList<>();
        containers.values().stream()
                .filter(c -> c.labels().containsKey(labelKey))
                .forEach(c -> list.add(new ContainerSummary(c.id(), c.name(), c.image(), c.labels(), c.state())));
        return list;
    }

    @Override
    public ContainerSnapshot inspect(String containerId) {
        inspects.incrementAndGet();
        failIfUnreachable();
        if (hanging.contains(containerId)) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ContainerSnapshot snapshot = containers.get(containerId);
        if (snapshot == null) {
            throw new ContainerGoneException(containerId, null);
        }
        return snapshot;
    }

    @Override
    public void restart(String containerId, Duration stopTimeout) {
        throw new UnsupportedOperationException("not used by the probe tests");
    }

    @Override
    public String version() {
        failIfUnreachable();
        return "fake";
    }

    @Override
    public Subscription subscribe(String labelKey, Listener listener) {
        if (failingSubscriptions.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new EngineUnreachableException("fake engine refuses the subscription", null);
        }
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void emit(ContainerEvent event) {
        listeners.forEach(l -> l.onEvent(event));
    }

    /** Ends every open stream, as an engine restart does. */
    void dropStreams() {
        List<Listener> open = List.copyOf(listeners);
        listeners.clear();
        open.forEach(l -> l.onClosed(new java.io.IOException("engine went away")));
    }

    private void failIfUnreachable() {
        if (unreachable) {
            throw new EngineUnreachableException("connection refused", null);
        }
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
