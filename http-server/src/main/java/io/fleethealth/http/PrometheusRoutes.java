package io.fleethealth.http;

import java.util.Objects;
import java.util.function.Supplier;

/** {@code GET /metrics}: the Prometheus text exposition of a registry's scrape. */
public final class PrometheusRoutes implements RouteGroup {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<String> scrape;

    public PrometheusRoutes(Supplier<String> scrape) {
        this.scrape = Objects.requireNonNull(scrape, "scrape");
    }

    @Override
    public void addTo(Routes routes) {
        routes.get("metrics", "/metrics", ctx -> ctx.contentType(CONTENT_TYPE).result(scrape.get()));
    }
}
