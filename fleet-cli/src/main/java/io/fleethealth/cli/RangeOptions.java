package io.fleethealth.cli;

import io.fleethealth.cli.source.TimeRange;
import java.time.Instant;
import picocli.CommandLine.Option;

/** {@code --from} / {@code --to}: ISO instants, {@code now}, or relative like {@code -1h}. */
public final class RangeOptions {

    @Option(names = "--from", paramLabel = "TIME",
            description = "first record timestamp to include: 2025-03-01T12:00:00Z, -1h, -30m... (default: the beginning)")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "first record timestamp to leave out (default: now)")
    String to;

    public TimeRange range(Instant now) {
        Instant start = from == null ? Instant.EPOCH : TimeRange.parseInstant(from, now);
        Instant end = to == null ? now : TimeRange.parseInstant(to, now);
        return new TimeRange(start, end);
    }
}
