package io.fleethealth.processor.api;

import io.fleethealth.events.HealthStatus;
import io.fleethealth.http.ApiException;
import io.fleethealth.http.PathSegments;
import io.fleethealth.http.Query;
import io.fleethealth.http.RouteGroup;
import io.fleethealth.http.Routes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /health/sessions[?status=S][&host=H][&limit=N][&cursor=C]}, a page of the sessions in id order (only
 * host H's when given), and
 * {@code GET /health/container/{sessionId}}, one session with its history, from the instance that owns it.
 *
 * <p>The cursor is opaque to callers: the base64url of the last session id of the page. The next page holds the
 * sessions whose ids sort after it, so a walk sees every session that existed throughout it exactly once.
 */
final class SessionRoutes implements RouteGroup {

    static final int SESSIONS_MAX_LIMIT = 1000;
    static final int SESSIONS_DEFAULT_LIMIT = SESSIONS_MAX_LIMIT;
    private static final List<String> STATUS_NAMES = Arrays.stream(HealthStatus.values()).map(Enum::name).toList();

    private final FleetQueries queries;
    private final OwnerForwarding forwarding;

    SessionRoutes(FleetQueries queries, OwnerForwarding forwarding) {
        this.queries = queries;
        this.forwarding = forwarding;
    }

    @Override
    public void addTo(Routes routes) {
        routes.get("sessions", "/health/sessions", ctx -> {
            Query query = Query.parse(ctx.queryString());
            Optional<HealthStatus> status = query.get("status").map(SessionRoutes::parseStatus);
            int limit = query.intIn("limit", 1, SESSIONS_MAX_LIMIT, SESSIONS_DEFAULT_LIMIT);
            Optional<String> after = query.get("cursor").map(SessionRoutes::decodeCursor);
            Optional<String> host = query.get("host").filter(h -> !h.isBlank());
            SessionPage page = host.isEmpty() ? queries.sessions(status, after, limit)
                    : onHost(status, after, limit, host.get());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", status.map(Enum::name).orElse(null));
            body.put("count", page.sessions().size());
            body.put("sessions", page.sessions());
            body.put("nextCursor", page.next().map(SessionRoutes::encodeCursor).orElse(null));
            ctx.json(body);
        });
        routes.get("session", "/health/container/{sessionId}", ctx -> {
            String sessionId = PathSegments.decoded(ctx, 2);
            if (forwarding.relayed(ctx, sessionId, Map.of(), new byte[0])) {
                return;
            }
            ctx.json(queries.session(sessionId).orElseThrow(() -> unknownSession(sessionId)));
        });
    }

    /**
     * A page of one host's sessions: the id-ordered pages walked until {@code limit} of them are found, so the
     * cursor keeps its meaning (the next page starts after the last session looked at).
     */
    private SessionPage onHost(Optional<HealthStatus> status, Optional<String> after, int limit, String host) {
        List<SessionView> found = new java.util.ArrayList<>();
        Optional<String> cursor = after;
        while (true) {
            SessionPage page = queries.sessions(status, cursor, limit);
            for (SessionView session : page.sessions()) {
                if (host.equals(session.hostId())) {
                    found.add(session);
                    if (found.size() == limit) {
                        return new SessionPage(found, Optional.of(session.sessionId()));
                    }
                }
            }
            if (page.next().isEmpty()) {
                return new SessionPage(found, Optional.empty());
            }
            cursor = page.next();
        }
    }

    static ApiException unknownSession(String sessionId) {
        return new ApiException(404, "unknown session: " + sessionId, Map.of("sessionId", sessionId));
    }

    private static HealthStatus parseStatus(String raw) {
        String name = raw.trim().toUpperCase(Locale.ROOT);
        if (!STATUS_NAMES.contains(name)) {
            throw new ApiException(400, "unknown status '" + raw + "'; accepted values: " + String.join(", ", STATUS_NAMES),
                    Map.of("accepted", STATUS_NAMES));
        }
        return HealthStatus.valueOf(name);
    }

    static String encodeCursor(String lastSessionId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastSessionId.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeCursor(String cursor) {
        try {
            String id = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
            if (!id.isEmpty() && encodeCursor(id).equals(cursor.trim())) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new ApiException(400, "malformed cursor '" + cursor + "': pass back the nextCursor of the previous page");
    }
}
