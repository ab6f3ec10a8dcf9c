package io.fleethealth.cli.source;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code manifest.json} of an export or replay folder: what was read, from where, with which settings,
 * and where each partition starts in each file, so that a replay can read partitions side by side.
 *
 * @param format    layout version of the folder
 * @param kind      {@code export} (read from Kafka) or {@code replay} (decisions of a replay)
 * @param createdAt when the folder was written
 * @param from      first record timestamp included
 * @param to        first record timestamp excluded
 * @param source    where the records came from (bootstrap servers, or the replayed folder)
 * @param settings  the decision settings of a replay; empty for an export
 * @param topics    one entry per file
 */
public record Manifest(int format, String kind, Instant createdAt, Instant from, Instant to, String source,
                       Map<String, String> settings, List<TopicFile> topics) {

    public static final String FILE_NAME = "manifest.json";
    public static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public Manifest {
        settings = Map.copyOf(settings);
        topics = List.copyOf(topics);
    }

    /**
     * One file of the folder.
     *
     * @param topic      the catalogue topic
     * @param file       file name inside the folder
     * @param format     {@code avro} or {@code jsonl}
     * @param records    records in the file
     * @param partitions where each partition's records start, in file order
     */
    public record TopicFile(String topic, String file, String format, long records, List<PartitionIndex> partitions) {
        public TopicFile {
            partitions = List.copyOf(partitions);
        }
    }

    /**
     * @param partition   Kafka partition (-1 for replay output)
     * @param position    where its first record starts: an Avro sync position, or a byte offset for JSON lines
     * @param records     how many records follow
     * @param firstOffset offset of the first record, -1 when none
     * @param lastOffset  offset of the last record, -1 when none
     */
    public record PartitionIndex(int partition, long position, long records, long firstOffset, long lastOffset) {
    }

    public Optional<TopicFile> file(String topic) {
        return topics.stream().filter(t -> t.topic().equals(topic)).findFirst();
    }

    public void write(Path folder) {
        try {
            JSON.writeValue(folder.resolve(FILE_NAME).toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the manifest in " + folder, e);
        }
    }

    public static Optional<Manifest> read(Path folder) {
        Path file = folder.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Manifest.class));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the manifest " + file, e);
        }
    }
}
