package io.fleethealth.cli.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleethealth.topics.Topic;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One JSON object per line: {@code {"topic", "partition", "offset", "timestamp", "key", "value"}}, times as
 * ISO-8601 strings, enums as their names. For tools without Avro; the replay reads the Avro files.
 */
public final class JsonLinesTopicWriter implements TopicFileWriter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] NEWLINE = {'\n'};

    private final Topic<?> topic;
    private final Path file;
    private final CountingStream out;
    private final PartitionTracker partitions = new PartitionTracker();

    public JsonLinesTopicWriter(Topic<?> topic, Path file) throws IOException {
        this.topic = topic;
        this.file = file;
        this.out = new CountingStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    }

    @Override
    public void startPartition(int partition) {
        partitions.start(partition, out.count);
    }

    @Override
    public void append(HistoryRecord<?> record) throws IOException {
        partitions.record(record.offset());
        ObjectNode line = JSON.createObjectNode();
        line.put("topic", record.topic().name());
        line.put("partition", record.partition());
        line.put("offset", record.offset());
        line.put("timestamp", record.timestamp().toString());
        line.put("key", record.key());
        line.set("value", AvroJson.toJson(record.value()));
        out.write(JSON.writeValueAsBytes(line));
        out.write(NEWLINE);
    }

    @Override
    public Manifest.TopicFile finish() throws IOException {
        out.close();
        return new Manifest.TopicFile(topic.name(), file.getFileName().toString(), "jsonl", partitions.total(),
                partitions.finish());
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** Knows how many bytes were written, so each partition's byte offset can be indexed. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }
    }
}
