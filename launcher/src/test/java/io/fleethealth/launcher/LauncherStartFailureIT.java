package io.fleethealth.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleethealth.localstack.ApicurioRegistry;
import io.fleethealth.localstack.testbed.ChildJvm;
import io.fleethealth.localstack.testbed.TestBed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The launcher that cannot start closes what it started (the embedded broker, the registry's child process)
 * and exits with one line: run as a user runs it, in its own JVM.
 */
class LauncherStartFailureIT {

    private static final Duration CHILD_LIMIT = Duration.ofSeconds(120);
    private static TestBed bed;
    private static Path dir;

    @BeforeAll
    static void bed() {
        bed = TestBed.shared();
        dir = bed.dir().resolve(bed.uniqueId("launcher-start"));
    }

    @Test
    void shouldExit2NamingTheBadSettingsOfEveryPartAtOnce() {
        ChildJvm.Ended ended = ChildJvm.run(FleetHealthLocal.class, Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
                "FLEET_TOPIC_PARTITIONS", "0",
                "AGENT_HTTP_PORT", "eighty",
                "CONTAINER_MAX_RESTART_ATTEMPTS", "-1"), CHILD_LIMIT, dir);

        assertThat(ended.exitCode()).isEqualTo(2);
        assertThat(ended.errorLines()).singleElement().asString()
                .startsWith("fleet-health: bad settings: ")
                .contains("CONTAINER_MAX_RESTART_ATTEMPTS='-1'", "AGENT_HTTP_PORT='eighty'", "FLEET_TOPIC_PARTITIONS='0'",
                        "set both KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL, or neither");
        assertThat(ended.printedAStackTrace()).isFalse();
    }

    @Test
    void shouldExit3WhenTheExternalKafkaDoesNotAnswerWithinTheStartTimeout() throws IOException {
        int closedPort = freePort();
        ChildJvm.Ended ended = ChildJvm.run(FleetHealthLocal.class, Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closedPort,
                "SCHEMA_REGISTRY_URL", bed.registryUrl().toString(),
                "FLEET_KAFKA_STARTUP_TIMEOUT", "2"), CHILD_LIMIT, dir);

        assertThat(ended.exitCode()).isEqualTo(3);
        assertThat(ended.errorLines()).singleElement().asString()
                .startsWith("fleet-health: Kafka at 127.0.0.1:" + closedPort + " (security.protocol=PLAINTEXT)")
                .contains("did not answer within 2 s");
        assertThat(ended.printedAStackTrace()).isFalse();
    }

    @Test
    void shouldStopTheEmbeddedStackAndExit1WhenTheProcessorPortIsTaken() throws IOException {
        Path localDir = dir.resolve(bed.uniqueId("local")).toAbsolutePath();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ChildJvm.Ended ended = ChildJvm.run(FleetHealthLocal.class, Map.of(
                    "FLEET_LOCAL_DIR", localDir.toString(),
                    "FLEET_APICURIO_DIR", ApicurioRegistry.locateBundle().toAbsolutePath().toString(),
                    "FLEET_TOPIC_PARTITIONS", "1",
                    "PROCESSOR_STATE_DIR", localDir.resolve("state").toString(),
                    "PROCESSOR_HTTP_PORT", Integer.toString(taken.getLocalPort())), CHILD_LIMIT, dir);

            assertThat(ended.exitCode()).isEqualTo(1);
            assertThat(ended.errorLines()).singleElement().asString()
                    .startsWith("fleet-health: cannot start: cannot serve the HTTP API on 127.0.0.1:"
                            + taken.getLocalPort() + " (PROCESSOR_HTTP_HOST / PROCESSOR_HTTP_PORT)");
            assertThat(ended.printedAStackTrace()).isFalse();
            assertThat(ended.stdout()).as("the embedded stack had started").contains("Local stack ready");
        }
        // The registry ran as a child process with its temporary folder under FLEET_LOCAL_DIR: it must be gone.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(localDir.toString()))).isEmpty());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
