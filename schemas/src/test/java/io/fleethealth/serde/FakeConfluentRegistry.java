package io.fleethealth.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;

/**
 * A tiny stand-in for a Confluent-compatible registry on 127.0.0.1 (random port), under the same path
 * prefix as Apicurio's: same schema same id, BACKWARD compatibility against the subject's latest version
 * (409 otherwise), 404 with error_code 40403 for an unknown id. Records every request it receives.
 */
final class FakeConfluentRegistry implements AutoCloseable {

    static final String PREFIX = "/apis/ccompat/v7";

    /** One request as the server saw it; the path is raw (still URL-encoded). */
    record Request(String method, String rawPath, String contentType, String body) {
    }

    private static final Pattern REGISTER = Pattern.compile(PREFIX + "/subjects/([^/]+)/versions");
    private static final Pattern BY_ID = Pattern.compile(PREFIX + "/schemas/ids/(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<Integer, String> schemaTextById = new HashMap<>();
    private final Map<String, List<Schema>> versionsBySubject = new HashMap<>();
    private int failStatus;
    private String failBody;
    private boolean stalling;

    FakeConfluentRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The Confluent-compatible root, as a client is configured with it. */
    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PREFIX);
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Answers every following request with this status and raw body. */
    synchronized void failWith(int status, String body) {
        failStatus = status;
        failBody = body;
    }

    /** Holds every following request without an answer until {@link #close()}. */
    synchronized void stall() {
        stalling = true;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body);
            boolean stall;
            synchronized (this) {
                requests.add(request);
                stall = stalling;
            }
            if (stall) {
                awaitRelease();
                return;
            }
            Answer answer = answer(request);
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private record Answer(int status, String contentType, String body) {
        static Answer json(int status, String body) {
            return new Answer(status, "application/vnd.schemaregistry.v1+json", body);
        }

        static Answer error(int status, int errorCode, String message) {
            return json(status, JSON.createObjectNode().put("error_code", errorCode).put("message", message).toString());
        }
    }

    private synchronized Answer answer(Request request) throws IOException {
        if (failStatus != 0) {
            return new Answer(failStatus, "text/html", failBody);
        }
        Matcher register = REGISTER.matcher(request.rawPath());
        if (request.method().equals("POST") && register.matches()) {
            return register(URLDecoder.decode(register.group(1), StandardCharsets.UTF_8), request.body());
        }
        Matcher byId = BY_ID.matcher(request.rawPath());
        if (request.method().equals("GET") && byId.matches()) {
            int id = Integer.parseInt(byId.group(1));
            String text = schemaTextById.get(id);
            if (text == null) {
                return Answer.error(404, 40403, "Schema " + id + " not found");
            }
            return Answer.json(200, JSON.createObjectNode().put("schema", text).toString());
        }
        return Answer.error(404, 404, "HTTP 404 Not Found");
    }

    private Answer register(String subject, String body) throws IOException {
        JsonNode request = JSON.readTree(body);
        String text = request.path("schema").asText();
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            return Answer.error(422, 42201, "Invalid schema " + e.getMessage());
        }
        List<Schema> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.isEmpty() && SchemaCompatibility.checkReaderWriterCompatibility(schema, versions.get(versions.size() - 1))
                .getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return Answer.error(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                    + subject + "\"");
        }
        int id = idsBySchemaText.computeIfAbsent(text, t -> idsBySchemaText.size() + 1);
        schemaTextById.put(id, text);
        if (!versions.contains(schema)) {
            versions.add(schema);
        }
        return Answer.json(200, "{\"id\":" + id + "}");
    }

    private void awaitRelease() {
        try {
            if (!released.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("stalled request was never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
