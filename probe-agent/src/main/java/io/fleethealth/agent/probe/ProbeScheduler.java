package io.fleethealth.agent.probe;

import io.fleethealth.events.HealthCheckResult;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link ProbeRound} every interval on one thread. A fixed-rate schedule on a single thread never overlaps: a
 * round that overruns the interval delays the next one, which starts as soon as it ends; such overruns are counted.
 * No exception ends the schedule.
 */
public final class ProbeScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProbeScheduler.class);

    private final ProbeRound round;
    private final ProbeResultSink sink;
    private final Duration interval;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong overruns = new AtomicLong();
    private final AtomicLong roundFailures = new AtomicLong();
    private final AtomicLong sinkFailures = new AtomicLong();
    private final AtomicReference<RoundReport> lastRound = new AtomicReference<>();
    private final Consumer<RoundReport> onRound;

    public ProbeScheduler(ProbeRound round, ProbeResultSink sink, Duration interval) {
        this(round, sink, interval, report -> { });
    }

    /** @param onRound told of every finished round (metrics); must not block */
    public ProbeScheduler(ProbeRound round, ProbeResultSink sink, Duration interval, Consumer<RoundReport> onRound) {
        this.onRound = Objects.requireNonNull(onRound, "onRound");
        this.round = Objects.requireNonNull(round, "round");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "probe-rounds");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the first round now, then one every interval. */
    public void start() {
        scheduler.scheduleAtFixedRate(this::runRound, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs one round on the caller's thread and hands its results to the sink; never throws. */
    void runRound() {
        try {
            RoundReport report = round.run();
            report.results().forEach(this::publish);
            lastRound.set(report);
            rounds.incrementAndGet();
            onRound.accept(report);
            if (report.duration().compareTo(interval) > 0) {
                long total = overruns.incrementAndGet();
                log.warn("Probe round took {} ms, longer than the {} ms interval (overrun #{}); the next round starts late",
                        report.duration().toMillis(), interval.toMillis(), total);
            } else {
                log.debug("Probe round: {} containers, {} results in {} ms", report.containersMonitored(),
                        report.results().size(), report.duration().toMillis());
            }
        } catch (RuntimeException | Error e) {
            // An exception escaping a scheduled task would cancel every later round.
            roundFailures.incrementAndGet();
            log.error("Probe round failed; the next one runs as scheduled", e);
        }
    }

    private void publish(HealthCheckResult result) {
        try {
            sink.accept(result);
        } catch (RuntimeException e) {
            sinkFailures.incrementAndGet();
            log.error("Result {} of session {} could not be handed over", result.getCheckId(), result.getSessionId(), e);
        }
    }

    public Optional<RoundReport> lastRound() {
        return Optional.ofNullable(lastRound.get());
    }

    public long rounds() {
        return rounds.get();
    }

    public long overruns() {
        return overruns.get();
    }

    public long roundFailures() {
        return roundFailures.get();
    }

    public long sinkFailures() {
        return sinkFailures.get();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("Probe round thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
