package io.fleethealth.cli.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryMergeTest {

    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

    @Test
    void shouldTakeTheHeadWithTheSmallestTimestampAcrossTopics() {
        List<String> order = merge(
                new HistoryMerge.Ranked(0, stream("checks", 0, 10, 30, 50)),
                new HistoryMerge.Ranked(1, stream("outcomes", 0, 20, 40)));

        assertThat(order).containsExactly("checks@10", "outcomes@20", "checks@30", "outcomes@40", "checks@50");
    }

    @Test
    void shouldBreakTimestampTiesByTopicRankChecksBeforeOutcomesBeforeControl() {
        List<String> order = merge(
                new HistoryMerge.Ranked(2, stream("control", 0, 10)),
                new HistoryMerge.Ranked(1, stream("outcomes", 0, 10)),
                new HistoryMerge.Ranked(0, stream("checks", 0, 10)));

        assertThat(order).containsExactly("checks@10", "outcomes@10", "control@10");
    }

    @Test
    void shouldKeepOffsetOrderWithinAPartitionEvenWhenTimestampsGoBackwards() {
        // Streams never reorders a partition: a late timestamp is processed where its offset puts it.
        List<String> order = merge(
                new HistoryMerge.Ranked(0, stream("checks", 0, 10, 50, 20)),
                new HistoryMerge.Ranked(1, stream("outcomes", 0, 30)));

        assertThat(order).containsExactly("checks@10", "outcomes@30", "checks@50", "checks@20");
    }

    private static List<String> merge(HistoryMerge.Ranked... streams) {
        List<String> order = new ArrayList<>();
        try (HistoryMerge merge = new HistoryMerge(List.of(streams))) {
            merge.forEachRemaining(r -> order.add(r.key() + "@" + (r.timestamp().toEpochMilli() - T0.toEpochMilli())));
        }
        return order;
    }

    /** Records keyed by a name, with the given timestamps (ms after T0), in offset order. */
    private static RecordStream stream(String name, int partition, long... millis) {
        List<HistoryRecord<?>> records = new ArrayList<>();
        for (int i = 0; i < millis.length; i++) {
            records.add(new HistoryRecord<>(Topics.HEALTH_CHECKS, name, T0.plusMillis(millis[i]), partition, i, null));
        }
        Iterator<HistoryRecord<?>> it = records.iterator();
        return new RecordStream() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public HistoryRecord<?> next() {
                return it.next();
            }

            @Override
            public void close() {
            }
        };
    }
}
