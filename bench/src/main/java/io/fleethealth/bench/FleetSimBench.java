package io.fleethealth.bench;

import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Fleet-scale simulation (issue 17, item 3), one processor instance. Simulated agents for H hosts x C containers
 * report every container once per check interval (30 s), time compressed by a factor K: the interval becomes 30/K s
 * and the processor is configured with it, so rounds arrive K times faster than in a real fleet. 2% of the sessions
 * start failing, staggered over the run; each one's third failing check crosses the threshold. Measured per step:
 * latency from the send of the crossing check to the restart command at a read_committed consumer (an agent's),
 * the processor group's largest lag on the checks topic (sampled every second), and the processor JVM's CPU per
 * check (it runs as a child JVM, so its CPU is its own, not the broker's or the simulator's). K is raised step by
 * step until the processor falls behind: that is where it breaks first.
 *
 * <p>Arguments: {@code [hosts] [containers] [compressions,...] [rounds]}; defaults {@code 1000 50 3,6,10,15 10}.
 */
public final class FleetSimBench {

    private static final int REAL_INTERVAL_S = 30;
    private static final double FAILING_SHARE = 0.02;
    private static final int THRESHOLD = 3;
    private static final String TOPIC = Topics.HEALTH_CHECKS.name();

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int containers = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        List<Integer> compressions = new ArrayList<>();
        for (String s : (args.length > 2 ? args[2] : "3,6,10,15").split(",")) {
            compressions.add(Integer.parseInt(s.trim()));
        }
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        Report report = new Report("fleet");
        try (BenchStack stack = BenchStack.start("fleet")) {
            for (int k : compressions) {
                run(stack, report, hosts, containers, k, rounds);
            }
        }
        System.exit(0);
    }

    private static void run(BenchStack stack, Report report, int hosts, int containers, int k, int rounds)
            throws Exception {
        int sessions = hosts * containers;
        int intervalS = Math.max(1, REAL_INTERVAL_S / k);
        String run = "fl" + k + "x" + System.currentTimeMillis() % 100_000;
        String appId = "bench-fleet-" + run;
        Path dir = stack.dir().resolve(run);
        Files.createDirectories(dir);
        Process processor = null;
        try (Admin admin = Kafka.admin(stack.bootstrapServers())) {
            // A new application reads from the earliest offset: cut the previous run's checks so it starts empty.
            Kafka.empty(admin, TOPIC, BenchStack.PARTITIONS);
            processor = FailoverBench.child(stack, dir, appId, "p", Map.of(
                    "CONTAINER_HEALTH_CHECK_INTERVAL", Integer.toString(intervalS),
                    "CONTAINER_HEALTH_TIMEOUT", Double.toString(intervalS / 2.0)));
            FailoverBench.awaitStableGroup(admin, appId, 1, Duration.ofSeconds(180));
            Map<String, Long> crossingSentAt = new ConcurrentHashMap<>();
            Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
            AtomicLong maxLag = new AtomicLong();
            List<Long> lags = new ArrayList<>();
            long cpuStart = Cpu.processNanos(processor.pid());
            String loadBefore = Cpu.loadAverage();
            long produced;
            long started = System.nanoTime();
            try (FailoverBench.CommandListener agent = new FailoverBench.CommandListener(stack, arrivedAt)) {
                agent.start();
                Thread lagProbe = new Thread(() -> sampleLag(admin, appId, maxLag, lags), "bench-lag");
                lagProbe.setDaemon(true);
                lagProbe.start();
                produced = produce(stack, run, hosts, containers, intervalS, rounds, crossingSentAt);
                long sentAll = System.nanoTime();
                long deadline = sentAll + Duration.ofSeconds(120).toNanos();
                while (arrivedAt.size() < crossingSentAt.size() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                double caughtUpS = (System.nanoTime() - sentAll) / 1e9;
                lagProbe.interrupt();
                long cpu = Cpu.processNanos(processor.pid()) - cpuStart;
                double wallS = (System.nanoTime() - started) / 1e9;
                List<Double> latencies = new ArrayList<>();
                crossingSentAt.forEach((session, sent) -> {
                    Long at = arrivedAt.get(session);
                    if (at != null) {
                        latencies.add((at - sent) / 1e6);
                    }
                });
                double offered = sessions / (double) intervalS;
                report.line("RESULT hosts=%d containers=%d sessions=%d compression=%dx interval=%ds offered=%.0f checks/s"
                                + " rounds=%d checks=%d | crossings=%d commands=%d latency %s | max lag %d checks"
                                + " (last sample %d) | processor CPU %.1f us/check, %.0f%% of a core over %.0f s |"
                                + " last command %.1f s after the last check | load avg %s -> %s",
                        hosts, containers, sessions, k, intervalS, offered, rounds, produced, crossingSentAt.size(),
                        latencies.size(), Stats.of(latencies).format(" ms"), maxLag.get(),
                        lags.isEmpty() ? -1 : lags.get(lags.size() - 1), cpu / 1e3 / produced,
                        100.0 * cpu / 1e9 / wallS, wallS, caughtUpS, loadBefore, Cpu.loadAverage());
            }
        } finally {
            if (processor != null) {
                processor.destroyForcibly();
                processor.waitFor();
            }
        }
    }

    /** Every session once per interval, evenly spread; failing sessions fail from a staggered round on. */
    private static long produce(BenchStack stack, String run, int hosts, int containers, int intervalS, int rounds,
                                Map<String, Long> crossingSentAt) {
        Serializer<HealthCheckResult> values = stack.serdes().valueSerializer(Topics.HEALTH_CHECKS);
        int sessions = hosts * containers;
        int failEvery = (int) Math.round(1 / FAILING_SHARE);
        long periodNanos = Duration.ofSeconds(intervalS).toNanos() / sessions;
        long total = (long) rounds * sessions;
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = Kafka.producer(stack.bootstrapServers(), 5)) {
            for (long i = 0; i < total; i++) {
                long wait = start + i * periodNanos - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int s = (int) (i % sessions);
                int round = (int) (i / sessions);
                boolean failing = s % failEvery == 0;
                // Failing sessions start in rounds 1..rounds-THRESHOLD, so every one crosses within the run.
                int since = failing ? 1 + (s / failEvery) % Math.max(1, rounds - THRESHOLD) : Integer.MAX_VALUE;
                HealthCheckResult check = Checks.check(run, s, i, Instant.now().truncatedTo(ChronoUnit.MILLIS),
                        round < since, "bench-host-" + (s % hosts));
                long sentAt = System.nanoTime();
                producer.send(new ProducerRecord<>(TOPIC, check.getSessionId(), values.serialize(TOPIC, check)));
                if (round == since + THRESHOLD - 1) {
                    crossingSentAt.put(check.getSessionId(), sentAt);
                }
            }
            producer.flush();
        }
        return total;
    }

    /** The processor group's lag on the checks topic, once a second: end offsets minus committed offsets. */
    private static void sampleLag(Admin admin, String group, AtomicLong maxLag, List<Long> lags) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (int p = 0; p < BenchStack.PARTITIONS; p++) {
            latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
            earliest.put(new TopicPartition(TOPIC, p), OffsetSpec.earliest());
        }
        while (!Thread.currentThread().isInterrupted()) {
            try {
                var ends = admin.listOffsets(latest).all().get();
                var starts = admin.listOffsets(earliest).all().get();
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                long lag = 0;
                for (var e : ends.entrySet()) {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    // before its first commit the group's position is the start of the (emptied) topic
                    lag += e.getValue().offset() - (c == null ? starts.get(e.getKey()).offset() : c.offset());
                }
                synchronized (lags) {
                    lags.add(lag);
                }
                maxLag.accumulateAndGet(lag, Math::max);
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                // a sample lost under load; the next one counts
            }
        }
    }
}
