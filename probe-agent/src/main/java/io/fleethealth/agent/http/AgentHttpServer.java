package io.fleethealth.agent.http;

import io.fleethealth.http.HttpLimits;
import io.fleethealth.http.PrometheusRoutes;
import io.fleethealth.http.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code GET /health} (JSON, 503 when DOWN) and {@code GET /metrics} (Prometheus text) on the shared {@link WebServer}.
 * Bound to the configured address, 127.0.0.1 unless told otherwise; port 0 picks a free one.
 */
public final class AgentHttpServer implements AutoCloseable {

    /** Two routes, both cheap: two workers are plenty. */
    static final HttpLimits LIMITS = HttpLimits.DEFAULTS.withWorkerThreads(2);

    private final String host;
    private final int port;
    private final Supplier<AgentHealth> health;
    private final Supplier<String> metrics;
    private WebServer server;

    public AgentHttpServer(String host, int port, Supplier<AgentHealth> health, Supplier<String> metrics) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.health = Objects.requireNonNull(health, "health");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    public synchronized void start() {
        try {
            server = WebServer.builder("agent HTTP")
                    .listen(host, port)
                    .limits(LIMITS)
                    .routes(routes -> routes.get("health", "/health", ctx -> {
                        AgentHealth now = health.get();
                        ctx.status(now.up() ? 200 : 503).json(now.body());
                    }), new PrometheusRoutes(metrics))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + host + ":" + port, e);
        }
    }

    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.port();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
        }
    }
}
