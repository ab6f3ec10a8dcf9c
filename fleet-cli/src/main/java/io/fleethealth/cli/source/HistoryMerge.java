package io.fleethealth.cli.source;

import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Merges partition streams the way a Kafka Streams task does: each partition is read in offset order, and
 * the next record is the head with the smallest record timestamp. Ties go to the topic listed first
 * (checks before outcomes before control), then to the lower partition, then to the lower offset.
 * A session's records all live in partitions of the same number, so this is the order in which the live
 * processor decided them (when it had every partition's records at hand; see docs/replay.md).
 */
public final class HistoryMerge implements RecordStream {

    /** A partition stream and the rank of its topic in the tie-break. */
    public record Ranked(int rank, RecordStream stream) {
    }

    private record Head(HistoryRecord<?> record, int rank, RecordStream stream) {
    }

    private static final Comparator<Head> ORDER = Comparator
            .<Head>comparingLong(h -> h.record().timestamp().toEpochMilli())
            .thenComparingInt(Head::rank)
            .thenComparingInt(h -> h.record().partition())
            .thenComparingLong(h -> h.record().offset());

    private final List<Ranked> streams;
    private final PriorityQueue<Head> heads = new PriorityQueue<>(ORDER);

    public HistoryMerge(List<Ranked> streams) {
        this.streams = List.copyOf(streams);
        for (Ranked ranked : this.streams) {
            advance(ranked.rank(), ranked.stream());
        }
    }

    private void advance(int rank, RecordStream stream) {
        if (stream.hasNext()) {
            heads.add(new Head(stream.next(), rank, stream));
        }
    }

    @Override
    public boolean hasNext() {
        return !heads.isEmpty();
    }

    @Override
    public HistoryRecord<?> next() {
        Head head = heads.poll();
        if (head == null) {
            throw new NoSuchElementException();
        }
        advance(head.rank(), head.stream());
        return head.record();
    }

    @Override
    public void close() {
        streams.forEach(r -> r.stream().close());
    }
}
