package io.fleethealth.cli.source;

import io.fleethealth.topics.Topic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a folder of one file per topic plus its {@link Manifest}. Used by export and by replay. */
public final class ExportFolderWriter implements AutoCloseable {

    /** File layout of the records. */
    public enum Format {
        AVRO, JSONL;

        String extension() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Path folder;
    private final Format format;
    private final String kind;
    private final TimeRange range;
    private final String source;
    private final Map<String, String> settings;
    private final Map<String, TopicFileWriter> writers = new LinkedHashMap<>();
    private boolean finished;

    public ExportFolderWriter(Path folder, Format format, String kind, TimeRange range, String source,
                              Map<String, String> settings) throws IOException {
        this.folder = Files.createDirectories(folder);
        this.format = format;
        this.kind = kind;
        this.range = range;
        this.source = source;
        this.settings = Map.copyOf(settings);
    }

    /** The writer of a topic's file, created on first use. */
    public TopicFileWriter writer(Topic<?> topic) throws IOException {
        TopicFileWriter existing = writers.get(topic.name());
        if (existing != null) {
            return existing;
        }
        Path file = folder.resolve(fileName(topic, format));
        TopicFileWriter writer = format == Format.AVRO ? new AvroTopicWriter(topic, file)
                : new JsonLinesTopicWriter(topic, file);
        writers.put(topic.name(), writer);
        return writer;
    }

    public static String fileName(Topic<?> topic, Format format) {
        return topic.name() + "." + format.extension();
    }

    /** Closes every file and writes the manifest. */
    public Manifest finish() throws IOException {
        List<Manifest.TopicFile> files = new ArrayList<>();
        for (TopicFileWriter writer : writers.values()) {
            files.add(writer.finish());
        }
        finished = true;
        Manifest manifest = new Manifest(Manifest.FORMAT, kind, Instant.now(), range.from(), range.to(), source,
                settings, files);
        manifest.write(folder);
        return manifest;
    }

    @Override
    public void close() throws IOException {
        if (!finished) {
            for (TopicFileWriter writer : writers.values()) {
                writer.close();
            }
        }
    }
}
