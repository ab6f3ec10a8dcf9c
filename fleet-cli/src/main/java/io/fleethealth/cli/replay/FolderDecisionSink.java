package io.fleethealth.cli.replay;

import io.fleethealth.cli.source.ExportFolderWriter;
import io.fleethealth.cli.source.HistoryRecord;
import io.fleethealth.cli.source.Manifest;
import io.fleethealth.cli.source.TopicFileWriter;
import io.fleethealth.processor.decision.Emitted;
import io.fleethealth.topics.Topic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a replay's decisions in the export layout (one file per live output topic, named after it, plus
 * the manifest with the replay's settings), so that report reads a live export and a replay alike.
 * Records have partition -1 and their sequence number per topic as offset.
 */
public final class FolderDecisionSink implements DecisionSink {

    private final ExportFolderWriter folder;
    private final Map<String, Long> sequences = new HashMap<>();
    private Manifest manifest;

    public FolderDecisionSink(ExportFolderWriter folder) {
        this.folder = folder;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void accept(Emitted<?> emitted) {
        Topic<?> topic = emitted.topic();
        try {
            TopicFileWriter writer = folder.writer(topic);
            Long sequence = sequences.get(topic.name());
            if (sequence == null) {
                writer.startPartition(-1);
                sequence = 0L;
            }
            sequences.put(topic.name(), sequence + 1);
            writer.append(new HistoryRecord(topic, emitted.key(), emitted.timestamp(), -1, sequence, emitted.value()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the decisions of " + topic.name(), e);
        }
    }

    /** The manifest written on close; null before. */
    public Manifest manifest() {
        return manifest;
    }

    @Override
    public void close() {
        try {
            manifest = folder.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot finish the replay folder", e);
        }
    }
}
