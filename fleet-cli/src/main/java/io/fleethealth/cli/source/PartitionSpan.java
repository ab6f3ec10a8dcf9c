package io.fleethealth.cli.source;

import org.apache.kafka.common.TopicPartition;

/**
 * The offsets of one partition to read: [start, end).
 *
 * @param partition the topic partition
 * @param start     first offset whose timestamp is at or after the range's start
 * @param end       the first offset not read: the end of the partition when the command started, or the
 *                  first offset at or after the range's end, whichever comes first
 */
public record PartitionSpan(TopicPartition partition, long start, long end) {

    public long size() {
        return Math.max(0, end - start);
    }
}
