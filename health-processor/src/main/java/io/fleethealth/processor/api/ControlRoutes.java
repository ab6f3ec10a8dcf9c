package io.fleethealth.processor.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.http.ApiException;
import io.fleethealth.http.Json;
import io.fleethealth.http.PathSegments;
import io.fleethealth.http.RouteGroup;
import io.fleethealth.http.Routes;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /health/sessions/{id}/reset}, {@code /pause} and {@code /resume}: the writes. Each needs the admin bearer token; without a configured
 * token the route answers 403 "disabled". Authenticated here, then relayed to the owning instance if another.
 */
final class ControlRoutes implements RouteGroup {

    private static final Logger log = LoggerFactory.getLogger(ControlRoutes.class);
    private static final String JSON = "application/json; charset=utf-8";

    private final FleetQueries queries;
    private final SessionControls controls;
    private final Optional<AdminToken> adminToken;
    private final OwnerForwarding forwarding;
    private final int maxBodyBytes;

    ControlRoutes(FleetQueries queries, SessionControls controls, Optional<AdminToken> adminToken, OwnerForwarding forwarding,
                  int maxBodyBytes) {
        this.queries = queries;
        this.controls = controls;
        this.adminToken = adminToken;
        this.forwarding = forwarding;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void addTo(Routes routes) {
        routes.post("reset", "/health/sessions/{sessionId}/reset", this::reset);
        routes.post("pause", "/health/sessions/{sessionId}/pause", ctx -> pause(ctx, true));
        routes.post("pause", "/health/sessions/{sessionId}/resume", ctx -> pause(ctx, false));
        routes.post("release", "/health/incidents/{group}/release", this::release);
    }

    /**
     * {@code POST /health/incidents/{group}/release} (group URL-encoded, e.g. {@code image%3Aweb%3A2}): an
     * operator closes the group's incident; the brake audits it and sends the held restarts within the budget.
     */
    private void release(Context ctx) {
        AdminToken token = adminToken.orElseThrow(() -> new ApiException(403,
                "release is disabled: no admin token is configured (set FLEET_ADMIN_TOKEN to enable it)"));
        if (!token.accepts(Optional.ofNullable(ctx.header("Authorization")))) {
            throw new ApiException(401, "release needs the header 'Authorization: Bearer <FLEET_ADMIN_TOKEN>'");
        }
        String group = PathSegments.decoded(ctx, 2);
        try {
            io.fleethealth.processor.brake.GroupKey.parse(group);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        String actor = "api@" + forwarding.callerAddress(ctx);
        try {
            controls.releaseIncident(group, actor);
        } catch (UnsupportedOperationException e) {
            throw new ApiException(501, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("release of the incident of {} requested by {} could not be sent", group, actor, e);
            throw new ApiException(503, "the release could not be sent, retry: " + e.getMessage());
        }
        log.info("incident of {}: release requested by {}", group, actor);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("group", group);
        answer.put("action", "RELEASE");
        answer.put("actor", actor);
        ctx.status(202).json(answer);
    }

    /** The caller's Authorization header once it holds the admin token: 403 when none is configured, else 401. */
    private String authorized(Context ctx, String action) {
        AdminToken token = adminToken.orElseThrow(() -> new ApiException(403,
                action + " is disabled: no admin token is configured (set FLEET_ADMIN_TOKEN to enable it)"));
        Optional<String> authorization = Optional.ofNullable(ctx.header("Authorization"));
        if (!token.accepts(authorization)) {
            throw new ApiException(401, action + " needs the header 'Authorization: Bearer <FLEET_ADMIN_TOKEN>'");
        }
        return authorization.get();
    }

    /** PAUSE withholds a session's restarts, RESUME allows them again; like reset, relayed to the owner and audited. */
    private void pause(Context ctx, boolean paused) {
        String verb = paused ? "pause" : "resume";
        String authorization = authorized(ctx, verb);
        String sessionId = PathSegments.decoded(ctx, 2);
        byte[] body = readBody(ctx);
        String reason = reasonFrom(body);
        if (forwarding.relayed(ctx, sessionId, Map.of("Authorization", authorization, "Content-Type", JSON), body)) {
            return;
        }
        queries.session(sessionId).orElseThrow(() -> SessionRoutes.unknownSession(sessionId));
        String actor = "api@" + forwarding.callerAddress(ctx);
        try {
            controls.pause(sessionId, paused, actor, reason);
        } catch (RuntimeException e) {
            log.warn("{} of session {} requested by {} could not be sent", verb, sessionId, actor, e);
            throw new ApiException(503, "the " + verb + " could not be sent, retry: " + e.getMessage());
        }
        log.info("session {}: {} requested by {} (reason: {})", sessionId, verb, actor, reason);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sessionId", sessionId);
        answer.put("action", paused ? "PAUSE" : "RESUME");
        answer.put("actor", actor);
        answer.put("reason", reason);
        ctx.status(202).json(answer);
    }

    private void reset(Context ctx) {
        String authorization = authorized(ctx, "reset");
        String sessionId = PathSegments.decoded(ctx, 2);
        byte[] body = readBody(ctx);
        String reason = reasonFrom(body);
        if (forwarding.relayed(ctx, sessionId, Map.of("Authorization", authorization, "Content-Type", JSON), body)) {
            return;
        }
        SessionView session = queries.session(sessionId).orElseThrow(() -> SessionRoutes.unknownSession(sessionId));
        if (session.status() != HealthStatus.FAILED) {
            throw new ApiException(409, "session " + sessionId + " is " + session.status()
                    + "; only a FAILED session can be reset", Map.of("sessionStatus", session.status().name()));
        }
        String actor = "api@" + forwarding.callerAddress(ctx);
        try {
            controls.reset(sessionId, actor, reason);
        } catch (RuntimeException e) {
            // the broker is away or slow: expected in operation, the caller retries
            log.warn("reset of session {} requested by {} could not be sent", sessionId, actor, e);
            throw new ApiException(503, "the reset could not be sent, retry: " + e.getMessage());
        }
        log.info("session {}: reset requested by {} (reason: {})", sessionId, actor, reason);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sessionId", sessionId);
        answer.put("action", "RESET");
        answer.put("actor", actor);
        answer.put("reason", reason);
        ctx.status(202).json(answer);
    }

    private static String reasonFrom(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            JsonNode reason = Json.mapper().readTree(body).path("reason");
            return reason.isTextual() && !reason.asText().isBlank() ? reason.asText() : null;
        } catch (IOException e) {
            throw new ApiException(400, "the body must be empty or JSON like {\"reason\": \"...\"}");
        }
    }

    /** At most the body limit, also for a chunked body that announces no length. */
    private byte[] readBody(Context ctx) {
        try (InputStream in = ctx.bodyInputStream()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw new ApiException(413, "the body may hold at most " + maxBodyBytes + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body", e);
        }
    }
}
