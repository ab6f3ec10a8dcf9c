package io.fleethealth.processor.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.events.DockerHealth;
import io.fleethealth.events.DockerState;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.localstack.testbed.TestBed;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.topics.Topics;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The alert lifecycle against the real Alertmanager 0.25 (Debian's binary) with a short resolve timeout: a
 * FAILED session's alert stays active at Alertmanager for three resolve timeouts, across a processor restart,
 * and resolves as soon as an operator resets the session; a host alert resolves when the host recovers. The
 * resolutions are told apart from expiry by the endsAt Alertmanager reports in its resolved notification.
 */
class AlertmanagerIT {

    private static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(12);
    private static final Duration RESEND_INTERVAL = Duration.ofSeconds(2);
    private static final String TOKEN = "alertmanager-it-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<JsonNode> notifications = new CopyOnWriteArrayList<>();

    @Test
    void shouldKeepAFailedSessionsAlertActiveAcrossARestartAndResolveItOnResetOrRecovery() throws Exception {
        TestBed bed = TestBed.shared();
        String appId = bed.uniqueId("alertmanager-it");
        String failed = appId + "-failed";
        String sick = appId + "-engine";
        String sickHost = appId + "-host";
        HttpServer webhook = webhookReceiver();
        ProcessorService processor = null;
        try (RealAlertmanager alertmanager = new RealAlertmanager(bed.dir().resolve(appId + "-am"), RESOLVE_TIMEOUT,
                URI.create("http://127.0.0.1:" + webhook.getAddress().getPort() + "/am"));
             KafkaProducer<String, HealthCheckResult> checks = producer(bed)) {
            Map<String, String> env = env(bed, appId, alertmanager.uri());
            processor = start(bed, env);

            Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            for (int i = 0; i < 3; i++) {
                send(checks, check(failed, "c" + i, "it-host", t.plusMillis(i), ErrorCategory.HEALTHCHECK_FAILING));
            }
            send(checks, check(sick, "e0", sickHost, t, ErrorCategory.DOCKER_UNREACHABLE));
            await().atMost(Duration.ofSeconds(60)).until(() -> active(alertmanager, "SessionFailed", failed).isPresent()
                    && active(alertmanager, "DockerEngineUnreachable", null).isPresent());
            JsonNode sessionAlert = active(alertmanager, "SessionFailed", failed).orElseThrow();
            assertThat(sessionAlert.get("generatorURL").asText())
                    .isEqualTo(processor.apiUri().toString().replaceAll("/$", "") + "/#session=" + failed);
            assertThat(sessionAlert.at("/annotations/runbook_url").asText())
                    .isEqualTo("https://runbook.example/operations.html#a-session-is-failed");

            stillActiveFor(alertmanager, RESOLVE_TIMEOUT.multipliedBy(3), "SessionFailed", failed);

            // The engine answers again: the host alert resolves with the recovery's time as its end.
            Instant recovered = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            send(checks, check(sick, "e1", sickHost, recovered, ErrorCategory.NONE));
            JsonNode hostResolution = awaitResolved("DockerEngineUnreachable", sickHost);
            assertThat(Instant.parse(hostResolution.get("endsAt").asText()))
                    .as("resolved by the processor, not expired after the resolve timeout").isEqualTo(recovered);

            // A processor restart: the alert is re-sent from the restored state, never lost.
            processor.close();
            processor = null;
            processor = start(bed, env);
            stillActiveFor(alertmanager, RESOLVE_TIMEOUT.multipliedBy(3), "SessionFailed", failed);
            assertThat(resolvedNotifications("SessionFailed", failed)).as("never expired at Alertmanager").isEmpty();

            // The operator resets the session: resolved at once, with the reset's time as its end.
            Instant beforeReset = Instant.now();
            HttpResponse<String> reset = HTTP.send(HttpRequest.newBuilder(processor.apiUri()
                            .resolve("/health/sessions/" + failed + "/reset"))
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(reset.statusCode()).as(reset.body()).isEqualTo(202);
            JsonNode resolution = awaitResolved("SessionFailed", failed);
            assertThat(Instant.parse(resolution.get("endsAt").asText()))
                    .as("ended by the reset, not by the resolve timeout").isBetween(beforeReset.minusSeconds(1), Instant.now());
            assertThat(active(alertmanager, "SessionFailed", failed)).isEmpty();
        } finally {
            if (processor != null) {
                processor.close();
            }
            webhook.stop(0);
        }
    }

    private static Map<String, String> env(TestBed bed, String appId, URI alertmanager) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("PROCESSOR_APPLICATION_ID", appId);
        env.put("PROCESSOR_STATE_DIR", bed.dir().resolve(appId + "-state").toString());
        env.put("PROCESSOR_HTTP_PORT", Integer.toString(freePort()));
        env.put("FLEET_ADMIN_TOKEN", TOKEN);
        env.put("CONTAINER_MAX_RESTART_ATTEMPTS", "0"); // the third failure makes the session FAILED
        env.put("CONTAINER_HEALTH_CHECK_INTERVAL", "60"); // nobody goes stale during the test
        env.put("ALERT_RESEND_INTERVAL", Long.toString(RESEND_INTERVAL.toSeconds()));
        env.put("ALERT_RUNBOOK_URL", "https://runbook.example/operations.html");
        env.put("ALERT_WEBHOOK_URL", alertmanager.toString());
        return env;
    }

    private static ProcessorService start(TestBed bed, Map<String, String> env) throws Exception {
        ProcessorService service = ProcessorService.start(ProcessorConfig.fromEnv(env),
                KafkaClientSettings.plaintext(bed.bootstrapServers()), bed.registryClient(), env);
        assertThat(service.awaitRunning(Duration.ofSeconds(90))).isTrue();
        return service;
    }

    /** Samples Alertmanager every second for {@code period}: the alert must be there, active, every time. */
    private static void stillActiveFor(RealAlertmanager alertmanager, Duration period, String alertname, String sessionId)
            throws Exception {
        Instant end = Instant.now().plus(period);
        int samples = 0;
        while (Instant.now().isBefore(end)) {
            Optional<JsonNode> alert = active(alertmanager, alertname, sessionId);
            assertThat(alert).as("%s of %s at sample %d", alertname, sessionId, samples).isPresent();
            assertThat(alert.get().at("/status/state").asText()).isEqualTo("active");
            samples++;
            Thread.sleep(1000);
        }
        assertThat(samples).isGreaterThan(10);
    }

    private static Optional<JsonNode> active(RealAlertmanager alertmanager, String alertname, String sessionId)
            throws Exception {
        return alertmanager.alerts().stream()
                .filter(a -> alertname.equals(a.at("/labels/alertname").asText()))
                .filter(a -> sessionId == null || sessionId.equals(a.at("/labels/session_id").asText()))
                .findFirst();
    }

    private JsonNode awaitResolved(String alertname, String label) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !resolvedNotifications(alertname, label).isEmpty());
        return resolvedNotifications(alertname, label).get(0);
    }

    /** Resolved alerts Alertmanager notified the webhook of, matching the alert name and a session or host id. */
    private List<JsonNode> resolvedNotifications(String alertname, String label) {
        return notifications.stream().flatMap(n -> {
            List<JsonNode> alerts = new java.util.ArrayList<>();
            n.get("alerts").forEach(alerts::add);
            return alerts.stream();
        }).filter(a -> "resolved".equals(a.get("status").asText()))
                .filter(a -> alertname.equals(a.at("/labels/alertname").asText()))
                .filter(a -> label.equals(a.at("/labels/session_id").asText()) || label.equals(a.at("/labels/host_id").asText()))
                .toList();
    }

    private HttpServer webhookReceiver() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/am", exchange -> {
            try (exchange) {
                notifications.add(JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
        return server;
    }

    private static KafkaProducer<String, HealthCheckResult> producer(TestBed bed) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers());
        return new KafkaProducer<>(props, new StringSerializer(), bed.serdes().valueSerializer(Topics.HEALTH_CHECKS));
    }

    private static void send(KafkaProducer<String, HealthCheckResult> producer, HealthCheckResult check) throws Exception {
        producer.send(new ProducerRecord<>(Topics.HEALTH_CHECKS.name(), check.getSessionId(), check)).get();
    }

    private static HealthCheckResult check(String session, String checkId, String host, Instant at, ErrorCategory error) {
        boolean healthy = error == ErrorCategory.NONE;
        return HealthCheckResult.newBuilder()
                .setCheckId(session + "-" + checkId).setSessionId(session).setHostId(host)
                .setContainerId("cid-" + session).setContainerName(session).setImage("fleet-test/busybox:1")
                .setProbeTime(at)
                .setStatus(healthy ? HealthStatus.HEALTHY : error == ErrorCategory.DOCKER_UNREACHABLE
                        ? HealthStatus.UNKNOWN : HealthStatus.UNHEALTHY)
                .setDockerState(DockerState.RUNNING)
                .setDockerHealth(healthy ? DockerHealth.HEALTHY : DockerHealth.UNHEALTHY)
                .setErrorCategory(error)
                .setErrorMessage(healthy ? null : error.name().toLowerCase())
                .setResponseTimeMs(1.0)
                .setMetadata(new HashMap<>())
                .build();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
