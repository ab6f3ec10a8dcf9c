package io.fleethealth.processor.app;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows fleet.alerts (committed transactions only) and hands every alert to its listeners: the
 * dashboard's recent alerts and the optional forwarder to Alertmanager or a webhook. The consumer group
 * is shared by the processor instances, so each alert is forwarded by one of them; a new group starts at
 * the end of the topic rather than re-sending history.
 */
final class AlertFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertFeed.class);

    private final KafkaConsumer<String, HealthAlert> consumer;
    private final Consumer<HealthAlert> listener;
    private final Thread thread;
    private volatile boolean running = true;

    AlertFeed(KafkaClientSettings kafka, String groupId, EventSerdes serdes, Consumer<HealthAlert> listener) {
        Properties props = kafka.asProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), serdes.valueDeserializer(Topics.ALERTS));
        this.listener = listener;
        this.thread = new Thread(this::run, "alert-feed");
        this.thread.setDaemon(true);
    }

    void start() {
        consumer.subscribe(List.of(Topics.ALERTS.name()));
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                try {
                    for (ConsumerRecord<String, HealthAlert> record : consumer.poll(Duration.ofMillis(500))) {
                        if (record.value() != null) {
                            listener.accept(record.value());
                        }
                    }
                } catch (RecordDeserializationException e) {
                    // The processor writes this topic itself; a bad record here is a bug, not a reason to stop.
                    log.error("skipping the unreadable alert at {}@{}", e.topicPartition(), e.offset(), e);
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                } catch (WakeupException e) {
                    if (running) {
                        throw e;
                    }
                } catch (RuntimeException e) {
                    log.error("alert feed failed; retrying in 1 s", e);
                    Thread.sleep(1000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}
