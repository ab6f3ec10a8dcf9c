package io.fleethealth.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.AlertStatus;
import io.fleethealth.events.AuditAction;
import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.processor.brake.BrakeSettings;
import io.fleethealth.processor.brake.BrakeSignal;
import io.fleethealth.processor.brake.GroupKey;
import io.fleethealth.processor.state.JsonSerde;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.serde.InMemorySchemaRegistryClient;
import io.fleethealth.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The brake's sub-topology in a TopologyTestDriver: holds, one alert, audited release within the budget. */
class BrakeTopologyTest {

    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private static final BrakeSettings SETTINGS = new BrakeSettings(true, Duration.ofMinutes(2), 5, 30,
            Duration.ofMinutes(5), 2, 20, 5);
    private static final String IMAGE = "fleet-test/busybox:1";

    private final EventSerdes serdes = new EventSerdes(new InMemorySchemaRegistryClient());
    private final String stateDir = Path.of(System.getProperty("java.io.tmpdir"), "streams", UUID.randomUUID().toString())
            .toString();
    private TopologyTestDriver driver = open();
    private TestInputTopic<String, BrakeSignal> signals = signals();

    private TopologyTestDriver open() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "brake-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        return new TopologyTestDriver(BrakeTopology.build(SETTINGS, serdes), props, T0);
    }

    private TestInputTopic<String, BrakeSignal> signals() {
        return driver.createInputTopic(BrakeTopology.SIGNALS_TOPIC, new StringSerializer(),
                new JsonSerde<>(BrakeSignal.class).serializer());
    }

    @AfterEach
    void close() {
        driver.close();
    }

    private static BrakeSignal signal(BrakeSignal.Kind kind, int session, Instant at) {
        BrakeSignal.WantedRestart command = kind != BrakeSignal.Kind.RESTART_WANTED ? null
                : new BrakeSignal.WantedRestart("cmd-" + session, "c" + session, "web-" + session, 1, 1,
                "3 consecutive failures", at, at.plusSeconds(5), at.plusSeconds(125), 10);
        return new BrakeSignal(kind, "s" + session, "host-a", IMAGE, true, at, null, null, command);
    }

    private void pipe(BrakeSignal signal) {
        signals.pipeInput("fleet", signal, signal.at());
    }

    private void tenFailTogether() {
        for (int i = 0; i < 10; i++) {
            pipe(signal(BrakeSignal.Kind.SEEN, i, T0));
        }
        for (int i = 0; i < 10; i++) {
            pipe(signal(BrakeSignal.Kind.FAILURE_STARTED, i, T0.plusSeconds(30)));
        }
        for (int i = 0; i < 10; i++) {
            pipe(signal(BrakeSignal.Kind.RESTART_WANTED, i, T0.plusSeconds(90)));
        }
    }

    private List<RestartCommand> commands() {
        return driver.createOutputTopic(Topics.RESTART_COMMANDS.name(), new StringDeserializer(),
                serdes.valueDeserializer(Topics.RESTART_COMMANDS)).readValuesToList();
    }

    private List<HealthAlert> alerts() {
        return driver.createOutputTopic(Topics.ALERTS.name(), new StringDeserializer(),
                serdes.valueDeserializer(Topics.ALERTS)).readValuesToList();
    }

    private List<AuditEvent> audits() {
        return driver.createOutputTopic(Topics.AUDIT.name(), new StringDeserializer(),
                serdes.valueDeserializer(Topics.AUDIT)).readValuesToList();
    }

    @Test
    void shouldHoldEveryRestartAndFireOneIncidentAlertWhenTenContainersFailTogether() {
        tenFailTogether();

        assertThat(commands()).isEmpty();
        List<HealthAlert> alerts = alerts();
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.getStatus()).isEqualTo(AlertStatus.FIRING);
            assertThat(a.getLabels()).containsEntry("group", "image:" + IMAGE);
            assertThat(a.getAnnotations()).containsEntry("failing_sessions", "5");
        });
        List<AuditEvent> audits = audits();
        assertThat(audits).filteredOn(a -> a.getAction() == AuditAction.RESTART_HELD).hasSize(10)
                .allSatisfy(a -> assertThat(a.getDetails()).containsEntry("incident_id",
                        alerts.get(0).getAnnotations().get("incident_id")));
        assertThat(audits).filteredOn(a -> a.getAction() == AuditAction.INCIDENT_OPENED).hasSize(1);
    }

    @Test
    void shouldReleaseTheHeldRestartsWithinTheBudgetAndAuditTheRelease() {
        tenFailTogether();
        alerts();
        audits();

        pipe(BrakeSignal.release(GroupKey.image(IMAGE), "alice", T0.plusSeconds(200)));

        List<RestartCommand> commands = commands();
        assertThat(commands).extracting(RestartCommand::getSessionId)
                .containsExactly("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9");
        Instant released = T0.plusSeconds(200);
        // host-a may restart 2 a minute: pairs one minute apart; the expiry moves with the start.
        assertThat(commands).extracting(RestartCommand::getNotBefore).containsExactly(released, released,
                released.plusSeconds(60), released.plusSeconds(60), released.plusSeconds(120), released.plusSeconds(120),
                released.plusSeconds(180), released.plusSeconds(180), released.plusSeconds(240), released.plusSeconds(240));
        assertThat(commands).allSatisfy(c -> assertThat(Duration.between(c.getNotBefore(), c.getExpiresAt()))
                .isEqualTo(Duration.ofSeconds(120)));
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.getStatus()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(a.getAnnotations()).containsEntry("closed_by", "released by alice");
        });
        List<AuditEvent> audits = audits();
        assertThat(audits).filteredOn(a -> a.getAction() == AuditAction.INCIDENT_CLOSED).singleElement()
                .satisfies(a -> assertThat(a.getActor()).isEqualTo("alice"));
        assertThat(audits).filteredOn(a -> a.getAction() == AuditAction.RESTART_RELEASED).hasSize(10);
    }

    @Test
    void shouldRestartOneContainerFailingAloneAtOnce() {
        for (int i = 0; i < 10; i++) {
            pipe(signal(BrakeSignal.Kind.SEEN, i, T0));
        }
        pipe(signal(BrakeSignal.Kind.FAILURE_STARTED, 3, T0.plusSeconds(30)));
        pipe(signal(BrakeSignal.Kind.RESTART_WANTED, 3, T0.plusSeconds(90)));

        assertThat(commands()).singleElement().satisfies(c -> {
            assertThat(c.getSessionId()).isEqualTo("s3");
            assertThat(c.getNotBefore()).isEqualTo(T0.plusSeconds(95));
            assertThat(c.getCommandId()).isEqualTo("cmd-3");
        });
        assertThat(alerts()).isEmpty();
    }

    @Test
    void shouldRebuildTheBrakeFromItsStoreAfterARestart() {
        // The same store handed to a new processor, as after a restart or a move of the task.
        org.apache.kafka.streams.state.KeyValueStore<Long, BrakeSignal> store = org.apache.kafka.streams.state.Stores
                .keyValueStoreBuilder(org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore(BrakeProcessor.SIGNALS_STORE),
                        org.apache.kafka.common.serialization.Serdes.Long(), new JsonSerde<>(BrakeSignal.class))
                .withLoggingDisabled().build();
        org.apache.kafka.streams.processor.api.MockProcessorContext<String, Object> before =
                new org.apache.kafka.streams.processor.api.MockProcessorContext<>();
        store.init(before.getStateStoreContext(), store);
        before.addStateStore(store);
        BrakeProcessor first = new BrakeProcessor(SETTINGS, BrakeTopology::sinkFor);
        first.init(before);
        for (int i = 0; i < 10; i++) {
            first.process(record(signal(BrakeSignal.Kind.FAILURE_STARTED, i, T0.plusSeconds(30))));
        }
        for (int i = 0; i < 10; i++) {
            first.process(record(signal(BrakeSignal.Kind.RESTART_WANTED, i, T0.plusSeconds(90))));
        }

        org.apache.kafka.streams.processor.api.MockProcessorContext<String, Object> after =
                new org.apache.kafka.streams.processor.api.MockProcessorContext<>();
        after.addStateStore(store);
        BrakeProcessor second = new BrakeProcessor(SETTINGS, BrakeTopology::sinkFor);
        second.init(after);
        assertThat(after.forwarded()).as("rebuilding forwards nothing again").isEmpty();
        assertThat(second.held()).hasSize(10);
        second.process(record(BrakeSignal.release(GroupKey.image(IMAGE), "alice", T0.plusSeconds(200))));

        assertThat(after.forwarded()).filteredOn(f -> f.record().value() instanceof RestartCommand)
                .extracting(f -> ((RestartCommand) f.record().value()).getSessionId())
                .containsExactly("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9");
        assertThat(after.forwarded()).filteredOn(f -> f.record().value() instanceof HealthAlert)
                .singleElement().satisfies(f -> assertThat(((HealthAlert) f.record().value()).getStatus())
                        .isEqualTo(AlertStatus.RESOLVED));
    }

    private static org.apache.kafka.streams.processor.api.Record<String, BrakeSignal> record(BrakeSignal signal) {
        return new org.apache.kafka.streams.processor.api.Record<>("fleet", signal, signal.at().toEpochMilli());
    }
}
