package io.fleethealth.processor.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleethealth.events.HealthAlert;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts alerts to an Alertmanager v2 API or a plain webhook, on the caller's thread, so that the caller (the
 * alert feed) commits only what was delivered.
 *
 * <p>A POST is retried with exponential back-off on connection errors, timeouts, 408, 429 and 5xx; when the
 * attempts run out the delivery is left for later ({@link Delivery#retryLater}) and nothing is lost. Any other
 * answer (a 400 for a malformed alert) would fail again: a batch so rejected is split in halves until the alert
 * the receiver refuses is alone, and only that one is given up (counted, logged). In Alertmanager mode up to
 * {@value #ALERTMANAGER_BATCH} alerts travel in one POST, the latest per fingerprint.
 */
public final class AlertForwarder {

    /** Waits between attempts; tests record the pauses instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * What became of the alerts of one {@link #deliver} call.
     *
     * @param delivered  accepted by the receiver
     * @param rejected   refused for good (a 4xx other than 408/429, alone in its POST): given up and counted
     * @param retryLater true when the receiver stayed unavailable: the caller must not commit and tries again
     */
    public record Delivery(int delivered, int rejected, boolean retryLater) {
    }

    /** Alerts by fate since start. {@code retries} counts attempts after the first. */
    public record Stats(long delivered, long rejected, long retryLater, long retries) {
    }

    static final int ALERTMANAGER_BATCH = 64;
    private static final Logger log = LoggerFactory.getLogger(AlertForwarder.class);

    private final AlertForwarderSettings settings;
    private final AlertLinks links;
    private final URI target;
    private final HttpClient client;
    private final Sleeper sleeper;
    private final Clock clock;
    private final ObjectMapper json = io.fleethealth.http.Json.mapper();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong retryLater = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    public AlertForwarder(AlertForwarderSettings settings, AlertLinks links) {
        this(settings, links, duration -> Thread.sleep(duration.toMillis()), Clock.systemUTC());
    }

    public AlertForwarder(AlertForwarderSettings settings, AlertLinks links, Sleeper sleeper, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.links = Objects.requireNonNull(links, "links");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.target = settings.target();
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        log.info("alert forwarder posting to {} ({} mode)", target, settings.mode());
    }

    public Stats stats() {
        return new Stats(delivered.get(), rejected.get(), retryLater.get(), retries.get());
    }

    /** Publishes the counts as {@code fleet_alerts_forwarded_total{outcome=...}} and the retries. */
    public void bindTo(MeterRegistry registry) {
        bindCounter(registry, "delivered", delivered);
        bindCounter(registry, "rejected", rejected);
        bindCounter(registry, "retry_later", retryLater);
        FunctionCounter.builder("fleet.alerts.forward.retries", retries, AtomicLong::get)
                .description("Alert POSTs retried after a failed attempt").register(registry);
    }

    private static void bindCounter(MeterRegistry registry, String outcome, AtomicLong count) {
        FunctionCounter.builder("fleet.alerts.forwarded", count, AtomicLong::get)
                .description("Alerts by forwarding outcome").tag("outcome", outcome).register(registry);
    }

    /**
     * Delivers the alerts, in order, blocking through the retries. Stops at the first POST the receiver
     * would not take even after every attempt: what came before is delivered, the rest is left for later.
     */
    public Delivery deliver(List<HealthAlert> alerts) throws InterruptedException {
        List<List<HealthAlert>> posts = new ArrayList<>();
        if (settings.mode() == AlertForwarderSettings.Mode.ALERTMANAGER) {
            List<HealthAlert> latest = latestPerFingerprint(alerts);
            for (int from = 0; from < latest.size(); from += ALERTMANAGER_BATCH) {
                posts.add(latest.subList(from, Math.min(latest.size(), from + ALERTMANAGER_BATCH)));
            }
        } else {
            alerts.forEach(alert -> posts.add(List.of(alert)));
        }
        int ok = 0;
        int refused = 0;
        for (List<HealthAlert> post : posts) {
            Delivery one = deliverSplittingRejections(post);
            ok += one.delivered();
            refused += one.rejected();
            if (one.retryLater()) {
                retryLater.addAndGet(alerts.size() - ok - refused);
                return new Delivery(ok, refused, true);
            }
        }
        return new Delivery(ok, refused, false);
    }

    /** A re-sent alert and its resolution may meet in one poll: Alertmanager needs only the latest of each. */
    private static List<HealthAlert> latestPerFingerprint(List<HealthAlert> alerts) {
        Map<String, HealthAlert> latest = new LinkedHashMap<>();
        for (HealthAlert alert : alerts) {
            latest.remove(alert.getFingerprint());
            latest.put(alert.getFingerprint(), alert);
        }
        return new ArrayList<>(latest.values());
    }

    private Delivery deliverSplittingRejections(List<HealthAlert> post) throws InterruptedException {
        Attempt result = postWithRetries(post);
        switch (result.outcome()) {
            case DELIVERED -> {
                delivered.addAndGet(post.size());
                return new Delivery(post.size(), 0, false);
            }
            case RETRYABLE -> {
                log.warn("could not forward {} alert(s) (first {}) to {} after {} attempt(s): {}; will try again",
                        post.size(), post.get(0).getFingerprint(), target, settings.maxAttempts(), result.detail());
                return new Delivery(0, 0, true);
            }
            default -> {
                if (post.size() == 1) {
                    rejected.incrementAndGet();
                    HealthAlert alert = post.get(0);
                    log.error("{} refused alert {} ({} {}, labels {}): {}; giving it up", target, alert.getFingerprint(),
                            alert.getLabels().get("alertname"), alert.getStatus(), alert.getLabels(), result.detail());
                    return new Delivery(0, 1, false);
                }
                // One bad alert must not sink the others: find it by halves (log2(64) = 6 rounds at most).
                int half = post.size() / 2;
                Delivery first = deliverSplittingRejections(post.subList(0, half));
                if (first.retryLater()) {
                    return first;
                }
                Delivery second = deliverSplittingRejections(post.subList(half, post.size()));
                return new Delivery(first.delivered() + second.delivered(), first.rejected() + second.rejected(),
                        second.retryLater());
            }
        }
    }

    private Attempt postWithRetries(List<HealthAlert> post) throws InterruptedException {
        byte[] body = body(post);
        for (int attempt = 1; ; attempt++) {
            Attempt result = post(body);
            if (result.outcome() != Outcome.RETRYABLE || attempt >= settings.maxAttempts()) {
                return result;
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
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Attempt(Outcome.DELIVERED, "HTTP " + status);
            }
            boolean worthRetrying = status == 408 || status == 429 || status >= 500;
            String detail = "HTTP " + status + " " + abbreviate(response.body());
            return new Attempt(worthRetrying ? Outcome.RETRYABLE : Outcome.PERMANENT, detail);
        } catch (IOException e) {
            return new Attempt(Outcome.RETRYABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }

    private byte[] body(List<HealthAlert> post) {
        Object payload = settings.mode() == AlertForwarderSettings.Mode.ALERTMANAGER
                ? AlertPayloads.alertmanager(post, links, clock)
                : AlertPayloads.webhook(post.get(0), links, clock);
        try {
            return json.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write alert " + post.get(0).getFingerprint() + " as JSON", e);
        }
    }

    private enum Outcome {
        DELIVERED, RETRYABLE, PERMANENT
    }

    private record Attempt(Outcome outcome, String detail) {
    }
}
