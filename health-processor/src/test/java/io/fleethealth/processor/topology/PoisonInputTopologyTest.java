package io.fleethealth.processor.topology;

import static io.fleethealth.processor.topology.TopologyFixture.T0;
import static io.fleethealth.processor.topology.TopologyFixture.check;
import static io.fleethealth.processor.topology.TopologyFixture.heartbeat;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.AgentHeartbeat;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.processor.decision.SessionState;
import io.fleethealth.serde.InMemorySchemaRegistryClient;
import io.fleethealth.serde.SchemaRegistryClient;
import io.fleethealth.serde.SchemaRegistryException;
import io.fleethealth.topics.Topics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Poison and edge input on every processor input: each is a dead letter with its reason and counted (or,
 * on the global store, skipped and counted), never a task error, a crash loop or a stored decision whose
 * records never went out.
 */
class PoisonInputTopologyTest {

    /** The in-memory registry, made to fail look-ups or registrations on demand. */
    static final class FlakyRegistry implements SchemaRegistryClient {
        final InMemorySchemaRegistryClient delegate = new InMemorySchemaRegistryClient();
        volatile boolean lookupsFail;
        volatile String refuseSubject;

        @Override
        public int register(String subject, Schema schema) {
            if (subject.equals(refuseSubject)) {
                throw new SchemaRegistryException("registry unreachable", SchemaRegistryException.NONE,
                        SchemaRegistryException.NONE, subject, URI.create("http://127.0.0.1:1/"), null);
            }
            return delegate.register(subject, schema);
        }

        @Override
        public Schema schemaById(int id) {
            if (lookupsFail) {
                throw new SchemaRegistryException("registry unreachable", SchemaRegistryException.NONE,
                        SchemaRegistryException.NONE, null, URI.create("http://127.0.0.1:1/"), null);
            }
            return delegate.schemaById(id);
        }
    }

    private final FlakyRegistry registry = new FlakyRegistry();
    private final TopologyFixture fixture = new TopologyFixture(Map.of(), registry);
    private final TestInputTopic<String, HealthCheckResult> checks = fixture.input(Topics.HEALTH_CHECKS);

    @AfterEach
    void close() {
        fixture.close();
    }

    private List<TestRecord<String, byte[]>> deadLetters() {
        return fixture.driver.createOutputTopic(Topics.HEALTH_CHECKS_DLQ.name(), new StringDeserializer(),
                new ByteArrayDeserializer()).readRecordsToList();
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private SessionState stored(String sessionId) {
        return fixture.driver.<String, SessionState>getKeyValueStore(StoreNames.SESSIONS).get(sessionId);
    }

    @Test
    void shouldDeadLetterANullKeyedCheckInsteadOfFailingInTheStore() {
        checks.pipeInput(null, check("s1", "c0", T0, HealthStatus.UNHEALTHY), T0);
        checks.pipeInput("s2", check("s2", "c0", T0, HealthStatus.UNHEALTHY), T0);

        List<TestRecord<String, byte[]>> dead = deadLetters();
        assertThat(dead).singleElement().satisfies(letter -> {
            assertThat(header(letter.headers(), DeadLetter.REASON_HEADER)).isEqualTo(DeadLetter.INVALID);
            assertThat(header(letter.headers(), DeadLetter.DETAIL_HEADER)).contains("no key");
        });
        assertThat(fixture.listener.deadLetters).containsEntry(Topics.HEALTH_CHECKS.name(), 1);
        assertThat(stored("s2")).isNotNull();
    }

    @Test
    void shouldDeadLetterAndCountARecordWhoseSchemaCannotBeLookedUp() {
        registry.lookupsFail = true;
        checks.pipeInput("s1", check("s1", "c0", T0, HealthStatus.UNHEALTHY), T0);

        List<TestRecord<String, byte[]>> dead = deadLetters();
        assertThat(dead).singleElement().satisfies(letter -> {
            assertThat(header(letter.headers(), DeadLetter.REASON_HEADER)).isEqualTo(DeadLetter.REGISTRY_ERROR);
            assertThat(header(letter.headers(), DeadLetter.SOURCE_TOPIC_HEADER)).isEqualTo(Topics.HEALTH_CHECKS.name());
            assertThat(header(letter.headers(), DeadLetter.SOURCE_OFFSET_HEADER)).isEqualTo("0");
        });
        assertThat(fixture.listener.deadLetters).containsEntry(Topics.HEALTH_CHECKS.name(), 1);

        registry.lookupsFail = false;
        checks.pipeInput("s1", check("s1", "c1", T0.plusSeconds(30), HealthStatus.UNHEALTHY), T0.plusSeconds(30));
        assertThat(stored("s1")).as("processing goes on once the registry answers").isNotNull();
    }

    @Test
    void shouldKeepNoPendingRestartWhenItsCommandCannotBeEncoded() {
        registry.refuseSubject = Topics.RESTART_COMMANDS.valueSubject();
        for (int i = 0; i < 3; i++) {
            checks.pipeInput("s1", check("s1", "c" + i, T0.plusSeconds(30L * i), HealthStatus.UNHEALTHY),
                    T0.plusSeconds(30L * i));
        }

        assertThat(fixture.output(Topics.RESTART_COMMANDS).readRecordsToList()).isEmpty();
        assertThat(stored("s1").pending()).as("no pending restart without its command").isNull();
        assertThat(stored("s1").restartAttempts()).isZero();
        assertThat(deadLetters()).singleElement().satisfies(letter ->
                assertThat(header(letter.headers(), DeadLetter.REASON_HEADER)).isEqualTo(DeadLetter.OUTPUT_UNENCODABLE));

        // The registry is back: the next failing check decides again, and the command goes out with the state.
        registry.refuseSubject = null;
        checks.pipeInput("s1", check("s1", "c3", T0.plusSeconds(90), HealthStatus.UNHEALTHY), T0.plusSeconds(90));
        List<RestartCommand> commands = fixture.values(Topics.RESTART_COMMANDS);
        assertThat(commands).singleElement();
        assertThat(stored("s1").pending().commandId()).isEqualTo(commands.get(0).getCommandId());
    }

    @Test
    void shouldSkipAnUnreadableHostAlertInsteadOfFailingTheGlobalStore() {
        TestInputTopic<String, byte[]> hostAlerts = fixture.rawInput(Topics.HOST_ALERTS);
        hostAlerts.pipeInput("host-a", "not avro".getBytes(StandardCharsets.UTF_8), T0);
        hostAlerts.pipeInput(null, new byte[] {0, 0, 0, 0, 1}, T0);

        assertThat(fixture.listener.skipped).containsEntry(Topics.HOST_ALERTS.name(), 2);
        // Still alive: checks are decided.
        checks.pipeInput("s1", check("s1", "c0", T0, HealthStatus.HEALTHY), T0);
        assertThat(stored("s1")).isNotNull();
    }

    @Test
    void shouldDeadLetterAHeartbeatDatedFarInTheFuture() {
        TestInputTopic<String, AgentHeartbeat> heartbeats = fixture.input(Topics.AGENT_HEARTBEATS);
        heartbeats.pipeInput("host-a", heartbeat("host-a", T0.plus(Duration.ofDays(1))), T0);

        assertThat(deadLetters()).singleElement().satisfies(letter ->
                assertThat(header(letter.headers(), DeadLetter.DETAIL_HEADER)).contains("after the record's timestamp"));
    }

    @Test
    void shouldNotCallAHostSilentAfterAHeartbeatDatedAheadOfTheNextOnes() {
        TestInputTopic<String, AgentHeartbeat> heartbeats = fixture.input(Topics.AGENT_HEARTBEATS);
        // Within the allowed skew, yet ahead of everything this agent sends next.
        heartbeats.pipeInput("host-a", heartbeat("host-a", T0.plus(Duration.ofMinutes(4))), T0);
        for (int i = 1; i <= 12; i++) {
            fixture.driver.advanceWallClockTime(Duration.ofSeconds(30));
            heartbeats.pipeInput("host-a", heartbeat("host-a", T0.plusSeconds(30L * i)), T0.plusSeconds(30L * i));
        }

        List<HealthAlert> alerts = fixture.values(Topics.ALERTS);
        assertThat(alerts).as("the host kept sending: no 'host silent'").isEmpty();
    }
}
