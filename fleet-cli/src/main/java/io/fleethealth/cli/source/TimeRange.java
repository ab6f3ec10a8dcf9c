package io.fleethealth.cli.source;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A half-open range of record timestamps [from, to).
 *
 * @param from first timestamp included
 * @param to   first timestamp excluded
 */
public record TimeRange(Instant from, Instant to) {

    private static final Pattern RELATIVE = Pattern.compile("-(\\d+)([smhd])");

    public TimeRange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("The range ends (" + to + ") before it starts (" + from + ")");
        }
    }

    /** Everything up to now. */
    public static TimeRange untilNow(Instant now) {
        return new TimeRange(Instant.EPOCH, now);
    }

    public boolean contains(Instant timestamp) {
        return !timestamp.isBefore(from) && timestamp.isBefore(to);
    }

    /**
     * Parses an ISO-8601 instant ({@code 2025-03-01T12:00:00Z}), {@code now}, or a time relative to now
     * ({@code -90s}, {@code -15m}, {@code -1h}, {@code -2d}).
     */
    public static Instant parseInstant(String text, Instant now) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("now")) {
            return now;
        }
        Matcher relative = RELATIVE.matcher(value);
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            Duration unit = switch (relative.group(2)) {
                case "s" -> Duration.ofSeconds(1);
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                default -> Duration.ofDays(1);
            };
            return now.minus(unit.multipliedBy(amount));
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Not a time: '" + text
                    + "' (expected an ISO instant like 2025-03-01T12:00:00Z, 'now', or -30s, -15m, -1h, -2d)", e);
        }
    }
}
