package io.fleethealth.cli.source;

import io.fleethealth.topics.Topic;
import java.time.Instant;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The record type of an export file: the Kafka coordinates around the event, which is kept as-is with its
 * generated schema. The coordinates matter: a replay orders records by their Kafka timestamp, per partition.
 *
 * <pre>
 * record KafkaRecord (namespace io.fleethealth.export) {
 *   string topic; int partition; long offset;
 *   timestamp-millis timestamp;   // the Kafka record timestamp
 *   union {null, string} key;
 *   union {null, &lt;event record&gt;} value;   // null = tombstone
 * }
 * </pre>
 */
public final class Envelope {

    public static final String NAME = "KafkaRecord";
    public static final String NAMESPACE = "io.fleethealth.export";

    private Envelope() {
    }

    /** The envelope schema of a topic's export file. */
    public static Schema schemaOf(Topic<?> topic) {
        if (!SpecificRecord.class.isAssignableFrom(topic.valueType())) {
            throw new IllegalArgumentException("Topic " + topic.name() + " holds no Avro events and cannot be exported");
        }
        Schema value = SpecificData.get().getSchema(topic.valueType());
        Schema timestamp = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
        return SchemaBuilder.record(NAME).namespace(NAMESPACE)
                .doc("One record of Kafka topic " + topic.name() + " with its coordinates")
                .fields()
                .requiredString("topic")
                .requiredInt("partition")
                .requiredLong("offset")
                .name("timestamp").doc("Kafka record timestamp").type(timestamp).noDefault()
                .optionalString("key")
                .name("value").type().unionOf().nullType().and().type(value).endUnion().nullDefault()
                .endRecord();
    }

    static GenericRecord wrap(Schema schema, HistoryRecord<?> record) {
        GenericData.Record envelope = new GenericData.Record(schema);
        envelope.put("topic", record.topic().name());
        envelope.put("partition", record.partition());
        envelope.put("offset", record.offset());
        envelope.put("timestamp", record.timestamp().toEpochMilli());
        envelope.put("key", record.key());
        envelope.put("value", record.value());
        return envelope;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static HistoryRecord<?> unwrap(Topic<?> topic, GenericRecord envelope) {
        Object ts = envelope.get("timestamp");
        Instant timestamp = ts instanceof Instant instant ? instant : Instant.ofEpochMilli((Long) ts);
        Object key = envelope.get("key");
        return new HistoryRecord(topic, key == null ? null : key.toString(), timestamp,
                (Integer) envelope.get("partition"), (Long) envelope.get("offset"), envelope.get("value"));
    }
}
