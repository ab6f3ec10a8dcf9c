package io.fleethealth.localstack.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.serde.SampleEvents;
import io.fleethealth.topics.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared bed works end to end: broker, registry with its compatibility rule, and the Docker engine. */
class TestBedIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestBed bed;

    @BeforeAll
    static void startBed() {
        bed = TestBed.shared();
    }

    @Test
    void shouldDeliverAHealthCheckThroughBrokerAndRegistryUnchanged() throws Exception {
        EventSerdes serdes = bed.serdes();
        String sessionId = bed.uniqueId("session");
        HealthCheckResult sent = HealthCheckResult.newBuilder(SampleEvents.healthCheck()).setSessionId(sessionId).build();

        RecordMetadata written;
        try (KafkaProducer<String, HealthCheckResult> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers()),
                new StringSerializer(), serdes.valueSerializer(Topics.HEALTH_CHECKS))) {
            written = producer.send(new ProducerRecord<>(Topics.HEALTH_CHECKS.name(), sessionId, sent))
                    .get(30, TimeUnit.SECONDS);
        }

        List<ConsumerRecord<String, HealthCheckResult>> received = new ArrayList<>();
        try (KafkaConsumer<String, HealthCheckResult> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, bed.uniqueGroupId("bed-round-trip"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), serdes.valueDeserializer(Topics.HEALTH_CHECKS))) {
            consumer.subscribe(List.of(Topics.HEALTH_CHECKS.name()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (sessionId.equals(record.key())) {
                        received.add(record);
                    }
                });
                return !received.isEmpty();
            });
            // Committing needs __consumer_offsets, which a single node only gets with replication factor 1.
            consumer.commitSync(Duration.ofSeconds(30));
        }

        assertThat(received).singleElement().satisfies(record -> {
            assertThat(record.value()).isEqualTo(sent);
            assertThat(record.partition()).isEqualTo(written.partition());
            assertThat(record.offset()).isEqualTo(written.offset());
        });
        HttpResponse<String> subjects = get(bed.registryUrl() + "/subjects");
        assertThat(subjects.statusCode()).isEqualTo(200);
        assertThat(JSON.readValue(subjects.body(), String[].class)).contains(Topics.HEALTH_CHECKS.valueSubject());
    }

    @Test
    void shouldRejectASchemaThatOldRecordsCannotBeReadWith() throws Exception {
        String subject = bed.uniqueId("compat-probe") + "-value";
        String v1 = record("{\"name\":\"id\",\"type\":\"string\"}");
        String withDefault = record("{\"name\":\"id\",\"type\":\"string\"},"
                + "{\"name\":\"attempts\",\"type\":\"int\",\"default\":0}");
        String withoutDefault = record("{\"name\":\"id\",\"type\":\"string\"},"
                + "{\"name\":\"owner\",\"type\":\"string\"}");

        HttpResponse<String> first = register(subject, v1);
        HttpResponse<String> compatible = register(subject, withDefault);
        HttpResponse<String> incompatible = register(subject, withoutDefault);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(compatible.statusCode()).as(compatible.body()).isEqualTo(200);
        assertThat(JSON.readTree(compatible.body()).path("id").asInt())
                .isNotEqualTo(JSON.readTree(first.body()).path("id").asInt());
        assertThat(incompatible.statusCode()).as(incompatible.body()).isEqualTo(409);
        HttpResponse<String> versions = get(bed.registryUrl() + "/subjects/" + subject + "/versions");
        assertThat(JSON.readValue(versions.body(), int[].class)).containsExactly(1, 2);
    }

    @Test
    void shouldRunALabelledContainerWithoutNetworkAndRemoveIt() {
        DockerClient docker = DockerTestEngine.client();
        String run = bed.uniqueId("run");
        String id = DockerTestEngine.createTestContainer(bed.uniqueId("fleet-bed-probe"), Map.of("fleet-health.run", run));
        int removed;
        try {
            docker.startContainerCmd(id).exec();
            InspectContainerResponse running = docker.inspectContainerCmd(id).exec();
            assertThat(running.getConfig().getLabels())
                    .containsEntry(DockerTestEngine.TEST_LABEL, "true")
                    .containsEntry("fleet-health.run", run);
            assertThat(running.getHostConfig().getNetworkMode()).isEqualTo("none");
            assertThat(running.getState().getRunning()).isTrue();

            // a sleep child means the shell has already run its trap: a TERM sent earlier would be ignored
            await().atMost(Duration.ofSeconds(20)).until(() -> succeeds(docker, id, "ps | grep -q '[s]leep'"));
            docker.stopContainerCmd(id).withTimeout(20).exec();
            InspectContainerResponse stopped = docker.inspectContainerCmd(id).exec();
            // Exit code 0, not 137: the TERM trap ended the container, it was not killed after the timeout.
            assertThat(stopped.getState().getStatus()).isEqualTo("exited");
            assertThat(stopped.getState().getExitCodeLong()).isZero();
        } finally {
            removed = DockerTestEngine.removeTestContainers("fleet-health.run", run);
        }
        assertThat(removed).isEqualTo(1);
        assertThatThrownBy(() -> docker.inspectContainerCmd(id).exec()).isInstanceOf(NotFoundException.class);
    }

    private static String record(String fields) {
        return "{\"type\":\"record\",\"name\":\"CompatProbe\",\"namespace\":\"io.fleethealth.test\",\"fields\":["
                + fields + "]}";
    }

    private static HttpResponse<String> register(String subject, String schema) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("schema", schema));
        HttpRequest request = HttpRequest.newBuilder(URI.create(bed.registryUrl() + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs a shell command inside the container; true when it exits 0. */
    private static boolean succeeds(DockerClient docker, String id, String command) throws InterruptedException {
        String exec = docker.execCreateCmd(id).withCmd("sh", "-c", command).exec().getId();
        docker.execStartCmd(exec).start().awaitCompletion(10, TimeUnit.SECONDS);
        Long exitCode = docker.inspectExecCmd(exec).exec().getExitCodeLong();
        return exitCode != null && exitCode == 0;
    }
}
