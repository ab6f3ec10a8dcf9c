package io.fleethealth.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fleethealth.agent.AgentService;
import io.fleethealth.agent.ProbeAgent;
import io.fleethealth.contract.start.StartupException;
import io.fleethealth.localstack.testbed.ChildJvm;
import io.fleethealth.localstack.testbed.DockerTestEngine;
import io.fleethealth.localstack.testbed.TestBed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An agent that cannot start stops what it started and exits with one line: run as an operator runs it (its
 * main in its own JVM), the child must end by itself with the documented exit status.
 */
class AgentStartFailureIT {

    private static final Duration CHILD_LIMIT = Duration.ofSeconds(90);
    /** Threads the agent's parts start: Kafka clients, probe rounds, publisher, restart commands, HTTP. */
    private static final List<String> AGENT_THREAD_PREFIXES = List.of("kafka-producer-network-thread",
            "kafka-admin-client-thread", "consumer_background_thread", "kafka-coordinator-heartbeat-thread",
            "probe-", "heartbeats", "kafka-publisher", "restart-", "outcome-retries", "agent-http",
            "docker-events-resubscribe");
    private static TestBed bed;
    private static Path dir;

    @BeforeAll
    static void bed() {
        bed = TestBed.shared();
        dir = bed.dir().resolve(bed.uniqueId("agent-start"));
    }

    @Test
    void shouldExit2WithOneLineNamingEveryBadVariable() {
        ChildJvm.Ended ended = ChildJvm.run(ProbeAgent.class, Map.of(
                "CONTAINER_HEALTH_TIMEOUT", "30",
                "CONTAINER_PROBE_CONCURRENCY", "0",
                "HOST_ID", "start-failure"), CHILD_LIMIT, dir);

        assertThat(ended.exitCode()).isEqualTo(2);
        assertThat(ended.errorLines()).singleElement().asString()
                .startsWith("probe-agent: bad settings: ")
                .contains("CONTAINER_PROBE_CONCURRENCY='0'",
                        "CONTAINER_HEALTH_TIMEOUT=30.0 is not accepted: it must be shorter than CONTAINER_HEALTH_CHECK_INTERVAL=30",
                        "KAFKA_BOOTSTRAP_SERVERS is required", "SCHEMA_REGISTRY_URL is required");
        assertThat(ended.printedAStackTrace()).isFalse();
    }

    @Test
    void shouldExit1WhenTheRegistryDoesNotAnswerWithinTheStartTimeout() throws IOException {
        int closedPort = freePort();
        ChildJvm.Ended ended = ChildJvm.run(ProbeAgent.class, Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bed.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", "http://fleet:pa55@127.0.0.1:" + closedPort + "/apis/ccompat/v7",
                "HOST_ID", "start-failure",
                // Long enough for the reachable broker to answer on a loaded machine: only the registry must fail.
                "FLEET_KAFKA_STARTUP_TIMEOUT", "15"), CHILD_LIMIT, dir);

        assertThat(ended.exitCode()).isEqualTo(1);
        assertThat(ended.errorLines()).singleElement().asString()
                .startsWith("probe-agent: cannot start: schema registry at http://****@127.0.0.1:" + closedPort
                        + "/apis/ccompat/v7 (SCHEMA_REGISTRY_URL) is not reachable within 15 s");
        assertThat(ended.stdout() + ended.stderr()).doesNotContain("pa55");
        assertThat(ended.printedAStackTrace()).isFalse();
    }

    @Test
    void shouldExit3WhenKafkaDoesNotAnswerWithinTheStartTimeout() throws IOException {
        int closedPort = freePort();
        ChildJvm.Ended ended = ChildJvm.run(ProbeAgent.class, Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closedPort,
                "SCHEMA_REGISTRY_URL", bed.registryUrl().toString(),
                "HOST_ID", "start-failure",
                "FLEET_KAFKA_STARTUP_TIMEOUT", "2"), CHILD_LIMIT, dir);

        assertThat(ended.exitCode()).isEqualTo(3);
        assertThat(ended.errorLines()).singleElement().asString()
                .startsWith("probe-agent: Kafka at 127.0.0.1:" + closedPort + " (security.protocol=PLAINTEXT)")
                .contains("did not answer within 2 s");
        assertThat(ended.printedAStackTrace()).isFalse();
    }

    @Test
    void shouldExit1AndEndTheJvmWhenTheHttpPortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ChildJvm.Ended ended = ChildJvm.run(ProbeAgent.class, Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", bed.bootstrapServers(),
                    "SCHEMA_REGISTRY_URL", bed.registryUrl().toString(),
                    "HOST_ID", bed.uniqueId("port-taken"),
                    "DOCKER_HOST", DockerTestEngine.dockerHost(),
                    "CONTAINER_SESSION_LABEL", "fleet-health-it." + bed.uniqueId("label") + ".session",
                    "CONTAINER_AGENT_STATE_DIR", dir.resolve(bed.uniqueId("state")).toString(),
                    "AGENT_HTTP_PORT", Integer.toString(taken.getLocalPort())), CHILD_LIMIT, dir);

            assertThat(ended.exitCode()).isEqualTo(1);
            assertThat(ended.errorLines()).singleElement().asString()
                    .startsWith("probe-agent: cannot start: cannot serve the agent's /health and /metrics on 127.0.0.1:"
                            + taken.getLocalPort() + " (AGENT_HTTP_HOST / AGENT_HTTP_PORT)");
            assertThat(ended.printedAStackTrace()).isFalse();
        }
    }

    @Test
    void shouldStopProbingAndCommandsWhenTheHttpPortIsTakenInProcess() throws IOException {
        Set<Thread> before = agentThreads();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = Map.of(
                    "HOST_ID", bed.uniqueId("rollback"),
                    "DOCKER_HOST", DockerTestEngine.dockerHost(),
                    "CONTAINER_SESSION_LABEL", "fleet-health-it." + bed.uniqueId("label") + ".session",
                    "CONTAINER_HEALTH_CHECK_INTERVAL", "1",
                    "CONTAINER_HEALTH_TIMEOUT", "0.8",
                    "CONTAINER_AGENT_STATE_DIR", dir.resolve(bed.uniqueId("state")).toString(),
                    "AGENT_HTTP_PORT", Integer.toString(taken.getLocalPort()));

            assertThatThrownBy(() -> AgentService.start(env, bed.bootstrapServers(), bed.registryUrl()))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("AGENT_HTTP_PORT");
        }
        // Probing and the command consumer had started their threads before the HTTP surface failed.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(before).containsAll(agentThreads()));
    }

    private static Set<Thread> agentThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> AGENT_THREAD_PREFIXES.stream().anyMatch(t.getName()::startsWith))
                .collect(Collectors.toSet());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
