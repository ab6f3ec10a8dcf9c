package io.fleethealth.processor.api;

import io.fleethealth.events.HealthStatus;
import io.fleethealth.http.RouteGroup;
import io.fleethealth.http.Routes;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /health} (UP/DOWN, sessions per status, hosts) and {@code GET /health/stats}. */
final class HealthRoutes implements RouteGroup {

    private final FleetQueries queries;

    HealthRoutes(FleetQueries queries) {
        this.queries = queries;
    }

    @Override
    public void addTo(Routes routes) {
        routes.get("health", "/health", ctx -> {
            boolean up = queries.running();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", up ? "UP" : "DOWN");
            body.put("streamsState", queries.streamsState());
            body.put("reasons", queries.healthReasons());
            body.put("sessions", sessionCounts());
            body.put("hosts", queries.hosts());
            ctx.status(up ? 200 : 503).json(body);
        });
        routes.get("stats", "/health/stats", ctx -> ctx.json(queries.stats()));
    }

    /** Every status, in the contract's order, from the counts kept as checks are decided. */
    private Map<String, Long> sessionCounts() {
        Map<HealthStatus, Long> counts = queries.countsByStatus();
        Map<String, Long> sessions = new LinkedHashMap<>();
        for (HealthStatus status : HealthStatus.values()) {
            sessions.put(status.name(), counts.getOrDefault(status, 0L));
        }
        return sessions;
    }
}
