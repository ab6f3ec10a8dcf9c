package io.fleethealth.processor.health;

import java.time.Clock;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/** Samples a KafkaStreams instance's own metrics for {@link ProcessorHealth}: the thin, Kafka-facing half. */
public final class StreamsHealthProbe {

    private final KafkaStreams streams;
    private final ProcessorHealth health;
    private final Clock clock;

    public StreamsHealthProbe(KafkaStreams streams, ProcessorHealth health, Clock clock) {
        this.streams = streams;
        this.health = health;
        this.clock = clock;
    }

    public ProcessorHealth.Verdict assess() {
        double maxLag = Double.NaN;
        double processed = 0;
        double commits = 0;
        int connections = 0;
        for (Map.Entry<MetricName, ? extends Metric> entry : streams.metrics().entrySet()) {
            MetricName name = entry.getKey();
            String clientId = name.tags().getOrDefault("client-id", "");
            switch (name.group() + "/" + name.name()) {
                case "stream-thread-metrics/process-total" -> processed += value(entry.getValue());
                case "stream-thread-metrics/commit-total" -> commits += value(entry.getValue());
                case "consumer-fetch-manager-metrics/records-lag-max" -> {
                    // The stream threads' main consumers; restore and global consumers read other things.
                    if (!clientId.endsWith("-restore-consumer") && !clientId.endsWith("-global-consumer")) {
                        double lag = value(entry.getValue());
                        if (!Double.isNaN(lag)) {
                            maxLag = Double.isNaN(maxLag) ? lag : Math.max(maxLag, lag);
                        }
                    }
                }
                case "consumer-metrics/connection-count" -> {
                    if (!clientId.endsWith("-restore-consumer")) {
                        connections += (int) value(entry.getValue());
                    }
                }
                default -> {
                }
            }
        }
        KafkaStreams.State state = streams.state();
        return health.assess(new ProcessorHealth.Sample(state.name(), state.isRunningOrRebalancing(), maxLag,
                processed, commits, connections, clock.instant()));
    }

    private static double value(Metric metric) {
        Object value = metric.metricValue();
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
