package io.fleethealth.contract.settings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns the text of an environment variable into a typed, validated value.
 *
 * @param <T> the typed value
 */
public interface ValueParser<T> {

    /** Parses and validates; throws {@link IllegalArgumentException} when the text is not accepted. */
    T parse(String raw);

    /** What is accepted, in words, for the error message and the settings table. */
    String accepted();

    /** How a value is shown at start (secrets are never shown, whatever this returns). */
    default String format(T value) {
        return String.valueOf(value);
    }

    static ValueParser<Integer> intAtLeast(int min) {
        return of("a whole number >= " + min, raw -> {
            int value = Integer.parseInt(raw.trim());
            if (value < min) {
                throw new IllegalArgumentException("below " + min);
            }
            return value;
        }, String::valueOf);
    }

    static ValueParser<Integer> port() {
        return of("a TCP port between 0 and 65535 (0 = any free port)", raw -> {
            int value = Integer.parseInt(raw.trim());
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("out of range");
            }
            return value;
        }, String::valueOf);
    }

    /** Whole seconds, at least {@code minSeconds}. */
    static ValueParser<Duration> seconds(long minSeconds) {
        return of("a whole number of seconds >= " + minSeconds, raw -> {
            long value = Long.parseLong(raw.trim());
            if (value < minSeconds) {
                throw new IllegalArgumentException("below " + minSeconds);
            }
            return Duration.ofSeconds(value);
        }, ValueParser::formatSeconds);
    }

    /** Seconds with an optional fraction (e.g. 2.5), strictly positive. */
    static ValueParser<Duration> positiveDecimalSeconds() {
        return of("a number of seconds > 0, fractions allowed (e.g. 2.5)", raw -> {
            double value = Double.parseDouble(raw.trim());
            if (!(value > 0) || Double.isInfinite(value) || value > 86_400 * 365) {
                throw new IllegalArgumentException("not a positive number of seconds");
            }
            return Duration.ofNanos(Math.round(value * 1_000_000_000d));
        }, ValueParser::formatSeconds);
    }

    static ValueParser<String> oneOf(List<String> accepted) {
        return of("one of " + String.join(", ", accepted), raw -> {
            String value = raw.trim();
            if (!accepted.contains(value)) {
                throw new IllegalArgumentException("not accepted");
            }
            return value;
        }, Function.identity());
    }

    static ValueParser<String> nonBlank(String what) {
        return of(what, raw -> {
            if (raw.isBlank()) {
                throw new IllegalArgumentException("blank");
            }
            return raw.trim();
        }, Function.identity());
    }

    /** Comma-separated host:port pairs, as Kafka's bootstrap.servers. */
    static ValueParser<Optional<String>> bootstrapServers() {
        return of("a comma-separated list of host:port (e.g. broker1:9092,broker2:9092)", raw -> {
            for (String server : raw.split(",")) {
                String s = server.trim();
                int colon = s.lastIndexOf(':');
                if (colon <= 0 || colon == s.length() - 1) {
                    throw new IllegalArgumentException("not host:port: " + s);
                }
                int port = Integer.parseInt(s.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("bad port: " + s);
                }
            }
            return Optional.of(raw.trim());
        }, value -> value.orElse("(embedded broker)"));
    }

    static ValueParser<Optional<URI>> httpUrl() {
        return of("an http:// or https:// URL", raw -> {
            URI uri = URI.create(raw.trim());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return Optional.of(uri);
        }, value -> value.map(URI::toString).orElse("(embedded registry)"));
    }

    static ValueParser<Path> path() {
        return of("a file-system path", raw -> {
            if (raw.isBlank()) {
                throw new IllegalArgumentException("blank");
            }
            return Path.of(raw.trim());
        }, Path::toString);
    }

    static ValueParser<Optional<String>> secret() {
        return of("any non-blank text", raw -> Optional.of(raw.trim()), value -> value.isPresent() ? "(set)" : "(not set)");
    }

    static <T> ValueParser<T> of(String accepted, Function<String, T> parse, Function<T, String> format) {
        return new ValueParser<>() {
            @Override
            public T parse(String raw) {
                return parse.apply(raw);
            }

            @Override
            public String accepted() {
                return accepted;
            }

            @Override
            public String format(T value) {
                return format.apply(value);
            }
        };
    }

    private static String formatSeconds(Duration value) {
        return value.toMillis() % 1000 == 0 ? value.toSeconds() + "s" : (value.toMillis() / 1000d) + "s";
    }
}
