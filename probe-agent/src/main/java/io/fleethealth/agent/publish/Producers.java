package io.fleethealth.agent.publish;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The agent's producer settings in one place. */
public final class Producers {

    private Producers() {
    }

    /**
     * An idempotent producer with acks=all: a retried send never duplicates or reorders a session's checks.
     * Values arrive already serialized (the publisher serializes, so that a registry outage delays instead of
     * losing). {@code maxBlock} bounds how long a send waits for metadata when the brokers are away.
     */
    public static Producer<String, byte[]> idempotent(KafkaClientSettings kafka, String clientId, Duration maxBlock) {
        Properties props = kafka.asProperties();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5_000);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
