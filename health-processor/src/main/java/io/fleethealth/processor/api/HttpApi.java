package io.fleethealth.processor.api;

import io.fleethealth.http.HttpLimits;
import io.fleethealth.http.PrometheusRoutes;
import io.fleethealth.http.RequestListener;
import io.fleethealth.http.WebServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * The operators' HTTP API, the dashboard and {@code /metrics} of the processor: the route groups of this package
 * on the shared {@link WebServer}. The paths and JSON fields are a contract (README.md, package-info).
 */
public final class HttpApi implements AutoCloseable {

    private final WebServer server;

    /** Binds and starts serving at once. */
    public HttpApi(HttpApiSettings settings, FleetQueries queries, SessionControls controls, PrometheusMeterRegistry registry)
            throws IOException {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(controls, "controls");
        Objects.requireNonNull(registry, "registry");
        HttpLimits limits = limits(settings);
        OwnerForwarding forwarding = new OwnerForwarding(queries, settings.forwardTimeout(), settings.tls(),
                settings.peers());
        WebServer.Builder builder = WebServer.builder("operators' API")
                .listen(settings.host(), settings.port());
        // https only when a key store is configured: then neither a request nor the admin token is ever in clear
        settings.tls().serverContext().ifPresent(builder::tls);
        this.server = builder
                .limits(limits)
                .onRequest(requestCounts(registry))
                // a store read outside StoreQueries' typing still means "rebalancing, retry"
                .notReady(InvalidStateStoreException.class)
                .routes(new HealthRoutes(queries),
                        new SessionRoutes(queries, forwarding),
                        new ControlRoutes(queries, controls, settings.adminToken().map(AdminToken::new), forwarding,
                                limits.maxBodyBytes()),
                        new AlertRoutes(queries),
                        new PrometheusRoutes(registry::scrape),
                        new DashboardRoutes())
                .start();
    }

    /** {@code fleet_api_requests_total{route, status}}: every answered request (made on the first of each kind). */
    public static RequestListener requestCounts(MeterRegistry registry) {
        return RequestListener.counting(registry, "fleet.api.requests", "Requests to the operators' HTTP API");
    }

    /** The server's limits: the shared defaults with this API's worker count. */
    static HttpLimits limits(HttpApiSettings settings) {
        return HttpLimits.DEFAULTS.withWorkerThreads(settings.workerThreads());
    }

    /** The bound port: the configured one, or the free port picked for port 0. */
    public int port() {
        return server.port();
    }

    /** Base URI of the API and the dashboard, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        return server.uri();
    }

    @Override
    public void close() {
        server.close();
    }
}
