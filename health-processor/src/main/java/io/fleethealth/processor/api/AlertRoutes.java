package io.fleethealth.processor.api;

import io.fleethealth.http.Query;
import io.fleethealth.http.RouteGroup;
import io.fleethealth.http.Routes;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/alerts[?limit=1..200]}: {@code active}, the alerts firing now (one per fingerprint, most urgent
 * first), and {@code alerts}, the latest changes (fired, changed, resolved), newest first, for the dashboard.
 */
final class AlertRoutes implements RouteGroup {

    static final int ALERTS_DEFAULT_LIMIT = 20;
    static final int ALERTS_MAX_LIMIT = 200;

    private final FleetQueries queries;

    AlertRoutes(FleetQueries queries) {
        this.queries = queries;
    }

    @Override
    public void addTo(Routes routes) {
        routes.get("alerts", "/api/alerts", ctx -> {
            int limit = Query.parse(ctx.queryString()).intIn("limit", 1, ALERTS_MAX_LIMIT, ALERTS_DEFAULT_LIMIT);
            List<AlertView> alerts = queries.recentAlerts(limit);
            ctx.json(Map.of("active", queries.activeAlerts(),
                    "alerts", alerts.size() > limit ? alerts.subList(0, limit) : alerts));
        });
    }
}
