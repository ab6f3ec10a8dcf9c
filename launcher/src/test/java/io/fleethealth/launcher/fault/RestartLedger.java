package io.fleethealth.launcher.fault;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.fleethealth.localstack.testbed.DockerTestEngine;
import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The verdict's only source: Docker's own event stream, followed from before the fault (dockerd keeps only
 * its last 256 events, so counting after the fact undercounts). Counts {@code restart} events per
 * container of one run label.
 */
public final class RestartLedger implements Closeable {

    private final Map<String, AtomicInteger> restarts;
    private final ResultCallback.Adapter<Event> callback;

    private RestartLedger(Map<String, AtomicInteger> restarts, ResultCallback.Adapter<Event> callback) {
        this.restarts = restarts;
        this.callback = callback;
    }

    /** Starts following the events of containers labelled {@code runLabel=run}; returns once subscribed. */
    public static RestartLedger follow(String runLabel, String run) throws InterruptedException {
        DockerClient docker = DockerTestEngine.client();
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        ResultCallback.Adapter<Event> callback = docker.eventsCmd()
                .withSince(Long.toString(Instant.now().getEpochSecond() - 1))
                .withEventTypeFilter(EventType.CONTAINER)
                .withLabelFilter(Map.of(runLabel, run))
                .withEventFilter("restart")
                .exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Event event) {
                        counts.computeIfAbsent(event.getId(), id -> new AtomicInteger()).incrementAndGet();
                    }
                });
        if (!callback.awaitStarted(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Docker's event stream did not start");
        }
        return new RestartLedger(counts, callback);
    }

    /** Restart events of one container so far. */
    public int restarts(String containerId) {
        AtomicInteger count = restarts.get(containerId);
        return count == null ? 0 : count.get();
    }

    public int total() {
        return restarts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public void close() throws IOException {
        callback.close();
    }
}
