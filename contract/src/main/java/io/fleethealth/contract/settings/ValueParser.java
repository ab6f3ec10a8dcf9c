package io.fleethealth.contract.settings;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns the text of an environment variable into a typed, validated value. Every parser states its range:
 * a value outside it is rejected at start, so no edge value goes through without a stated meaning.
 *
 * @param <T> the typed value
 */
public interface ValueParser<T> {

    /** Parses and validates; throws {@link IllegalArgumentException} when the text is not accepted. */
    T parse(String raw);

    /** What is accepted, in words, for the error message and the settings table. */
    String accepted();

    /** How a value is shown at start and in README's default column: as it would be written in the environment. */
    default String format(T value) {
        return String.valueOf(value);
    }

    /** How the value of a secret setting is shown at start: by default only whether it is set. */
    default String mask(T value) {
        return "****";
    }

    static ValueParser<Integer> intBetween(int min, int max) {
        return of("a whole number from " + min + " to " + max, raw -> {
            int value = Integer.parseInt(raw.strip());
            if (value < min || value > max) {
                throw new IllegalArgumentException("out of range");
            }
            return value;
        }, String::valueOf);
    }

    static ValueParser<Boolean> bool() {
        return of("true or false", raw -> switch (raw.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("not a boolean");
        }, String::valueOf);
    }

    static ValueParser<Integer> port() {
        return of("a TCP port from 0 to 65535 (0 = any free port)", raw -> {
            int value = Integer.parseInt(raw.strip());
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("out of range");
            }
            return value;
        }, String::valueOf);
    }

    /** Whole seconds from {@code minSeconds} to {@code maxSeconds}. */
    static ValueParser<Duration> secondsBetween(long minSeconds, long maxSeconds) {
        return of("a whole number of seconds from " + minSeconds + " to " + maxSeconds, raw -> {
            long value = Long.parseLong(raw.strip());
            if (value < minSeconds || value > maxSeconds) {
                throw new IllegalArgumentException("out of range");
            }
            return Duration.ofSeconds(value);
        }, value -> Long.toString(value.toSeconds()));
    }

    /** Seconds with an optional fraction (e.g. 2.5), millisecond precision, from 0.001 to {@code maxSeconds}. */
    static ValueParser<Duration> decimalSeconds(long maxSeconds) {
        return of("seconds from 0.001 to " + maxSeconds + ", fractions allowed (e.g. 10.0 or 0.5)", raw -> {
            BigDecimal seconds = new BigDecimal(raw.strip());
            BigDecimal millis = seconds.movePointRight(3);
            if (millis.compareTo(BigDecimal.ONE) < 0 || seconds.compareTo(BigDecimal.valueOf(maxSeconds)) > 0
                    || millis.stripTrailingZeros().scale() > 0) {
                throw new IllegalArgumentException("out of range or finer than a millisecond");
            }
            return Duration.ofMillis(millis.longValueExact());
        }, value -> Double.toString(value.toMillis() / 1000d));
    }

    /** One of the listed words, compared without regard to case; the value is the listed spelling. */
    static ValueParser<String> oneOf(List<String> accepted) {
        return of("one of " + String.join(", ", accepted), raw -> {
            String value = raw.strip();
            return accepted.stream().filter(a -> a.equalsIgnoreCase(value)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("not accepted"));
        }, Function.identity());
    }

    static ValueParser<String> nonBlank(String what) {
        return of(what, raw -> {
            if (raw.isBlank()) {
                throw new IllegalArgumentException("blank");
            }
            return raw.strip();
        }, Function.identity());
    }

    /** A Docker label key. */
    static ValueParser<String> labelKey() {
        return of("a Docker label key (letters, digits, '.', '_', '-', '/')", raw -> {
            String value = raw.strip();
            if (!value.matches("[A-Za-z0-9][A-Za-z0-9._/-]*")) {
                throw new IllegalArgumentException("not a label key");
            }
            return value;
        }, Function.identity());
    }

    /** Comma-separated host:port pairs, as Kafka's bootstrap.servers. */
    static ValueParser<String> bootstrapServers() {
        return of("a comma-separated list of host:port (e.g. broker1:9092,broker2:9092)", raw -> {
            for (String server : raw.split(",")) {
                String s = server.strip();
                if (!s.matches("[A-Za-z0-9.\\-\\[\\]:]+:\\d{1,5}")) {
                    throw new IllegalArgumentException("not host:port: " + s);
                }
                int port = Integer.parseInt(s.substring(s.lastIndexOf(':') + 1));
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("bad port: " + s);
                }
            }
            return raw.strip();
        }, Function.identity());
    }

    /** An http(s) URL with a host. Shown with any user-info masked, since it is a credential. */
    static ValueParser<URI> httpUrl() {
        return new ValueParser<>() {
            @Override
            public URI parse(String raw) {
                URI uri = URI.create(raw.strip());
                if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                        || uri.getHost() == null) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
                return uri;
            }

            @Override
            public String accepted() {
                return "an http:// or https:// URL with a host";
            }

            @Override
            public String format(URI value) {
                return Masking.withoutUserInfo(value);
            }

            @Override
            public String mask(URI value) {
                return Masking.originOnly(value);
            }
        };
    }

    /** The Docker engine's address. */
    static ValueParser<URI> dockerHost() {
        return of("unix:///path/to/docker.sock or tcp://host:port", raw -> {
            URI uri = URI.create(raw.strip());
            boolean unix = "unix".equals(uri.getScheme()) && uri.getPath() != null && !uri.getPath().isEmpty();
            boolean tcp = "tcp".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0;
            if (!unix && !tcp) {
                throw new IllegalArgumentException("not a docker host");
            }
            return uri;
        }, Masking::withoutUserInfo);
    }

    static ValueParser<Path> path() {
        return of("a file-system path", raw -> {
            if (raw.isBlank()) {
                throw new IllegalArgumentException("blank");
            }
            return Path.of(raw.strip());
        }, Path::toString);
    }

    /** Any non-blank text, e.g. a token. */
    static ValueParser<String> text() {
        return of("any non-blank text", String::strip, Function.identity());
    }

    /** The parser of an optional setting: a set value is parsed by {@code parser}, unset shows as {@code whenUnset}. */
    static <T> ValueParser<Optional<T>> optional(ValueParser<T> parser, String whenUnset) {
        return new ValueParser<>() {
            @Override
            public Optional<T> parse(String raw) {
                return Optional.of(parser.parse(raw));
            }

            @Override
            public String accepted() {
                return parser.accepted();
            }

            @Override
            public String format(Optional<T> value) {
                return value.map(parser::format).orElse(whenUnset);
            }

            @Override
            public String mask(Optional<T> value) {
                return value.map(parser::mask).orElse(whenUnset);
            }
        };
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

    /** Hiding credentials that travel inside URLs. */
    final class Masking {
        private Masking() {
        }

        /** The URL with its user-info (user:password@) replaced by ****. */
        public static String withoutUserInfo(URI uri) {
            if (uri.getRawUserInfo() == null) {
                return uri.toString();
            }
            return uri.toString().replace(uri.getRawUserInfo() + "@", "****@");
        }

        /** Scheme, host and port only: a webhook URL often carries its credential in the path or query. */
        public static String originOnly(URI uri) {
            String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
            boolean more = uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
                    || uri.getRawQuery() != null || uri.getRawUserInfo() != null;
            return uri.getScheme() + "://" + (uri.getRawUserInfo() != null ? "****@" : "") + uri.getHost() + port
                    + (more ? "/****" : "");
        }

    }
}
