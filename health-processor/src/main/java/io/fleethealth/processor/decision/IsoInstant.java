package io.fleethealth.processor.decision;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#toString()} (ISO-8601, UTC, seconds always, the fraction in groups of three digits as
 * needed), written directly for the years 1970 to 9999. Reasons that quote an instant are rebuilt for
 * every check of a session (a FAILED one says since when it is healthy again), and the JDK's formatter
 * was a tenth of a replay's time. Other years fall back to {@link Instant#toString()}.
 */
final class IsoInstant {

    /** 10000-01-01T00:00:00Z: the first second with a five-digit year. */
    private static final long YEAR_10000 = 253_402_300_800L;
    private static final int SECONDS_PER_DAY = 86_400;

    private IsoInstant() {
    }

    static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < 0 || seconds >= YEAR_10000) {
            return instant.toString();
        }
        int nano = instant.getNano();
        int fraction = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
        byte[] text = new byte[20 + (fraction == 0 ? 0 : fraction + 1)];
        LocalDate date = LocalDate.ofEpochDay(seconds / SECONDS_PER_DAY);
        int secondOfDay = (int) (seconds % SECONDS_PER_DAY);
        digits(text, 0, date.getYear(), 4);
        text[4] = '-';
        digits(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, date.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, secondOfDay / 3600, 2);
        text[13] = ':';
        digits(text, 14, secondOfDay / 60 % 60, 2);
        text[16] = ':';
        digits(text, 17, secondOfDay % 60, 2);
        int end = 19;
        if (fraction > 0) {
            text[end++] = '.';
            int value = fraction == 3 ? nano / 1_000_000 : fraction == 6 ? nano / 1_000 : nano;
            digits(text, end, value, fraction);
            end += fraction;
        }
        text[end] = 'Z';
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    /** Writes value as exactly width decimal digits, zero-padded, at offset. */
    private static void digits(byte[] text, int offset, int value, int width) {
        for (int i = offset + width - 1; i >= offset; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
