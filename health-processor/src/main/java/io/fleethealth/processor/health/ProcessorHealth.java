package io.fleethealth.processor.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Whether the processor does its work, not only whether its threads run. UP needs all of: Kafka Streams
 * RUNNING or REBALANCING; its input no further behind than {@code maxLag} records; a connection to the
 * broker within the last {@code commitStall}; and, when records were processed, a commit within the last
 * {@code commitStall}. Each failed condition is a reason an operator reads on {@code GET /health}.
 * Pure: fed {@link Sample}s (taken from the Streams metrics by {@link StreamsHealthProbe}), no Kafka.
 * Thread-safe.
 */
public final class ProcessorHealth {

    /**
     * What the probe saw at one moment.
     *
     * @param streamsState      KafkaStreams.State name
     * @param streamsRunning    RUNNING or REBALANCING
     * @param maxLagRecords     the largest input lag of any partition, records; NaN when unknown
     * @param processedTotal    records processed since start, all stream threads
     * @param commitsTotal      commits since start, all stream threads
     * @param brokerConnections open connections of the Streams consumers to the brokers
     * @param at                when
     */
    public record Sample(String streamsState, boolean streamsRunning, double maxLagRecords, double processedTotal,
                         double commitsTotal, int brokerConnections, Instant at) {
        public Sample {
            Objects.requireNonNull(streamsState, "streamsState");
            Objects.requireNonNull(at, "at");
        }
    }

    /** UP or not, and why not. */
    public record Verdict(boolean up, List<String> reasons) {
        public Verdict {
            reasons = List.copyOf(reasons);
        }
    }

    private final long maxLag;
    private final Duration commitStall;
    private Instant lastConnectedAt;
    private double commitsSeen = -1;
    private Instant lastCommitAt;
    private double processedAtLastCommit;

    public ProcessorHealth(long maxLag, Duration commitStall) {
        if (maxLag < 1 || commitStall.isZero() || commitStall.isNegative()) {
            throw new IllegalArgumentException("maxLag must be >= 1 and commitStall > 0: " + maxLag + ", " + commitStall);
        }
        this.maxLag = maxLag;
        this.commitStall = commitStall;
    }

    public synchronized Verdict assess(Sample sample) {
        Instant now = sample.at();
        if (lastConnectedAt == null || sample.brokerConnections() > 0) {
            lastConnectedAt = now; // the first sample starts the clock: no verdict before a full period
        }
        if (sample.commitsTotal() != commitsSeen) {
            commitsSeen = sample.commitsTotal();
            lastCommitAt = now;
            processedAtLastCommit = sample.processedTotal();
        }
        List<String> reasons = new ArrayList<>();
        if (!sample.streamsRunning()) {
            reasons.add("Kafka Streams is " + sample.streamsState());
        }
        if (!Double.isNaN(sample.maxLagRecords()) && sample.maxLagRecords() > maxLag) {
            reasons.add(String.format(Locale.ROOT, "input lags %.0f records behind (bound %d,"
                    + " PROCESSOR_HEALTH_MAX_LAG)", sample.maxLagRecords(), maxLag));
        }
        Duration unconnected = Duration.between(lastConnectedAt, now);
        if (unconnected.compareTo(commitStall) > 0) {
            reasons.add("no connection to the Kafka broker for " + unconnected.toSeconds() + " s");
        }
        Duration uncommitted = Duration.between(lastCommitAt, now);
        if (sample.processedTotal() > processedAtLastCommit && uncommitted.compareTo(commitStall) > 0) {
            reasons.add(String.format(Locale.ROOT, "%.0f records processed but nothing committed for %d s"
                            + " (bound %d s, PROCESSOR_HEALTH_COMMIT_STALL)",
                    sample.processedTotal() - processedAtLastCommit, uncommitted.toSeconds(), commitStall.toSeconds()));
        }
        return new Verdict(reasons.isEmpty(), reasons);
    }
}
