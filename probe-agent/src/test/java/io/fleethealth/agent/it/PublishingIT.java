package io.fleethealth.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleethealth.agent.ProbeAgent;
import io.fleethealth.agent.config.AgentConfig;
import io.fleethealth.events.AgentHeartbeat;
import io.fleethealth.events.DockerState;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.localstack.testbed.TestBed;
import io.fleethealth.topics.Topic;
import io.fleethealth.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** The agent from its settings against the real engine, broker and registry of the test bed. */
class PublishingIT {

    @Test
    void shouldPublishChecksKeyedBySessionAndHeartbeatsKeyedByHost() {
        TestBed bed = TestBed.shared();
        String session = bed.uniqueId("session");
        String host = bed.uniqueId("host");
        String label = "fleet-health-it." + bed.uniqueId("label") + ".session";
        try (TestDocker docker = new TestDocker()) {
            docker.run(Map.of(label, session), "exit 1");
            AgentConfig config = AgentConfig.fromEnvironment(Map.of(
                    "HOST_ID", host,
                    "DOCKER_HOST", docker.dockerHost().toString(),
                    "CONTAINER_SESSION_LABEL", label,
                    "CONTAINER_HEALTH_CHECK_INTERVAL", "1",
                    "CONTAINER_HEALTH_TIMEOUT", "0.8",
                    "KAFKA_BOOTSTRAP_SERVERS", bed.bootstrapServers(),
                    "SCHEMA_REGISTRY_URL", bed.registryUrl().toString()));

            try (ProbeAgent agent = ProbeAgent.start(config)) {
                // the first round may still see the container running: wait for the check of its exit
                List<ConsumerRecord<String, HealthCheckResult>> checks = readUntil(bed, Topics.HEALTH_CHECKS,
                        r -> session.equals(r.key()) && r.value().getDockerState() == DockerState.EXITED);
                List<ConsumerRecord<String, AgentHeartbeat>> heartbeats =
                        readUntil(bed, Topics.AGENT_HEARTBEATS, r -> host.equals(r.key()));

                HealthCheckResult check = checks.stream()
                        .filter(r -> session.equals(r.key()) && r.value().getDockerState() == DockerState.EXITED)
                        .findFirst().orElseThrow().value();
                assertThat(check.getSessionId()).isEqualTo(session);
                assertThat(check.getHostId()).isEqualTo(host);
                assertThat(check.getStatus()).isEqualTo(HealthStatus.FAILED);
                assertThat(check.getErrorCategory()).isEqualTo(ErrorCategory.EXITED);
                assertThat(check.getExitCode()).isEqualTo(1);
                AgentHeartbeat heartbeat = heartbeats.stream().filter(r -> host.equals(r.key())).findFirst()
                        .orElseThrow().value();
                assertThat(heartbeat.getHostId()).isEqualTo(host);
                assertThat(heartbeat.getEngineReachable()).isTrue();
                assertThat(heartbeat.getIntervalSeconds()).isEqualTo(1);
                assertThat(agent.publisher().dropped()).isZero();
            }
        }
    }

    private static <V extends SpecificRecord> List<ConsumerRecord<String, V>> readUntil(
            TestBed bed, Topic<V> topic, java.util.function.Predicate<ConsumerRecord<String, V>> wanted) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, bed.uniqueGroupId("probe-agent-it"));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, V>> seen = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                bed.serdes().valueDeserializer(topic))) {
            consumer.subscribe(List.of(topic.name()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream().anyMatch(wanted);
            });
        }
        return seen;
    }
}
