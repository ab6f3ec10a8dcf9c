package io.fleethealth.bench;

import io.fleethealth.agent.probe.RoundReport;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import io.fleethealth.serde.EventSerdes;
import io.fleethealth.serde.SchemaRegistryClient;
import io.fleethealth.topics.Topics;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Benchmark 3. Probe rounds of the real agent code (ProbeRound over DockerEngine) against the Docker test engine, for
 * N labelled busybox containers and several probe concurrencies. Each result is serialized as the publisher would
 * (Avro, wire format) so that the agent's CPU includes encoding; sending to Kafka is left out. Reports round duration
 * p50/p99, the agent's CPU seconds per round, dockerd's CPU seconds per round, and the heap after a full GC.
 *
 * <p>Arguments: {@code [sizes] [concurrencies] [rounds]}; defaults {@code 100,250,500 16,4,8,32 10} (16 = the default).
 */
public final class AgentRoundBench {

    private static final int DEFAULT_CONCURRENCY = 16;
    private static final double INTERVAL_SECONDS = 30;

    public static void main(String[] args) throws Exception {
        int[] sizes = ints(args.length > 0 ? args[0] : "100,250,500");
        int[] concurrencies = ints(args.length > 1 ? args[1] : "16,4,8,32");
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Report report = new Report("agent");
        Serializer<HealthCheckResult> encoder = new EventSerdes(new FixedIdRegistry()).valueSerializer(Topics.HEALTH_CHECKS);
        long dockerd = BenchContainers.dockerdPid();
        try (BenchContainers containers = new BenchContainers()) {
            for (int size : sizes) {
                long t0 = System.nanoTime();
                containers.growTo(size);
                report.line("containers=%d ready (%.1f s to create the new ones), load %s", size,
                        (System.nanoTime() - t0) / 1e9, Cpu.loadAverage());
                for (int concurrency : concurrencies) {
                    runCase(report, containers, encoder, dockerd, size, concurrency, rounds);
                }
            }
        }
        System.exit(0);
    }

    private static void runCase(Report report, BenchContainers containers, Serializer<HealthCheckResult> encoder,
                                long dockerd, int size, int concurrency, int rounds) {
        List<Double> millis = new ArrayList<>();
        long agentCpu = 0;
        long engineCpu = 0;
        long bytes = 0;
        int unhealthy = 0;
        try (AgentParts agent = new AgentParts(containers, concurrency)) {
            agent.round.run(); // warm-up: JIT, connection pool, threads
            for (int r = 0; r < rounds; r++) {
                long cpu0 = Cpu.processNanos();
                long engine0 = Cpu.processNanos(dockerd);
                RoundReport round = agent.round.run();
                for (HealthCheckResult result : round.results()) {
                    bytes += encoder.serialize(Topics.HEALTH_CHECKS.name(), result).length;
                    if (result.getStatus() != HealthStatus.HEALTHY) {
                        unhealthy++;
                    }
                }
                agentCpu += Cpu.processNanos() - cpu0;
                engineCpu += Cpu.processNanos(dockerd) - engine0;
                millis.add(round.duration().toNanos() / 1e6);
                if (round.containersMonitored() != size) {
                    throw new IllegalStateException("round saw " + round.containersMonitored() + " of " + size);
                }
            }
        }
        Stats stats = Stats.of(millis);
        double cpuPerRound = agentCpu / 1e9 / rounds;
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        report.line("RESULT containers=%d concurrency=%s round p50=%.0f ms p99=%.0f ms max=%.0f ms | agent CPU %.3f s/round"
                        + " (%.2f%% of a core at %.0f s) | dockerd CPU %.3f s/round | heap after GC %.1f MB | %d B/result"
                        + " | %d not healthy | load %s", size,
                concurrency == DEFAULT_CONCURRENCY ? concurrency + " (default)" : Integer.toString(concurrency),
                stats.p50(), stats.p99(), stats.max(), cpuPerRound, 100 * cpuPerRound / INTERVAL_SECONDS,
                INTERVAL_SECONDS, dockerd > 0 ? engineCpu / 1e9 / rounds : Double.NaN, heap / 1048576.0,
                bytes / Math.max(1, (long) rounds * size), unhealthy, Cpu.loadAverage());
    }

    private static int[] ints(String csv) {
        return Stream.of(csv.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }

    /** Encoding only needs an id: the registry is not part of the agent's per-round cost (ids are cached). */
    private static final class FixedIdRegistry implements SchemaRegistryClient {
        private volatile Schema schema;

        @Override
        public int register(String subject, Schema schema) {
            this.schema = schema;
            return 1;
        }

        @Override
        public Schema schemaById(int id) {
            return schema;
        }
    }
}
