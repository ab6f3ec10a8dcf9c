package io.fleethealth.processor.app;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleethealth.events.DockerHealth;
import io.fleethealth.events.DockerState;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.localstack.testbed.TestBed;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.topics.Topics;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two processor instances of one application on the real broker: each answers the operators' API for
 * every session, forwarding to the instance whose stores hold it.
 */
class ProcessorServiceIT {

    private static final String TOKEN = "it-secret-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static TestBed bed;
    private static ProcessorService first;
    private static ProcessorService second;
    private static String appId;

    @BeforeAll
    static void start() throws Exception {
        bed = TestBed.shared();
        appId = bed.uniqueId("service-it");
        first = instance("a");
        second = instance("b");
        assertThat(first.awaitRunning(Duration.ofSeconds(90))).isTrue();
        assertThat(second.awaitRunning(Duration.ofSeconds(90))).isTrue();
    }

    private static ProcessorService instance(String name) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("PROCESSOR_APPLICATION_ID", appId);
        env.put("PROCESSOR_STATE_DIR", bed.dir().resolve(appId + "-" + name).toString());
        env.put("PROCESSOR_HTTP_PORT", Integer.toString(freePort()));
        env.put("FLEET_ADMIN_TOKEN", TOKEN);
        return ProcessorService.start(ProcessorConfig.fromEnv(env), KafkaClientSettings.plaintext(bed.bootstrapServers()), bed.registryClient(), env);
    }

    @AfterAll
    static void stop() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void shouldAnswerForEverySessionFromEitherInstanceByForwardingToTheOwner() throws Exception {
        List<String> sessions = new ArrayList<>();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers());
        try (KafkaProducer<String, HealthCheckResult> producer = new KafkaProducer<>(props, new StringSerializer(),
                bed.serdes().valueSerializer(Topics.HEALTH_CHECKS))) {
            for (int i = 0; i < 12; i++) {
                String session = appId + "-s" + i;
                sessions.add(session);
                producer.send(new ProducerRecord<>(Topics.HEALTH_CHECKS.name(), session, check(session, now, i % 3 == 0)));
            }
        }

        Set<String> servedBy = new HashSet<>();
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            servedBy.clear();
            for (String session : sessions) {
                HttpResponse<String> response = get(first, "/health/container/" + session);
                assertThat(response.statusCode()).as(session).isEqualTo(200);
                JsonNode body = JSON.readTree(response.body());
                assertThat(body.get("sessionId").asText()).isEqualTo(session);
                assertThat(body.get("hostId").asText()).isEqualTo("it-host");
                assertThat(body.get("history")).hasSize(1);
                servedBy.add(response.headers().firstValue("X-Fleet-Served-By").orElse("self"));
            }
        });
        assertThat(servedBy).as("some sessions live on the other instance and were forwarded")
                .contains("self").contains("127.0.0.1:" + second.apiUri().getPort());

        HttpResponse<String> health = get(first, "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(health.body());
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.get("streamsState").asText()).isEqualTo("RUNNING");

        HttpResponse<String> unknown = get(first, "/health/container/" + appId + "-nobody");
        assertThat(unknown.statusCode()).isEqualTo(404);

        String healthySession = sessions.get(1);
        assertThat(post(first, "/health/sessions/" + healthySession + "/reset", null).statusCode()).isEqualTo(401);
        assertThat(post(first, "/health/sessions/" + healthySession + "/reset", TOKEN).statusCode())
                .as("only a FAILED session can be reset").isEqualTo(409);

        // Each instance lists the sessions it holds, page by page, merged over its partitions in id order:
        // together the walks see every session exactly once, and each instance's /health counts its own.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<String> firstWalk = walk(first, 2);
            List<String> secondWalk = walk(second, 2);
            List<String> both = new ArrayList<>(firstWalk);
            both.addAll(secondWalk);
            assertThat(both.stream().filter(id -> id.startsWith(appId + "-s")).toList())
                    .containsExactlyInAnyOrderElementsOf(sessions);
            assertThat(both).doesNotHaveDuplicates();
            assertThat(countedSessions(first)).isEqualTo(firstWalk.size());
            assertThat(countedSessions(second)).isEqualTo(secondWalk.size());
        });

        HttpResponse<String> metrics = get(first, "/metrics");
        assertThat(metrics.body()).contains("fleet_decisions_total").contains("kafka_stream")
                .as("this instance owns some of the sessions").containsPattern("fleet_sessions\\{[^}]*\\} [1-9]");
    }

    /** A real scrape passes `promtool check metrics` (Debian's prometheus package) and stays small. */
    @Test
    void shouldServeMetricsThatPromtoolAccepts() throws Exception {
        String scrape = get(first, "/metrics").body();
        java.nio.file.Path file = bed.dir().resolve(appId + "-metrics.txt");
        java.nio.file.Files.writeString(file, scrape);
        Promtool.Result result = Promtool.checkMetrics(scrape);
        assertThat(result.output()).as("promtool check metrics on %s", file).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(scrape).contains("fleet_probe_response_time_seconds").doesNotContain("_milliseconds");
        // Kafka client metrics trimmed to what an operator uses (PROCESSOR_KAFKA_METRICS=essential).
        assertThat(scrape).contains("kafka_consumer_fetch_manager_records_lag_max", "kafka_stream_thread_process_rate",
                "kafka_stream_thread_commit_latency_avg");
        assertThat(scrape.length()).as("bytes of one scrape").isLessThan(60_000);
    }

    private static HttpResponse<String> get(ProcessorService service, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(service.apiUri().resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Every session id one instance lists, following nextCursor. */
    private static List<String> walk(ProcessorService service, int limit) throws Exception {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            HttpResponse<String> page = get(service, "/health/sessions?limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(page.body());
            body.get("sessions").forEach(s -> ids.add(s.get("sessionId").asText()));
            cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").asText();
        } while (cursor != null);
        return ids;
    }

    private static long countedSessions(ProcessorService service) throws Exception {
        JsonNode sessions = JSON.readTree(get(service, "/health").body()).get("sessions");
        long sum = 0;
        for (JsonNode count : sessions) {
            sum += count.asLong();
        }
        return sum;
    }

    private static HttpResponse<String> post(ProcessorService service, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.apiUri().resolve(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HealthCheckResult check(String session, Instant at, boolean failing) {
        return HealthCheckResult.newBuilder()
                .setCheckId(session + "-c0").setSessionId(session).setHostId("it-host")
                .setContainerId("cid-" + session).setContainerName(session).setImage("fleet-test/busybox:1")
                .setProbeTime(at)
                .setStatus(failing ? HealthStatus.UNHEALTHY : HealthStatus.HEALTHY)
                .setDockerState(DockerState.RUNNING)
                .setDockerHealth(failing ? DockerHealth.UNHEALTHY : DockerHealth.HEALTHY)
                .setErrorCategory(failing ? ErrorCategory.HEALTHCHECK_FAILING : ErrorCategory.NONE)
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
