package io.fleethealth.processor.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fleethealth.events.HealthStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' HTTP API and the dashboard, on the JDK's HTTP server. The paths and JSON fields are a
 * contract (README.md): see the route table in the constructor.
 *
 * <p>Reads go to {@link FleetQueries}; a single session owned by another processor instance is fetched from
 * that instance (one hop). The only write, reset, needs the admin bearer token; without a configured token the
 * route answers 403 "disabled".
 */
public final class HttpApi implements AutoCloseable {

    static final int ALERTS_DEFAULT_LIMIT = 20;
    static final int ALERTS_MAX_LIMIT = 200;
    private static final int MAX_BODY_BYTES = 4096;
    private static final int QUEUED_REQUESTS = 64;
    private static final List<String> STATUS_NAMES = Arrays.stream(HealthStatus.values()).map(Enum::name).toList();

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    private final FleetQueries queries;
    private final SessionControls controls;
    private final PrometheusMeterRegistry registry;
    private final Optional<AdminToken> adminToken;
    private final ObjectMapper json = ApiJson.mapper();
    private final DashboardAssets assets = new DashboardAssets();
    private final OwnerForwarding forwarding;
    private final List<Route> routes;
    private final ThreadPoolExecutor workers;
    private final HttpServer server;

    /** Binds and starts serving at once. */
    public HttpApi(HttpApiSettings settings, FleetQueries queries, SessionControls controls, PrometheusMeterRegistry registry)
            throws IOException {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.controls = Objects.requireNonNull(controls, "controls");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.adminToken = settings.adminToken().map(AdminToken::new);
        this.forwarding = new OwnerForwarding(settings.forwardTimeout());
        this.routes = List.of(
                new Route("health", "GET", "/health", (x, p) -> health()),
                new Route("stats", "GET", "/health/stats", (x, p) -> json(200, queries.stats())),
                new Route("sessions", "GET", "/health/sessions", (x, p) -> sessions(x)),
                new Route("session", "GET", "/health/container/([^/]+)", (x, p) -> session(x, p)),
                new Route("reset", "POST", "/health/sessions/([^/]+)/reset", this::reset),
                new Route("pause", "POST", "/health/sessions/([^/]+)/(pause|resume)", this::pause),
                new Route("metrics", "GET", "/metrics", (x, p) -> metrics()),
                new Route("alerts", "GET", "/api/alerts", (x, p) -> alerts(x)),
                new Route("dashboard", "GET", "/(|index\\.html|app\\.js|style\\.css|favicon\\.ico)", (x, p) -> dashboard(x)));

        AtomicInteger threadNumber = new AtomicInteger();
        // Bounded: when workers and queue are full the accept thread answers itself, which slows clients down.
        this.workers = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUED_REQUESTS), runnable -> {
                    Thread thread = new Thread(runnable, "fleet-api-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        this.server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 0);
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
        log.info("operators' API listening on {} ({})", uri(), settings);
    }

    /** The bound port: the configured one, or the free port picked for port 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Base URI of the API and the dashboard, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("operators' API: requests still running after 5 s, interrupting them");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        forwarding.close();
        log.info("operators' API on port {} stopped", server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String routeName = "unmatched";
        Reply reply;
        try {
            List<Route> onPath = routes.stream().filter(r -> r.pattern.matcher(path).matches()).toList();
            if (onPath.isEmpty()) {
                throw new ApiException(404, "no such route: " + path);
            }
            Route route = onPath.stream().filter(r -> r.method.equals(method)).findFirst().orElse(null);
            if (route == null) {
                String allowed = String.join(", ", onPath.stream().map(r -> r.method).distinct().toList());
                reply = error(new ApiException(405, "method " + method + " not allowed on " + path + "; use " + allowed))
                        .withHeader("Allow", allowed);
            } else {
                routeName = route.name;
                Matcher matcher = route.pattern.matcher(path);
                matcher.matches();
                reply = route.handler.handle(exchange, matcher);
            }
        } catch (ApiException e) {
            reply = error(e);
        } catch (IllegalStateException | InvalidStateStoreException e) {
            // Stores are not queryable while Kafka Streams rebalances or starts: the caller should retry.
            log.debug("{} {}: state not available", method, path, e);
            reply = error(new ApiException(503, "state not available yet, retry shortly: " + e.getMessage()));
        } catch (RuntimeException e) {
            log.error("{} {} failed", method, path, e);
            reply = error(new ApiException(500, "internal error: " + e.getClass().getSimpleName()));
        }
        count(routeName, reply.status());
        send(exchange, reply);
    }

    private Reply health() {
        boolean up = queries.running();
        Map<HealthStatus, Long> counts = queries.countsByStatus();
        Map<String, Long> sessions = new LinkedHashMap<>();
        for (HealthStatus status : HealthStatus.values()) {
            sessions.put(status.name(), counts.getOrDefault(status, 0L));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("streamsState", queries.streamsState());
        body.put("sessions", sessions);
        body.put("hosts", queries.hosts());
        return json(up ? 200 : 503, body);
    }

    private Reply sessions(HttpExchange exchange) {
        Map<String, String> query = query(exchange);
        Optional<HealthStatus> status = Optional.ofNullable(query.get("status")).map(HttpApi::parseStatus);
        SessionPage page = SessionPage.of(queries.sessions(status), SessionPage.Query.from(query));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.map(Enum::name).orElse(null));
        body.put("count", page.matching());
        body.put("offset", page.offset());
        body.put("hosts", page.hosts());
        body.put("sessions", page.sessions());
        return json(200, body);
    }

    private static HealthStatus parseStatus(String raw) {
        String name = raw.trim().toUpperCase(Locale.ROOT);
        if (!STATUS_NAMES.contains(name)) {
            throw new ApiException(400, "unknown status '" + raw + "'; accepted values: " + String.join(", ", STATUS_NAMES),
                    Map.of("accepted", STATUS_NAMES));
        }
        return HealthStatus.valueOf(name);
    }

    private Reply session(HttpExchange exchange, Matcher path) {
        String sessionId = decode(path.group(1));
        Optional<Reply> forwarded = forwardToOwner(exchange, sessionId, Map.of(), new byte[0]);
        if (forwarded.isPresent()) {
            return forwarded.get();
        }
        return queries.session(sessionId)
                .map(view -> json(200, view))
                .orElseThrow(() -> unknownSession(sessionId));
    }

    /** The caller's Authorization header once it holds the admin token: 403 when none is configured, else 401. */
    private String authorized(HttpExchange exchange, String action) {
        AdminToken token = adminToken.orElseThrow(() -> new ApiException(403,
                action + " is disabled: no admin token is configured (set FLEET_ADMIN_TOKEN to enable it)"));
        Optional<String> authorization = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"));
        if (!token.accepts(authorization)) {
            throw new ApiException(401, action + " needs the header 'Authorization: Bearer <FLEET_ADMIN_TOKEN>'");
        }
        return authorization.get();
    }

    /** PAUSE withholds a session's restarts, RESUME allows them again; like reset, owner-forwarded and audited. */
    private Reply pause(HttpExchange exchange, Matcher path) {
        boolean paused = path.group(2).equals("pause");
        String action = paused ? "PAUSE" : "RESUME";
        String authorization = authorized(exchange, path.group(2));
        String sessionId = decode(path.group(1));
        byte[] body = readBody(exchange);
        String reason = reasonFrom(body);
        Optional<Reply> forwarded = forwardToOwner(exchange, sessionId,
                Map.of("Authorization", authorization, "Content-Type", Reply.JSON), body);
        if (forwarded.isPresent()) {
            return forwarded.get();
        }
        queries.session(sessionId).orElseThrow(() -> unknownSession(sessionId));
        String actor = "api@" + callerAddress(exchange);
        try {
            controls.pause(sessionId, paused, actor, reason);
        } catch (RuntimeException e) {
            log.warn("{} of session {} requested by {} could not be sent", action, sessionId, actor, e);
            throw new ApiException(503, "the " + path.group(2) + " could not be sent, retry: " + e.getMessage());
        }
        log.info("session {}: {} requested by {} (reason: {})", sessionId, action, actor, reason);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sessionId", sessionId);
        answer.put("action", action);
        answer.put("actor", actor);
        answer.put("reason", reason);
        return json(202, answer);
    }

    private Reply reset(HttpExchange exchange, Matcher path) {
        String authorizationHeader = authorized(exchange, "reset");
        Optional<String> authorization = Optional.of(authorizationHeader);
        String sessionId = decode(path.group(1));
        byte[] body = readBody(exchange);
        String reason = reasonFrom(body);
        Optional<Reply> forwarded = forwardToOwner(exchange, sessionId,
                Map.of("Authorization", authorization.get(), "Content-Type", Reply.JSON), body);
        if (forwarded.isPresent()) {
            return forwarded.get();
        }
        SessionView session = queries.session(sessionId).orElseThrow(() -> unknownSession(sessionId));
        if (session.status() != HealthStatus.FAILED) {
            throw new ApiException(409, "session " + sessionId + " is " + session.status()
                    + "; only a FAILED session can be reset", Map.of("sessionStatus", session.status().name()));
        }
        String actor = "api@" + callerAddress(exchange);
        try {
            controls.reset(sessionId, actor, reason);
        } catch (RuntimeException e) {
            log.warn("reset of session {} requested by {} could not be sent", sessionId, actor, e);
            throw new ApiException(503, "the reset could not be sent, retry: " + e.getMessage());
        }
        log.info("session {}: reset requested by {} (reason: {})", sessionId, actor, reason);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sessionId", sessionId);
        answer.put("action", "RESET");
        answer.put("actor", actor);
        answer.put("reason", reason);
        return json(202, answer);
    }

    private Reply metrics() {
        return Reply.text(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    }

    private Reply alerts(HttpExchange exchange) {
        String raw = query(exchange).get("limit");
        int limit = ALERTS_DEFAULT_LIMIT;
        if (raw != null) {
            try {
                limit = Integer.parseInt(raw.trim());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > ALERTS_MAX_LIMIT) {
                throw new ApiException(400, "limit must be a number from 1 to " + ALERTS_MAX_LIMIT + ", got '" + raw + "'");
            }
        }
        List<AlertView> alerts = queries.recentAlerts(limit);
        return json(200, Map.of("active", queries.activeAlerts(),
                "alerts", alerts.size() > limit ? alerts.subList(0, limit) : alerts));
    }

    private Reply dashboard(HttpExchange exchange) {
        return assets.forPath(exchange.getRequestURI().getRawPath())
                .orElseThrow(() -> new ApiException(404, "no such file"));
    }

    /** The owner's answer when another instance holds the session and this request was not already forwarded. */
    private Optional<Reply> forwardToOwner(HttpExchange exchange, String sessionId, Map<String, String> headers, byte[] body) {
        if (exchange.getRequestHeaders().containsKey(OwnerForwarding.FORWARDED_HEADER)) {
            return Optional.empty();
        }
        return queries.ownerOf(sessionId).map(owner -> {
            URI uri = exchange.getRequestURI();
            String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            log.debug("session {} is owned by {}: forwarding {}", sessionId, owner, pathAndQuery);
            return forwarding.forward(owner, exchange.getRequestMethod(), pathAndQuery, headers, body, callerAddress(exchange));
        });
    }

    /** Who asked: the original caller for a forwarded (and, for writes, already authenticated) request. */
    private static String callerAddress(HttpExchange exchange) {
        String direct = exchange.getRemoteAddress().getAddress().getHostAddress();
        if (exchange.getRequestHeaders().containsKey(OwnerForwarding.FORWARDED_HEADER)) {
            String original = exchange.getRequestHeaders().getFirst(OwnerForwarding.FORWARDED_FOR_HEADER);
            if (original != null && !original.isBlank()) {
                return original.strip() + " via " + direct;
            }
        }
        return direct;
    }

    private String reasonFrom(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            JsonNode reason = json.readTree(body).path("reason");
            return reason.isTextual() && !reason.asText().isBlank() ? reason.asText() : null;
        } catch (IOException e) {
            throw new ApiException(400, "the body must be empty or JSON like {\"reason\": \"...\"}");
        }
    }

    private static byte[] readBody(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new ApiException(413, "the body may hold at most " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request body", e);
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        String raw = exchange.getRequestURI().getRawQuery();
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(key, value);
        }
        return params;
    }

    /** Percent-decodes a path segment ('+' stays a plus sign in a path). */
    private static String decode(String rawSegment) {
        try {
            return URLDecoder.decode(rawSegment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "malformed percent-encoding in '" + rawSegment + "'");
        }
    }

    private static ApiException unknownSession(String sessionId) {
        return new ApiException(404, "unknown session: " + sessionId, Map.of("sessionId", sessionId));
    }

    private Reply json(int status, Object body) {
        try {
            return Reply.of(status, Reply.JSON, json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private Reply error(ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", e.status());
        body.put("error", e.getMessage());
        body.putAll(e.details());
        return json(e.status(), body);
    }

    private void count(String route, int status) {
        Counter.builder("fleet.api.requests")
                .description("Requests to the operators' HTTP API")
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .register(registry)
                .increment();
    }

    private static void send(HttpExchange exchange, Reply reply) {
        try (exchange) {
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            if (reply.body().length > 0) {
                exchange.getResponseBody().write(reply.body());
            }
        } catch (IOException e) {
            // The client went away; nothing left to tell it.
            log.debug("could not send the answer to {}", exchange.getRemoteAddress(), e);
        }
    }

    @FunctionalInterface
    private interface Handler {
        Reply handle(HttpExchange exchange, Matcher path);
    }

    private record Route(String name, String method, Pattern pattern, Handler handler) {

        Route(String name, String method, String regex, Handler handler) {
            this(name, method, Pattern.compile(regex), handler);
        }
    }
}
