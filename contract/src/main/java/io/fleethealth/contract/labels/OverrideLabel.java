package io.fleethealth.contract.labels;

import io.fleethealth.contract.settings.ValueParser;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A label a container may carry to override a setting for itself, declared like a setting: its key, what it
 * means and its accepted values, side by side.
 *
 * @param key    the label
 * @param doc    what it changes, for the docs
 * @param parser its accepted values
 * @param <T>    the typed value
 */
public record OverrideLabel<T>(String key, String doc, ValueParser<T> parser) {

    public static final int MAX_FAILURE_THRESHOLD = 100;
    public static final int MAX_STOP_TIMEOUT_SECONDS = 3600;

    public static final OverrideLabel<Boolean> ENABLED = new OverrideLabel<>(Labels.ENABLED,
            "false = probed and shown as not managed: never restarted, alerted or marked stale",
            ValueParser.of("true or false (any case)", OverrideLabel::parseBoolean, String::valueOf));
    public static final OverrideLabel<Integer> FAILURE_THRESHOLD = new OverrideLabel<>(Labels.FAILURE_THRESHOLD,
            "failures in a row before a restart, instead of CONTAINER_FAILURE_THRESHOLD",
            intBetween(1, MAX_FAILURE_THRESHOLD));
    public static final OverrideLabel<Integer> STOP_TIMEOUT = new OverrideLabel<>(Labels.STOP_TIMEOUT,
            "seconds between SIGTERM and SIGKILL when this container is restarted (0 = kill at once)",
            intBetween(0, MAX_STOP_TIMEOUT_SECONDS));

    /** Every override label, in the order their problems are reported. */
    public static final List<OverrideLabel<?>> ALL = List.of(ENABLED, FAILURE_THRESHOLD, STOP_TIMEOUT);

    public OverrideLabel {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(parser, "parser");
    }

    /**
     * The value of this label among {@code labels}: empty when absent, or when present but not accepted, and then
     * the problem is added to {@code invalid} as {@code key='value'}.
     */
    public Optional<T> read(Map<String, String> labels, List<String> invalid) {
        String raw = labels.get(key);
        if (raw == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.parse(raw));
        } catch (RuntimeException e) { // NumberFormatException included: the default applies, the problem is named
            invalid.add(key + "='" + raw + "'");
            return Optional.empty();
        }
    }

    private static ValueParser<Integer> intBetween(int min, int max) {
        return ValueParser.of("a whole number from " + min + " to " + max, raw -> {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) {
                throw new IllegalArgumentException("out of range");
            }
            return value;
        }, String::valueOf);
    }

    private static Boolean parseBoolean(String raw) {
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not true or false");
        };
    }
}
