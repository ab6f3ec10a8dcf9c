package io.fleethealth.agent.publish;

import io.fleethealth.serde.SchemaRegistryException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the agent's records without ever blocking the prober. Records wait in a bounded buffer (queued plus
 * handed to the producer and not yet acknowledged); when Kafka or the registry is away the buffer fills, and beyond
 * its bound the OLDEST waiting record is dropped and counted: a newer check of a session says more than an older one.
 * One sender thread feeds the producer, so a producer blocked on missing metadata stalls nothing else.
 */
public final class KafkaPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);

    private final Producer<String, byte[]> producer;
    private final int capacity;
    private final Duration retryBackoff;
    private final LinkedBlockingDeque<Outbound> queue = new LinkedBlockingDeque<>();
    // Every record taken and not yet done with: queued, in the sender's hands, or with the producer unacknowledged.
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong unserializable = new AtomicLong();
    private final AtomicLong denied = new AtomicLong();
    private final Set<String> deniedTopics = ConcurrentHashMap.newKeySet();
    private final Object bound = new Object();
    private final Thread sender;
    private volatile boolean reachable;
    private volatile boolean running = true;
    /** Since when records wait without an acknowledgement (0 when none waits); moves on every acknowledgement. */
    private volatile long waitingSinceNanos;
    private volatile String lastFailure;

    public KafkaPublisher(Producer<String, byte[]> producer, int capacity, Duration retryBackoff) {
        this.producer = Objects.requireNonNull(producer, "producer");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.retryBackoff = Objects.requireNonNull(retryBackoff, "retryBackoff");
        this.sender = new Thread(this::sendLoop, "kafka-publisher");
        this.sender.setDaemon(true);
    }

    public void start() {
        sender.start();
    }

    /** Takes a record for publishing; never blocks. Beyond the bound the oldest waiting record is dropped. */
    public void publish(Outbound record) {
        synchronized (bound) {
            if (pending.get() >= capacity) {
                Outbound oldest = queue.pollFirst();
                countDrop(oldest == null ? record : oldest, "publish buffer full");
                if (oldest == null) {
                    return; // everything buffered is already with the producer: the newcomer has no room
                }
                queue.offerLast(record); // takes the place of the dropped one: pending unchanged
                return;
            }
            if (pending.incrementAndGet() == 1) {
                waitingSinceNanos = System.nanoTime();
            }
            queue.offerLast(record);
        }
    }

    private void sendLoop() {
        while (running) {
            Outbound next;
            try {
                next = queue.pollFirst(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (next != null) {
                try {
                    send(next);
                } catch (RuntimeException e) {
                    // Nothing may end the sender thread: a record that fails in an unforeseen way is dropped.
                    done();
                    countDrop(next, "unexpected failure: " + e);
                    log.error("Sending {} failed unexpectedly", next.what(), e);
                }
            }
        }
    }

    private void send(Outbound record) {
        byte[] value;
        try {
            value = record.value().get();
        } catch (SchemaRegistryException e) {
            if (!e.isRetriable()) {
                done();
                unserializable.incrementAndGet();
                log.error("Dropping {}: the registry refused its schema", record.what(), e);
                return;
            }
            log.warn("Schema registry unreachable, {} waits: {}", record.what(), e.getMessage());
            putBack(record);
            pause();
            return;
        } catch (SerializationException e) {
            done();
            unserializable.incrementAndGet();
            log.error("Dropping {}: it cannot be serialized", record.what(), e);
            return;
        }
        try {
            producer.send(new ProducerRecord<>(record.topic(), record.key(), value), (metadata, error) -> {
                if (error == null) {
                    done();
                    published.incrementAndGet();
                    reachable = true;
                    lastFailure = null;
                } else {
                    reachable = false;
                    lastFailure = error.toString();
                    if (error instanceof AuthorizationException) {
                        // An ACL, not an outage: retrying cannot help, so the record is dropped and the operator told.
                        done();
                        countDenied(record, error);
                    } else if (error instanceof RetriableException) {
                        // The producer gave up after its delivery timeout: the record waits for the next try.
                        log.warn("Kafka did not acknowledge {} in time: {}", record.what(), error.getMessage());
                        putBack(record);
                    } else {
                        done();
                        countDrop(record, "rejected by Kafka: " + error);
                    }
                }
            });
        } catch (KafkaException e) {
            // Typically no metadata within max.block.ms: the brokers are away.
            reachable = false;
            lastFailure = e.toString();
            log.warn("Kafka unreachable, {} waits: {}", record.what(), e.getMessage());
            putBack(record);
            pause();
        }
    }

    /** Puts a record back at the head of the queue; it is still counted as pending, so it always has its room. */
    private void putBack(Outbound record) {
        queue.offerFirst(record);
    }

    private void done() {
        waitingSinceNanos = pending.decrementAndGet() == 0 ? 0 : System.nanoTime();
    }

    private void countDrop(Outbound record, String why) {
        long total = dropped.incrementAndGet();
        if (total == 1 || total % 1000 == 0) {
            log.warn("Dropped {} ({}); {} records dropped so far", record.what(), why, total);
        }
    }

    private void countDenied(Outbound record, Exception error) {
        long total = denied.incrementAndGet();
        // Once per topic, then every thousandth: each missing ACL is named without flooding the log.
        if (deniedTopics.add(record.topic()) || total % 1000 == 0) {
            log.error("Kafka DENIED this agent's principal writing {} to topic {}: {}; {} records denied so far."
                    + " Grant the ACLs of docs/security.md or check the client credentials", record.what(),
                    record.topic(), error.getMessage(), total);
        }
    }

    private void pause() {
        try {
            Thread.sleep(retryBackoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    public long published() {
        return published.get();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Records Kafka refused for lack of an ACL (authorization failure), dropped. */
    public long denied() {
        return denied.get();
    }

    public long unserializable() {
        return unserializable.get();
    }

    /** Records waiting: queued or with the producer and not yet acknowledged. */
    public int pending() {
        return pending.get();
    }

    /**
     * Why records are not being delivered, or empty when they are: the last delivery failed and none succeeded since,
     * or records have waited longer than {@code stallAfter} without any acknowledgement. A producer whose broker is
     * gone keeps records for its whole delivery timeout (two minutes) before failing them; the stall says it sooner.
     */
    public java.util.Optional<String> deliveryProblem(Duration stallAfter) {
        String failure = lastFailure;
        if (failure != null && !reachable) {
            return java.util.Optional.of("deliveries to Kafka failing (" + pending.get() + " records waiting): "
                    + failure);
        }
        long since = waitingSinceNanos;
        if (since != 0 && pending.get() > 0) {
            long waitedMs = Duration.ofNanos(System.nanoTime() - since).toMillis();
            if (waitedMs > stallAfter.toMillis()) {
                return java.util.Optional.of("no delivery acknowledged by Kafka for " + waitedMs + " ms ("
                        + pending.get() + " records waiting)");
            }
        }
        return java.util.Optional.empty();
    }

    /** Whether the last acknowledgement (or failure) said Kafka is there; false until the first acknowledgement. */
    public boolean kafkaReachable() {
        return reachable;
    }

    /** Stops the sender and gives the producer {@code grace} to deliver what it holds. */
    public void close(Duration grace) {
        running = false;
        sender.interrupt();
        try {
            sender.join(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(grace);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
