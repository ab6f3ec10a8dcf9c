package io.fleethealth.processor.topology;

import java.util.Optional;
import java.util.function.Function;
import io.fleethealth.serde.SchemaRegistryException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the raw bytes of an input topic into a session event, or into a dead letter. Decoding here
 * rather than in the source's serde keeps one bad record from ever reaching a stream thread's
 * exception handler: it is parked with its reason and processing goes on.
 *
 * @param <T> the Avro type of the input topic
 */
final class DecodingProcessor<T> implements Processor<String, byte[], String, Object> {

    /** A rule on a decoded value: the problem, or empty when the value is usable. */
    @FunctionalInterface
    interface Validation<T> {
        Optional<String> problem(String key, T value, long recordTimestampMs);
    }

    private static final Logger log = LoggerFactory.getLogger(DecodingProcessor.class);

    private final String topic;
    private final Deserializer<T> deserializer;
    private final Validation<T> validation;
    private final Function<T, ?> toEvent;
    private final String eventChild;
    private final String deadLetterChild;
    private final Runnable onDeadLetter;
    private ProcessorContext<String, Object> context;

    DecodingProcessor(String topic, Deserializer<T> deserializer, Validation<T> validation, Function<T, ?> toEvent,
                      String eventChild, String deadLetterChild, Runnable onDeadLetter) {
        this.topic = topic;
        this.deserializer = deserializer;
        this.validation = validation;
        this.toEvent = toEvent;
        this.eventChild = eventChild;
        this.deadLetterChild = deadLetterChild;
        this.onDeadLetter = onDeadLetter;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(org.apache.kafka.streams.processor.api.Record<String, byte[]> record) {
        if (record.value() == null) {
            return; // a tombstone on an input topic carries no event
        }
        T value;
        try {
            value = deserializer.deserialize(topic, record.headers(), record.value());
        } catch (SchemaRegistryException e) {
            // The record may be fine, the registry is not: parked with the reason, to be replayed from the DLQ.
            deadLetter(record, new DeadLetter(DeadLetter.REGISTRY_ERROR, e.getMessage()));
            return;
        } catch (SerializationException | IllegalArgumentException e) {
            deadLetter(record, new DeadLetter(DeadLetter.UNDESERIALIZABLE, e.getMessage()));
            return;
        } catch (RuntimeException e) {
            // Anything else a decoder throws on these bytes (Avro runtime errors, a class refused by Avro's
            // security check): never left to Kafka Streams' own handler, which knows nothing of our headers.
            deadLetter(record, new DeadLetter(DeadLetter.UNDESERIALIZABLE, e.getClass().getSimpleName() + ": "
                    + e.getMessage()));
            return;
        }
        Optional<String> problem = validation.problem(record.key(), value, record.timestamp());
        if (problem.isPresent()) {
            deadLetter(record, new DeadLetter(DeadLetter.INVALID, problem.get()));
            return;
        }
        context.forward(record.withValue(new Decoded(toEvent.apply(value), record.value())), eventChild);
    }

    private void deadLetter(org.apache.kafka.streams.processor.api.Record<String, byte[]> record, DeadLetter letter) {
        deadLetter(context, topic, record.key(), record.value(), record.timestamp(), letter, deadLetterChild);
        onDeadLetter.run();
    }

    /** Forwards the untouched bytes of the record being processed, with the reason, to the dead-letter sink. */
    static void deadLetter(ProcessorContext<String, Object> context, String topic, String key, byte[] raw,
                           long timestamp, DeadLetter letter, String deadLetterChild) {
        var source = context.recordMetadata();
        log.warn("[{}] dead-lettering record {}: {} ({})", topic,
                source.map(m -> m.partition() + "@" + m.offset()).orElse("?"), letter.reason(), letter.detail());
        context.forward(new org.apache.kafka.streams.processor.api.Record<String, Object>(
                key, raw, timestamp, letter.toHeaders(source)), deadLetterChild);
    }
}
