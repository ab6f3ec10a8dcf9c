package io.fleethealth.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleethealth.agent.ProbeAgent;
import io.fleethealth.agent.config.AgentConfig;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The agent wired from environment settings against the real engine while Kafka and the registry are away. */
class ProbeAgentIT {

    @Test
    void shouldKeepProbingAndBoundItsBufferWhileKafkaIsUnreachable() {
        String label = "fleet-health-it." + UUID.randomUUID().toString().substring(0, 8) + ".session";
        try (TestDocker docker = new TestDocker()) {
            for (int i = 0; i < 3; i++) {
                docker.run(Map.of(label, "s-" + i), "exit 1");
            }
            AgentConfig config = AgentConfig.fromEnvironment(Map.of(
                    "HOST_ID", "it-host",
                    "DOCKER_HOST", docker.dockerHost().toString(),
                    "CONTAINER_SESSION_LABEL", label,
                    "CONTAINER_HEALTH_CHECK_INTERVAL", "1",
                    "CONTAINER_HEALTH_TIMEOUT", "0.8",
                    "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1",
                    "SCHEMA_REGISTRY_URL", "http://127.0.0.1:1/apis/ccompat/v7",
                    "AGENT_PUBLISH_BUFFER", "5"));

            try (ProbeAgent agent = ProbeAgent.start(config)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> agent.scheduler().rounds() >= 4);

                // one slow engine answer can make a single round unreachable: wait for a round that saw all three
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(agent.scheduler().lastRound()).hasValueSatisfying(r -> {
                            assertThat(r.engineReachable()).isTrue();
                            assertThat(r.containersMonitored()).isEqualTo(3);
                        }));
                assertThat(agent.publisher().published()).isZero();
                assertThat(agent.publisher().pending()).isLessThanOrEqualTo(5);
                assertThat(agent.publisher().dropped()).as("4 rounds of 3 results into a buffer of 5").isPositive();
                assertThat(agent.scheduler().roundFailures()).isZero();
                assertThat(agent.watcher().subscriptions()).isPositive();
            }
        }
    }
}
