package io.fleethealth.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a query string, decoded strictly: a malformed percent-escape is the caller's mistake (400),
 * never an error of the server. The first value of a repeated name wins.
 */
public final class Query {

    private final Map<String, String> params;

    private Query(Map<String, String> params) {
        this.params = params;
    }

    /** Parses a raw (still encoded) query string; null or empty gives no parameters. */
    public static Query parse(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return new Query(params);
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            params.putIfAbsent(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return new Query(params);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** {@code name} as a whole number from {@code min} to {@code max}, or {@code absent} when not given. */
    public int intIn(String name, int min, int max, int absent) {
        Optional<String> raw = get(name);
        if (raw.isEmpty()) {
            return absent;
        }
        try {
            int value = Integer.parseInt(raw.get().trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below, with the accepted range
        }
        throw new ApiException(400, name + " must be a number from " + min + " to " + max + ", got '" + raw.get() + "'");
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "malformed percent-encoding in the query: '" + raw + "'");
        }
    }
}
