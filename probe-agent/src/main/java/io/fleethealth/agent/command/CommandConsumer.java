package io.fleethealth.agent.command;

import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.topics.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code fleet.restart.commands} for this host's consumer group and hands this host's commands to the
 * {@link CommandExecutor}. Offsets are committed by hand, per partition up to the lowest command whose outcome has not
 * been acknowledged yet ({@link PartitionProgress}); commands for other hosts are done as soon as they are read. When
 * too many commands are open the partitions are paused, so memory stays bounded. All Kafka calls happen on the one
 * consumer thread; completions arrive from other threads through a queue.
 */
public final class CommandConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CommandConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final org.apache.kafka.clients.consumer.Consumer<String, RestartCommand> consumer;
    private final CommandExecutor executor;
    private final OutcomeReporter reporter;
    private final Consumer<RestartOutcome> onOutcome;
    private final int maxInFlight;
    private final Duration shutdownGrace;
    private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final AtomicLong commandsRead = new AtomicLong();
    private final AtomicLong foreignSkipped = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean assigned;
    private boolean paused;

    /**
     * @param onOutcome told of every outcome once it is stored (metrics)
     * @param maxInFlight open commands beyond which reading pauses
     * @param shutdownGrace how long closing waits for open commands to be reported
     */
    public CommandConsumer(org.apache.kafka.clients.consumer.Consumer<String, RestartCommand> consumer,
                           CommandExecutor executor, OutcomeReporter reporter, Consumer<RestartOutcome> onOutcome,
                           int maxInFlight, Duration shutdownGrace) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        this.onOutcome = Objects.requireNonNull(onOutcome, "onOutcome");
        this.maxInFlight = maxInFlight;
        this.shutdownGrace = Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        this.thread = new Thread(this::run, "restart-commands");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Whether the group coordinator gave this consumer its partitions: Kafka answered. */
    public boolean assigned() {
        return assigned;
    }

    public long commandsRead() {
        return commandsRead.get();
    }

    public long foreignSkipped() {
        return foreignSkipped.get();
    }

    public long commits() {
        return commits.get();
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.RESTART_COMMANDS.name()), new Rebalance());
            while (running) {
                settle();
                ConsumerRecords<String, RestartCommand> records;
                try {
                    records = consumer.poll(POLL);
                } catch (RecordDeserializationException e) {
                    skipUnreadable(e);
                    continue;
                }
                for (ConsumerRecord<String, RestartCommand> record : records) {
                    dispatch(record);
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException | Error e) {
            log.error("Restart command consumer stopped unexpectedly; commands are no longer executed", e);
        } finally {
            drainAndClose();
        }
    }

    private void dispatch(ConsumerRecord<String, RestartCommand> record) {
        commandsRead.incrementAndGet();
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PartitionProgress partitionProgress = progress.computeIfAbsent(partition, p -> new PartitionProgress());
        partitionProgress.started(record.offset());
        Finished done = new Finished(partition, partitionProgress, record.offset(), true);
        RestartCommand command = record.value();
        if (command == null || !executor.isForThisHost(command)) {
            foreignSkipped.incrementAndGet();
            finished.add(done);
            return;
        }
        log.info("Restart command {} for container {} (session {}, attempt {}) read at {}-{}@{}", command.getCommandId(),
                command.getContainerId(), command.getSessionId(), command.getAttempt(), record.topic(),
                record.partition(), record.offset());
        executor.submit(command)
                .thenCompose(outcome -> reporter.report(command, outcome).thenApply(stored -> outcome))
                .whenComplete((outcome, error) -> {
                    if (error == null) {
                        finished.add(done);
                        onOutcome.accept(outcome);
                    } else {
                        // Only on shutdown: the offset stays uncommitted and the next run reads the command again.
                        log.info("Restart command {} left for the next agent run: {}", command.getCommandId(),
                                error.toString());
                        finished.add(new Finished(partition, partitionProgress, record.offset(), false));
                    }
                });
    }

    /** Applies finished commands, commits what moved, and pauses or resumes reading. */
    private void settle() {
        for (Finished done = finished.poll(); done != null; done = finished.poll()) {
            if (progress.get(done.partition()) == done.progress()) { // a revoked partition's leftovers are ignored
                if (done.stored()) {
                    done.progress().finished(done.offset());
                } else {
                    done.progress().abandoned(done.offset());
                }
            }
        }
        commit(progress.keySet());
        int open = progress.values().stream().mapToInt(PartitionProgress::inFlight).sum();
        if (!paused && open >= maxInFlight) {
            consumer.pause(consumer.assignment());
            paused = true;
            log.warn("{} restart commands open: reading paused", open);
        } else if (paused && open <= maxInFlight / 2) {
            consumer.resume(consumer.paused());
            paused = false;
            log.info("{} restart commands open: reading resumed", open);
        }
    }

    private void commit(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            PartitionProgress p = progress.get(partition);
            OptionalLong position = p == null ? OptionalLong.empty() : p.toCommit();
            position.ifPresent(offset -> offsets.put(partition, new OffsetAndMetadata(offset)));
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
            offsets.forEach((partition, offset) -> progress.get(partition).committed(offset.offset()));
            commits.incrementAndGet();
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // Nothing lost: the same offsets (or later ones) are committed on the next try.
            log.warn("Committing restart command offsets {} failed: {}", offsets, e.toString());
        }
    }

    /** A record that is no command (unknown schema id, corrupt bytes) is logged and passed over. */
    private void skipUnreadable(RecordDeserializationException e) {
        TopicPartition partition = e.topicPartition();
        log.error("Skipping unreadable restart command at {}@{}", partition, e.offset(), e);
        PartitionProgress p = progress.computeIfAbsent(partition, x -> new PartitionProgress());
        p.started(e.offset());
        p.finished(e.offset());
        consumer.seek(partition, e.offset() + 1);
    }

    private void drainAndClose() {
        long deadline = System.nanoTime() + shutdownGrace.toNanos();
        try {
            consumer.poll(Duration.ZERO); // takes a wakeup still pending, so that the final commit is not cut short
        } catch (WakeupException e) {
            // the one from close()
        } catch (RuntimeException e) {
            log.debug("Last poll before closing failed", e);
        }
        try {
            while (open() > 0 && System.nanoTime() < deadline) {
                settle();
                Thread.sleep(50);
            }
            settle();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("Final commit of restart command offsets failed", e);
        }
        int left = open();
        if (left > 0) {
            log.warn("{} restart commands still open at shutdown: they will be read again by the next run", left);
        }
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.warn("Closing the restart command consumer failed", e);
        }
    }

    private int open() {
        return progress.values().stream().mapToInt(PartitionProgress::inFlight).sum();
    }

    /** Stops reading, waits up to the grace for open commands to be reported, commits, and closes the consumer. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(shutdownGrace.plusSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit(partitions);
            partitions.forEach(progress::remove);
            assigned = !consumer.assignment().isEmpty();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = true;
            log.info("Restart command partitions assigned: {}", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(progress::remove);
        }
    }

    /** @param stored false when the command was given up without an outcome */
    private record Finished(TopicPartition partition, PartitionProgress progress, long offset, boolean stored) {
    }
}
