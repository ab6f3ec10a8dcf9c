package io.fleethealth.cli.source;

import io.fleethealth.topics.Topic;
import io.fleethealth.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Reads a folder written by export or replay. Only the Avro files are read back; a folder without a
 * manifest (files renamed or produced by another tool) is read one file per topic, as a single stream.
 */
public final class ExportFolder {

    private final Path folder;
    private final Manifest manifest;

    private ExportFolder(Path folder, Manifest manifest) {
        this.folder = folder;
        this.manifest = manifest;
    }

    public static ExportFolder open(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("Not a folder: " + folder);
        }
        return new ExportFolder(folder, Manifest.read(folder).orElseGet(() -> guess(folder)));
    }

    public Path path() {
        return folder;
    }

    public Manifest manifest() {
        return manifest;
    }

    public boolean has(Topic<?> topic) {
        return manifest.file(topic.name()).isPresent();
    }

    public long count(Topic<?> topic) {
        return manifest.file(topic.name()).map(Manifest.TopicFile::records).orElse(0L);
    }

    /** One stream per partition of the topic's file, each in offset order; none when the topic is absent. */
    public List<RecordStream> partitions(Topic<?> topic) {
        Optional<Manifest.TopicFile> file = manifest.file(topic.name());
        if (file.isEmpty()) {
            return List.of();
        }
        Path path = avroFile(file.get());
        List<RecordStream> streams = new ArrayList<>();
        for (Manifest.PartitionIndex index : file.get().partitions()) {
            streams.add(new AvroPartitionStream(topic, path, index.position(), index.records()));
        }
        return streams;
    }

    /** Every record of the topic in file order; nothing when the topic is absent. */
    @SuppressWarnings("unchecked")
    public <V> void forEach(Topic<V> topic, Consumer<HistoryRecord<V>> action) {
        for (RecordStream stream : partitions(topic)) {
            try (stream) {
                stream.forEachRemaining(r -> action.accept((HistoryRecord<V>) r));
            }
        }
    }

    public <V> List<HistoryRecord<V>> readAll(Topic<V> topic) {
        List<HistoryRecord<V>> all = new ArrayList<>();
        forEach(topic, all::add);
        return all;
    }

    private Path avroFile(Manifest.TopicFile file) {
        if (!"avro".equals(file.format())) {
            throw new IllegalArgumentException("File " + file.file() + " is " + file.format()
                    + ": replay and report read Avro exports (export with --format avro)");
        }
        return folder.resolve(file.file());
    }

    /** Without a manifest: {@code <topic>.avro} files, each read from its first record to its last. */
    private static Manifest guess(Path folder) {
        List<Manifest.TopicFile> files = new ArrayList<>();
        for (Topic<?> topic : Topics.ALL) {
            Path file = folder.resolve(topic.name() + ".avro");
            if (Files.exists(file)) {
                files.add(new Manifest.TopicFile(topic.name(), file.getFileName().toString(), "avro", count(file),
                        List.of(new Manifest.PartitionIndex(0, -1, Long.MAX_VALUE, -1, -1))));
            }
        }
        return new Manifest(Manifest.FORMAT, "unknown", null, null, null, folder.toString(), Map.of(), files);
    }

    private static long count(Path file) {
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>())) {
            long n = 0;
            while (reader.hasNext()) {
                n += reader.getBlockCount();
                reader.nextBlock();
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** The records of one partition: seek to its sync marker, then read its count of records. */
    private static final class AvroPartitionStream implements RecordStream {
        private final Topic<?> topic;
        private final DataFileReader<GenericRecord> reader;
        private long remaining;

        AvroPartitionStream(Topic<?> topic, Path file, long position, long records) {
            this.topic = topic;
            this.remaining = records;
            try {
                this.reader = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>());
                if (position >= 0) {
                    reader.seek(position);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot open " + file, e);
            }
        }

        @Override
        public boolean hasNext() {
            return remaining > 0 && reader.hasNext();
        }

        @Override
        public HistoryRecord<?> next() {
            remaining--;
            return Envelope.unwrap(topic, reader.next());
        }

        @Override
        public void close() {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot close an export file", e);
            }
        }
    }
}
