package io.fleethealth.cli.source;

import java.util.Iterator;

/**
 * The records of one partition of one topic, in offset order: the unit Kafka Streams processes in order.
 * Closing releases files; streams of one Kafka consumer share it and close it once.
 */
public interface RecordStream extends Iterator<HistoryRecord<?>>, AutoCloseable {

    @Override
    void close();
}
