package io.fleethealth.processor.app;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.processor.metrics.ProcessorMetrics;
import io.fleethealth.processor.topology.HealthTopology;
import io.fleethealth.processor.topology.FleetCounts;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.serde.SchemaRegistryClient;
import io.fleethealth.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Kafka Streams lifecycle of the processor: settings in, a running topology out, closed cleanly. */
public final class HealthProcessorApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthProcessorApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final ProcessorMetrics metrics;
    private final FleetCounts counts = FleetCounts.create();
    private final KafkaStreamsMetrics streamsMetrics;
    private final ProcessorConfig config;
    private final KafkaClientSettings kafka;
    private final EventSerdes serdes;

    public HealthProcessorApp(ProcessorConfig config, KafkaClientSettings kafka, SchemaRegistryClient registry,
                              MeterRegistry meters) {
        this.metrics = new ProcessorMetrics(meters);
        this.config = config;
        this.kafka = kafka;
        this.serdes = new EventSerdes(registry);
        this.streams = new KafkaStreams(HealthTopology.build(config, serdes, metrics, counts),
                streamsProperties(config, kafka));
        this.streams.setUncaughtExceptionHandler(exception -> {
            log.error("stream thread died; replacing it", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        this.streams.setStateListener((now, before) -> log.info("Kafka Streams {} -> {}", before, now));
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        this.streamsMetrics.bindTo(meters);
    }

    /**
     * The Streams settings; exactly-once unless configured otherwise. The operator's client properties (TLS, SASL)
     * are top-level, so Streams applies them to every internal client: consumers, producers and admin.
     */
    public static Properties streamsProperties(ProcessorConfig config, KafkaClientSettings kafka) {
        Properties props = kafka.asProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        // Interactive queries for a session owned by another instance are forwarded to this address.
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, config.advertisedHost() + ":" + config.httpPort());
        // A bug hit by one record must not stop the fleet's decisions: log it, park the record, go on.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueProcessingExceptionHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.HEALTH_CHECKS_DLQ.name());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1); // the broker's default
        // Failover: a warm standby spares the restore, a shorter session timeout the wait (45 s by default).
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.standbyReplicas());
        long sessionTimeoutMs = config.groupSessionTimeout().toMillis();
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) sessionTimeoutMs);
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                (int) Math.max(100, sessionTimeoutMs / 3));
        return props;
    }

    /** Writes the decision settings into the history, then starts deciding with them. */
    public void start() {
        SettingsInForce.publish(SettingsInForce.record(config, Instant.now()), kafka, serdes);
        if (config.brakeSettings().enabled()) {
            BrakeTopics.ensure(kafka.asProperties());
        }
        log.info("starting Kafka Streams application");
        streams.start();
    }

    /** Waits until the app runs, for tests and for a readiness probe at start. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Sessions per status and hosts per liveness of this instance's active tasks, kept as the topology goes. */
    public FleetCounts counts() {
        return counts;
    }

    public ProcessorMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        log.info("closing Kafka Streams (offsets committed, stores flushed)");
        streamsMetrics.close();
        // Leave the group: the partitions move at once (to the other instances, or to this one's successor)
        // instead of waiting out the session timeout, during which nothing is decided and no alert re-sent.
        if (!streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT))) {
            log.warn("Kafka Streams did not close within {}", CLOSE_TIMEOUT);
        }
    }
}
