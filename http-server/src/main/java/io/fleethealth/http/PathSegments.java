package io.fleethealth.http;

import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Path segments read from the raw request path and decoded here, once: {@code %2F} inside a session id stays part
 * of it, a plus sign stays a plus sign, and a malformed escape is the caller's mistake (400).
 */
public final class PathSegments {

    private PathSegments() {
    }

    /** The decoded segment at {@code index} (0 is the one after the first slash). */
    public static String decoded(Context ctx, int index) {
        String[] segments = ctx.req().getRequestURI().split("/", -1);
        if (index + 1 >= segments.length) {
            throw new ApiException(404, "no such route: " + ctx.path());
        }
        return decode(segments[index + 1]);
    }

    static String decode(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "malformed percent-encoding in '" + raw + "'");
        }
    }
}
