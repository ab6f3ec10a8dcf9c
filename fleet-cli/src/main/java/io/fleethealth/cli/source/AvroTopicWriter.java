package io.fleethealth.cli.source;

import io.fleethealth.topics.Topic;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * An Avro object container file of {@link Envelope} records (schema in the header, deflate blocks):
 * readable by avro-tools, fastavro/pandas and Spark. A sync marker starts every partition so that its
 * position can be recorded and sought.
 */
public final class AvroTopicWriter implements TopicFileWriter {

    private final Topic<?> topic;
    private final Path file;
    private final Schema schema;
    private final DataFileWriter<GenericRecord> writer;
    private final PartitionTracker partitions = new PartitionTracker();

    public AvroTopicWriter(Topic<?> topic, Path file) throws IOException {
        this.topic = topic;
        this.file = file;
        this.schema = Envelope.schemaOf(topic);
        this.writer = new DataFileWriter<GenericRecord>(new SpecificDatumWriter<>(schema))
                .setCodec(CodecFactory.deflateCodec(1));
        writer.setMeta("fleet.topic", topic.name());
        writer.create(schema, file.toFile());
    }

    @Override
    public void startPartition(int partition) throws IOException {
        partitions.start(partition, writer.sync());
    }

    @Override
    public void append(HistoryRecord<?> record) throws IOException {
        partitions.record(record.offset());
        writer.append(Envelope.wrap(schema, record));
    }

    @Override
    public Manifest.TopicFile finish() throws IOException {
        writer.close();
        return new Manifest.TopicFile(topic.name(), file.getFileName().toString(), "avro", partitions.total(),
                partitions.finish());
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
