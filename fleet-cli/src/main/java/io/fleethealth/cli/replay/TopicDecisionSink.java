package io.fleethealth.cli.replay;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.processor.decision.Emitted;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.topics.Topic;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces a replay's decisions to topics of its own: {@code <prefix><live topic name>}, e.g.
 * {@code replay.threshold5.fleet.restart.commands}. The prefix can never be empty nor start with
 * {@code fleet}, so a replay can never reach a topic the agents or the processor read.
 */
public final class TopicDecisionSink implements DecisionSink {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]+");

    private final String prefix;
    private final EventSerdes serdes;
    private final KafkaProducer<String, byte[]> producer;

    public TopicDecisionSink(String prefix, KafkaClientSettings kafka, EventSerdes serdes, List<Topic<?>> outputs) {
        this.prefix = checkPrefix(prefix);
        this.serdes = serdes;
        createTopics(kafka, outputs);
        Properties props = kafka.asProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "fleet-health-replay");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** The prefix, checked: not empty, topic-name characters only, and never a live {@code fleet.*} name. */
    public static String checkPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("The output topic prefix must not be empty: a replay never writes to the live topics");
        }
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("The output topic prefix '" + prefix
                    + "' may only hold letters, digits, '.', '_' and '-'");
        }
        if (prefix.startsWith("fleet")) {
            throw new IllegalArgumentException("The output topic prefix '" + prefix
                    + "' would name topics like the live fleet.* ones; use e.g. replay.<name>.");
        }
        return prefix;
    }

    public String topicName(Topic<?> topic) {
        return prefix + topic.name();
    }

    private void createTopics(KafkaClientSettings kafka, List<Topic<?>> outputs) {
        try (Admin admin = Admin.create(kafka.asProperties())) {
            for (Topic<?> topic : outputs) {
                try {
                    admin.createTopics(List.of(new NewTopic(topicName(topic), 1, (short) -1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create " + topicName(topic), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the replay's topics", e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void accept(Emitted<?> emitted) {
        Topic<SpecificRecord> topic = (Topic<SpecificRecord>) emitted.topic();
        Serializer<SpecificRecord> values = serdes.valueSerializer(topic);
        String name = topicName(topic);
        byte[] bytes = emitted.value() == null ? null : values.serialize(name, (SpecificRecord) emitted.value());
        producer.send(new ProducerRecord<>(name, null, emitted.timestamp().toEpochMilli(), emitted.key(), bytes));
    }

    @Override
    public void close() {
        producer.flush();
        producer.close();
    }
}
