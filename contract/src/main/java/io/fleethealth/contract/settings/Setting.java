package io.fleethealth.contract.settings;

import java.util.Objects;
import java.util.function.Function;

/**
 * One environment setting: its key, what it means, its default and its validator, side by side.
 *
 * @param key          the environment variable
 * @param doc          what it controls, for the settings table and the start-up log
 * @param defaultDoc   the default in words (it may depend on other settings)
 * @param defaultValue computes the default from the settings declared before this one
 * @param parser       parses and validates a value that was set
 * @param secret       never printed, not even in an error message
 * @param <T>          the typed value
 */
public record Setting<T>(String key, String doc, String defaultDoc, Function<Resolved, T> defaultValue,
                         ValueParser<T> parser, boolean secret) {

    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(defaultDoc, "defaultDoc");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(parser, "parser");
    }

    /** The values of the settings resolved so far, for defaults derived from them. */
    @FunctionalInterface
    public interface Resolved {
        <U> U get(Setting<U> setting);
    }

    public static <T> Setting<T> of(String key, String doc, T defaultValue, ValueParser<T> parser) {
        return new Setting<>(key, doc, parser.format(defaultValue), earlier -> defaultValue, parser, false);
    }

    public static <T> Setting<T> derived(String key, String doc, String defaultDoc, Function<Resolved, T> defaultValue,
                                  ValueParser<T> parser) {
        return new Setting<>(key, doc, defaultDoc, defaultValue, parser, false);
    }

    /** Reads this setting from the raw text (null or blank = unset: the default applies). */
    public T resolve(String raw, Resolved earlier) {
        if (raw == null || raw.isBlank()) {
            return defaultValue.apply(earlier);
        }
        try {
            return parser.parse(raw);
        } catch (RuntimeException e) {
            String shown = secret ? "(hidden)" : "'" + raw + "'";
            throw new ConfigException(key, "Invalid value " + shown + " for " + key + ": expected "
                    + parser.accepted() + " (" + doc + ")");
        }
    }
}
