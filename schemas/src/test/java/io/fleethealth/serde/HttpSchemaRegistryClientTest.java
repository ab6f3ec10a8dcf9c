package io.fleethealth.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.SessionStatus;
import io.fleethealth.topics.Topics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpSchemaRegistryClientTest {

    private static final Schema HEALTH_CHECK = HealthCheckResult.getClassSchema();
    private static final String SUBJECT = "fleet.health.checks-value";

    private FakeConfluentRegistry registry;
    private HttpSchemaRegistryClient client;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = new FakeConfluentRegistry();
        client = new HttpSchemaRegistryClient(registry.baseUrl());
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void shouldRegisterByPostingTheSchemaAsJsonToTheSubjectsVersions() throws IOException {
        int id = client.register(SUBJECT, HEALTH_CHECK);

        assertThat(id).isEqualTo(1);
        assertThat(registry.requests()).hasSize(1);
        FakeConfluentRegistry.Request request = registry.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawPath()).isEqualTo("/apis/ccompat/v7/subjects/fleet.health.checks-value/versions");
        assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        JsonNode body = new ObjectMapper().readTree(request.body());
        assertThat(body.get("schema").textValue()).isEqualTo(HEALTH_CHECK.toString());
        assertThat(new Schema.Parser().parse(body.get("schema").textValue())).isEqualTo(HEALTH_CHECK);
    }

    @Test
    void shouldAcceptABaseUrlWithATrailingSlash() {
        HttpSchemaRegistryClient slashed = new HttpSchemaRegistryClient(URI.create(registry.baseUrl() + "/"));

        slashed.register(SUBJECT, HEALTH_CHECK);

        assertThat(registry.requests().get(0).rawPath())
                .isEqualTo("/apis/ccompat/v7/subjects/fleet.health.checks-value/versions");
    }

    @Test
    void shouldAskTheRegistryOncePerSchemaAndSubject() {
        int first = client.register(SUBJECT, HEALTH_CHECK);
        for (int i = 0; i < 100; i++) {
            assertThat(client.register(SUBJECT, HEALTH_CHECK)).isEqualTo(first);
        }
        int underAnotherSubject = client.register("fleet.health.checks.replay-value", HEALTH_CHECK);

        assertThat(underAnotherSubject).as("same schema, same id").isEqualTo(first);
        assertThat(registry.requests()).extracting(FakeConfluentRegistry.Request::rawPath).containsExactly(
                "/apis/ccompat/v7/subjects/fleet.health.checks-value/versions",
                "/apis/ccompat/v7/subjects/fleet.health.checks.replay-value/versions");
    }

    @Test
    void shouldFetchASchemaByIdOnceAndThenAnswerFromItsCache() {
        int id = client.register(SUBJECT, HEALTH_CHECK);
        HttpSchemaRegistryClient reader = new HttpSchemaRegistryClient(registry.baseUrl());

        Schema first = reader.schemaById(id);
        Schema again = reader.schemaById(id);

        assertThat(first).isEqualTo(HEALTH_CHECK).isSameAs(again);
        List<FakeConfluentRegistry.Request> gets = registry.requests().subList(1, registry.requests().size());
        assertThat(gets).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.rawPath()).isEqualTo("/apis/ccompat/v7/schemas/ids/" + id);
        });
    }

    @Test
    void shouldKnowTheSchemaOfAnIdItRegisteredWithoutAskingAgain() {
        int id = client.register(SUBJECT, HEALTH_CHECK);

        assertThat(client.schemaById(id)).isEqualTo(HEALTH_CHECK);
        assertThat(registry.requests()).hasSize(1);
    }

    @Test
    void shouldUrlEncodeTheSubject() {
        client.register("odd subject/with?chars&more-value", HEALTH_CHECK);

        assertThat(registry.requests().get(0).rawPath())
                .isEqualTo("/apis/ccompat/v7/subjects/odd%20subject%2Fwith%3Fchars%26more-value/versions");
    }

    @Test
    void shouldReportAnUnknownIdWithStatusErrorCodeMessageAndUrl() {
        SchemaRegistryException error = catchThrowableOfType(SchemaRegistryException.class, () -> client.schemaById(42));

        assertThat(error.httpStatus()).isEqualTo(404);
        assertThat(error.errorCode()).isEqualTo(40403);
        assertThat(error.isNotFound()).isTrue();
        assertThat(error.isRetriable()).isFalse();
        assertThat(error.subject()).isEmpty();
        assertThat(error.url()).isEqualTo(URI.create(registry.baseUrl() + "/schemas/ids/42"));
        assertThat(error).hasMessageContaining("fetch the schema with id 42")
                .hasMessageContaining("GET " + registry.baseUrl() + "/schemas/ids/42")
                .hasMessageContaining("HTTP 404, error_code 40403: Schema 42 not found")
                .hasMessageContaining("No schema has this id");
    }

    @Test
    void shouldReportAnIncompatibleSchemaAsIncompatibleWithTheSubjectsEarlierVersions() {
        client.register(SUBJECT, HEALTH_CHECK);
        Schema withRequiredRegion = TestSchemas.load("incompatible/HealthCheckResult-required-region.avsc");

        SchemaRegistryException error = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.register(SUBJECT, withRequiredRegion));

        assertThat(error.httpStatus()).isEqualTo(409);
        assertThat(error.errorCode()).isEqualTo(409);
        assertThat(error.isRetriable()).isFalse();
        assertThat(error.subject()).contains(SUBJECT);
        assertThat(error).hasMessageContaining("refused to register the schema of io.fleethealth.events.HealthCheckResult")
                .hasMessageContaining("POST " + registry.baseUrl() + "/subjects/" + SUBJECT + "/versions")
                .hasMessageContaining("HTTP 409")
                .hasMessageContaining("The schema is incompatible with the earlier versions of subject '" + SUBJECT + "'");
    }

    @Test
    void shouldNotCacheARefusal() {
        registry.failWith(500, "<html>registry restarting</html>");
        catchThrowableOfType(SchemaRegistryException.class, () -> client.register(SUBJECT, HEALTH_CHECK));
        registry.failWith(0, null);

        assertThat(client.register(SUBJECT, HEALTH_CHECK)).isEqualTo(1);
        assertThat(registry.requests()).hasSize(2);
    }

    @Test
    void shouldReportAServerErrorAsRetriableWithTheRawBody() {
        registry.failWith(503, "<html>registry restarting</html>");

        SchemaRegistryException error = catchThrowableOfType(SchemaRegistryException.class,
                () -> client.register(SUBJECT, HEALTH_CHECK));

        assertThat(error.httpStatus()).isEqualTo(503);
        assertThat(error.errorCode()).isEqualTo(SchemaRegistryException.NONE);
        assertThat(error.isRetriable()).isTrue();
        assertThat(error).hasMessageContaining("HTTP 503: <html>registry restarting</html>");
    }

    @Test
    void shouldReportAnUnreachableRegistryAsRetriable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/apis/ccompat/v7");

        SchemaRegistryException error = catchThrowableOfType(SchemaRegistryException.class,
                () -> new HttpSchemaRegistryClient(nowhere).register(SUBJECT, HEALTH_CHECK));

        assertThat(error.httpStatus()).isEqualTo(SchemaRegistryException.NONE);
        assertThat(error.isRetriable()).isTrue();
        assertThat(error.subject()).contains(SUBJECT);
        assertThat(error).hasMessageContaining("Schema registry is unreachable")
                .hasMessageContaining(nowhere + "/subjects/" + SUBJECT + "/versions");
    }

    @Test
    void shouldGiveUpOnARegistryThatDoesNotAnswerInTime() {
        registry.stall();
        HttpSchemaRegistryClient impatient = new HttpSchemaRegistryClient(registry.baseUrl(),
                Duration.ofSeconds(2), Duration.ofMillis(300));

        SchemaRegistryException error = catchThrowableOfType(SchemaRegistryException.class,
                () -> impatient.schemaById(1));

        assertThat(error.isRetriable()).isTrue();
        assertThat(error).hasMessageContaining("did not answer in time to fetch the schema with id 1");
    }

    @Test
    void shouldServeEventSerdesWithOneRequestPerSideForManyRecords() {
        EventSerdes producerSide = new EventSerdes(new HttpSchemaRegistryClient(registry.baseUrl()));
        EventSerdes consumerSide = new EventSerdes(new HttpSchemaRegistryClient(registry.baseUrl()));
        List<SessionStatus> read = new ArrayList<>();

        for (int i = 0; i < 200; i++) {
            SessionStatus status = SampleEvents.sessionStatus();
            status.setConsecutiveFailures(i);
            byte[] bytes = producerSide.valueSerializer(Topics.SESSION_STATUS).serialize(Topics.SESSION_STATUS.name(), status);
            read.add(consumerSide.valueDeserializer(Topics.SESSION_STATUS).deserialize(Topics.SESSION_STATUS.name(), bytes));
        }

        assertThat(read).extracting(SessionStatus::getConsecutiveFailures).hasSize(200).endsWith(199);
        assertThat(registry.requests()).extracting(FakeConfluentRegistry.Request::method).containsExactly("POST", "GET");
    }
}
