package io.fleethealth.contract.settings;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One environment setting: its key, what it means, its default and its validator, side by side. Declare it
 * once (a {@code public static final} field), list it in the runnable's settings, and {@link Settings#read}
 * validates it, prints it and documents it (README's settings tables are checked against the declarations).
 *
 * @param key          the environment variable
 * @param doc          what it controls, one line, for the settings table and error messages
 * @param defaultDoc   the default in words, exactly as README.md's settings table shows it
 * @param defaultValue computes the default from the settings declared before this one
 * @param parser       parses and validates a value that was set
 * @param secret       never printed as is: shown as {@link ValueParser#mask}, and its value never appears in an error
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

    /** A setting with a fixed default. */
    public static <T> Setting<T> of(String key, String doc, T defaultValue, ValueParser<T> parser) {
        return new Setting<>(key, doc, parser.format(defaultValue), earlier -> defaultValue, parser, false);
    }

    /** A setting whose default is computed from settings declared (and listed) before it. */
    public static <T> Setting<T> derived(String key, String doc, String defaultDoc, Function<Resolved, T> defaultValue,
                                         ValueParser<T> parser) {
        return new Setting<>(key, doc, defaultDoc, defaultValue, parser, false);
    }

    /** A setting that may stay unset; {@code whenUnset} says what that means (e.g. "(embedded broker)"). */
    public static <T> Setting<Optional<T>> optional(String key, String doc, String whenUnset, ValueParser<T> parser) {
        return new Setting<>(key, doc, whenUnset, earlier -> Optional.empty(), ValueParser.optional(parser, whenUnset),
                false);
    }

    /** An optional secret: a token, a password, a URL that carries a credential in its path or query. */
    public static <T> Setting<Optional<T>> secret(String key, String doc, String whenUnset, ValueParser<T> parser) {
        return new Setting<>(key, doc, whenUnset, earlier -> Optional.empty(), ValueParser.optional(parser, whenUnset),
                true);
    }

    /** What is accepted, in words. */
    public String accepted() {
        return parser.accepted();
    }

    /** Reads this setting from the raw text (null or blank = unset: the default applies). */
    public T resolve(String raw, Resolved earlier) {
        if (raw == null || raw.isBlank()) {
            return defaultValue.apply(earlier);
        }
        try {
            return parser.parse(raw);
        } catch (RuntimeException e) {
            String shown = secret ? "(hidden)" : "'" + raw.strip() + "'";
            throw new ConfigException(key, key + "=" + shown + " is not accepted: expected " + parser.accepted()
                    + " (" + doc + ")");
        }
    }

    /** How a value is shown in the start-up log: secrets masked. */
    public String show(T value) {
        return secret ? parser.mask(value) : parser.format(value);
    }

    @Override
    public String toString() {
        return key;
    }

    /** Two declarations of one variable are the same setting only if they are the same object. */
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
