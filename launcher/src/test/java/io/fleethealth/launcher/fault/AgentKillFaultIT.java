package io.fleethealth.launcher.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.RestartResult;
import io.fleethealth.localstack.testbed.DockerTestEngine;
import io.fleethealth.localstack.testbed.TestBed;
import io.fleethealth.topics.Topics;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault: kill -9 of the probe-agent right after restart commands were issued, then a replacement agent on the same
 * host (same host id, same state folder), as a supervisor (systemd, Docker's restart policy) would start it.
 * Real broker, real registry, real engine, agents in JVMs of their own; the verdict is Docker's event stream.
 *
 * <p>Two commands are out when the agent dies: c2's was executed at once (the agent is killed as soon as Docker
 * reports the restart, so its outcome may or may not have been reported), c1's waits for its not-before time. The
 * replacement must restart c1 exactly once before the command expires (30 s after issue: without static group
 * membership the replacement only got the commands after the dead member's session ran out, 36-37 s, and c1 would
 * expire) and must not restart c2 a second time.
 */
class AgentKillFaultIT {

    private static final Logger log = LoggerFactory.getLogger(AgentKillFaultIT.class);
    private static final String FAULT_LABEL = "fleet-health.fault";

    @Test
    void shouldHaveTheReplacementOfAKilledAgentExecuteItsPendingCommandOnceAndNotRepeatTheExecutedOne()
            throws Exception {
        TestBed bed = TestBed.shared();
        DockerClient docker = DockerTestEngine.client();
        String run = bed.uniqueId("agent-kill");
        String host = run + "-host";
        Path dir = bed.dir().resolve(run);
        Map<String, String> env = new HashMap<>();
        env.put("HOST_ID", host);
        // A label of this run's own: the engine is shared, and other tests' session containers are none of ours.
        env.put("CONTAINER_SESSION_LABEL", sessionLabel(run));
        env.put("DOCKER_HOST", DockerTestEngine.dockerHost());
        env.put("KAFKA_BOOTSTRAP_SERVERS", bed.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", bed.registryUrl().toString());
        env.put("CONTAINER_AGENT_STATE_DIR", dir.resolve("agent-state").toString());
        env.put("CONTAINER_HEALTH_CHECK_INTERVAL", "5");
        env.put("CONTAINER_HEALTH_TIMEOUT", "2");

        ChildAgent first = null;
        ChildAgent replacement = null;
        try (DockerEventTally tally = DockerEventTally.start(docker, FAULT_LABEL, run);
             KafkaProducer<String, RestartCommand> commands = producer(bed);
             KafkaConsumer<String, RestartOutcome> outcomes = outcomeReader(bed, run)) {
            String c1 = container(docker, run, "c1");
            String c2 = container(docker, run, "c2");
            outcomes.subscribe(List.of(Topics.RESTART_OUTCOMES.name()));
            List<RestartOutcome> seen = new CopyOnWriteArrayList<>();

            first = ChildAgent.start(env, freePort(), dir.resolve("agent-1.log"));
            ChildAgent a = first;
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                assertThat(a.alive()).as("first agent died:%n%s", a.logText()).isTrue();
                return a.readingCommands();
            });

            Instant issued = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            RestartCommand waiting = command(run, host, "c1", c1, issued, issued.plusSeconds(8));
            RestartCommand immediate = command(run, host, "c2", c2, issued, issued);
            commands.send(new ProducerRecord<>(Topics.RESTART_COMMANDS.name(), waiting.getSessionId(), waiting)).get();
            commands.send(new ProducerRecord<>(Topics.RESTART_COMMANDS.name(), immediate.getSessionId(), immediate)).get();

            await().atMost(Duration.ofSeconds(30)).until(() -> tally.restarts(c2) == 1);
            first.kill9();
            double killedAfter = Duration.between(issued, Instant.now()).toMillis() / 1000.0;
            assertThat(tally.restarts(c1)).as("c1 still waits for its not-before time").isZero();

            replacement = ChildAgent.start(env, freePort(), dir.resolve("agent-2.log"));
            ChildAgent b = replacement;
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                assertThat(b.alive()).as("replacement died:%n%s", b.logText()).isTrue();
                return b.readingCommands();
            });
            double readingAfterStart = b.secondsSinceStart();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                assertThat(b.alive()).as("replacement died:%n%s", b.logText()).isTrue();
                return tally.restarts(c1) >= 1;
            });
            double c1RestartedAfterStart = b.secondsSinceStart();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                outcomes.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value() != null && r.value().getHostId().equals(host)) {
                        seen.add(r.value());
                    }
                });
                return seen.stream().anyMatch(o -> o.getCommandId().equals(waiting.getCommandId()))
                        && seen.stream().anyMatch(o -> o.getCommandId().equals(immediate.getCommandId()))
                        && b.readingCommands();
            });

            RestartOutcome c1Outcome = seen.stream().filter(o -> o.getCommandId().equals(waiting.getCommandId()))
                    .findFirst().orElseThrow();
            assertThat(c1Outcome.getResult()).isEqualTo(RestartResult.SUCCEEDED);
            assertThat(c1Outcome.getExecutedAt()).isBefore(waiting.getExpiresAt());
            assertThat(seen).filteredOn(o -> o.getCommandId().equals(immediate.getCommandId()))
                    .extracting(RestartOutcome::getResult)
                    .isSubsetOf(RestartResult.SUCCEEDED, RestartResult.SKIPPED_DUPLICATE);
            // Docker's word: one restart each, none repeated, none lost
            assertThat(tally.restarts(c1)).isEqualTo(1);
            assertThat(tally.restarts(c2)).isEqualTo(1);
            log.info("FAULT agent kill -9: killed {} s after issue; replacement read its commands {} s and restarted"
                    + " c1 (not before issue + 8 s) {} s after its JVM started; restarts per container: c1={}, c2={};"
                    + " outcomes {}", killedAfter, readingAfterStart, c1RestartedAfterStart, tally.restarts(c1), tally.restarts(c2),
                    seen.stream().map(o -> o.getContainerId().substring(0, 12) + "=" + o.getResult()).toList());
        } finally {
            if (first != null) {
                first.close();
            }
            if (replacement != null) {
                replacement.close();
            }
            DockerTestEngine.removeTestContainers(FAULT_LABEL, run);
        }
    }

    private static String container(DockerClient docker, String run, String name) {
        String id = DockerTestEngine.createTestContainer(run + "-" + name,
                Map.of(FAULT_LABEL, run, sessionLabel(run), run + "-" + name), cmd -> cmd.withStopTimeout(1));
        docker.startContainerCmd(id).exec();
        return id;
    }

    private static RestartCommand command(String run, String host, String name, String containerId, Instant issued,
                                          Instant notBefore) {
        return RestartCommand.newBuilder()
                .setCommandId(run + "-" + name + "-cmd").setSessionId(run + "-" + name).setHostId(host)
                .setContainerId(containerId).setContainerName(run + "-" + name).setAttempt(1).setEpisode(1)
                .setReason("fault test").setIssuedAt(issued).setNotBefore(notBefore)
                .setExpiresAt(issued.plusSeconds(30)).setStopTimeoutSeconds(1).build();
    }

    private static KafkaProducer<String, RestartCommand> producer(TestBed bed) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), bed.serdes().valueSerializer(Topics.RESTART_COMMANDS));
    }

    private static KafkaConsumer<String, RestartOutcome> outcomeReader(TestBed bed, String run) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, bed.uniqueGroupId(run + "-outcomes"));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(),
                bed.serdes().valueDeserializer(Topics.RESTART_OUTCOMES));
    }

    static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String sessionLabel(String run) {
        return "fleet-health.session-" + run;
    }
}
