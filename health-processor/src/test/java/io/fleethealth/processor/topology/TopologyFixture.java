package io.fleethealth.processor.topology;

import io.fleethealth.events.AgentHeartbeat;
import io.fleethealth.events.DockerHealth;
import io.fleethealth.events.DockerState;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.serde.InMemorySchemaRegistryClient;
import io.fleethealth.topics.Topic;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** A TopologyTestDriver around the real topology, with the in-memory registry and a fixed start time. */
final class TopologyFixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    final EventSerdes serdes;
    final ProcessorConfig config;
    final TopologyTestDriver driver;
    final CountingListener listener = new CountingListener();
    final FleetCounts counts = FleetCounts.create();

    /** Re-sends of active alerts are out of the way unless a test sets ALERT_RESEND_INTERVAL itself. */
    TopologyFixture(Map<String, String> env) {
        this(env, new InMemorySchemaRegistryClient());
    }

    TopologyFixture(Map<String, String> env, io.fleethealth.serde.SchemaRegistryClient registry) {
        this.serdes = new EventSerdes(registry);
        // No re-send of active alerts unless a test asks for it: the outputs stay exactly what was decided.
        Map<String, String> withDefaults = new HashMap<>(env);
        withDefaults.putIfAbsent(ProcessorConfig.ALERT_RESEND_INTERVAL.key(), "86400");
        this.config = ProcessorConfig.fromEnv(withDefaults);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Path.of(System.getProperty("java.io.tmpdir"), "streams",
                UUID.randomUUID().toString()).toString());
        driver = new TopologyTestDriver(HealthTopology.build(config, serdes, listener, counts), props, T0);
    }

    TopologyFixture() {
        this(Map.of());
    }

    <T extends SpecificRecord> TestInputTopic<String, T> input(Topic<T> topic) {
        return driver.createInputTopic(topic.name(), new StringSerializer(), serdes.valueSerializer(topic));
    }

    TestInputTopic<String, byte[]> rawInput(Topic<?> topic) {
        return driver.createInputTopic(topic.name(), new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer());
    }

    <T extends SpecificRecord> TestOutputTopic<String, T> output(Topic<T> topic) {
        return driver.createOutputTopic(topic.name(), new StringDeserializer(), serdes.valueDeserializer(topic));
    }

    <T extends SpecificRecord> List<T> values(Topic<T> topic) {
        return output(topic).readRecordsToList().stream().map(TestRecord::value).toList();
    }

    static HealthCheckResult check(String sessionId, String checkId, Instant at, HealthStatus status) {
        boolean healthy = status == HealthStatus.HEALTHY;
        return HealthCheckResult.newBuilder()
                .setCheckId(checkId)
                .setSessionId(sessionId)
                .setHostId("host-a")
                .setContainerId("c-" + sessionId)
                .setContainerName(sessionId + "-desktop")
                .setImage("fleet-test/busybox:1")
                .setProbeTime(at)
                .setStatus(status)
                .setDockerState(status == HealthStatus.FAILED ? DockerState.EXITED : DockerState.RUNNING)
                .setDockerHealth(DockerHealth.NONE)
                .setExitCode(status == HealthStatus.FAILED ? 1 : null)
                .setResponseTimeMs(2.0)
                .setErrorCategory(healthy ? ErrorCategory.NONE
                        : status == HealthStatus.FAILED ? ErrorCategory.EXITED : ErrorCategory.HEALTHCHECK_FAILING)
                .setErrorMessage(healthy ? null : "exited with code 1")
                .setMetadata(new HashMap<>())
                .setAgentVersion("test")
                .setSequence(0)
                .build();
    }

    static AgentHeartbeat heartbeat(String hostId, Instant at) {
        return AgentHeartbeat.newBuilder()
                .setHostId(hostId)
                .setAgentVersion("test")
                .setSentAt(at)
                .setEngineReachable(true)
                .setContainersMonitored(1)
                .build();
    }

    @Override
    public void close() {
        driver.close();
    }

    /** Counts what the topology reports to its listener. */
    static final class CountingListener implements DecisionListener {
        final Map<String, Integer> deadLetters = new HashMap<>();
        final Map<String, Integer> skipped = new HashMap<>();
        int decisions;

        @Override
        public void onDecision(io.fleethealth.processor.decision.SessionEvent event,
                               io.fleethealth.processor.decision.Decision decision) {
            decisions++;
        }

        @Override
        public void onSkipped(String sourceTopic) {
            skipped.merge(sourceTopic, 1, Integer::sum);
        }

        @Override
        public void onDeadLetter(String sourceTopic) {
            deadLetters.merge(sourceTopic, 1, Integer::sum);
        }
    }
}
