package io.fleethealth.cli.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A distribution of durations in seconds, with a histogram on shared buckets so two sets can be drawn side
 * by side.
 *
 * @param count   how many values
 * @param min     smallest, seconds (0 when empty)
 * @param p50     median
 * @param p90     90th percentile
 * @param max     largest
 * @param mean    average
 * @param buckets counts per bucket of width {@code bucketSeconds}, from 0
 * @param bucketSeconds width of a bucket
 */
public record Distribution(int count, double min, double p50, double p90, double max, double mean,
                           List<Integer> buckets, double bucketSeconds) {

    public Distribution {
        buckets = List.copyOf(buckets);
    }

    public static Distribution of(List<Double> seconds, double bucketSeconds, int bucketCount) {
        double[] values = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        List<Integer> buckets = new ArrayList<>();
        for (int i = 0; i < bucketCount; i++) {
            buckets.add(0);
        }
        for (double v : values) {
            int bucket = (int) Math.min(bucketCount - 1, Math.floor(v / bucketSeconds));
            buckets.set(bucket, buckets.get(bucket) + 1);
        }
        if (values.length == 0) {
            return new Distribution(0, 0, 0, 0, 0, 0, buckets, bucketSeconds);
        }
        return new Distribution(values.length, values[0], percentile(values, 0.5), percentile(values, 0.9),
                values[values.length - 1], Arrays.stream(values).average().orElse(0), buckets, bucketSeconds);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
