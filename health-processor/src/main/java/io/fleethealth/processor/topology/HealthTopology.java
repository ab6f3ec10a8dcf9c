package io.fleethealth.processor.topology;

import io.fleethealth.events.HealthAlert;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.processor.decision.SessionEvent;
import io.fleethealth.processor.decision.SessionStateMachine;
import io.fleethealth.processor.state.CheckSummarySerde;
import io.fleethealth.processor.state.HostState;
import io.fleethealth.processor.state.JsonSerde;
import io.fleethealth.processor.state.SessionMark;
import io.fleethealth.processor.state.SessionStateSerde;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.topics.Topic;
import io.fleethealth.topics.Topics;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The processor's topology, a plain function of its settings, so that the live app, the tests and a
 * replay build the very same graph.
 *
 * <pre>
 *  fleet.health.checks    --decode--+
 *  fleet.restart.outcomes --decode--+--> decide (session-state, check-history) --> commands, status, alerts, audit
 *  fleet.session.control  --decode--+        ^ reads host-alerts (global, from fleet.host.alerts)
 *  fleet.agent.heartbeats --decode--> host-monitor (host-state) --> fleet.alerts, fleet.host.alerts
 *  every ALERT_RESEND_INTERVAL: decide and host-monitor send their active alerts again --> fleet.alerts
 *  anything undecodable or invalid, or whose decision cannot be encoded -> fleet.health.checks.dlq
 *  fleet.host.alerts (global store): unreadable records skipped and counted
 * </pre>
 */
public final class HealthTopology {

    private static final String DECIDE = "decide";
    private static final String HOST_MONITOR = "host-monitor";
    private static final String BRAKE_ANSWERS = "brake-answers";
    private static final String DEAD_LETTERS = "sink:" + Topics.HEALTH_CHECKS_DLQ.name();

    private HealthTopology() {
    }

    public static Topology build(ProcessorConfig config, EventSerdes serdes, DecisionListener listener) {
        return build(config, serdes, listener, FleetCounts.create());
    }

    /** The topology, keeping {@code counts} of the sessions per status and the hosts per liveness as it goes. */
    public static Topology build(ProcessorConfig config, EventSerdes serdes, DecisionListener listener, FleetCounts counts) {
        SessionStateMachine machine = new SessionStateMachine(config.decisionSettings());
        Duration scanEvery = scanPeriod(config.checkInterval());
        SinkRouter sinks = new SinkRouter();
        Topology topology = new Topology();

        addDecodedSource(topology, Topics.HEALTH_CHECKS, serdes, InputValidator::check,
                SessionEvent.CheckReceived::new, DECIDE, listener);
        addDecodedSource(topology, Topics.RESTART_OUTCOMES, serdes, InputValidator::outcome,
                SessionEvent.OutcomeReceived::new, DECIDE, listener);
        addDecodedSource(topology, Topics.SESSION_CONTROL, serdes, InputValidator::control,
                SessionEvent.ControlReceived::new, DECIDE, listener);
        addDecodedSource(topology, Topics.AGENT_HEARTBEATS, serdes, InputValidator::heartbeat, hb -> hb, HOST_MONITOR,
                listener);

        boolean brake = config.brakeSettings().enabled();
        if (brake) {
            topology.addSource("source:" + BrakeTopology.ANSWERS_TOPIC, new StringDeserializer(),
                    new ByteArrayDeserializer(), BrakeTopology.ANSWERS_TOPIC);
            topology.addProcessor(BRAKE_ANSWERS, AnswerToEvent::new, "source:" + BrakeTopology.ANSWERS_TOPIC);
        }
        String brakeSignals = brake ? BrakeTopology.SIGNALS_SINK : null;
        topology.addProcessor(DECIDE, () -> new SessionDecisionProcessor(machine, config.staleAfter(), scanEvery,
                        config.alertResendInterval(), new Outputs(serdes, sinks), DEAD_LETTERS, listener,
                        counts.sessions(), counts.notManagedSessions(), brakeSignals),
                brake ? new String[] {decoderName(Topics.HEALTH_CHECKS), decoderName(Topics.RESTART_OUTCOMES),
                        decoderName(Topics.SESSION_CONTROL), BRAKE_ANSWERS}
                        : new String[] {decoderName(Topics.HEALTH_CHECKS), decoderName(Topics.RESTART_OUTCOMES),
                        decoderName(Topics.SESSION_CONTROL)});
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.SESSIONS), Serdes.String(), new SessionStateSerde()), DECIDE);
        topology.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(StoreNames.CHECK_HISTORY, config.historyRetention(), Duration.ofMillis(1), true),
                Serdes.String(), new CheckSummarySerde()), DECIDE);
        topology.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(StoreNames.SESSION_MARKS, config.historyRetention(), Duration.ofMillis(1), true),
                Serdes.String(), new JsonSerde<>(SessionMark.class)), DECIDE);

        topology.addProcessor(HOST_MONITOR, () -> new HostMonitorProcessor(config.staleAfter(), scanEvery,
                config.alertResendInterval(), new Outputs(serdes, sinks), counts.hosts()),
                decoderName(Topics.AGENT_HEARTBEATS));
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.HOSTS), Serdes.String(), new JsonSerde<>(HostState.class)),
                HOST_MONITOR);

        // Raw bytes in, decoded by KeepLatest: a bad record must never reach the global store's own
        // deserialization handler, which fails the whole application at every start (a crash loop).
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.HOST_ALERTS),
                                Serdes.String(), serdes.valueSerde(Topics.HOST_ALERTS)).withLoggingDisabled(),
                "source:" + Topics.HOST_ALERTS.name(), new StringDeserializer(), new ByteArrayDeserializer(),
                Topics.HOST_ALERTS.name(), "keep-host-alerts",
                () -> new KeepLatest(serdes.valueDeserializer(Topics.HOST_ALERTS), listener));

        if (brake) {
            addBrake(topology, config, serdes);
        }
        addSink(topology, Topics.RESTART_COMMANDS, DECIDE);
        addSink(topology, Topics.SESSION_STATUS, DECIDE);
        addSink(topology, Topics.AUDIT, DECIDE);
        addSink(topology, Topics.ALERTS, DECIDE, HOST_MONITOR);
        addSink(topology, Topics.HOST_ALERTS, HOST_MONITOR);
        topology.addSink(DEAD_LETTERS, Topics.HEALTH_CHECKS_DLQ.name(), new StringSerializer(),
                new ByteArraySerializer(), decoderName(Topics.HEALTH_CHECKS), decoderName(Topics.RESTART_OUTCOMES),
                decoderName(Topics.SESSION_CONTROL), decoderName(Topics.AGENT_HEARTBEATS), DECIDE);
        return topology;
    }

    /**
     * The restart brake (docs/brake.md): the decision's signals to the brake's one partition, the brake,
     * and its answers back on the sessions' own partitions (keyed by session id, like the checks).
     * Must be called before the decision's processor is connected to its parents.
     */
    private static void addBrake(Topology topology, ProcessorConfig config, EventSerdes serdes) {
        topology.addSink(BrakeTopology.SIGNALS_SINK, BrakeTopology.SIGNALS_TOPIC, new StringSerializer(),
                new JsonSerde<>(io.fleethealth.processor.brake.BrakeSignal.class).serializer(),
                (topic, key, value, partitions) -> java.util.Optional.of(java.util.Set.of(0)), DECIDE);
        BrakeTopology.addTo(topology, config.brakeSettings(), serdes, true);
    }

    /** How often silence is looked for: twice per interval, within [1 s, 30 s]. */
    static Duration scanPeriod(Duration checkInterval) {
        Duration half = checkInterval.dividedBy(2);
        Duration floor = Duration.ofSeconds(1);
        Duration ceiling = Duration.ofSeconds(30);
        return half.compareTo(floor) < 0 ? floor : half.compareTo(ceiling) > 0 ? ceiling : half;
    }

    private static <T extends SpecificRecord> void addDecodedSource(
            Topology topology, Topic<T> topic, EventSerdes serdes, DecodingProcessor.Validation<T> validation,
            java.util.function.Function<T, ?> toEvent, String eventChild, DecisionListener listener) {
        String source = "source:" + topic.name();
        topology.addSource(source, new StringDeserializer(), new ByteArrayDeserializer(), topic.name());
        topology.addProcessor(decoderName(topic), () -> new DecodingProcessor<>(topic.name(),
                serdes.valueDeserializer(topic), validation, toEvent, eventChild, DEAD_LETTERS,
                () -> listener.onDeadLetter(topic.name())), source);
    }

    /** Values arrive encoded ({@link Outputs}): a sink can no longer fail on a value after the state was saved. */
    private static void addSink(Topology topology, Topic<?> topic, String... parents) {
        topology.addSink(new SinkRouter().sinkFor(topic), topic.name(), new StringSerializer(),
                new ByteArraySerializer(), parents);
    }

    private static String decoderName(Topic<?> topic) {
        return "decode:" + topic.name();
    }

    /** The brake's answer (JSON) as the session event the decision reads; an unreadable one is skipped. */
    private static final class AnswerToEvent implements Processor<String, byte[], String, Object> {
        private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AnswerToEvent.class);
        private final Deserializer<io.fleethealth.processor.brake.BrakeAnswer> answers =
                new JsonSerde<>(io.fleethealth.processor.brake.BrakeAnswer.class).deserializer();
        private ProcessorContext<String, Object> context;

        @Override
        public void init(ProcessorContext<String, Object> context) {
            this.context = context;
        }

        @Override
        public void process(org.apache.kafka.streams.processor.api.Record<String, byte[]> record) {
            if (record.value() == null) {
                return;
            }
            try {
                io.fleethealth.processor.brake.BrakeAnswer answer =
                        answers.deserialize(BrakeTopology.ANSWERS_TOPIC, record.value());
                context.forward(record.withValue(new Decoded(answer.toEvent(), record.value())));
            } catch (RuntimeException e) {
                log.warn("[session {}] unreadable brake answer skipped", record.key(), e);
            }
        }
    }

    /**
     * Keeps the latest host alert per host in the global store; a tombstone removes the host. A record that
     * cannot be read, or has no key, is skipped and counted: a global store cannot forward to the dead-letter
     * topic, and the record stays on fleet.host.alerts for inspection.
     */
    private static final class KeepLatest implements Processor<String, byte[], Void, Void> {
        private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(KeepLatest.class);
        private final Deserializer<HealthAlert> deserializer;
        private final DecisionListener listener;
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<String, HealthAlert> store;

        KeepLatest(Deserializer<HealthAlert> deserializer, DecisionListener listener) {
            this.deserializer = deserializer;
            this.listener = listener;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            store = context.getStateStore(StoreNames.HOST_ALERTS);
        }

        @Override
        public void process(org.apache.kafka.streams.processor.api.Record<String, byte[]> record) {
            if (record.key() == null) {
                skip("no key", null);
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
                return;
            }
            HealthAlert alert;
            try {
                alert = deserializer.deserialize(Topics.HOST_ALERTS.name(), record.headers(), record.value());
            } catch (RuntimeException e) {
                skip(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
                return;
            }
            store.put(record.key(), alert);
        }

        private void skip(String why, RuntimeException cause) {
            String where = context.recordMetadata().map(m -> m.partition() + "@" + m.offset()).orElse("?");
            log.warn("[{}] skipping unreadable record {}: {}", Topics.HOST_ALERTS.name(), where, why);
            listener.onSkipped(Topics.HOST_ALERTS.name());
        }
    }
}
