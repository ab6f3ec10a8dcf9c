package io.fleethealth.launcher.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleethealth.processor.app.ProcessorService;
import io.fleethealth.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Faults against the real broker, registry and engine. Every verdict on restarts comes from Docker's own
 * event stream ({@link RestartLedger}), followed from before the fault; the API is only asked what it shows.
 * Intervals of 1 s compress minutes of fleet life into seconds. Each test prints its restart count per
 * container ("fault-suite | case | container | restarts") for the record.
 */
class FaultSuiteIT {

    private static final Duration VERDICT = Duration.ofSeconds(90);

    /** Starts {@code count} labelled containers on host "a" and waits until each session is HEALTHY. */
    private static Map<String, String> healthyContainers(FaultFleet fleet, int port, int count) {
        Map<String, String> containers = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            containers.put(fleet.run + "-s" + i, fleet.container("c" + i, "a", fleet.run + "-s" + i));
        }
        for (String session : containers.keySet()) {
            await().atMost(VERDICT).until(() -> isHealthy(port, session));
        }
        return containers;
    }

    private static boolean isHealthy(int port, String session) {
        return FaultFleet.session(port, session).map(s -> s.get("status").asText().equals("HEALTHY")).orElse(false);
    }

    /** Restarts per session, as Docker's event stream counted them for each session's container. */
    private static Map<String, Integer> restartsBySession(Map<String, String> containers, RestartLedger ledger) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        containers.forEach((session, id) -> counts.put(session, ledger.restarts(id)));
        return counts;
    }

    private static void report(String scenario, Map<String, Integer> restarts) {
        restarts.forEach((container, count) ->
                System.out.printf("fault-suite | %s | %s | %d%n", scenario, container, count));
    }

    @Test
    void twoContainersWithOneSessionLabelOnTwoHostsRestartOnlyTheOwner() throws Exception {
        try (FaultFleet fleet = new FaultFleet();
             RestartLedger ledger = RestartLedger.follow(FaultFleet.RUN_LABEL, fleet.run)) {
            int port = FaultFleet.freePort();
            fleet.processor(port);
            fleet.agent("a");
            fleet.agent("b");
            String session = fleet.run + "-shared";
            String owner = fleet.container("owner", "a", session);
            await().atMost(VERDICT).until(() -> isHealthy(port, session));
            String copy = fleet.container("copy", "b", session);
            await().atMost(VERDICT).until(() -> FaultFleet.session(port, session)
                    .map(s -> s.hasNonNull("idConflict")).orElse(false));

            fleet.makeFail(owner);

            await().atMost(VERDICT).until(() -> ledger.restarts(owner) >= 1
                    && isHealthy(port, session));
            JsonNode view = FaultFleet.session(port, session).orElseThrow();
            report("two hosts, one session label", Map.of("owner", ledger.restarts(owner), "copy", ledger.restarts(copy)));
            assertThat(ledger.restarts(owner)).as("the owner restarted once").isEqualTo(1);
            assertThat(ledger.restarts(copy)).as("the other host's container never").isZero();
            assertThat(view.get("hostId").asText()).isEqualTo(fleet.run + "-a");
            assertThat(view.get("idConflict").asText()).contains(fleet.run + "-b");
        }
    }

    @Test
    void processorDownWhileContainersFailRestartsEveryOneOnceCaughtUp() throws Exception {
        try (FaultFleet fleet = new FaultFleet();
             RestartLedger ledger = RestartLedger.follow(FaultFleet.RUN_LABEL, fleet.run)) {
            int port = FaultFleet.freePort();
            ProcessorService processor = fleet.processor(port);
            fleet.agent("a");
            Map<String, String> containers = healthyContainers(fleet, port, 3);

            fleet.stop(processor);
            for (String id : containers.values()) {
                fleet.makeFail(id);
            }
            // Down for 20 intervals: 4 x (threshold + back-off + expiry), the 5 minutes of the issue at 1 s.
            Thread.sleep(20_000);
            assertThat(ledger.total()).as("nothing restarts while the processor is down").isZero();
            fleet.processor(port);

            await().atMost(VERDICT).until(() -> containers.entrySet().stream().allMatch(e -> ledger.restarts(e.getValue()) >= 1
                    && isHealthy(port, e.getKey())));
            Map<String, Integer> counts = restartsBySession(containers, ledger);
            report("processor down 20 intervals", counts);
            assertThat(counts.values()).as("every failing container restarted exactly once").containsOnly(1);
            for (String session : containers.keySet()) {
                assertThat(FaultFleet.session(port, session).orElseThrow().get("status").asText())
                        .isNotEqualTo("FAILED");
            }
        }
    }

    @Test
    void aThousandPoisonRecordsOnEveryInputTopicAreDeadLetteredAndRestartsGoOn() throws Exception {
        try (FaultFleet fleet = new FaultFleet();
             RestartLedger ledger = RestartLedger.follow(FaultFleet.RUN_LABEL, fleet.run)) {
            List<String> inputs = List.of(Topics.HEALTH_CHECKS.name(), Topics.RESTART_OUTCOMES.name(),
                    Topics.SESSION_CONTROL.name(), Topics.AGENT_HEARTBEATS.name(), Topics.HOST_ALERTS.name(),
                    Topics.RESTART_COMMANDS.name());
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fleet.bed.bootstrapServers());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                for (String topic : inputs) {
                    for (int i = 0; i < 1_000; i++) {
                        byte[] key = i % 2 == 0 ? null : ("poison-" + i).getBytes();
                        // Alternately not Avro at all, and the wire format with a schema id nobody registered.
                        byte[] value = i % 3 == 0 ? ("poison " + i).getBytes() : new byte[] {0, 0x7f, 0, 0, (byte) i, 1, 2};
                        producer.send(new ProducerRecord<>(topic, key, value));
                    }
                }
                producer.flush();
            }

            int port = FaultFleet.freePort();
            ProcessorService processor = fleet.processor(port);
            fleet.agent("a");
            String session = fleet.run + "-victim";
            String victim = fleet.container("victim", "a", session);
            await().atMost(VERDICT).until(() -> isHealthy(port, session));
            fleet.makeFail(victim);
            await().atMost(VERDICT).until(() -> ledger.restarts(victim) >= 1);

            // A restart after the poison comes up again: no crash loop on the global store.
            fleet.stop(processor);
            fleet.processor(port);
            await().atMost(VERDICT).until(() -> FaultFleet.health(port) == 200);
            await().atMost(VERDICT).until(() -> isHealthy(port, session));

            Map<String, Integer> byReason = deadLettersByReason(fleet, 4_000);
            report("1,000 poison records per input topic", Map.of("victim", ledger.restarts(victim)));
            System.out.println("fault-suite | poison dead letters by reason | " + byReason);
            assertThat(ledger.restarts(victim)).isEqualTo(1);
            assertThat(byReason.values().stream().mapToInt(Integer::intValue).sum())
                    .as("every poison record of the four decoded inputs is a dead letter").isGreaterThanOrEqualTo(4_000);
        }
    }

    /** Reads the DLQ from the start until at least {@code expected} letters with a reason header are in. */
    private static Map<String, Integer> deadLettersByReason(FaultFleet fleet, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fleet.bed.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, fleet.run + "-dlq-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Integer> byReason = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.HEALTH_CHECKS_DLQ.name()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int seen = 0;
            while (seen < expected * 2 && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    var reason = record.headers().lastHeader("fleet.dlq.reason");
                    if (reason != null) {
                        byReason.merge(new String(reason.value()), 1, Integer::sum);
                        seen++;
                    }
                }
                if (seen >= expected && byReason.values().stream().mapToInt(Integer::intValue).sum() >= expected) {
                    break;
                }
            }
        }
        return byReason;
    }

    @Test
    void brokerRestartWhileContainersFailRestartsEachOnceAndHealthSaysDownMeanwhile() throws Exception {
        try (FaultFleet fleet = new FaultFleet();
             RestartLedger ledger = RestartLedger.follow(FaultFleet.RUN_LABEL, fleet.run)) {
            int port = FaultFleet.freePort();
            fleet.processor(port);
            fleet.agent("a");
            Map<String, String> containers = healthyContainers(fleet, port, 3);
            for (String id : containers.values()) {
                fleet.makeFail(id);
            }
            // The broker goes away for 12 s (longer than PROCESSOR_HEALTH_COMMIT_STALL = 5 s of the suite).
            java.util.concurrent.atomic.AtomicBoolean sawDown = new java.util.concurrent.atomic.AtomicBoolean();
            Thread watcher = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    if (FaultFleet.health(port) == 503) {
                        sawDown.set(true);
                    }
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "health-watcher");
            watcher.start();
            try {
                fleet.bed.restartBroker(Duration.ofSeconds(12));
            } finally {
                watcher.interrupt();
                watcher.join(5_000);
            }

            await().atMost(Duration.ofSeconds(120)).until(() -> containers.entrySet().stream()
                    .allMatch(e -> ledger.restarts(e.getValue()) >= 1 && isHealthy(port, e.getKey())));
            Map<String, Integer> counts = restartsBySession(containers, ledger);
            report("broker restart (down 12 s)", counts);
            assertThat(counts.values()).as("each failing container restarted exactly once").containsOnly(1);
            assertThat(sawDown).as("GET /health said DOWN while the broker was away").isTrue();
            await().atMost(VERDICT).until(() -> FaultFleet.health(port) == 200);
        }
    }

    @Test
    void registryRestartWhileContainersFailRestartsEachOnceAndAFreshProcessorStillReadsEverything() throws Exception {
        try (FaultFleet fleet = new FaultFleet();
             RestartLedger ledger = RestartLedger.follow(FaultFleet.RUN_LABEL, fleet.run)) {
            int port = FaultFleet.freePort();
            ProcessorService processor = fleet.processor(port);
            fleet.agent("a");
            Map<String, String> containers = healthyContainers(fleet, port, 3);
            for (String id : containers.values()) {
                fleet.makeFail(id);
            }
            fleet.bed.restartRegistry(Duration.ofSeconds(5));

            await().atMost(Duration.ofSeconds(120)).until(() -> containers.entrySet().stream()
                    .allMatch(e -> ledger.restarts(e.getValue()) >= 1 && isHealthy(port, e.getKey())));
            // A processor with no cached schema ids reads the whole history again through the restarted registry.
            fleet.stop(processor);
            fleet.processor(port);
            await().atMost(VERDICT).until(() -> FaultFleet.health(port) == 200);
            for (String session : containers.keySet()) {
                await().atMost(VERDICT).until(() -> isHealthy(port, session));
            }
            Map<String, Integer> counts = restartsBySession(containers, ledger);
            report("registry restart (down 5 s)", counts);
            assertThat(counts.values()).as("each failing container restarted exactly once").containsOnly(1);
        }
    }

    @Test
    void killNineOfOneOfTwoProcessorsMidStormLosesAndDuplicatesNoRestart() throws Exception {
        try (FaultFleet fleet = new FaultFleet();
             RestartLedger ledger = RestartLedger.follow(FaultFleet.RUN_LABEL, fleet.run)) {
            int portA = FaultFleet.freePort();
            int portB = FaultFleet.freePort();
            Process a = fleet.childProcessor(portA);
            Process b = fleet.childProcessor(portB);
            await().atMost(Duration.ofSeconds(120)).until(() -> FaultFleet.health(portA) == 200 && FaultFleet.health(portB) == 200);
            fleet.agent("a");
            Map<String, String> containers = healthyContainers(fleet, portB, 6);

            for (String id : containers.values()) {
                fleet.makeFail(id);
            }
            await().atMost(VERDICT).until(() -> ledger.total() >= 1);
            a.destroyForcibly(); // SIGKILL mid-storm
            assertThat(a.waitFor(10, TimeUnit.SECONDS)).isTrue();

            await().atMost(Duration.ofSeconds(120)).until(() -> containers.entrySet().stream()
                    .allMatch(e -> ledger.restarts(e.getValue()) >= 1 && isHealthy(portB, e.getKey())));
            Map<String, Integer> counts = restartsBySession(containers, ledger);
            report("kill -9 of one of two processors", counts);
            assertThat(counts.values()).as("no lost and no duplicate restart").containsOnly(1);
            assertThat(b.isAlive()).isTrue();
        }
    }
}
