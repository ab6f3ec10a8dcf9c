package io.fleethealth.cli.testing;

import io.fleethealth.cli.source.ExportFolderWriter;
import io.fleethealth.cli.source.HistoryRecord;
import io.fleethealth.cli.source.TimeRange;
import io.fleethealth.cli.source.TopicFileWriter;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Benchmark input, not a test: writes an export folder of synthetic checks (SESSIONS sessions probed every
 * 30 s for TICKS rounds, failing in runs of 3-4) over 3 partitions.
 * Usage: {@code java ... SyntheticHistory <folder> <sessions> <ticks>}; then time {@code fleet-health replay -i <folder>}.
 */
public final class SyntheticHistory {

    private static final int PARTITIONS = 3;

    private SyntheticHistory() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        int sessions = Integer.parseInt(args[1]);
        int ticks = Integer.parseInt(args[2]);
        Instant t0 = Instant.parse("2025-03-01T00:00:00Z");
        TimeRange range = new TimeRange(t0, t0.plus(Duration.ofSeconds(30L * ticks + 30)));
        try (ExportFolderWriter writer = new ExportFolderWriter(folder, ExportFolderWriter.Format.AVRO, "export",
                range, "synthetic", Map.of())) {
            TopicFileWriter file = writer.writer(Topics.HEALTH_CHECKS);
            for (int p = 0; p < PARTITIONS; p++) {
                file.startPartition(p);
                long offset = 0;
                for (int tick = 0; tick < ticks; tick++) {
                    Instant at = t0.plusSeconds(30L * tick);
                    for (int s = p; s < sessions; s += PARTITIONS) {
                        String session = "session-" + s;
                        HealthCheckResult check = Events.check(session, session + "-" + tick, at,
                                FailurePattern.healthy(s, tick));
                        file.append(new HistoryRecord<>(Topics.HEALTH_CHECKS, session, at.plusMillis(s), p, offset++, check));
                    }
                }
            }
            System.out.println(writer.finish().topics());
        }
    }
}
