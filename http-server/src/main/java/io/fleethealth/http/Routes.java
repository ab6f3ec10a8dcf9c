package io.fleethealth.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The server's route table as the route groups see it: a named route per method and path. The name labels the
 * request counts; the table also answers which methods a path has (405 with {@code Allow}).
 *
 * <p>Paths use Javalin's syntax: {@code {id}} is one path segment, percent-decoded.
 */
public final class Routes {

    /** One route's work; it may throw {@link ApiException} for an expected error answer. */
    @FunctionalInterface
    public interface Handler {
        void handle(Context ctx) throws Exception;
    }

    /** What the server does around every handler (name, worker, timeout). */
    @FunctionalInterface
    interface Wrapper {
        io.javalin.http.Handler wrap(String name, Handler handler);
    }

    private record Entry(String method, Pattern path) {
    }

    private final RoutesConfig config;
    private final Wrapper wrapper;
    private final List<Entry> entries = new ArrayList<>();

    Routes(RoutesConfig config, Wrapper wrapper) {
        this.config = config;
        this.wrapper = wrapper;
    }

    public Routes get(String name, String path, Handler handler) {
        config.get(path, wrapper.wrap(name, Objects.requireNonNull(handler, "handler")));
        entries.add(new Entry("GET", pattern(path)));
        return this;
    }

    public Routes post(String name, String path, Handler handler) {
        config.post(path, wrapper.wrap(name, Objects.requireNonNull(handler, "handler")));
        entries.add(new Entry("POST", pattern(path)));
        return this;
    }

    /** The methods some route serves on this path, in the order they were added. */
    Set<String> methodsFor(String path) {
        Set<String> methods = new LinkedHashSet<>();
        for (Entry entry : entries) {
            if (entry.path().matcher(path).matches()) {
                methods.add(entry.method());
            }
        }
        return methods;
    }

    private static Pattern pattern(String path) {
        StringBuilder regex = new StringBuilder();
        for (String part : path.split("(?=\\{)|(?<=})")) {
            regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
