package io.fleethealth.processor.topology;

import io.fleethealth.processor.decision.Emitted;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.topics.Topic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Encodes what a processor emits before it saves anything, then forwards the bytes to byte-array sinks.
 * A value that cannot be encoded (registry away, a null in a required field) thus fails before the state
 * is written: a pending restart is never stored unless its command goes out in the same transaction.
 */
final class Outputs {

    /** The records of one decision, encoded and ready to forward. */
    record Encoded(List<Record<String, byte[]>> records, List<String> sinks) {
    }

    private final EventSerdes serdes;
    private final SinkRouter sinks;
    private final Map<Topic<?>, Serializer<Object>> serializers = new HashMap<>();

    Outputs(EventSerdes serdes, SinkRouter sinks) {
        this.serdes = serdes;
        this.sinks = sinks;
    }

    /**
     * Encodes every record; throws whatever the serializer throws (nothing is forwarded then).
     */
    Encoded encode(List<Emitted<?>> emitted) {
        List<Record<String, byte[]>> records = new ArrayList<>(emitted.size());
        List<String> names = new ArrayList<>(emitted.size());
        for (Emitted<?> e : emitted) {
            byte[] value = serializer(e.topic()).serialize(e.topic().name(), e.value());
            records.add(new Record<>(e.key(), value, e.timestamp().toEpochMilli()));
            names.add(sinks.sinkFor(e.topic()));
        }
        return new Encoded(records, names);
    }

    void forward(Encoded encoded, ProcessorContext<String, Object> context) {
        for (int i = 0; i < encoded.records().size(); i++) {
            Record<String, byte[]> record = encoded.records().get(i);
            context.forward(new Record<String, Object>(record.key(), record.value(), record.timestamp()),
                    encoded.sinks().get(i));
        }
    }

    @SuppressWarnings("unchecked")
    private Serializer<Object> serializer(Topic<?> topic) {
        return serializers.computeIfAbsent(topic, t -> (Serializer<Object>) (Serializer<?>)
                serdes.valueSerializer((Topic<? extends SpecificRecord>) t));
    }
}
