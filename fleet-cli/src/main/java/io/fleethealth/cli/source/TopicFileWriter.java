package io.fleethealth.cli.source;

import java.io.IOException;

/** Writes the records of one topic to one file, partition after partition. */
public interface TopicFileWriter extends AutoCloseable {

    /** Every record that follows belongs to this partition, until the next call. */
    void startPartition(int partition) throws IOException;

    void append(HistoryRecord<?> record) throws IOException;

    /** Closes the file and describes it for the manifest. */
    Manifest.TopicFile finish() throws IOException;

    @Override
    void close() throws IOException;
}
