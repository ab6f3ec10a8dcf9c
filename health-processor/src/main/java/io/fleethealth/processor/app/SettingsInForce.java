package io.fleethealth.processor.app;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.contract.settings.Setting;
import io.fleethealth.events.ProcessorSettings;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.processor.decision.DecisionSettings;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision settings a processor decides with, written into the history ({@code fleet.processor.settings})
 * when it starts, so that a replay decides as the live run did without the analyst's environment. The values
 * are the resolved ones (derived defaults included), by environment variable name, in the variable's own
 * format: {@link #decisionSettings(Map)} reads them back through the processor's own parsing.
 */
public final class SettingsInForce {

    /** Every setting that shapes a decision (the health timeout too: it is checked against the interval). */
    public static final List<Setting<?>> DECISION_SETTINGS = List.of(
            ProcessorConfig.CHECK_INTERVAL, ProcessorConfig.HEALTH_TIMEOUT, ProcessorConfig.FAILURE_THRESHOLD,
            ProcessorConfig.MAX_RESTART_ATTEMPTS, ProcessorConfig.RESTART_DELAY, ProcessorConfig.RESTART_BACKOFF_MAX,
            ProcessorConfig.RESTART_EXPIRY, ProcessorConfig.RESTART_GRACE, ProcessorConfig.SUCCESS_THRESHOLD,
            ProcessorConfig.RECOVERY_RESET, ProcessorConfig.STALE_AFTER, ProcessorConfig.STOP_TIMEOUT);

    private static final Logger log = LoggerFactory.getLogger(SettingsInForce.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private SettingsInForce() {
    }

    /** The decision settings of {@code config} as environment variables. */
    public static Map<String, String> asEnv(ProcessorConfig config) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Setting<?> setting : DECISION_SETTINGS) {
            env.put(setting.key(), format(setting, config));
        }
        return env;
    }

    /** The record a processor with {@code config} publishes when it starts at {@code now}. */
    public static ProcessorSettings record(ProcessorConfig config, Instant now) {
        return ProcessorSettings.newBuilder()
                .setApplicationId(config.applicationId())
                .setEffectiveAt(now.truncatedTo(ChronoUnit.MILLIS))
                .setSettings(asEnv(config))
                .build();
    }

    /** Compaction keeps one record per key: the start time in the key keeps every change of settings. */
    public static String key(ProcessorSettings settings) {
        return settings.getApplicationId() + "@" + settings.getEffectiveAt();
    }

    /** Reads recorded settings back, with {@code overrides} (same variable names) on top. */
    public static DecisionSettings decisionSettings(Map<String, String> recorded, Map<String, String> overrides) {
        Map<String, String> env = new LinkedHashMap<>(recorded);
        env.putAll(overrides);
        return ProcessorConfig.fromEnv(env).decisionSettings();
    }

    /** Writes the record and waits for the broker's acknowledgement; a processor that cannot do it does not start. */
    static void publish(ProcessorSettings settings, KafkaClientSettings kafka, EventSerdes serdes) {
        String bootstrapServers = kafka.bootstrapServers();
        Map<String, Object> props = new java.util.HashMap<>(kafka.clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
        try (KafkaProducer<String, ProcessorSettings> producer = new KafkaProducer<>(props, new StringSerializer(),
                serdes.valueSerializer(Topics.PROCESSOR_SETTINGS))) {
            producer.send(new ProducerRecord<>(Topics.PROCESSOR_SETTINGS.name(), null,
                    settings.getEffectiveAt().toEpochMilli(), key(settings), settings))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("decision settings in force from {} written to {}: {}", settings.getEffectiveAt(),
                    Topics.PROCESSOR_SETTINGS.name(), settings.getSettings());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot write the decision settings to " + Topics.PROCESSOR_SETTINGS.name()
                    + " at " + bootstrapServers, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing the decision settings", e);
        }
    }

    /** As the variable takes it: durations in (possibly fractional) seconds, numbers as they are. */
    private static String format(Setting<?> setting, ProcessorConfig config) {
        Object value = config.get(setting);
        if (value instanceof Duration duration) {
            return duration.toMillis() % 1000 == 0 ? Long.toString(duration.toSeconds())
                    : java.math.BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(value);
    }
}
