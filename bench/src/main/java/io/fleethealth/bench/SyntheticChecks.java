package io.fleethealth.bench;

import io.fleethealth.cli.source.HistoryRecord;
import io.fleethealth.cli.source.TimeRange;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.function.Consumer;

/**
 * The replay benchmark's history: the checks of fleet-cli's {@code SyntheticHistory} (test sources), made here
 * so the benchmark needs no test classes. SESSIONS sessions probed every 30 s for ROUNDS rounds, each failing in
 * runs of 3 or 4 checks with recoveries in between (with threshold 3 every run restarts the session), spread
 * over PARTITIONS partitions. The records are generated again for each consumer, so a day of checks never has
 * to fit in memory; file and Kafka get the very same records (key, timestamp, partition, offset, value).
 */
record SyntheticChecks(int sessions, int rounds, int partitions, Instant start) {

    static final Duration INTERVAL = Duration.ofSeconds(30);

    long count() {
        return (long) sessions * rounds;
    }

    /** From the first check to one interval after the last. */
    TimeRange range() {
        return new TimeRange(start, start.plus(INTERVAL.multipliedBy(rounds + 1L)));
    }

    /** Partition by partition, each in offset order, as an export lays them out. */
    void forEach(Consumer<HistoryRecord<HealthCheckResult>> action) {
        for (int p = 0; p < partitions; p++) {
            long offset = 0;
            for (int round = 0; round < rounds; round++) {
                Instant at = start.plus(INTERVAL.multipliedBy(round));
                for (int s = p; s < sessions; s += partitions) {
                    String session = "session-" + s;
                    HealthCheckResult check = check(session, session + "-" + round, at, healthy(s, round));
                    action.accept(new HistoryRecord<>(Topics.HEALTH_CHECKS, session, at.plusMillis(s), p, offset++,
                            check));
                }
            }
        }
    }

    /** SyntheticHistory's FailurePattern: runs of 3 (even sessions) or 4 (odd) failures every 20-26 rounds. */
    static boolean healthy(int session, int round) {
        int period = 20 + session % 7;
        int phase = (round + session * 3) % period;
        int runLength = session % 2 == 0 ? 3 : 4;
        return !(phase >= 5 && phase < 5 + runLength);
    }

    private static HealthCheckResult check(String session, String checkId, Instant at, boolean healthy) {
        HealthCheckResult.Builder check = HealthCheckResult.newBuilder()
                .setCheckId(checkId).setSessionId(session).setHostId("host-" + Math.abs(session.hashCode() % 3))
                .setContainerId("cid-" + session).setContainerName(session + "-desktop").setImage("fleet-test/busybox:1")
                .setProbeTime(at)
                .setResponseTimeMs(1.5)
                .setMetadata(new HashMap<>())
                .setAgentVersion("test");
        return Checks.withContainerState(check, healthy).build();
    }
}
