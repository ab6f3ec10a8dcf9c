package io.fleethealth.agent.command;

import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
    static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** How often an idle loop proves that the broker answers. */
    static final Duration CONTACT_PROBE = Duration.ofSeconds(2);

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
    private final AtomicLong decodeFailures = new AtomicLong();
    private final AtomicLong corruptSkipped = new AtomicLong();
    private final AtomicLong loopFailures = new AtomicLong();
    /** Partitions whose next command could not be decoded, with the time its retry is due; consumer thread only. */
    private final Map<TopicPartition, Blocked> blocked = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile boolean loopUp;
    private volatile String loopError;
    private volatile String blockedReason;
    private volatile long lastContactNanos = System.nanoTime();
    private long lastProbeNanos;
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

    /** Records on the commands topic that could never be decoded and were passed over (see skipCorrupt). */
    public long corruptSkipped() {
        return corruptSkipped.get();
    }

    /** Commands that could not be decoded (each retry counts): the registry is away or the record is corrupt. */
    public long decodeFailures() {
        return decodeFailures.get();
    }

    /** Times the command loop failed unexpectedly and was restarted. */
    public long loopFailures() {
        return loopFailures.get();
    }

    /** 1 while a command cannot be decoded and its partition waits for the retry, else 0. */
    public int blockedPartitions() {
        return blockedReason == null ? 0 : 1;
    }

    /**
     * Why this agent cannot read its restart commands right now, or empty when it can: the command loop is down
     * (restarting after an unexpected failure), no partitions are assigned yet, a command cannot be decoded, or Kafka
     * has not answered the consumer for longer than {@code staleAfter}.
     */
    public Optional<String> problem(Duration staleAfter) {
        if (!loopUp) {
            return Optional.of("restart command loop is down" + (loopError == null ? "" : ": " + loopError));
        }
        if (blockedReason != null) {
            return Optional.of("cannot decode restart command " + blockedReason);
        }
        if (!assigned) {
            return Optional.of("restart command partitions not assigned yet");
        }
        long silentMs = Duration.ofNanos(System.nanoTime() - lastContactNanos).toMillis();
        if (silentMs > staleAfter.toMillis()) {
            return Optional.of("Kafka has not answered the restart command consumer for " + silentMs + " ms");
        }
        return Optional.empty();
    }

    /**
     * The command loop, supervised: an unexpected failure is logged and counted, reading stops (and {@link #problem}
     * says so) and the loop starts again after a back-off that doubles up to {@link #MAX_BACKOFF}; positions go back to
     * the first command not yet handed to the executor, so nothing read in the failed batch is lost.
     */
    private void run() {
        Duration backoff = MIN_BACKOFF;
        boolean recover = false;
        long upSince = System.nanoTime();
        try {
            consumer.subscribe(List.of(Topics.RESTART_COMMANDS.name()), new Rebalance());
            while (running) {
                try {
                    if (recover) {
                        rewindToUndispatched();
                        recover = false;
                        log.info("Restart command loop running again");
                    }
                    loopUp = true;
                    loopError = null;
                    upSince = System.nanoTime();
                    readLoop();
                } catch (WakeupException e) {
                    if (running) {
                        continue; // a stray wakeup: nobody asked us to stop
                    }
                } catch (RuntimeException e) {
                    loopUp = false;
                    loopError = e.toString();
                    loopFailures.incrementAndGet();
                    if (System.nanoTime() - upSince > MAX_BACKOFF.toNanos()) {
                        backoff = MIN_BACKOFF; // it ran fine for a while: this is a new failure, not a loop of them
                    }
                    log.error("Restart command loop failed unexpectedly; commands wait, the loop restarts in {} ms",
                            backoff.toMillis(), e);
                    recover = true;
                    sleepUnlessStopped(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException | Error e) {
            log.error("Restart command consumer stopped unexpectedly; commands are no longer executed", e);
        } finally {
            loopUp = false;
            loopError = "stopped";
            drainAndClose();
        }
    }

    private void readLoop() {
        while (running) {
            settle();
            ConsumerRecords<String, RestartCommand> records;
            try {
                records = consumer.poll(POLL);
            } catch (RecordDeserializationException e) {
                holdUndecodable(e);
                continue;
            }
            if (!records.isEmpty()) {
                lastContactNanos = System.nanoTime();
            }
            for (ConsumerRecord<String, RestartCommand> record : records) {
                dispatch(record);
            }
            probeKafka();
        }
    }

    /**
     * A consumer whose broker is gone polls empty without complaint, so every {@link #CONTACT_PROBE} the loop asks
     * the broker for the end offsets of its partitions; an answer (or records) proves Kafka can be read.
     */
    private void probeKafka() {
        long now = System.nanoTime();
        if (now - lastProbeNanos < CONTACT_PROBE.toNanos()) {
            return;
        }
        lastProbeNanos = now;
        if (consumer.assignment().isEmpty()) {
            return;
        }
        try {
            consumer.endOffsets(consumer.assignment(), CONTACT_PROBE);
            lastContactNanos = System.nanoTime();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            log.debug("Kafka did not answer the restart command consumer's end-offsets request: {}", e.toString());
        }
    }

    /** Back to the first command of each partition not yet handed to the executor (after a failed batch). */
    private void rewindToUndispatched() {
        for (TopicPartition partition : consumer.assignment()) {
            PartitionProgress p = progress.get(partition);
            OptionalLong next = p == null ? OptionalLong.empty() : p.nextToRead();
            if (next.isPresent()) {
                consumer.seek(partition, next.getAsLong());
            } else {
                OffsetAndMetadata committed = consumer.committed(Set.of(partition)).get(partition);
                if (committed != null) {
                    consumer.seek(partition, committed.offset());
                } else {
                    consumer.seekToBeginning(List.of(partition));
                }
            }
        }
    }

    private void sleepUnlessStopped(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void dispatch(ConsumerRecord<String, RestartCommand> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        unblock(partition, record.offset());
        PartitionProgress partitionProgress = progress.computeIfAbsent(partition, p -> new PartitionProgress());
        Finished done = new Finished(partition, partitionProgress, record.offset(), true);
        RestartCommand command = record.value();
        if (command == null || !executor.isForThisHost(command)) {
            commandsRead.incrementAndGet();
            partitionProgress.started(record.offset());
            foreignSkipped.incrementAndGet();
            finished.add(done);
            return;
        }
        log.info("Restart command {} for container {} (session {}, attempt {}) read at {}-{}@{}", command.getCommandId(),
                command.getContainerId(), command.getSessionId(), command.getAttempt(), record.topic(),
                record.partition(), record.offset());
        // Marked as started only once the executor holds it: a failure before leaves it to be read again.
        CompletableFuture<RestartOutcome> handled = executor.submit(command);
        commandsRead.incrementAndGet();
        partitionProgress.started(record.offset());
        handled
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
            consumer.resume(consumer.paused().stream().filter(p -> !blocked.containsKey(p)).toList());
            paused = false;
            log.info("{} restart commands open: reading resumed", open);
        }
        retryBlocked();
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

    /**
     * A command that cannot be decoded (the registry is away, or its bytes are corrupt) is never passed over: its
     * partition goes back to it and waits a back-off that doubles up to {@link #MAX_BACKOFF}, then reads it again.
     * Nothing past it is committed meanwhile; other partitions carry on. Counted and reported by {@link #problem}.
     */
    private void holdUndecodable(RecordDeserializationException e) {
        TopicPartition partition = e.topicPartition();
        decodeFailures.incrementAndGet();
        if (!RegistryTrouble.isTransient(e)) {
            skipCorrupt(partition, e);
            return;
        }
        Blocked previous = blocked.get(partition);
        Duration wait = previous == null || previous.offset() != e.offset()
                ? MIN_BACKOFF
                : (previous.backoff().multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : previous.backoff().multipliedBy(2));
        int tries = previous == null || previous.offset() != e.offset() ? 1 : previous.tries() + 1;
        blocked.put(partition, new Blocked(e.offset(), wait, tries, System.nanoTime() + wait.toNanos()));
        String cause = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
        blockedReason = "at " + partition + "@" + e.offset() + " (" + tries + " tries): " + cause;
        if (tries == 1 || Long.bitCount(tries) == 1) { // the first failure and then every doubling: no log flood
            log.error("Cannot decode restart command at {}@{} (try {}): {}; reading this partition waits {} ms and"
                    + " tries again, never skipping it", partition, e.offset(), tries, cause, wait.toMillis());
        }
        consumer.seek(partition, e.offset());
        consumer.pause(List.of(partition));
    }

    /**
     * Bytes that no registry can ever make a command of (not the wire format, a schema id the registry does not
     * know, a payload its schema cannot read) would block the host's commands for good: the record is passed over
     * with its place and reason logged and counted, and reading goes on. A registry that is away is not this case.
     */
    private void skipCorrupt(TopicPartition partition, RecordDeserializationException e) {
        corruptSkipped.incrementAndGet();
        String cause = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
        log.error("Skipping corrupt restart command at {}@{}: {} (it can never be decoded; not a registry outage)",
                partition, e.offset(), cause);
        PartitionProgress partitionProgress = progress.computeIfAbsent(partition, p -> new PartitionProgress());
        partitionProgress.started(e.offset());
        partitionProgress.finished(e.offset());
        unblock(partition, e.offset());
        consumer.seek(partition, e.offset() + 1);
    }

    /** Resumes blocked partitions whose back-off is over (unless reading is paused for too many open commands). */
    private void retryBlocked() {
        long now = System.nanoTime();
        List<TopicPartition> due = new ArrayList<>();
        blocked.forEach((partition, b) -> {
            if (now - b.retryAtNanos() >= 0 && consumer.assignment().contains(partition)) {
                due.add(partition);
            }
        });
        if (!due.isEmpty() && !paused) {
            consumer.resume(due);
        }
    }

    private void unblock(TopicPartition partition, long offset) {
        Blocked b = blocked.get(partition);
        if (b != null && offset >= b.offset()) {
            blocked.remove(partition);
            log.info("Restart command at {}@{} decoded after {} tries: reading goes on", partition, b.offset(), b.tries());
            if (blocked.isEmpty()) {
                blockedReason = null;
            }
        }
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
            forgetBlocked(partitions);
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
            forgetBlocked(partitions);
        }
    }

    private void forgetBlocked(Collection<TopicPartition> partitions) {
        partitions.forEach(blocked::remove);
        if (blocked.isEmpty()) {
            blockedReason = null;
        }
    }

    /** A partition waiting to read an undecodable command again. */
    private record Blocked(long offset, Duration backoff, int tries, long retryAtNanos) {
    }

    /** @param stored false when the command was given up without an outcome */
    private record Finished(TopicPartition partition, PartitionProgress progress, long offset, boolean stored) {
    }
}
