package io.fleethealth.processor.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The dashboard's static files, read from the class path once at start so that a missing file fails the
 * start and not an operator's page load. Only these names are served: no path ever reaches the class loader.
 */
final class DashboardAssets {

    private static final String FOLDER = "dashboard/";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8",
            "favicon.ico", "image/x-icon");

    private final Map<String, Reply> replies;

    DashboardAssets() {
        this.replies = FILES.entrySet().stream().collect(Collectors.toUnmodifiableMap(
                Map.Entry::getKey, e -> Reply.of(200, e.getValue(), read(e.getKey()))
                        .withHeader("Cache-Control", "no-cache")
                        // Everything comes from this server: a stray external URL would simply not load.
                        .withHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:")
                        .withHeader("X-Content-Type-Options", "nosniff")));
    }

    /** The file for a request path such as {@code /} or {@code /app.js}. */
    Optional<Reply> forPath(String path) {
        String name = path.equals("/") ? "index.html" : path.substring(1);
        return Optional.ofNullable(replies.get(name));
    }

    private static byte[] read(String name) {
        try (InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file missing from the class path: " + FOLDER + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard file " + FOLDER + name, e);
        }
    }
}
