package io.fleethealth.cli.replay;

import io.fleethealth.cli.source.ExportFolder;
import io.fleethealth.cli.source.HistoryMerge;
import io.fleethealth.cli.source.HistoryRecord;
import io.fleethealth.cli.source.KafkaSource;
import io.fleethealth.cli.source.RecordStream;
import io.fleethealth.cli.source.TimeRange;
import io.fleethealth.topics.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The decision's inputs, merged in the order of a Streams task, from an export folder or from Kafka. */
public final class ReplayInputs {

    private ReplayInputs() {
    }

    /** Checks, outcomes and controls of an export; records outside the range are left out. */
    public static RecordStream fromFolder(ExportFolder folder, TimeRange range) {
        return merge(folder::partitions, range);
    }

    /** Checks, outcomes and controls of the source's range (the source bounds it already). */
    public static RecordStream fromKafka(KafkaSource source) {
        return merge(source::partitions, null);
    }

    /** How many input records a folder holds. */
    public static long count(ExportFolder folder) {
        return Replayer.INPUTS.stream().mapToLong(folder::count).sum();
    }

    private static RecordStream merge(Function<Topic<?>, List<RecordStream>> partitions, TimeRange range) {
        List<HistoryMerge.Ranked> ranked = new ArrayList<>();
        for (int rank = 0; rank < Replayer.INPUTS.size(); rank++) {
            for (RecordStream stream : partitions.apply(Replayer.INPUTS.get(rank))) {
                ranked.add(new HistoryMerge.Ranked(rank, range == null ? stream : new InRange(stream, range)));
            }
        }
        return new HistoryMerge(ranked);
    }

    /** Skips records whose timestamp is outside the range. */
    private static final class InRange implements RecordStream {
        private final RecordStream stream;
        private final TimeRange range;
        private HistoryRecord<?> next;

        InRange(RecordStream stream, TimeRange range) {
            this.stream = stream;
            this.range = range;
        }

        @Override
        public boolean hasNext() {
            while (next == null && stream.hasNext()) {
                HistoryRecord<?> candidate = stream.next();
                if (range.contains(candidate.timestamp())) {
                    next = candidate;
                }
            }
            return next != null;
        }

        @Override
        public HistoryRecord<?> next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            HistoryRecord<?> result = next;
            next = null;
            return result;
        }

        @Override
        public void close() {
            stream.close();
        }
    }
}
