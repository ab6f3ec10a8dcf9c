package io.fleethealth.processor.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleethealth.events.HealthAlert;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts the alerts of fleet.alerts to an Alertmanager v2 API or a plain webhook, on its own thread.
 *
 * <p>{@link #submit} never blocks: alerts wait in a bounded queue, and when it is full the new alert is dropped
 * and counted. A delivery is retried with exponential back-off on connection errors, timeouts, 408, 429 and
 * 5xx; any other answer (a 400 for a malformed alert, say) would fail again and is given up at once. In
 * Alertmanager mode the alerts waiting in the queue travel together in one POST.
 */
public final class AlertForwarder implements AutoCloseable {

    /** Waits between attempts; tests record the pauses instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Alerts by fate since start. {@code retries} counts attempts after the first. */
    public record Stats(long submitted, long delivered, long failed, long dropped, long retries) {
    }

    private static final int ALERTMANAGER_BATCH = 64;
    private static final Duration DRAIN_ON_CLOSE = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(AlertForwarder.class);

    private final AlertForwarderSettings settings;
    private final URI target;
    private final HttpClient client;
    private final Sleeper sleeper;
    private final Clock clock;
    private final ObjectMapper json = io.fleethealth.http.Json.mapper();
    private final BlockingQueue<HealthAlert> queue;
    private final Thread worker;
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile boolean accepting = true;

    public AlertForwarder(AlertForwarderSettings settings) {
        this(settings, duration -> Thread.sleep(duration.toMillis()), Clock.systemUTC());
    }

    public AlertForwarder(AlertForwarderSettings settings, Sleeper sleeper, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.target = settings.target();
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.worker = new Thread(this::run, "fleet-alert-forwarder");
        worker.setDaemon(true);
        worker.start();
        log.info("alert forwarder posting to {} ({} mode)", target, settings.mode());
    }

    /** Queues an alert for delivery; false (and counted as dropped) when the queue is full or the forwarder closed. */
    public boolean submit(HealthAlert alert) {
        Objects.requireNonNull(alert, "alert");
        submitted.incrementAndGet();
        if (accepting && queue.offer(alert)) {
            return true;
        }
        long total = dropped.incrementAndGet();
        log.warn("alert {} ({}) dropped: forwarder queue full or closed ({} dropped so far)",
                alert.getFingerprint(), alert.getStatus(), total);
        return false;
    }

    public Stats stats() {
        return new Stats(submitted.get(), delivered.get(), failed.get(), dropped.get(), retries.get());
    }

    /** Publishes the counts as {@code fleet.alerts.forwarded{outcome=...}} and the queue length. */
    public void bindTo(MeterRegistry registry) {
        bindCounter(registry, "delivered", delivered);
        bindCounter(registry, "failed", failed);
        bindCounter(registry, "dropped", dropped);
        FunctionCounter.builder("fleet.alerts.forward.retries", retries, AtomicLong::get)
                .description("Alert deliveries retried after a failed attempt").register(registry);
        Gauge.builder("fleet.alerts.forward.queue", queue, BlockingQueue::size)
                .description("Alerts waiting to be forwarded").register(registry);
    }

    private static void bindCounter(MeterRegistry registry, String outcome, AtomicLong count) {
        FunctionCounter.builder("fleet.alerts.forwarded", count, AtomicLong::get)
                .description("Alerts by forwarding outcome").tag("outcome", outcome).register(registry);
    }

    /** Stops accepting, gives the queue a few seconds to drain, then stops the worker. */
    @Override
    public void close() {
        accepting = false;
        try {
            worker.join(DRAIN_ON_CLOSE.toMillis());
            if (worker.isAlive()) {
                worker.interrupt();
                worker.join(DRAIN_ON_CLOSE.toMillis());
            }
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
        }
        int left = queue.size();
        if (left > 0) {
            dropped.addAndGet(left);
            log.warn("alert forwarder closed with {} alerts undelivered", left);
        }
    }

    private void run() {
        try {
            while (accepting || !queue.isEmpty()) {
                HealthAlert first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first != null) {
                    deliverOrCount(nextBatch(first));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One bad batch must not stop the forwarder: it is counted as failed and the loop goes on. */
    private void deliverOrCount(List<HealthAlert> batch) throws InterruptedException {
        try {
            deliver(batch);
        } catch (RuntimeException e) {
            failed.addAndGet(batch.size());
            log.error("could not forward {} alert(s) (first {})", batch.size(), batch.get(0).getFingerprint(), e);
        }
    }

    private List<HealthAlert> nextBatch(HealthAlert first) {
        List<HealthAlert> batch = new ArrayList<>();
        batch.add(first);
        if (settings.mode() == AlertForwarderSettings.Mode.ALERTMANAGER) {
            queue.drainTo(batch, ALERTMANAGER_BATCH - 1);
        }
        return batch;
    }

    private void deliver(List<HealthAlert> batch) throws InterruptedException {
        byte[] body = body(batch);
        for (int attempt = 1; ; attempt++) {
            Attempt result = post(body);
            if (result.outcome() == Outcome.DELIVERED) {
                delivered.addAndGet(batch.size());
                return;
            }
            if (result.outcome() == Outcome.PERMANENT || attempt >= settings.maxAttempts()) {
                failed.addAndGet(batch.size());
                log.warn("gave up forwarding {} alert(s) (first {}) to {} after {} attempt(s): {}",
                        batch.size(), batch.get(0).getFingerprint(), target, attempt, result.detail());
                return;
            }
            log.debug("forwarding to {} failed (attempt {}): {}", target, attempt, result.detail());
            retries.incrementAndGet();
            sleeper.sleep(backoff(attempt));
        }
    }

    /** The pause after failed attempt {@code attempt} (1-based): initial * 2^(attempt-1), capped. */
    Duration backoff(int attempt) {
        Duration pause = settings.initialBackoff();
        for (int i = 1; i < attempt && pause.compareTo(settings.maxBackoff()) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : pause;
    }

    private Attempt post(byte[] body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                return new Attempt(Outcome.DELIVERED, "HTTP " + status);
            }
            boolean worthRetrying = status == 408 || status == 429 || status >= 500;
            return new Attempt(worthRetrying ? Outcome.RETRYABLE : Outcome.PERMANENT, "HTTP " + status);
        } catch (IOException e) {
            return new Attempt(Outcome.RETRYABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private byte[] body(List<HealthAlert> batch) {
        Object payload = settings.mode() == AlertForwarderSettings.Mode.ALERTMANAGER
                ? AlertPayloads.alertmanager(batch, clock)
                : AlertPayloads.webhook(batch.get(0), clock);
        try {
            return json.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write alert " + batch.get(0).getFingerprint() + " as JSON", e);
        }
    }

    private enum Outcome {
        DELIVERED, RETRYABLE, PERMANENT
    }

    private record Attempt(Outcome outcome, String detail) {
    }
}
