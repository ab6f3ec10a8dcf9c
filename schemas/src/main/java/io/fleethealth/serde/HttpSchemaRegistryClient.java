package io.fleethealth.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to a registry through the Confluent Schema Registry REST API (Confluent itself, or Apicurio under
 * {@code /apis/ccompat/v7}). Answers are cached for the life of the client: a schema's id under a subject and
 * the schema behind an id never change, so only the first use of each costs a request.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, application/json; q=0.5";
    private static final Logger log = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final RegistryAccess access;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    /** @param baseUrl the Confluent-compatible root, e.g. {@code http://127.0.0.1:8080/apis/ccompat/v7} */
    public HttpSchemaRegistryClient(URI baseUrl) {
        this(baseUrl, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    public HttpSchemaRegistryClient(URI baseUrl, Duration connectTimeout, Duration requestTimeout) {
        this(baseUrl, connectTimeout, requestTimeout, RegistryAccess.NONE);
    }

    /** With credentials (sent on every request) and, for https, the certificates to trust. */
    public HttpSchemaRegistryClient(URI baseUrl, Duration connectTimeout, Duration requestTimeout,
                                    RegistryAccess access) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (baseUrl.getRawUserInfo() != null) {
            // The URL is logged and put into error messages: credentials belong in the basic-auth setting.
            throw new IllegalArgumentException("The registry URL must not hold credentials (user:password@): use "
                    + "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO");
        }
        this.baseUrl = baseUrl.toString().replaceAll("/+$", "");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.access = Objects.requireNonNull(access, "access");
        // HTTP/1.1: the JDK would otherwise try an h2c upgrade on every plain-http request.
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Objects.requireNonNull(connectTimeout, "connectTimeout"));
        access.sslContext().ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    @Override
    public int register(String subject, Schema schema) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
        Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        // Outside any lock: two threads may both ask, and the registry answers both with the same id.
        URI url = URI.create(baseUrl + "/subjects/" + encode(subject) + "/versions");
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        HttpRequest request = request(url)
                .header("Content-Type", CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        String what = "register the schema of " + schema.getFullName() + " under subject '" + subject + "'";
        JsonNode answer = send(request, what, subject);
        JsonNode id = answer.get("id");
        if (id == null || !id.canConvertToInt()) {
            throw unexpectedAnswer(what, subject, url, answer);
        }
        int schemaId = id.intValue();
        ids.put(schema, schemaId);
        schemasById.putIfAbsent(schemaId, schema);
        log.info("Schema of {} is registered under subject '{}' with id {} at {}",
                schema.getFullName(), subject, schemaId, baseUrl);
        return schemaId;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        URI url = URI.create(baseUrl + "/schemas/ids/" + id);
        String what = "fetch the schema with id " + id;
        JsonNode answer = send(request(url).GET().build(), what, null);
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw unexpectedAnswer(what, null, url, answer);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text.textValue());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("Schema registry returned an unparsable Avro schema for id " + id
                    + " (GET " + url + "): " + e.getMessage(), 200, SchemaRegistryException.NONE, null, url, e);
        }
        Schema raced = schemasById.putIfAbsent(id, schema);
        return raced != null ? raced : schema;
    }

    private HttpRequest.Builder request(URI url) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(requestTimeout).header("Accept", ACCEPT);
        access.authorization().ifPresent(value -> builder.header("Authorization", value));
        return builder;
    }

    private JsonNode send(HttpRequest request, String what, String subject) {
        URI url = request.uri();
        String call = request.method() + " " + url;
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new SchemaRegistryException("Schema registry did not answer in time to " + what + " (" + call
                    + "): " + e.getMessage(), SchemaRegistryException.NONE, SchemaRegistryException.NONE,
                    subject, url, e);
        } catch (IOException e) {
            throw new SchemaRegistryException("Schema registry is unreachable, could not " + what + " (" + call
                    + "): " + e, SchemaRegistryException.NONE, SchemaRegistryException.NONE, subject, url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while waiting for the schema registry to " + what
                    + " (" + call + ")", SchemaRegistryException.NONE, SchemaRegistryException.NONE,
                    subject, url, e);
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            throw refusal(what, call, subject, url, response.statusCode(), answer, response.body());
        }
        if (answer == null) {
            throw unexpectedAnswer(what, subject, url, response.body());
        }
        return answer;
    }

    private static SchemaRegistryException refusal(String what, String call, String subject, URI url, int status,
                                                   JsonNode answer, String rawBody) {
        int errorCode = SchemaRegistryException.NONE;
        String message = rawBody == null || rawBody.isBlank() ? "(empty body)" : abbreviate(rawBody);
        if (answer != null && answer.hasNonNull("error_code") && answer.get("error_code").canConvertToInt()) {
            errorCode = answer.get("error_code").intValue();
        }
        if (answer != null && answer.hasNonNull("message")) {
            message = answer.get("message").asText();
        }
        StringBuilder text = new StringBuilder("Schema registry refused to ").append(what)
                .append(" (").append(call).append("): HTTP ").append(status);
        if (errorCode != SchemaRegistryException.NONE) {
            text.append(", error_code ").append(errorCode);
        }
        text.append(": ").append(message);
        String meaning = meaning(status, errorCode, subject);
        if (!meaning.isEmpty()) {
            text.append(". ").append(meaning);
        }
        return new SchemaRegistryException(text.toString(), status, errorCode, subject, url, null);
    }

    /** What a status means for the caller, in the project's words. */
    private static String meaning(int status, int errorCode, String subject) {
        if (status == 409) {
            return "The schema is incompatible with the earlier versions of subject '" + subject
                    + "': evolve it compatibly (add fields with defaults, keep enum defaults, remove nothing required)";
        }
        if (errorCode == SchemaRegistryException.SCHEMA_NOT_FOUND) {
            return "No schema has this id: the record was written against another registry, or the registry lost its data";
        }
        if (status == 422) {
            return "The registry considers the schema invalid";
        }
        if (status == 401 || status == 403) {
            return "The registry denied access";
        }
        return "";
    }

    private static SchemaRegistryException unexpectedAnswer(String what, String subject, URI url, Object answer) {
        return new SchemaRegistryException("Schema registry gave an unexpected answer when asked to " + what
                + " (" + url + "): " + abbreviate(String.valueOf(answer)), 200, SchemaRegistryException.NONE,
                subject, url, null);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null; // not JSON (a proxy's error page, say): the raw body goes into the message instead
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }

    @Override
    public String toString() {
        return "HttpSchemaRegistryClient[" + baseUrl + "]";
    }
}
