package io.fleethealth.processor.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which of the Kafka clients' own metrics the processor serves. Kafka Streams' clients publish some 400
 * series (about 100 KB per scrape with a handful of sessions), most of them client internals, and a few
 * dozen of their names fail {@code promtool check metrics} (abbreviated units, {@code _count} gauges).
 * {@link Level#ESSENTIAL} keeps those an operator watches (listed in docs/operations.md), {@link Level#ALL}
 * serves them all, {@link Level#NONE} none.
 */
public final class KafkaClientMetrics {

    /** PROCESSOR_KAFKA_METRICS. */
    public enum Level {
        ESSENTIAL, ALL, NONE;

        public static List<String> names() {
            return List.of("essential", "all", "none");
        }
    }

    /** The Prometheus names kept at {@link Level#ESSENTIAL}; each is in the runbook's metrics table. */
    public static final Set<String> ESSENTIAL = Set.of(
            // Is Streams alive, and in which state?
            "kafka_stream_alive_stream_threads",
            "kafka_stream_failed_stream_threads_total",
            "kafka_stream_client_state",
            "kafka_stream_thread_thread_state",
            // Does it keep up? Records processed, how long a commit and a punctuation (silence, re-send) take.
            "kafka_stream_thread_process_rate",
            "kafka_stream_thread_process_total",
            "kafka_stream_thread_process_latency_max",
            "kafka_stream_thread_commit_latency_avg",
            "kafka_stream_thread_commit_latency_max",
            "kafka_stream_thread_commit_total",
            "kafka_stream_thread_punctuate_latency_max",
            // How far behind the input is, and does the group keep rebalancing?
            "kafka_consumer_fetch_manager_records_lag_max",
            "kafka_consumer_fetch_manager_records_consumed_total",
            "kafka_consumer_coordinator_assigned_partitions",
            "kafka_consumer_coordinator_rebalance_total",
            "kafka_consumer_coordinator_last_rebalance_seconds_ago",
            // Do its writes (commands, status, alerts) fail?
            "kafka_producer_record_send_total",
            "kafka_producer_record_error_total",
            "kafka_producer_record_retry_total");

    private KafkaClientMetrics() {
    }

    /** Denies the Kafka client meters the level leaves out; every other meter passes. */
    public static MeterFilter filter(Level level) {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                String name = id.getName();
                if (!name.startsWith("kafka.") || level == Level.ALL) {
                    return MeterFilterReply.NEUTRAL;
                }
                if (level == Level.NONE) {
                    return MeterFilterReply.DENY;
                }
                String prometheus = name.replace('.', '_').replace('-', '_').toLowerCase(Locale.ROOT);
                return ESSENTIAL.contains(prometheus) ? MeterFilterReply.NEUTRAL : MeterFilterReply.DENY;
            }
        };
    }
}
