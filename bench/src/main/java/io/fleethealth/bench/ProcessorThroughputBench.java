package io.fleethealth.bench;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.processor.app.HealthProcessorApp;
import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.processor.decision.DecisionCounter;
import io.fleethealth.processor.decision.SessionState;
import io.fleethealth.processor.state.SessionStateCodec;
import io.fleethealth.processor.topology.StoreNames;
import io.fleethealth.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Benchmarks 1 and 5. Loads checks for N sessions into fleet.health.checks, then reads the very same records with a
 * pass-through Kafka Streams app (read, deserialize, serialize, write; same settings, EOS v2) and with the real
 * health-processor, alternately, each under a fresh application id. Throughput counts from the first processed
 * record to the last, so start-up and rebalancing are left out of both. After the processor's last run the session
 * store is measured: bytes per session encoded, and on disk in RocksDB.
 *
 * <p>Arguments: {@code [sessions,...] [repeats] [recordsPerCase,...]}; defaults {@code 1000,10000,100000 2}.
 */
public final class ProcessorThroughputBench {

    static final String PASS_THROUGH_OUT = "bench.passthrough";
    private static final double FAILING_SHARE = 0.02;
    private static final Duration RUN_LIMIT = Duration.ofMinutes(3);

    private final BenchStack stack;
    private final Report report;
    private final String only;
    private int runs;

    private ProcessorThroughputBench(BenchStack stack, Report report, String only) {
        this.stack = stack;
        this.report = report;
        this.only = only;
    }

    public static void main(String[] args) throws Exception {
        int[] sessions = ints(args.length > 0 ? args[0] : "1000,10000,100000");
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int[] records = args.length > 2 ? ints(args[2]) : null;
        String only = System.getProperty("fleet.bench.only", "both"); // "processor" while profiling
        Report report = new Report("throughput");
        try (BenchStack stack = BenchStack.start("throughput")) {
            ProcessorThroughputBench bench = new ProcessorThroughputBench(stack, report, only);
            for (int i = 0; i < sessions.length; i++) {
                int n = sessions[i];
                bench.runCase(n, records != null ? records[i] : defaultRecords(n), repeats);
            }
        }
        System.exit(0); // Streams and Kafka leave non-daemon threads behind after close
    }

    /** Enough records for a stable rate (about 10-20 s per run here), and at least two checks per session. */
    static int defaultRecords(int sessions) {
        return Math.max(60_000, sessions * 2);
    }

    private void runCase(int sessions, int records, int repeats) throws Exception {
        String run = "t" + sessions;
        try (Admin admin = Kafka.admin(stack.bootstrapServers())) {
            Kafka.createTopic(admin, PASS_THROUGH_OUT, BenchStack.PARTITIONS);
            Kafka.empty(admin, Topics.HEALTH_CHECKS.name(), BenchStack.PARTITIONS);
        }
        long loadStart = System.nanoTime();
        load(run, sessions, records);
        report.line("case sessions=%d records=%d loaded in %.1f s", sessions, records,
                (System.nanoTime() - loadStart) / 1e9);
        List<Double> passRates = new ArrayList<>();
        List<Double> procRates = new ArrayList<>();
        for (int rep = 1; rep <= repeats; rep++) {
            boolean last = rep == repeats;
            if (!"processor".equals(only)) {
                double pass = passThrough(records);
                passRates.add(pass);
                report.line("run sessions=%d rep=%d pass-through %.0f checks/s", sessions, rep, pass);
            }
            double proc = processor(sessions, records, last);
            procRates.add(proc);
            report.line("run sessions=%d rep=%d processor %.0f checks/s", sessions, rep, proc);
        }
        double procMedian = median(procRates);
        if (passRates.isEmpty()) {
            report.line("RESULT sessions=%d records=%d processor=%.0f/s (spread %.0f%%)", sessions, records,
                    procMedian, 100 * Stats.spread(procRates));
            return;
        }
        double passMedian = median(passRates);
        report.line("RESULT sessions=%d records=%d processor=%.0f/s (spread %.0f%%) pass-through=%.0f/s (spread %.0f%%)"
                        + " ratio=%.0f%% (per-rep ratios %s)", sessions, records, procMedian,
                100 * Stats.spread(procRates), passMedian, 100 * Stats.spread(passRates),
                100 * procMedian / passMedian, ratios(procRates, passRates));
    }

    /** Rounds of checks, one per session per 30 s of event time, as a fleet's agents would send them. */
    private void load(String run, int sessions, int records) {
        Serializer<HealthCheckResult> values = stack.serdes().valueSerializer(Topics.HEALTH_CHECKS);
        Instant base = Instant.now().minus(Duration.ofSeconds(30L * (records / sessions + 1))).truncatedTo(ChronoUnit.MILLIS);
        int failingEvery = (int) Math.round(1 / FAILING_SHARE);
        try (KafkaProducer<String, byte[]> producer = Kafka.producer(stack.bootstrapServers(), 20)) {
            for (int i = 0; i < records; i++) {
                int s = i % sessions;
                int round = i / sessions;
                boolean healthy = s % failingEvery != 0;
                HealthCheckResult check = Checks.check(run, s, i, base.plusSeconds(30L * round), healthy);
                producer.send(new ProducerRecord<>(Topics.HEALTH_CHECKS.name(), check.getSessionId(),
                        values.serialize(Topics.HEALTH_CHECKS.name(), check)));
            }
            producer.flush();
        }
    }

    private double passThrough(int records) throws Exception {
        String appId = "bench-pass-" + (++runs);
        AtomicLong seen = new AtomicLong();
        StreamsBuilder builder = new StreamsBuilder();
        var serde = stack.serdes().valueSerde(Topics.HEALTH_CHECKS);
        builder.stream(Topics.HEALTH_CHECKS.name(), Consumed.with(Serdes.String(), serde))
                .peek((k, v) -> seen.incrementAndGet())
                .to(PASS_THROUGH_OUT, Produced.with(Serdes.String(), serde));
        Properties props = HealthProcessorApp.streamsProperties(config(appId), KafkaClientSettings.plaintext(stack.bootstrapServers()));
        try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
            streams.start();
            return measure(appId, seen::get, records);
        }
    }

    private double processor(int sessions, int records, boolean measureStore) throws Exception {
        String appId = "bench-proc-" + (++runs);
        ProcessorConfig config = config(appId);
        double rate;
        try (HealthProcessorApp app = new HealthProcessorApp(config, KafkaClientSettings.plaintext(stack.bootstrapServers()), stack.registry(),
                new SimpleMeterRegistry())) {
            app.start();
            rate = measure(appId, () -> (long) app.metrics().count(DecisionCounter.CHECK_PROCESSED), records);
            if (measureStore) {
                measureSessionStore(app.streams(), sessions);
            }
        }
        if (measureStore) {
            measureStateOnDisk(config.stateDir().resolve(appId), sessions);
        }
        return rate;
    }

    /** Records per second from the first record seen to the last: start-up and rebalancing are not counted. */
    private double measure(String appId, LongSupplier processed, int records) throws InterruptedException {
        long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
        long firstAt = 0;
        long firstCount = 0;
        long firstCpu = 0;
        String load = Cpu.loadAverage();
        while (System.nanoTime() < deadline) {
            long count = processed.getAsLong();
            long now = System.nanoTime();
            if (firstAt == 0 && count > 0) {
                firstAt = now;
                firstCount = count;
                firstCpu = Cpu.processNanos();
            }
            if (count >= records) {
                double cpuMicrosPerCheck = (Cpu.processNanos() - firstCpu) / 1e3 / (count - firstCount);
                report.line("  %s: %d checks in %.1f s, %.0f us CPU per check (whole JVM, broker included), load %s",
                        appId, count - firstCount, (now - firstAt) / 1e9, cpuMicrosPerCheck, load);
                return (count - firstCount) / ((now - firstAt) / 1e9);
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(appId + " processed " + processed.getAsLong() + " of " + records
                + " records within " + RUN_LIMIT);
    }

    /** Benchmark 5: what one session costs in the session store, as encoded bytes (key + value). */
    private void measureSessionStore(KafkaStreams streams, int sessions) {
        SessionStateCodec codec = new SessionStateCodec();
        ReadOnlyKeyValueStore<String, SessionState> store = streams.store(
                StoreQueryParameters.fromNameAndType(StoreNames.SESSIONS, QueryableStoreTypes.keyValueStore()));
        long count = 0;
        long bytes = 0;
        long maxValue = 0;
        try (KeyValueIterator<String, SessionState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, SessionState> entry = all.next();
                int value = codec.encode(entry.value).length;
                bytes += entry.key.getBytes(StandardCharsets.UTF_8).length + value;
                maxValue = Math.max(maxValue, value);
                count++;
            }
        }
        report.line("MEMORY sessions=%d stored=%d encoded=%.0f B/session (key+value, largest value %d B)",
                sessions, count, (double) bytes / count, maxValue);
    }

    /** Benchmark 5 on disk: RocksDB folders of the session store and the check history after a clean close. */
    private void measureStateOnDisk(Path appStateDir, int sessions) throws IOException {
        long sessionStore = folderBytes(appStateDir, StoreNames.SESSIONS);
        long history = folderBytes(appStateDir, StoreNames.CHECK_HISTORY);
        report.line("DISK sessions=%d session-state=%.0f B/session check-history=%.0f B/session (%d MB total)",
                sessions, (double) sessionStore / sessions, (double) history / sessions,
                (sessionStore + history) >> 20);
    }

    private static long folderBytes(Path appStateDir, String storeName) throws IOException {
        if (!Files.exists(appStateDir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(appStateDir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().contains("/" + storeName + "/") || p.toString().contains("/" + storeName + "."))
                    .mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private ProcessorConfig config(String appId) {
        return ProcessorConfig.fromEnv(Map.of(
                "PROCESSOR_APPLICATION_ID", appId,
                "PROCESSOR_STATE_DIR", stack.dir().resolve("state").toString(),
                "PROCESSOR_HTTP_PORT", "0"));
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String ratios(List<Double> proc, List<Double> pass) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < proc.size(); i++) {
            out.add(String.format("%.0f%%", 100 * proc.get(i) / pass.get(i)));
        }
        return String.join(",", out);
    }

    private static int[] ints(String csv) {
        return Stream.of(csv.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }
}
