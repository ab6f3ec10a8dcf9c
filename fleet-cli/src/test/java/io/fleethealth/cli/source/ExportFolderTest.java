package io.fleethealth.cli.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleethealth.cli.testing.Events;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportFolderTest {

    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
    private static final TimeRange RANGE = new TimeRange(T0, T0.plusSeconds(3600));

    @TempDir
    Path dir;

    @Test
    void shouldReadEachPartitionBackFromItsIndexedPosition() throws Exception {
        write(ExportFolderWriter.Format.AVRO, 3, 2_000);

        ExportFolder folder = ExportFolder.open(dir);
        List<RecordStream> partitions = folder.partitions(Topics.HEALTH_CHECKS);

        assertThat(folder.count(Topics.HEALTH_CHECKS)).isEqualTo(6_000);
        assertThat(partitions).hasSize(3);
        for (int p = 0; p < 3; p++) {
            List<HistoryRecord<?>> records = new ArrayList<>();
            try (RecordStream stream = partitions.get(p)) {
                stream.forEachRemaining(records::add);
            }
            int partition = p;
            assertThat(records).hasSize(2_000).allSatisfy(r -> assertThat(r.partition()).isEqualTo(partition));
            assertThat(records).extracting(HistoryRecord::offset).isSorted().startsWith(100L);
            HistoryRecord<?> first = records.get(0);
            assertThat(first.key()).isEqualTo("s-" + p);
            assertThat(first.timestamp()).isEqualTo(T0.plusMillis(100));
            assertThat(((HealthCheckResult) first.value()).getProbeTime()).isEqualTo(T0);
        }
    }

    @Test
    void shouldWriteFilesAnyAvroReaderCanReadWithoutOurClasses() throws Exception {
        write(ExportFolderWriter.Format.AVRO, 1, 5);

        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(
                dir.resolve("fleet.health.checks.avro").toFile(), new GenericDatumReader<>())) {
            GenericRecord first = reader.next();
            assertThat(reader.getMetaString("fleet.topic")).isEqualTo("fleet.health.checks");
            assertThat(first.get("topic").toString()).isEqualTo("fleet.health.checks");
            assertThat(first.get("key").toString()).isEqualTo("s-0");
            assertThat(((GenericRecord) first.get("value")).get("sessionId").toString()).isEqualTo("s-0");
            assertThat(first.getSchema().getField("value").schema().getTypes().get(1).getFullName())
                    .isEqualTo("io.fleethealth.events.HealthCheckResult");
        }
    }

    @Test
    void shouldWriteJsonLinesWithIsoTimesAndEnumNames() throws Exception {
        write(ExportFolderWriter.Format.JSONL, 2, 3);

        List<String> lines = Files.readAllLines(dir.resolve("fleet.health.checks.jsonl"));
        JsonNode first = new ObjectMapper().readTree(lines.get(0));

        assertThat(lines).hasSize(6);
        assertThat(first.get("timestamp").asText()).isEqualTo("2025-03-01T00:00:00.100Z");
        assertThat(first.at("/value/probeTime").asText()).isEqualTo("2025-03-01T00:00:00Z");
        assertThat(first.at("/value/status").asText()).isEqualTo("FAILED");
        assertThat(Manifest.read(dir).orElseThrow().file("fleet.health.checks").orElseThrow().partitions())
                .extracting(Manifest.PartitionIndex::records).containsExactly(3L, 3L);
    }

    private void write(ExportFolderWriter.Format format, int partitions, int perPartition) throws Exception {
        try (ExportFolderWriter writer = new ExportFolderWriter(dir, format, "export", RANGE, "test", Map.of())) {
            TopicFileWriter file = writer.writer(Topics.HEALTH_CHECKS);
            for (int p = 0; p < partitions; p++) {
                file.startPartition(p);
                for (int i = 0; i < perPartition; i++) {
                    String session = "s-" + p;
                    file.append(new HistoryRecord<>(Topics.HEALTH_CHECKS, session, T0.plusMillis(100 + i), p, 100 + i,
                            Events.check(session, session + "-" + i, T0.plusSeconds(30L * i), false)));
                }
            }
            writer.finish();
        }
    }
}
