package io.fleethealth.processor.api;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertForwarderTest {

    private static final Instant STARTED = Instant.parse("2025-03-01T12:00:00Z");
    private static final Instant NOW = Instant.parse("2025-03-01T12:05:00Z");
    private static final AlertLinks LINKS = new AlertLinks(URI.create("https://fleet.example:8443/"),
            Optional.of(URI.create("https://docs.example/fleet-health/operations.html")));

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
        receiver.close();
    }

    private AlertForwarder forwarder(URI url, AlertForwarderSettings.Mode mode, int maxAttempts) {
        forwarder = new AlertForwarder(new AlertForwarderSettings(url, mode, maxAttempts, Duration.ofMillis(100),
                Duration.ofMillis(350), Duration.ofSeconds(5)), LINKS, recordingSleeper, clock);
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
                .setGeneratorUrl(null)
                .build();
    }

    private JsonNode body(int request) throws IOException {
        return json.readTree(receiver.requests.get(request).body());
    }

    @Test
    void shouldPostAlertmanagerV2AlertsWithTheirShapeAndAbsoluteLinks() throws Exception {
        forwarder(receiver.uri(), AlertForwarderSettings.Mode.ALERTMANAGER, 3);

        assertThat(forwarder.deliver(List.of(alert("fp1", AlertStatus.FIRING, null))))
                .isEqualTo(new AlertForwarder.Delivery(1, 0, false));

        AlertReceiver.Received request = receiver.requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v2/alerts");
        assertThat(request.contentType()).isEqualTo("application/json");
        JsonNode alerts = body(0);
        assertThat(alerts.isArray()).isTrue();
        assertThat(alerts).hasSize(1);
        JsonNode alert = alerts.get(0);
        List<String> fields = new ArrayList<>();
        alert.fieldNames().forEachRemaining(fields::add);
        // A firing alert has no endsAt: Alertmanager would otherwise resolve it at that time.
        assertThat(fields).containsExactly("labels", "annotations", "startsAt", "generatorURL");
        assertThat(alert.at("/labels/alertname").asText()).isEqualTo("SessionFailed");
        assertThat(alert.at("/labels/session_id").asText()).isEqualTo("s-fp1");
        assertThat(alert.at("/annotations/summary").asText()).isEqualTo("session s-fp1 gave up");
        assertThat(alert.at("/annotations/runbook_url").asText())
                .isEqualTo("https://docs.example/fleet-health/operations.html#a-session-is-failed");
        assertThat(alert.get("startsAt").asText()).isEqualTo("2025-03-01T12:00:00Z");
        assertThat(alert.get("generatorURL").asText()).isEqualTo("https://fleet.example:8443/#session=s-fp1");
    }

    @Test
    void shouldLinkAHostAlertToItsHostAndLeaveOutTheRunbookWhenNoneIsSet() throws Exception {
        forwarder = new AlertForwarder(AlertForwarderSettings.of(receiver.uri(), AlertForwarderSettings.Mode.ALERTMANAGER),
                new AlertLinks(URI.create("http://127.0.0.1:8080"), Optional.empty()), recordingSleeper, clock);
        HealthAlert host = HealthAlert.newBuilder(alert("h1", AlertStatus.FIRING, null))
                .setLabels(Map.of("alertname", "HostHeartbeatsStopped", "severity", "critical", "host_id", "rack 7/b"))
                .build();

        forwarder.deliver(List.of(host));

        assertThat(body(0).get(0).get("generatorURL").asText()).isEqualTo("http://127.0.0.1:8080/#host=rack%207%2Fb");
        assertThat(body(0).get(0).get("annotations").has("runbook_url")).isFalse();
    }

    @Test
    void shouldSendTheEndOfAResolvedAlertAndNowWhenItLacksOne() throws Exception {
        forwarder(URI.create(receiver.uri() + "/"), AlertForwarderSettings.Mode.ALERTMANAGER, 3);

        forwarder.deliver(List.of(alert("fp1", AlertStatus.RESOLVED, STARTED.plusSeconds(90))));
        forwarder.deliver(List.of(alert("fp2", AlertStatus.RESOLVED, null)));

        assertThat(receiver.requests).extracting(AlertReceiver.Received::path).containsOnly("/api/v2/alerts");
        assertThat(body(0).get(0).get("endsAt").asText()).isEqualTo("2025-03-01T12:01:30Z");
        assertThat(body(1).get(0).get("endsAt").asText()).isEqualTo("2025-03-01T12:05:00Z");
    }

    @Test
    void shouldPostOneAlertWithStatusAndFingerprintToAPlainWebhook() throws Exception {
        forwarder(URI.create(receiver.uri() + "/hooks/fleet"), AlertForwarderSettings.Mode.WEBHOOK, 3);

        assertThat(forwarder.deliver(List.of(alert("fp1", AlertStatus.FIRING, null),
                alert("fp1", AlertStatus.RESOLVED, STARTED.plusSeconds(60))))).isEqualTo(new AlertForwarder.Delivery(2, 0, false));

        assertThat(receiver.requests).extracting(AlertReceiver.Received::path).containsExactly("/hooks/fleet", "/hooks/fleet");
        JsonNode firing = body(0);
        JsonNode resolved = body(1);
        assertThat(firing.get("fingerprint").asText()).isEqualTo("fp1");
        assertThat(firing.get("status").asText()).isEqualTo("firing");
        assertThat(firing.get("endsAt").isNull()).isTrue();
        assertThat(firing.at("/labels/severity").asText()).isEqualTo("critical");
        assertThat(firing.get("startsAt").asText()).isEqualTo("2025-03-01T12:00:00Z");
        assertThat(firing.get("generatorURL").asText()).isEqualTo("https://fleet.example:8443/#session=s-fp1");
        assertThat(firing.at("/annotations/runbook_url").asText()).endsWith("operations.html#a-session-is-failed");
        assertThat(resolved.get("fingerprint").asText()).isEqualTo("fp1");
        assertThat(resolved.get("status").asText()).isEqualTo("resolved");
        assertThat(resolved.get("endsAt").asText()).isEqualTo("2025-03-01T12:01:00Z");
    }

    @Test
    void shouldRetryAnUnavailableReceiverWithExponentialBackOffUntilItAccepts() throws Exception {
        receiver.answer(503, 503, 503);
        forwarder(receiver.uri(), AlertForwarderSettings.Mode.ALERTMANAGER, 6);

        assertThat(forwarder.deliver(List.of(alert("fp1", AlertStatus.FIRING, null))).delivered()).isEqualTo(1);

        assertThat(receiver.requests).hasSize(4);
        assertThat(body(3)).isEqualTo(body(0));
        assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(350));
        assertThat(forwarder.stats()).isEqualTo(new AlertForwarder.Stats(1, 0, 0, 3));
    }

    @Test
    void shouldRetryTooManyRequestsAndRequestTimeout() throws Exception {
        receiver.answer(429, 408);
        forwarder(receiver.uri(), AlertForwarderSettings.Mode.WEBHOOK, 6);

        assertThat(forwarder.deliver(List.of(alert("fp1", AlertStatus.FIRING, null))).delivered()).isEqualTo(1);

        assertThat(receiver.requests).hasSize(3);
    }

    @Test
    void shouldGiveUpAtOnceOnAPermanentRejectionOfASingleAlert() throws Exception {
        receiver.answer(400);
        forwarder(receiver.uri(), AlertForwarderSettings.Mode.ALERTMANAGER, 6);

        assertThat(forwarder.deliver(List.of(alert("bad", AlertStatus.FIRING, null))))
                .isEqualTo(new AlertForwarder.Delivery(0, 1, false));
        assertThat(forwarder.deliver(List.of(alert("good", AlertStatus.FIRING, null))))
                .isEqualTo(new AlertForwarder.Delivery(1, 0, false));

        assertThat(receiver.requests).hasSize(2);
        assertThat(pauses).isEmpty();
        assertThat(forwarder.stats().retries()).isZero();
    }

    @Test
    void shouldDeliverTheOtherAlertsOfABatchWhenTheReceiverRefusesOneOfThem() throws Exception {
        receiver.refuse("s-poison");
        forwarder(receiver.uri(), AlertForwarderSettings.Mode.ALERTMANAGER, 3);
        List<HealthAlert> batch = new ArrayList<>();
        for (int i = 0; i < AlertForwarder.ALERTMANAGER_BATCH; i++) {
            batch.add(alert(i == 37 ? "poison" : "fp" + i, AlertStatus.FIRING, null));
        }

        AlertForwarder.Delivery delivery = forwarder.deliver(batch);

        assertThat(delivery).isEqualTo(new AlertForwarder.Delivery(63, 1, false));
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < receiver.requests.size(); i++) {
            if (!receiver.requests.get(i).body().contains("s-poison")) {
                body(i).forEach(alert -> accepted.add(alert.at("/labels/session_id").asText()));
            }
        }
        assertThat(accepted).hasSize(63).doesNotHaveDuplicates().doesNotContain("s-poison");
        assertThat(receiver.requests.size()).as("found by halves, not one by one").isLessThanOrEqualTo(1 + 2 * 6);
        assertThat(forwarder.stats().rejected()).isEqualTo(1);
    }

    @Test
    void shouldLeaveTheRestForLaterAfterTheLastAttemptWithoutLosingIt() throws Exception {
        receiver.answer(500, 502, 503, 504);
        forwarder(receiver.uri(), AlertForwarderSettings.Mode.WEBHOOK, 3);

        AlertForwarder.Delivery delivery = forwarder.deliver(List.of(alert("fp1", AlertStatus.FIRING, null),
                alert("fp2", AlertStatus.FIRING, null)));

        assertThat(delivery).isEqualTo(new AlertForwarder.Delivery(0, 0, true));
        assertThat(receiver.requests).as("fp2 is not tried while the receiver is down").hasSize(3);
        assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(forwarder.stats()).isEqualTo(new AlertForwarder.Stats(0, 0, 2, 2));
    }

    @Test
    void shouldRetryWhenTheReceiverIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        forwarder(URI.create("http://127.0.0.1:" + closedPort), AlertForwarderSettings.Mode.ALERTMANAGER, 4);

        assertThat(forwarder.deliver(List.of(alert("fp1", AlertStatus.FIRING, null))).retryLater()).isTrue();

        assertThat(pauses).hasSize(3);
        assertThat(forwarder.stats().retries()).isEqualTo(3);
    }

    @Test
    void shouldSendTheLatestOfEachFingerprintInOnePostForAlertmanager() throws Exception {
        forwarder(receiver.uri(), AlertForwarderSettings.Mode.ALERTMANAGER, 3);

        forwarder.deliver(List.of(alert("first", AlertStatus.FIRING, null), alert("second", AlertStatus.FIRING, null),
                alert("first", AlertStatus.RESOLVED, STARTED.plusSeconds(5))));

        assertThat(receiver.requests).hasSize(1);
        assertThat(body(0)).extracting(a -> a.at("/labels/session_id").asText()).containsExactly("s-second", "s-first");
        assertThat(body(0).get(1).get("endsAt").asText()).isEqualTo("2025-03-01T12:00:05Z");
    }

    @Test
    void shouldPublishItsCountsAsMeters() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        forwarder(receiver.uri(), AlertForwarderSettings.Mode.ALERTMANAGER, 3).bindTo(registry);

        forwarder.deliver(List.of(alert("fp1", AlertStatus.FIRING, null)));

        assertThat(registry.get("fleet.alerts.forwarded").tag("outcome", "delivered").functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get("fleet.alerts.forwarded").tag("outcome", "rejected").functionCounter().count()).isZero();
        assertThat(registry.get("fleet.alerts.forwarded").tag("outcome", "retry_later").functionCounter().count()).isZero();
    }
}
