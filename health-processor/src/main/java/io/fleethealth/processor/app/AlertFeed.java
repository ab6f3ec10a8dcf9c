package io.fleethealth.processor.app;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.events.HealthAlert;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows fleet.alerts (committed transactions only): every alert goes to the dashboard's alert book, then to
 * the delivery (the forwarder to Alertmanager or a webhook). Offsets are committed only once the delivery took
 * the whole poll; when the receiver is unavailable the feed rewinds to the first alert of that poll and tries
 * again after a pause, so a processor that stops meanwhile leaves the undelivered alerts to its successor.
 * The consumer group is shared by the processor instances, so each alert is forwarded by one of them; a new
 * group starts at the end of the topic (the active alerts are re-sent by the topology anyway).
 */
final class AlertFeed implements AutoCloseable {

    /** Takes a poll's alerts; false = not delivered, try again later (nothing is committed). */
    @FunctionalInterface
    interface Delivery {
        boolean deliver(List<HealthAlert> alerts) throws InterruptedException;
    }

    private static final Logger log = LoggerFactory.getLogger(AlertFeed.class);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    private final KafkaConsumer<String, HealthAlert> consumer;
    private final Consumer<HealthAlert> book;
    private final Delivery delivery;
    private final Thread thread;
    private volatile boolean running = true;

    AlertFeed(KafkaClientSettings kafka, String groupId, EventSerdes serdes, Consumer<HealthAlert> book,
              Delivery delivery) {
        Properties props = kafka.asProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A poll is delivered before the next: small enough that a slow webhook (one POST per alert) or a
        // delivery through its retries (about 75 s per POST at worst) stays well inside max.poll.interval.ms.
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 64);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), serdes.valueDeserializer(Topics.ALERTS));
        this.book = book;
        this.delivery = delivery;
        this.thread = new Thread(this::run, "alert-feed");
        this.thread.setDaemon(true);
    }

    void start() {
        consumer.subscribe(List.of(Topics.ALERTS.name()));
        thread.start();
    }

    private void run() {
        Duration pause = FIRST_PAUSE;
        try {
            while (running) {
                try {
                    ConsumerRecords<String, HealthAlert> records = consumer.poll(Duration.ofMillis(500));
                    if (records.isEmpty()) {
                        continue;
                    }
                    List<HealthAlert> alerts = new ArrayList<>(records.count());
                    for (ConsumerRecord<String, HealthAlert> record : records) {
                        if (record.value() != null) {
                            book.accept(record.value());
                            alerts.add(record.value());
                        }
                    }
                    if (delivery.deliver(alerts)) {
                        consumer.commitSync();
                        pause = FIRST_PAUSE;
                    } else {
                        rewind(records);
                        log.warn("{} alert(s) not delivered; trying again in {} s", alerts.size(), pause.toSeconds());
                        pauseWhileRunning(pause);
                        pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
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
            // Closing needs an uninterrupted thread to leave the group cleanly.
            boolean interrupted = Thread.interrupted();
            consumer.close(Duration.ofSeconds(5));
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void pauseWhileRunning(Duration pause) throws InterruptedException {
        long until = System.nanoTime() + pause.toNanos();
        while (running && System.nanoTime() < until) {
            Thread.sleep(100);
        }
    }

    /** Back to the first record of the poll on each partition, so the next poll hands them over again. */
    private void rewind(ConsumerRecords<String, HealthAlert> records) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            first.put(partition, records.records(partition).get(0).offset());
        }
        first.forEach(consumer::seek);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(Duration.ofSeconds(5).toMillis());
        if (thread.isAlive()) {
            thread.interrupt(); // in a delivery's back-off: the alerts stay uncommitted for the next owner
            thread.join(Duration.ofSeconds(10).toMillis());
        }
    }
}
