package io.fleethealth.agent.probe;

import io.fleethealth.agent.docker.ContainerEngine;
import io.fleethealth.agent.docker.ContainerEvent;
import io.fleethealth.events.HealthCheckResult;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fast path: follows the engine's events and probes a container at once when it dies, is OOM killed or turns
 * unhealthy, so that a crash is reported without waiting for the next round. A destroyed container yields a
 * CONTAINER_GONE result straight from the event. When the stream ends (engine restart) it subscribes again with an
 * exponential back-off.
 */
public final class EventWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventWatcher.class);

    private final ContainerEngine engine;
    private final ProbeRound round;
    private final ProbeClassifier classifier;
    private final ProbeResultSink sink;
    private final String sessionLabel;
    private final Clock clock;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final ScheduledExecutorService resubscriber;
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final AtomicLong subscriptions = new AtomicLong();
    private final AtomicLong eventsHandled = new AtomicLong();
    private final Object lock = new Object();
    private ContainerEngine.Subscription current;
    private long currentGeneration;
    private long resubscribeScheduledFor;
    private boolean closed;

    public EventWatcher(ContainerEngine engine, ProbeRound round, ProbeClassifier classifier, ProbeResultSink sink,
                        String sessionLabel, Clock clock, Duration minBackoff, Duration maxBackoff) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.round = Objects.requireNonNull(round, "round");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.sessionLabel = Objects.requireNonNull(sessionLabel, "sessionLabel");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.resubscriber = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "docker-events-resubscribe");
            thread.setDaemon(true);
            return thread;
        });
    }

    public void start() {
        resubscriber.execute(this::subscribe);
    }

    /** How many times a stream was opened: more than one means the watcher recovered from a lost stream. */
    public long subscriptions() {
        return subscriptions.get();
    }

    public long eventsHandled() {
        return eventsHandled.get();
    }

    private void subscribe() {
        long generation;
        synchronized (lock) {
            if (closed) {
                return;
            }
            generation = ++currentGeneration;
        }
        try {
            ContainerEngine.Subscription subscription = engine.subscribe(sessionLabel, new Listener(generation));
            synchronized (lock) {
                if (closed || generation != currentGeneration) {
                    subscription.close();
                    return;
                }
                current = subscription;
            }
            subscriptions.incrementAndGet();
            log.info("Following docker events for containers labelled {}", sessionLabel);
        } catch (RuntimeException e) {
            log.warn("Subscribing to docker events failed: {}", e.getMessage());
            scheduleResubscribe(generation);
        }
    }

    private void scheduleResubscribe(long generation) {
        synchronized (lock) {
            if (closed || generation != currentGeneration || resubscribeScheduledFor == generation) {
                return; // a newer stream exists, a retry is already planned, or the watcher is shutting down
            }
            resubscribeScheduledFor = generation;
            int attempt = failedAttempts.getAndIncrement();
            long delay = Math.min(maxBackoff.toMillis(), minBackoff.toMillis() << Math.min(attempt, 20));
            log.info("Docker event stream lost; subscribing again in {} ms", delay);
            resubscriber.schedule(this::subscribe, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Containers whose destroy event was reported, newest last; bounded, ids are never reused by the engine. */
    private final Set<String> destroyed = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > 4096;
                }
            }));

    void handle(ContainerEvent event) {
        Optional<ProbeTarget> target = ProbeTarget.of(event, sessionLabel);
        if (target.isEmpty()) {
            return;
        }
        eventsHandled.incrementAndGet();
        log.debug("Docker event '{}' for container {} (session {})", event.action(), event.containerId(),
                target.get().sessionId());
        if ("destroy".equals(event.action())) {
            destroyed.add(event.containerId());
            publish(classifier.result(target.get(),
                    ProbeFailure.gone("container " + event.containerId() + " was removed"), clock.instant(), Duration.ZERO));
        } else if ("die".equals(event.action()) || "oom".equals(event.action()) || event.isHealthUnhealthy()) {
            round.probe(target.get()).thenAccept(result -> {
                // docker rm -f: the kill's probe may answer ("removing") after the destroy event was reported;
                // CONTAINER_GONE is the last word on a container.
                if (!destroyed.contains(event.containerId())) {
                    publish(result);
                }
            });
        }
    }

    private void publish(HealthCheckResult result) {
        try {
            sink.accept(result);
        } catch (RuntimeException e) {
            log.error("Result {} of session {} could not be handed over", result.getCheckId(), result.getSessionId(), e);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (current != null) {
                current.close();
            }
        }
        resubscriber.shutdownNow();
    }

    private final class Listener implements ContainerEngine.Listener {
        private final long generation;

        Listener(long generation) {
            this.generation = generation;
        }

        @Override
        public void onEvent(ContainerEvent event) {
            failedAttempts.set(0); // the stream works: the next loss starts the back-off afresh
            try {
                handle(event);
            } catch (RuntimeException e) {
                log.error("Handling docker event '{}' for container {} failed", event.action(), event.containerId(), e);
            }
        }

        @Override
        public void onClosed(Throwable cause) {
            synchronized (lock) {
                if (closed) {
                    return; // our own close() ended the stream
                }
            }
            if (cause != null) {
                log.warn("Docker event stream failed: {}", cause.toString());
            } else {
                log.info("Docker event stream ended");
            }
            scheduleResubscribe(generation);
        }
    }
}
