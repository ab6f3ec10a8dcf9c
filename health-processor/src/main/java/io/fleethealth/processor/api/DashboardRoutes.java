package io.fleethealth.processor.api;

import io.fleethealth.http.RouteGroup;
import io.fleethealth.http.Routes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard's static files (page, script, styles, icon), read from the class path once at start so that a missing file fails the
 * start and not an operator's page load. Only these names are served: no path ever reaches the class loader.
 */
final class DashboardRoutes implements RouteGroup {

    private static final String FOLDER = "dashboard/";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8",
            "favicon.ico", "image/x-icon");

    private record Asset(String contentType, byte[] bytes) {
    }

    private final Map<String, Asset> assets;

    DashboardRoutes() {
        this.assets = Map.of(
                "index.html", asset("index.html"),
                "app.js", asset("app.js"),
                "style.css", asset("style.css"),
                "favicon.ico", asset("favicon.ico"));
    }

    @Override
    public void addTo(Routes routes) {
        routes.get("dashboard", "/", ctx -> serve(ctx, assets.get("index.html")));
        for (Map.Entry<String, Asset> file : assets.entrySet()) {
            routes.get("dashboard", "/" + file.getKey(), ctx -> serve(ctx, file.getValue()));
        }
    }

    private static void serve(io.javalin.http.Context ctx, Asset asset) {
        ctx.contentType(asset.contentType())
                .header("Cache-Control", "no-cache")
                // Everything comes from this server: a stray external URL would simply not load.
                .header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:")
                .header("X-Content-Type-Options", "nosniff")
                .result(asset.bytes());
    }

    private static Asset asset(String name) {
        try (InputStream in = DashboardRoutes.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file missing from the class path: " + FOLDER + name);
            }
            return new Asset(FILES.get(name), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard file " + FOLDER + name, e);
        }
    }
}
