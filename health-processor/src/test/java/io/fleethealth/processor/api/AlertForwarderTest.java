package io.fleethealth.processor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.HealthAlert;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertForwarderTest {

    private static final Instant STARTED = Instant.parse("2025-03-01T12:00:00Z");
    private static final Instant NOW = Instant.parse("2025-03-01T12:05:00Z");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private final AlertForwarder.Sleeper recordingSleeper = pauses::add;
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ObjectMapper json = new ObjectMapper();
    private AlertReceiver receiver;
    private AlertForwarder forwarder;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = new AlertReceiver();
    }

    @AfterEach
    void stop() {
        if (forwarder != null) {
            forwarder.close();
        }
        receiver.close();
    }

    private AlertForwarder forwarder(URI url, AlertForwarderSettings.Mode mode, int maxAttempts, int queueCapacity) {
        forwarder = new AlertForwarder(new AlertForwarderSettings(url, mode, maxAttempts, Duration.ofMillis(100),
                Duration.ofMillis(350), queueCapacity, Duration.ofSeconds(5)), recordingSleeper, clock);
        return forwarder;
    }

    private static HealthAlert alert(String fingerprint, AlertStatus status, Instant endsAt) {
        return HealthAlert.newBuilder()
                .setFingerprint(fingerprint)
                .setStatus(status)
                .setLabels(Map.of("alertname", "SessionFailed", "severity", "critical", "session_id", "s-" + fingerprint))
                .setAnnotations(Map.of("summary", "session s-" + fingerprint + " gave up"))
                .setStartsAt(STARTED)
                .setEndsAt(endsAt)
                .setGeneratorUrl("http://127.0.0.1:8080/health/container/s-" + fingerprint)
                .build();
    }

    private JsonNode body(int request) throws IOException {
        return json.readTree(receiver.requests.get(request).body());
    }

    @Test
    void shouldPostAlertmanagerV2AlertsWithTheirShape() throws IOException {
        forwarder(receiver.uri(), AlertForwarderSettings.Mode.ALERTMANAGER, 3, 10);

        assertThat(forwarder.submit(alert("fp1", AlertStatus.FIRING, null))).isTrue();
        await().atMost(WAIT).until(() -> forwarder.stats().delivered() == 1);

        AlertReceiver.Received request = receiver.requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v2/alerts");
        assertThat(request.contentType()).isEqualTo("application/json");
        JsonNode alerts = body(0);
        assertThat(alerts.isArray()).isTrue();
        assertThat(alerts).hasSize(1);
        JsonNode alert = alerts.get(0);
        List<String> fields = new java.util.ArrayList<>();
        alert.fieldNames().forEachRemaining(fields::add);
        // A firing alert has no endsAt: Alertmanager would otherwise resolve it at that time.
        assertThat(fields).containsExactly("labels", "annotations", "startsAt", "generatorURL");
        assertThat(alert.at("/labels/alertname").asText()).isEqualTo("SessionFailed");
        assertThat(alert.at("/labels/session_id").asText()).isEqualTo("s-fp1");
        assertThat(alert.at("/annotations/summary").asText()).isEqualTo("session s-fp1 gave up");
        assertThat(alert.get("startsAt").asText()).isEqualTo("2025-03-01T12:00:00Z");
        assertThat(alert.get("generatorURL").asText()).isEqualTo("http://127.0.0.1:8080/health/container/s-fp1");
    }

    @Test
    void shouldSendTheEndOfAResolvedAlertAndNowWhenItLacksOne() throws IOException {
        forwarder(URI.create(receiver.uri() + "/"), AlertForwarderSettings.Mode.ALERTMANAGER, 3, 10);

        forwarder.submit(alert("fp1", AlertStatus.RESOLVED, STARTED.plusSeconds(90)));
        await().atMost(WAIT).until(() -> forwarder.stats().delivered() == 1);
        forwarder.submit(alert("fp2", AlertStatus.RESOLVED, null));
        await().atMost(WAIT).until(() -> forwarder.stats().delivered() == 2);

        assertThat(receiver.requests).extracting(AlertReceiver.Received::path).containsOnly("/api/v2/alerts");
        assertThat(body(0).get(0).get("endsAt").asText()).isEqualTo("2025-03-01T12:01:30Z");
        assertThat(body(1).get(0).get("endsAt").asText()).isEqualTo("2025-03-01T12:05:00Z");
    }

    @Test
    void shouldPostOneAlertWithStatusAndFingerprintToAPlainWebhook() throws IOException {
        forwarder(URI.create(receiver.uri() + "/hooks/fleet"), AlertForwarderSettings.Mode.WEBHOOK, 3, 10);

        forwarder.submit(alert("fp1", AlertStatus.FIRING, null));
        forwarder.submit(alert("fp1", AlertStatus.RESOLVED, STARTED.plusSeconds(60)));
        await().atMost(WAIT).until(() -> forwarder.stats().delivered() == 2);

        assertThat(receiver.requests).extracting(AlertReceiver.Received::path).containsExactly("/hooks/fleet", "/hooks/fleet");
        JsonNode firing = body(0);
        JsonNode resolved = body(1);
        assertThat(firing.get("fingerprint").asText()).isEqualTo("fp1");
        assertThat(firing.get("status").asText()).isEqualTo("firing");
        assertThat(firing.get("endsAt").isNull()).isTrue();
        assertThat(firing.at("/labels/severity").asText()).isEqualTo("critical");
        assertThat(firing.get("startsAt").asText()).isEqualTo("2025-03-01T12:00:00Z");
        assertThat(firing.get("generatorURL").asText()).endsWith("/health/container/s-fp1");
        assertThat(resolved.get("fingerprint").asText()).isEqualTo("fp1");
        assertThat(resolved.get("status").asText()).isEqualTo("resolved");
        assertThat(resolved.get("endsAt").asText()).isEqualTo("2025-03-01T12:01:00Z");
    }

    @Test
    void shouldRetryAnUnavailableReceiverWithExponentialBackOffUntilItAccepts() throws IOException {
        receiver.answer(503, 503, 503);
        forwarder(receiver.uri(), AlertForwarderSettings.Mode.ALERTMANAGER, 6, 10);

        forwarder.submit(alert("fp1", AlertStatus.FIRING, null));
        await().atMost(WAIT).until(() -> forwarder.stats().delivered() == 1);

        assertThat(receiver.requests).hasSize(4);
        assertThat(body(3)).isEqualTo(body(0));
        assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(350));
        assertThat(forwarder.stats()).isEqualTo(new AlertForwarder.Stats(1, 1, 0, 0, 3));
    }

    @Test
    void shouldRetryTooManyRequestsAndRequestTimeout() {
        receiver.answer(429, 408);
        forwarder(receiver.uri(), AlertForwarderSettings.Mode.WEBHOOK, 6, 10);

        forwarder.submit(alert("fp1", AlertStatus.FIRING, null));
        await().atMost(WAIT).until(() -> forwarder.stats().delivered() == 1);

        assertThat(receiver.requests).hasSize(3);
    }

    @Test
    void shouldGiveUpAtOnceOnAPermanentRejection() {
        receiver.answer(400);
        forwarder(receiver.uri(), AlertForwarderSettings.Mode.ALERTMANAGER, 6, 10);

        forwarder.submit(alert("bad", AlertStatus.FIRING, null));
        await().atMost(WAIT).until(() -> forwarder.stats().failed() == 1);
        forwarder.submit(alert("good", AlertStatus.FIRING, null));
        await().atMost(WAIT).until(() -> forwarder.stats().delivered() == 1);

        assertThat(receiver.requests).hasSize(2);
        assertThat(pauses).isEmpty();
        assertThat(forwarder.stats().retries()).isZero();
    }

    @Test
    void shouldGiveUpAfterTheLastAttempt() {
        receiver.answer(500, 502, 503, 504);
        forwarder(receiver.uri(), AlertForwarderSettings.Mode.ALERTMANAGER, 3, 10);

        forwarder.submit(alert("fp1", AlertStatus.FIRING, null));
        await().atMost(WAIT).until(() -> forwarder.stats().failed() == 1);

        assertThat(receiver.requests).hasSize(3);
        assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(forwarder.stats()).isEqualTo(new AlertForwarder.Stats(1, 0, 1, 0, 2));
    }

    @Test
    void shouldRetryWhenTheReceiverIsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        forwarder(URI.create("http://127.0.0.1:" + closedPort), AlertForwarderSettings.Mode.ALERTMANAGER, 4, 10);

        forwarder.submit(alert("fp1", AlertStatus.FIRING, null));
        await().atMost(WAIT).until(() -> forwarder.stats().failed() == 1);

        assertThat(pauses).hasSize(3);
        assertThat(forwarder.stats().retries()).isEqualTo(3);
    }

    @Test
    void shouldDropAndCountAlertsWhenItsQueueIsFullWithoutBlockingTheCaller() {
        receiver.hold();
        forwarder(receiver.uri(), AlertForwarderSettings.Mode.WEBHOOK, 3, 2);

        assertThat(forwarder.submit(alert("in-flight", AlertStatus.FIRING, null))).isTrue();
        await().atMost(WAIT).until(() -> receiver.requests.size() == 1);
        assertThat(forwarder.submit(alert("queued-1", AlertStatus.FIRING, null))).isTrue();
        assertThat(forwarder.submit(alert("queued-2", AlertStatus.FIRING, null))).isTrue();
        assertThat(forwarder.submit(alert("overflow", AlertStatus.FIRING, null))).isFalse();
        assertThat(forwarder.stats().dropped()).isEqualTo(1);

        receiver.release();
        await().atMost(WAIT).until(() -> forwarder.stats().delivered() == 3);
        assertThat(receiver.requests).extracting(r -> r.body().contains("\"overflow\"")).containsOnly(false);
    }

    @Test
    void shouldBatchQueuedAlertsIntoOnePostForAlertmanager() throws IOException {
        receiver.hold();
        forwarder(receiver.uri(), AlertForwarderSettings.Mode.ALERTMANAGER, 3, 10);
        forwarder.submit(alert("first", AlertStatus.FIRING, null));
        await().atMost(WAIT).until(() -> receiver.requests.size() == 1);
        forwarder.submit(alert("second", AlertStatus.FIRING, null));
        forwarder.submit(alert("third", AlertStatus.RESOLVED, STARTED.plusSeconds(5)));

        receiver.release();
        await().atMost(WAIT).until(() -> forwarder.stats().delivered() == 3);

        assertThat(receiver.requests).hasSize(2);
        assertThat(body(1)).extracting(a -> a.at("/labels/session_id").asText()).containsExactly("s-second", "s-third");
    }

    @Test
    void shouldPublishItsCountsAsMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        forwarder(receiver.uri(), AlertForwarderSettings.Mode.ALERTMANAGER, 3, 10).bindTo(registry);

        forwarder.submit(alert("fp1", AlertStatus.FIRING, null));
        await().atMost(WAIT).until(() -> forwarder.stats().delivered() == 1);

        assertThat(registry.get("fleet.alerts.forwarded").tag("outcome", "delivered").functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get("fleet.alerts.forwarded").tag("outcome", "dropped").functionCounter().count()).isZero();
        assertThat(registry.get("fleet.alerts.forward.queue").gauge().value()).isZero();
    }

    @Test
    void shouldRefuseAlertsOnceClosed() {
        forwarder(receiver.uri(), AlertForwarderSettings.Mode.ALERTMANAGER, 3, 10).close();

        assertThat(forwarder.submit(alert("late", AlertStatus.FIRING, null))).isFalse();
        assertThat(forwarder.stats().dropped()).isEqualTo(1);
    }
}
