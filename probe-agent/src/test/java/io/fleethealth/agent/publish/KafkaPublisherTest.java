package io.fleethealth.agent.publish;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleethealth.agent.probe.AgentIdentity;
import io.fleethealth.agent.probe.RoundReport;
import io.fleethealth.events.AgentHeartbeat;
import io.fleethealth.events.DockerState;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.serde.InMemorySchemaRegistryClient;
import io.fleethealth.serde.SchemaRegistryException;
import io.fleethealth.topics.Topics;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KafkaPublisherTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    private final EventSerdes serdes = new EventSerdes(new InMemorySchemaRegistryClient());
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    private KafkaPublisher publisher;

    @AfterEach
    void stop() {
        if (publisher != null) {
            publisher.close(Duration.ofMillis(100));
        }
    }

    private static HealthCheckResult check(String session, long sequence) {
        return HealthCheckResult.newBuilder()
                .setCheckId("host-a/run1/" + sequence).setSequence(sequence).setSessionId(session).setHostId("host-a")
                .setContainerId("c-" + session).setContainerName("web").setImage("img:1").setProbeTime(NOW)
                .setStatus(HealthStatus.FAILED).setDockerState(DockerState.EXITED)
                .setDockerHealth(io.fleethealth.events.DockerHealth.NONE).setErrorCategory(ErrorCategory.EXITED)
                .setExitCode(1).setMetadata(Map.of()).build();
    }

    private HealthCheckPublisher checks(Producer<String, byte[]> p, int capacity) {
        publisher = new KafkaPublisher(p, capacity, Duration.ofMillis(50));
        publisher.start();
        return new HealthCheckPublisher(publisher, serdes.valueSerializer(Topics.HEALTH_CHECKS));
    }

    @Test
    void shouldPublishChecksKeyedBySessionInTheRegistryWireFormat() {
        HealthCheckPublisher sink = checks(producer, 10);

        sink.accept(check("session-1", 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
        producer.completeNext();

        ProducerRecord<String, byte[]> sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo("fleet.health.checks");
        assertThat(sent.key()).isEqualTo("session-1");
        HealthCheckResult back = serdes.valueDeserializer(Topics.HEALTH_CHECKS).deserialize(sent.topic(), sent.value());
        assertThat(back).isEqualTo(check("session-1", 1));
        assertThat(publisher.published()).isEqualTo(1);
        assertThat(publisher.kafkaReachable()).isTrue();
        assertThat(publisher.pending()).isZero();
    }

    @Test
    void shouldDropAndCountARecordKafkaDeniesInsteadOfRetryingIt() {
        HealthCheckPublisher sink = checks(producer, 10);

        sink.accept(check("session-denied", 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
        producer.errorNext(new org.apache.kafka.common.errors.TopicAuthorizationException(
                java.util.Set.of("fleet.health.checks")));

        await().atMost(Duration.ofSeconds(5)).until(() -> publisher.denied() == 1);
        assertThat(publisher.pending()).isZero();
        assertThat(publisher.dropped()).as("a denial is not a full buffer").isZero();
        assertThat(producer.history()).as("not sent again").hasSize(1);
    }

    @Test
    void shouldKeepWithinItsBoundAndCountWhatItDropsWhileKafkaDoesNotAcknowledge() {
        HealthCheckPublisher sink = checks(producer, 3);

        for (int i = 1; i <= 8; i++) {
            sink.accept(check("s" + i, i));
            assertThat(publisher.pending()).isLessThanOrEqualTo(3);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 3);

        assertThat(publisher.dropped()).isEqualTo(5);
        while (producer.completeNext()) {
            // acknowledge everything the producer holds
        }
        assertThat(publisher.published()).isEqualTo(3);
        assertThat(publisher.pending()).isZero();
    }

    @Test
    void shouldDropTheOldestWaitingRecordsFirst() {
        AtomicBoolean brokersAway = new AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        MockProducer<String, byte[]> blocked = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
                    ProducerRecord<String, byte[]> record, org.apache.kafka.clients.producer.Callback callback) {
                attempts.incrementAndGet();
                if (brokersAway.get()) {
                    throw new org.apache.kafka.common.errors.TimeoutException("Topic not present in metadata after 50 ms");
                }
                return super.send(record, callback);
            }
        };
        publisher = new KafkaPublisher(blocked, 3, Duration.ofMillis(50));
        HealthCheckPublisher sink = new HealthCheckPublisher(publisher, serdes.valueSerializer(Topics.HEALTH_CHECKS));

        for (int i = 1; i <= 6; i++) {
            sink.accept(check("s" + i, i));
        }
        publisher.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() >= 2);
        assertThat(publisher.kafkaReachable()).isFalse();
        brokersAway.set(false);

        await().atMost(Duration.ofSeconds(5)).until(() -> publisher.published() == 3);
        assertThat(blocked.history()).extracting(ProducerRecord::key).containsExactly("s4", "s5", "s6");
        assertThat(publisher.dropped()).isEqualTo(3);
        assertThat(publisher.kafkaReachable()).isTrue();
    }

    @Test
    void shouldKeepARecordWhileTheRegistryIsAwayAndSendItOnceItIsBack() {
        AtomicBoolean registryAway = new AtomicBoolean(true);
        publisher = new KafkaPublisher(producer, 10, Duration.ofMillis(20));
        publisher.start();
        publisher.publish(new Outbound("fleet.health.checks", "s1", () -> {
            if (registryAway.get()) {
                throw new SchemaRegistryException("connection refused", -1, SchemaRegistryException.NONE, null,
                        URI.create("http://127.0.0.1:1"), null);
            }
            return new byte[] {0, 0, 0, 0, 1};
        }, "check 1"));

        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> publisher.pending() == 1);
        registryAway.set(false);

        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
        assertThat(publisher.dropped()).isZero();
    }

    @Test
    void shouldSayDeliveriesStalledWhileKafkaLeavesRecordsUnacknowledgedAndRecoverOnTheNextAcknowledgement() {
        HealthCheckPublisher sink = checks(producer, 10);
        assertThat(publisher.deliveryProblem(Duration.ofMillis(200))).as("nothing waiting: nothing wrong").isEmpty();

        // a broker that is gone: the producer holds the record and neither acknowledges nor fails it for minutes
        sink.accept(check("s1", 1));
        await().until(() -> producer.history().size() == 1);

        await().untilAsserted(() -> assertThat(publisher.deliveryProblem(Duration.ofMillis(200)))
                .hasValueSatisfying(why -> assertThat(why).contains("no delivery acknowledged").contains("1 records")));
        assertThat(publisher.deliveryProblem(Duration.ofMinutes(5))).as("within the bound: not yet").isEmpty();

        producer.completeNext();
        await().until(() -> publisher.deliveryProblem(Duration.ofMillis(200)).isEmpty());
    }

    @Test
    void shouldSayDeliveriesFailWhenKafkaFailsThemUntilOneSucceeds() {
        HealthCheckPublisher sink = checks(producer, 10);
        sink.accept(check("s1", 1));
        await().until(() -> producer.history().size() == 1);

        producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("Expiring 1 record(s): 120000 ms"));

        await().untilAsserted(() -> assertThat(publisher.deliveryProblem(Duration.ofMinutes(5)))
                .hasValueSatisfying(why -> assertThat(why).contains("deliveries to Kafka failing").contains("Expiring")));
        // the record was put back and is sent again; its acknowledgement ends the problem
        await().until(() -> producer.history().size() == 2);
        producer.completeNext();
        await().until(() -> publisher.deliveryProblem(Duration.ofMinutes(5)).isEmpty());
    }

    @Test
    void shouldBuildAHeartbeatFromTheLastRound() {
        publisher = new KafkaPublisher(producer, 10, Duration.ofMillis(50));
        publisher.start();
        RoundReport round = new RoundReport(NOW.minusSeconds(30), Duration.ofMillis(42), true, 7, List.of());
        Heartbeats heartbeats = new Heartbeats(new AgentIdentity("host-a", "run1", "1.0"), Duration.ofSeconds(30),
                () -> Optional.of(round), () -> Optional.of("20.10.24"), publisher,
                serdes.valueSerializer(Topics.AGENT_HEARTBEATS), Clock.fixed(NOW, ZoneOffset.UTC));

        heartbeats.run();
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);

        ProducerRecord<String, byte[]> sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo("fleet.agent.heartbeats");
        assertThat(sent.key()).isEqualTo("host-a");
        AgentHeartbeat heartbeat = serdes.valueDeserializer(Topics.AGENT_HEARTBEATS).deserialize(sent.topic(), sent.value());
        assertThat(heartbeat.getSequence()).isEqualTo(1);
        assertThat(heartbeat.getContainersMonitored()).isEqualTo(7);
        assertThat(heartbeat.getEngineReachable()).isTrue();
        assertThat(heartbeat.getEngineVersion()).isEqualTo("20.10.24");
        assertThat(heartbeat.getLastRoundAt()).isEqualTo(NOW.minusSeconds(30));
        assertThat(heartbeat.getLastRoundDurationMs()).isEqualTo(42L);
        assertThat(heartbeat.getIntervalSeconds()).isEqualTo(30);
        assertThat(heartbeat.getSentAt()).isEqualTo(NOW);
    }

    @Test
    void shouldReportAnUnreachableEngineInTheHeartbeat() {
        publisher = new KafkaPublisher(producer, 10, Duration.ofMillis(50));
        Heartbeats heartbeats = new Heartbeats(new AgentIdentity("host-a", "run1", "1.0"), Duration.ofSeconds(30),
                Optional::empty, Optional::empty, publisher, serdes.valueSerializer(Topics.AGENT_HEARTBEATS),
                Clock.fixed(NOW, ZoneOffset.UTC));

        AgentHeartbeat heartbeat = heartbeats.next();

        assertThat(heartbeat.getEngineReachable()).isFalse();
        assertThat(heartbeat.getEngineVersion()).isNull();
        assertThat(heartbeat.getLastRoundAt()).isNull();
        assertThat(heartbeat.getContainersMonitored()).isZero();
    }

    @Test
    void shouldKeepAcceptingResultsWithoutBlockingWhenNoBrokerAnswers() {
        Producer<String, byte[]> real = Producers.idempotent(KafkaClientSettings.plaintext("127.0.0.1:1"), "agent-test", Duration.ofMillis(300));
        HealthCheckPublisher sink = checks(real, 5);

        long start = System.nanoTime();
        for (int i = 1; i <= 50; i++) {
            sink.accept(check("s" + i, i));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("the prober never waits for Kafka").isLessThan(Duration.ofSeconds(1));
        assertThat(publisher.pending()).isLessThanOrEqualTo(5);
        assertThat(publisher.dropped()).isGreaterThanOrEqualTo(45);
        await().atMost(Duration.ofSeconds(5)).until(() -> !publisher.kafkaReachable() && publisher.published() == 0);
    }
}
