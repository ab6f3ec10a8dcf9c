package io.fleethealth.bench;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** Order statistics of a sample (nearest-rank percentiles), in whatever unit the sample is in. */
public record Stats(int count, double min, double p50, double p99, double max, double mean) {

    public static Stats of(Collection<? extends Number> sample) {
        double[] values = sample.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        if (values.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Stats(values.length, values[0], percentile(values, 50), percentile(values, 99),
                values[values.length - 1], Arrays.stream(values).average().orElse(Double.NaN));
    }

    /** Nearest rank: the smallest value with at least p% of the sample at or below it. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** The relative spread of repeated runs: (max - min) / mean, e.g. 0.08 for 8%. */
    public static double spread(List<Double> runs) {
        double max = runs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        double min = runs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double mean = runs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return (max - min) / mean;
    }

    public String format(String unit) {
        return String.format("n=%d p50=%.1f%s p99=%.1f%s max=%.1f%s", count, p50, unit, p99, unit, max, unit);
    }
}
