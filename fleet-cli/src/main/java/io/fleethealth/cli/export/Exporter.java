package io.fleethealth.cli.export;

import io.fleethealth.cli.source.ExportFolderWriter;
import io.fleethealth.cli.source.KafkaSource;
import io.fleethealth.cli.source.PartitionSpan;
import io.fleethealth.cli.source.RecordStream;
import io.fleethealth.cli.source.TopicFileWriter;
import io.fleethealth.topics.Topic;
import java.io.IOException;
import java.util.List;

/** Copies each topic partition by partition, so each partition is one contiguous, indexed run of the file. */
public final class Exporter {

    private final KafkaSource source;
    private final ExportFolderWriter folder;
    private final Runnable onRecord;

    public Exporter(KafkaSource source, ExportFolderWriter folder, Runnable onRecord) {
        this.source = source;
        this.folder = folder;
        this.onRecord = onRecord;
    }

    public void export(List<Topic<?>> topics) throws IOException {
        for (Topic<?> topic : topics) {
            TopicFileWriter writer = folder.writer(topic);
            List<PartitionSpan> spans = source.spans(topic);
            List<RecordStream> partitions = source.partitions(topic);
            for (int i = 0; i < partitions.size(); i++) {
                writer.startPartition(spans.get(i).partition().partition());
                RecordStream stream = partitions.get(i);
                while (stream.hasNext()) {
                    writer.append(stream.next());
                    onRecord.run();
                }
            }
        }
    }
}
