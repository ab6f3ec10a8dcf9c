package io.fleethealth.launcher;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.HealthCheck;
import io.fleethealth.agent.AgentService;
import io.fleethealth.launcher.fault.RestartLedger;
import io.fleethealth.localstack.testbed.DockerTestEngine;
import io.fleethealth.localstack.testbed.TestBed;
import io.fleethealth.processor.app.ProcessorService;
import io.fleethealth.processor.config.ProcessorConfig;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole loop on real parts: busybox containers on the real engine, the probe-agent watching them,
 * the in-process broker and the Apicurio registry carrying the events, the health-processor deciding.
 * Interval 1 s, so that each scenario plays out in seconds. All containers start together, so the
 * scenarios run side by side.
 */
class FleetEndToEndIT {

    private static final String TOKEN = "e2e-token";
    /**
     * Per run: an agent watches every container with its label on the engine, and other test runs share the
     * engine; with the default label two runs restarted each other's containers (and counted 5 restarts of 3).
     */
    private static String sessionLabel;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** After a restart a marker file survives in the container, so the second life behaves. */
    private static final String LOOP = "trap 'exit 0' TERM; while true; do sleep 1; done";

    private static String run;
    private static DockerClient docker;
    private static ProcessorService processor;
    private static AgentService agent;
    private static final Map<String, String> containers = new HashMap<>();
    /** Docker's event stream followed from the start: dockerd keeps only its last 256 events. */
    private static RestartLedger ledger;

    @BeforeAll
    static void start() throws Exception {
        TestBed bed = TestBed.shared();
        docker = DockerTestEngine.client();
        run = bed.uniqueId("e2e");
        sessionLabel = "fleet-health.session." + run;

        Map<String, String> env = new HashMap<>();
        env.put("CONTAINER_HEALTH_CHECK_INTERVAL", "1");
        env.put("CONTAINER_HEALTH_TIMEOUT", "0.8");
        env.put("CONTAINER_RESTART_DELAY", "1");
        env.put("CONTAINER_RESTART_GRACE", "3");
        env.put("CONTAINER_MAX_RESTART_ATTEMPTS", "3");
        env.put("CONTAINER_FAILURE_THRESHOLD", "3");
        env.put("CONTAINER_STOP_TIMEOUT", "2");
        env.put("CONTAINER_SESSION_LABEL", sessionLabel);
        env.put("PROCESSOR_APPLICATION_ID", run);
        env.put("PROCESSOR_STATE_DIR", bed.dir().resolve(run + "-state").toString());
        env.put("PROCESSOR_HTTP_PORT", Integer.toString(freePort()));
        env.put("FLEET_ADMIN_TOKEN", TOKEN);
        // The brake runs, but its default budget (2 restarts per host per minute) would delay the 1-second
        // restart cycles this test measures; 3 failing containers are below its incident threshold anyway.
        env.put("FLEET_BRAKE_HOST_RESTARTS_PER_MINUTE", "10000");
        env.put("FLEET_BRAKE_FLEET_RESTARTS_PER_MINUTE", "1000000");
        env.put("HOST_ID", run + "-host");
        env.put("DOCKER_HOST", DockerTestEngine.dockerHost());
        env.put("CONTAINER_AGENT_STATE_DIR", bed.dir().resolve(run + "-agent").toString());
        env.put("AGENT_HTTP_PORT", "0");

        ledger = RestartLedger.follow("fleet-health.e2e", run);
        processor = ProcessorService.start(ProcessorConfig.fromEnv(env), KafkaClientSettings.plaintext(bed.bootstrapServers()), bed.registryClient(), env);
        assertThat(processor.awaitRunning(Duration.ofSeconds(90))).isTrue();

        container("healthcheck-fails", true, cmd -> cmd
                .withCmd("sh", "-c", "touch /tmp/ok; if [ ! -f /tmp/restarted ]; then touch /tmp/restarted; "
                        + "(sleep 4; rm -f /tmp/ok) & fi; " + LOOP)
                .withHealthcheck(new HealthCheck().withTest(List.of("CMD", "test", "-f", "/tmp/ok"))
                        .withInterval(secondsNanos(1)).withTimeout(secondsNanos(1)).withRetries(1)));
        container("exits-once", true, cmd -> cmd.withCmd("sh", "-c",
                "if [ ! -f /tmp/restarted ]; then touch /tmp/restarted; sleep 2; exit 1; fi; " + LOOP));
        container("fails-forever", true, cmd -> cmd.withCmd("sh", "-c", "sleep 1; exit 1"));
        container("unlabelled", false, cmd -> cmd.withCmd("sh", "-c", "sleep 1; exit 1"));
        container("opted-out", Map.of("fleet-health.enabled", "false", "fleet-health.stop-timeout", "soon"),
                cmd -> cmd.withCmd("sh", "-c", "sleep 1; exit 1"));
        container("healthy", true, UnaryOperator.identity());
        for (String id : containers.values()) {
            docker.startContainerCmd(id).exec();
        }
        agent = AgentService.start(env, bed.bootstrapServers(), bed.registryUrl());
    }

    @AfterAll
    static void stop() throws java.io.IOException {
        if (ledger != null) {
            ledger.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (processor != null) {
            processor.close();
        }
        if (docker != null) {
            DockerTestEngine.removeTestContainers("fleet-health.e2e", run);
        }
    }

    @Test
    void shouldRestartAContainerWhoseHealthcheckStartsFailingOnceAndSeeItHealthyAgain() throws Exception {
        String session = session("healthcheck-fails");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(restartEvents("healthcheck-fails")).isEqualTo(1);
            assertThat(status(session)).isEqualTo("HEALTHY");
        });
        assertThat(restartEvents("healthcheck-fails")).as("Docker's event log shows exactly one restart").isEqualTo(1);
    }

    @Test
    void shouldRestartAContainerThatExitsWithCodeOne() {
        String session = session("exits-once");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(restartEvents("exits-once")).isEqualTo(1);
            assertThat(status(session)).isEqualTo("HEALTHY");
        });
    }

    @Test
    void shouldGiveUpAfterMaxAttemptsAlertAndComeBackOnlyThroughAReset() throws Exception {
        String session = session("fails-forever");
        await().atMost(Duration.ofSeconds(150)).untilAsserted(() -> assertThat(status(session)).isEqualTo("FAILED"));
        JsonNode view = sessionView(session);
        assertThat(view.get("restartAttempts").asInt()).isEqualTo(3);
        assertThat(restartEvents("fails-forever")).as("exactly CONTAINER_MAX_RESTART_ATTEMPTS restarts").isEqualTo(3);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(alerts())
                .anySatisfy(alert -> {
                    assertThat(alert.get("alertname").asText()).isEqualTo("SessionFailed");
                    assertThat(alert.get("sessionId").asText()).isEqualTo(session);
                    assertThat(alert.get("status").asText()).isEqualTo("FIRING");
                }));

        Thread.sleep(6_000); // several more intervals of failure: still no restart
        assertThat(restartEvents("fails-forever")).isEqualTo(3);
        assertThat(status(session)).isEqualTo("FAILED");

        HttpResponse<String> reset = HTTP.send(HttpRequest.newBuilder(processor.apiUri()
                        .resolve("/health/sessions/" + session + "/reset"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"e2e\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reset.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(restartEvents("fails-forever")).as("revived: restarts again").isGreaterThan(3));
    }

    @Test
    void shouldNeverTouchAContainerWithoutTheSessionLabel() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> !running("unlabelled"));
        Thread.sleep(8_000);
        assertThat(restartEvents("unlabelled")).isZero();
        assertThat(running("unlabelled")).as("left exited").isFalse();
    }

    /** Opted out by label: probed and shown as not managed, never restarted, never alerted on. */
    @Test
    void shouldShowAContainerThatOptedOutAsNotManagedAndNeverRestartIt() throws Exception {
        String session = session("opted-out");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode view = sessionView(session);
            assertThat(view.get("managed").asBoolean()).isFalse();
            assertThat(view.get("status").asText()).isEqualTo("UNHEALTHY");
            assertThat(view.get("consecutiveFailures").asInt()).isGreaterThanOrEqualTo(3);
        });
        JsonNode view = sessionView(session);
        assertThat(view.get("reason").asText()).contains("not managed");
        assertThat(view.get("invalidOverrides").asText()).isEqualTo("fleet-health.stop-timeout='soon'");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(metrics())
                .contains("fleet_sessions{managed=\"false\",status=\"UNHEALTHY\"} 1.0"));
        Thread.sleep(5_000); // five more intervals of failure
        assertThat(restartEvents("opted-out")).isZero();
        assertThat(running("opted-out")).as("left exited").isFalse();
        assertThat(alerts()).noneMatch(alert -> alert.get("sessionId").asText().equals(session));
    }

    @Test
    void shouldNeverRestartAHealthyContainer() throws Exception {
        String session = session("healthy");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(status(session)).isEqualTo("HEALTHY"));
        Thread.sleep(15_000); // fifteen intervals
        assertThat(restartEvents("healthy")).isZero();
        // a single probe that timed out on a busy machine may show for one interval; it must not stick
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(status(session)).isEqualTo("HEALTHY"));
        assertThat(restartEvents("healthy")).isZero();
        assertThat(sessionView(session).get("history").size()).isGreaterThanOrEqualTo(10);
    }

    private static void container(String name, boolean labelled, UnaryOperator<CreateContainerCmd> customize) {
        Map<String, String> labels = new HashMap<>();
        labels.put("fleet-health.e2e", run);
        if (labelled) {
            labels.put(sessionLabel, session(name));
        }
        containers.put(name, DockerTestEngine.createTestContainer(run + "-" + name, labels, customize));
    }

    /** A session container with override labels of its own. */
    private static void container(String name, Map<String, String> overrides, UnaryOperator<CreateContainerCmd> customize) {
        Map<String, String> labels = new HashMap<>(overrides);
        labels.put("fleet-health.e2e", run);
        labels.put(sessionLabel, session(name));
        containers.put(name, DockerTestEngine.createTestContainer(run + "-" + name, labels, customize));
    }

    private static String metrics() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(processor.apiUri().resolve("/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String session(String name) {
        return run + "-" + name;
    }

    private static long secondsNanos(long seconds) {
        return TimeUnit.SECONDS.toNanos(seconds);
    }

    private static boolean running(String name) {
        return Boolean.TRUE.equals(docker.inspectContainerCmd(containers.get(name)).exec().getState().getRunning());
    }

    /** Restart events of one container in Docker's event stream, followed since the test began. */
    private static int restartEvents(String name) {
        return ledger.restarts(containers.get(name));
    }

    private static JsonNode sessionView(String session) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(processor.apiUri()
                .resolve("/health/container/" + session)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("session " + session + " known to the API").isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String status(String session) throws Exception {
        return sessionView(session).get("status").asText();
    }

    private static List<JsonNode> alerts() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(processor.apiUri()
                .resolve("/api/alerts?limit=200")).GET().build(), HttpResponse.BodyHandlers.ofString());
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(response.body()).get("alerts").forEach(out::add);
        return out;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
