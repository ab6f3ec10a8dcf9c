package io.fleethealth.bench;

import io.fleethealth.agent.probe.EventWatcher;
import io.fleethealth.agent.probe.ProbeResultSink;
import io.fleethealth.agent.probe.ProbeScheduler;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Benchmark 4. The agent's polling rounds (ProbeScheduler at the given interval) and its event fast path
 * (EventWatcher on the engine's event stream) run side by side over the same containers; victims are killed
 * (SIGKILL) at random moments, and for each path the time from the kill to the first not-healthy result of that
 * container is taken.
 *
 * <p>Arguments: {@code [crashes] [interval-seconds] [containers] [repeats]}; defaults {@code 10 10 50 2}.
 */
public final class CrashDetectionBench {

    public static void main(String[] args) throws Exception {
        int crashes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int interval = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Report report = new Report("detection");
        try (BenchContainers containers = new BenchContainers()) {
            for (int rep = 1; rep <= repeats; rep++) {
                containers.removeAll();
                containers.growTo(size);
                run(report, containers, rep, crashes, Duration.ofSeconds(interval), new Random(rep));
            }
        }
        System.exit(0);
    }

    private static void run(Report report, BenchContainers containers, int rep, int crashes, Duration interval,
                            Random random) throws InterruptedException {
        Map<String, Long> killedAt = new ConcurrentHashMap<>();
        Map<String, Long> byEvent = new ConcurrentHashMap<>();
        Map<String, Long> byRound = new ConcurrentHashMap<>();
        try (AgentParts agent = new AgentParts(containers, 16);
             ProbeScheduler rounds = new ProbeScheduler(agent.round, firstFailure(killedAt, byRound), interval);
             EventWatcher events = new EventWatcher(agent.engine, agent.round, agent.classifier,
                     firstFailure(killedAt, byEvent), BenchContainers.SESSION_LABEL, Clock.systemUTC(),
                     Duration.ofMillis(200), Duration.ofSeconds(5))) {
            events.start();
            rounds.start();
            Thread.sleep(2000); // the event stream is open and the first round has run
            List<String> victims = new ArrayList<>(containers.ids());
            Collections.shuffle(victims, random);
            for (String victim : victims.subList(0, crashes)) {
                // A random phase against the round schedule, as a real crash would have.
                Thread.sleep((long) (random.nextDouble() * interval.toMillis()));
                killedAt.put(victim, System.nanoTime());
                containers.kill(victim);
            }
            long deadline = System.nanoTime() + interval.plusSeconds(15).toNanos();
            while ((byRound.size() < crashes || byEvent.size() < crashes) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }
        report.line("RESULT rep=%d crashes=%d interval=%ds event fast path %s | polling round %s | load %s", rep, crashes,
                interval.toSeconds(), delays(killedAt, byEvent).format(" ms"), delays(killedAt, byRound).format(" ms"),
                Cpu.loadAverage());
    }

    /** Notes the first not-healthy result of each killed container. */
    private static ProbeResultSink firstFailure(Map<String, Long> killedAt, Map<String, Long> seen) {
        return result -> {
            long now = System.nanoTime();
            if (result.getStatus() != HealthStatus.HEALTHY && killedAt.containsKey(result.getContainerId())) {
                seen.putIfAbsent(result.getContainerId(), now);
            }
        };
    }

    private static Stats delays(Map<String, Long> killedAt, Map<String, Long> detectedAt) {
        List<Double> ms = new ArrayList<>();
        detectedAt.forEach((id, at) -> ms.add((at - killedAt.get(id)) / 1e6));
        return Stats.of(ms);
    }

}
