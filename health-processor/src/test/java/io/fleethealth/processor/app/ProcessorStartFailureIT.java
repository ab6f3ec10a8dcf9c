package io.fleethealth.processor.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fleethealth.contract.start.StartupException;
import io.fleethealth.localstack.testbed.ChildJvm;
import io.fleethealth.localstack.testbed.TestBed;
import io.fleethealth.processor.ProcessorMain;
import io.fleethealth.processor.config.ProcessorConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A processor that cannot start stops what it started and exits with one line: run as an operator runs it
 * (ProcessorMain in its own JVM), the child must end by itself with the documented exit status.
 */
class ProcessorStartFailureIT {

    private static final Duration CHILD_LIMIT = Duration.ofSeconds(90);
    private static TestBed bed;
    private static Path dir;

    @BeforeAll
    static void bed() {
        bed = TestBed.shared();
        dir = bed.dir().resolve(bed.uniqueId("processor-start"));
    }

    /**
     * The defect of issue 11: ALERT_WEBHOOK_MODE was validated after Streams, a producer and the HTTP server
     * were built, and only ConfigException was caught: a stack trace and a JVM left running (answering 503).
     */
    @Test
    void shouldExit2WithOneLineNamingEveryBadVariableBeforeBuildingAnything() {
        String appId = bed.uniqueId("bad-mode");
        ChildJvm.Ended ended = ChildJvm.run(ProcessorMain.class, Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bed.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", bed.registryUrl().toString(),
                "PROCESSOR_APPLICATION_ID", appId,
                "PROCESSOR_STATE_DIR", dir.resolve(appId).toString(),
                "PROCESSOR_HTTP_PORT", "0",
                "ALERT_WEBHOOK_URL", "http://127.0.0.1:9/hook",
                "ALERT_WEBHOOK_MODE", "slack",
                "CONTAINER_FAILURE_THRESHOLD", "0"), CHILD_LIMIT, dir);

        assertThat(ended.exitCode()).isEqualTo(2);
        assertThat(ended.errorLines()).singleElement().asString()
                .startsWith("health-processor: bad settings: ")
                .contains("CONTAINER_FAILURE_THRESHOLD='0'", "ALERT_WEBHOOK_MODE='slack'", "one of alertmanager, webhook");
        assertThat(ended.printedAStackTrace()).isFalse();
        assertThat(ended.stdout()).as("nothing was built").doesNotContain("Kafka Streams");
    }

    @Test
    void shouldExit2WhenRunAloneWithoutACluster() {
        ChildJvm.Ended ended = ChildJvm.run(ProcessorMain.class, Map.of(), CHILD_LIMIT, dir);

        assertThat(ended.exitCode()).isEqualTo(2);
        assertThat(ended.errorLines()).singleElement().asString()
                .contains("KAFKA_BOOTSTRAP_SERVERS is required", "SCHEMA_REGISTRY_URL is required");
    }

    @Test
    void shouldExit3WhenKafkaDoesNotAnswerWithinTheStartTimeout() throws IOException {
        int closedPort = freePort();
        ChildJvm.Ended ended = ChildJvm.run(ProcessorMain.class, Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closedPort,
                "SCHEMA_REGISTRY_URL", bed.registryUrl().toString(),
                "FLEET_KAFKA_STARTUP_TIMEOUT", "2"), CHILD_LIMIT, dir);

        assertThat(ended.exitCode()).isEqualTo(3);
        assertThat(ended.errorLines()).singleElement().asString()
                .startsWith("health-processor: Kafka at 127.0.0.1:" + closedPort + " (security.protocol=PLAINTEXT)")
                .contains("did not answer within 2 s");
        assertThat(ended.printedAStackTrace()).isFalse();
    }

    @Test
    void shouldExit1AndEndTheJvmWhenTheHttpPortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String appId = bed.uniqueId("port-taken");
            ChildJvm.Ended ended = ChildJvm.run(ProcessorMain.class, Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", bed.bootstrapServers(),
                    "SCHEMA_REGISTRY_URL", bed.registryUrl().toString(),
                    "PROCESSOR_APPLICATION_ID", appId,
                    "PROCESSOR_STATE_DIR", dir.resolve(appId).toString(),
                    "PROCESSOR_HTTP_PORT", Integer.toString(taken.getLocalPort())), CHILD_LIMIT, dir);

            assertThat(ended.exitCode()).isEqualTo(1);
            assertThat(ended.errorLines()).singleElement().asString()
                    .startsWith("health-processor: cannot start: cannot serve the HTTP API on 127.0.0.1:"
                            + taken.getLocalPort() + " (PROCESSOR_HTTP_HOST / PROCESSOR_HTTP_PORT)");
            assertThat(ended.printedAStackTrace()).isFalse();
        }
    }

    @Test
    void shouldCloseWhatItBuiltWhenTheHttpPortIsTakenInProcess() throws IOException {
        String appId = bed.uniqueId("rollback");
        Set<Thread> clientThreadsBefore = kafkaClientThreads();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = new HashMap<>();
            env.put("PROCESSOR_APPLICATION_ID", appId);
            env.put("PROCESSOR_STATE_DIR", dir.resolve(appId).toString());
            env.put("PROCESSOR_HTTP_PORT", Integer.toString(taken.getLocalPort()));
            ProcessorConfig config = ProcessorConfig.fromEnv(env);

            assertThatThrownBy(() -> ProcessorService.start(config,
                    io.fleethealth.contract.kafka.KafkaClientSettings.plaintext(bed.bootstrapServers()), bed.registryClient(), env))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("PROCESSOR_HTTP_PORT");
        }
        // Streams' admin client and the controls' producer started network threads: they must be gone.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(clientThreadsBefore).containsAll(kafkaClientThreads()));
    }

    private static Set<Thread> kafkaClientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("kafka-producer-network-thread")
                        || t.getName().startsWith("kafka-admin-client-thread"))
                .collect(Collectors.toSet());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
