package io.fleethealth.processor.api;

import java.util.Objects;

/** Totals since the processor's state began, for {@code GET /health/stats}. */
public record StatsView(
        long checksProcessed,
        long deadLetters,
        long restartsIssued,
        long restartsSucceeded,
        long restartsFailed,
        long sessionsFailed,
        long alertsFired,
        ResponseTimes probeResponseTimeMs) {

    public StatsView {
        Objects.requireNonNull(probeResponseTimeMs, "probeResponseTimeMs");
    }

    /** Percentiles of the probes' response times in milliseconds over {@code samples} checks (all 0 without samples). */
    public record ResponseTimes(long samples, double p50, double p90, double p99, double max) {

        public static final ResponseTimes NONE = new ResponseTimes(0, 0, 0, 0, 0);
    }
}
