package io.fleethealth.agent.command;

import io.fleethealth.events.AuditEvent;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.topics.Topics;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces each outcome to {@code fleet.restart.outcomes} and its audit event to {@code fleet.audit}, both keyed by
 * session id, on an idempotent acks=all producer of its own (the probe publisher may drop records under pressure, an
 * outcome must not be dropped). A send that fails (Kafka or the registry away) is tried again after a back-off until
 * it succeeds or the reporter closes; until then the command's offset stays uncommitted.
 */
public final class KafkaOutcomeReporter implements OutcomeReporter, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaOutcomeReporter.class);

    private final Producer<String, byte[]> producer;
    private final Serializer<RestartOutcome> outcomes;
    private final Serializer<AuditEvent> audits;
    private final Duration retryBackoff;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "outcome-retries");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    public KafkaOutcomeReporter(Producer<String, byte[]> producer, Serializer<RestartOutcome> outcomes,
                                Serializer<AuditEvent> audits, Duration retryBackoff) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
        this.audits = Objects.requireNonNull(audits, "audits");
        this.retryBackoff = Objects.requireNonNull(retryBackoff, "retryBackoff");
    }

    @Override
    public CompletableFuture<Void> report(RestartCommand command, RestartOutcome outcome) {
        AuditEvent audit = CommandAudit.of(command, outcome);
        String key = outcome.getSessionId();
        String outcomeTopic = Topics.RESTART_OUTCOMES.name();
        String auditTopic = Topics.AUDIT.name();
        CompletableFuture<Void> outcomeStored = new CompletableFuture<>();
        CompletableFuture<Void> auditStored = new CompletableFuture<>();
        send(outcomeTopic, key, () -> outcomes.serialize(outcomeTopic, outcome), outcomeStored,
                "outcome " + outcome.getResult() + " of command " + outcome.getCommandId(), 1);
        send(auditTopic, key, () -> audits.serialize(auditTopic, audit), auditStored, "audit " + audit.getEventId(), 1);
        return CompletableFuture.allOf(outcomeStored, auditStored);
    }

    private void send(String topic, String key, Supplier<byte[]> value, CompletableFuture<Void> stored, String what,
                      int attempt) {
        if (closed) {
            stored.completeExceptionally(new CancellationException("reporter closed before " + what + " was stored"));
            return;
        }
        try {
            producer.send(new ProducerRecord<>(topic, key, value.get()), (metadata, error) -> {
                if (error == null) {
                    stored.complete(null);
                } else {
                    retryLater(topic, key, value, stored, what, attempt, error);
                }
            });
        } catch (RuntimeException e) {
            // No metadata within max.block.ms, the registry away, or the producer closed.
            retryLater(topic, key, value, stored, what, attempt, e);
        }
    }

    private void retryLater(String topic, String key, Supplier<byte[]> value, CompletableFuture<Void> stored,
                            String what, int attempt, Throwable error) {
        if (attempt == 1 || attempt % 10 == 0) {
            log.warn("Could not produce {} (attempt {}), trying again in {} ms: {}", what, attempt,
                    retryBackoff.toMillis(), error.toString());
        }
        try {
            retries.schedule(() -> send(topic, key, value, stored, what, attempt + 1), retryBackoff.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            stored.completeExceptionally(new CancellationException("reporter closed before " + what + " was stored"));
        }
    }

    /** Stops retrying and gives the producer {@code grace} to deliver what it holds. */
    public void close(Duration grace) {
        closed = true;
        retries.shutdownNow();
        producer.close(grace);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
