package io.fleethealth.cli.source;

import java.util.ArrayList;
import java.util.List;

/** Counts records per partition while a file is written, for the manifest's index. */
final class PartitionTracker {

    private final List<Manifest.PartitionIndex> done = new ArrayList<>();
    private int partition;
    private long position = -1;
    private long records;
    private long firstOffset = -1;
    private long lastOffset = -1;
    private long total;

    void start(int newPartition, long newPosition) {
        flush();
        partition = newPartition;
        position = newPosition;
    }

    void record(long offset) {
        if (position < 0) {
            throw new IllegalStateException("startPartition must come before the first record");
        }
        if (records == 0) {
            firstOffset = offset;
        }
        lastOffset = offset;
        records++;
        total++;
    }

    long total() {
        return total;
    }

    List<Manifest.PartitionIndex> finish() {
        flush();
        return List.copyOf(done);
    }

    private void flush() {
        if (position >= 0) {
            done.add(new Manifest.PartitionIndex(partition, position, records, firstOffset, lastOffset));
        }
        position = -1;
        records = 0;
        firstOffset = -1;
        lastOffset = -1;
    }
}
