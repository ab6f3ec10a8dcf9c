package io.fleethealth.launcher.fault;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fault suite's witness: Docker's own event stream for the containers of one test run (by label), streamed from
 * before the first container is created, so no event is lost to dockerd's 256-event memory. Counts what the engine
 * did to each container, whatever fleet-health's logs say.
 */
final class DockerEventTally implements Closeable {

    private final Map<String, Map<String, AtomicInteger>> byContainer = new ConcurrentHashMap<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final ResultCallback.Adapter<Event> stream;

    private DockerEventTally(ResultCallback.Adapter<Event> stream) {
        this.stream = stream;
    }

    /** Starts streaming the container events of containers carrying {@code labelKey=labelValue}. */
    static DockerEventTally start(DockerClient docker, String labelKey, String labelValue) {
        DockerEventTally[] self = new DockerEventTally[1];
        ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Event event) {
                if (event.getType() == EventType.CONTAINER && event.getId() != null && event.getAction() != null) {
                    String action = event.getAction().split(":")[0].trim(); // "health_status: healthy"
                    self[0].byContainer.computeIfAbsent(event.getId(), id -> new ConcurrentHashMap<>())
                            .computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
                }
            }

            @Override
            public void onError(Throwable throwable) {
                self[0].errors.add(throwable);
                super.onError(throwable);
            }
        };
        self[0] = new DockerEventTally(callback);
        docker.eventsCmd().withLabelFilter(Map.of(labelKey, labelValue)).exec(callback);
        return self[0];
    }

    /** How many times the engine reported {@code action} (restart, kill, die, stop, start) for the container. */
    int count(String containerId, String action) {
        if (!errors.isEmpty()) {
            throw new IllegalStateException("the Docker event stream failed: its counts cannot be trusted", errors.get(0));
        }
        AtomicInteger n = byContainer.getOrDefault(containerId, Map.of()).get(action);
        return n == null ? 0 : n.get();
    }

    int restarts(String containerId) {
        return count(containerId, "restart");
    }

    /** Everything the engine did to the container that changes its life: kills, stops, deaths, restarts. */
    int disturbances(String containerId) {
        return count(containerId, "kill") + count(containerId, "stop") + count(containerId, "die")
                + count(containerId, "restart");
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
