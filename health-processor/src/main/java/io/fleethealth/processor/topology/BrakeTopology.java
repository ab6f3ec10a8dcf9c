package io.fleethealth.processor.topology;

import io.fleethealth.processor.brake.BrakeSettings;
import io.fleethealth.processor.brake.BrakeSignal;
import io.fleethealth.processor.state.JsonSerde;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.topics.Topic;
import io.fleethealth.topics.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The brake's sub-topology (docs/brake.md): one source, the brake's signals, all on partition 0 so that
 * one task sees them in one order; one processor around the pure brake; restart commands, incident alerts
 * and audit events out. A plain function, so tests and the live app build the same graph.
 *
 * <pre>
 *  fleet.brake.signals (partition 0) --> brake (brake-signals store) --> fleet.restart.commands
 *                                                                     --> fleet.alerts (FleetIncident)
 *                                                                     --> fleet.audit (held, released)
 * </pre>
 */
public final class BrakeTopology {

    /** Internal input of the brake: JSON {@link BrakeSignal}s, key "fleet", every record on partition 0. */
    public static final String SIGNALS_TOPIC = "fleet.brake.signals";
    /** The brake's answers to the sessions: JSON {@link io.fleethealth.processor.brake.BrakeAnswer}s keyed by session id. */
    public static final String ANSWERS_TOPIC = "fleet.brake.answers";
    /** The key of every signal: the brake has one partition. */
    static final String SIGNALS_KEY = "fleet";
    static final String SIGNALS_SINK = "sink:" + SIGNALS_TOPIC;
    static final String ANSWERS_SINK = "brake-sink:" + ANSWERS_TOPIC;
    static final String BRAKE = "brake";

    private BrakeTopology() {
    }

    public static Topology build(BrakeSettings settings, EventSerdes serdes) {
        Topology topology = new Topology();
        addTo(topology, settings, serdes);
        return topology;
    }

    /** Adds the brake to a topology (its own sink nodes, named apart from the decision's). */
    public static void addTo(Topology topology, BrakeSettings settings, EventSerdes serdes) {
        addTo(topology, settings, serdes, false);
    }

    /** ... and, when {@code answerSessions}, the answers to the sessions' decisions (the live topology). */
    static void addTo(Topology topology, BrakeSettings settings, EventSerdes serdes, boolean answerSessions) {
        JsonSerde<BrakeSignal> signalSerde = new JsonSerde<>(BrakeSignal.class);
        topology.addSource("source:" + SIGNALS_TOPIC, new StringDeserializer(), signalSerde.deserializer(), SIGNALS_TOPIC);
        topology.addProcessor(BRAKE, () -> new BrakeProcessor(settings, BrakeTopology::sinkFor,
                answerSessions ? ANSWERS_SINK : null), "source:" + SIGNALS_TOPIC);
        if (answerSessions) {
            topology.addSink(ANSWERS_SINK, ANSWERS_TOPIC, new StringSerializer(),
                    new JsonSerde<>(io.fleethealth.processor.brake.BrakeAnswer.class).serializer(), BRAKE);
        }
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BrakeProcessor.SIGNALS_STORE),
                Serdes.Long(), signalSerde), BRAKE);
        addSink(topology, Topics.RESTART_COMMANDS, serdes);
        addSink(topology, Topics.ALERTS, serdes);
        addSink(topology, Topics.AUDIT, serdes);
    }

    /** Named apart from the decision's sink nodes, so both can live in one topology. */
    static String sinkFor(Topic<?> topic) {
        return "brake-sink:" + topic.name();
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> void addSink(Topology topology, Topic<T> topic,
                                                           EventSerdes serdes) {
        Serializer<Object> values = (Serializer<Object>) (Serializer<?>) serdes.valueSerializer(topic);
        topology.addSink(sinkFor(topic), topic.name(), new StringSerializer(), values, BRAKE);
    }
}
