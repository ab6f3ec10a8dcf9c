package io.fleethealth.agent.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.RestartResult;
import io.fleethealth.serde.SchemaRegistryException;
import io.fleethealth.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command loop against Kafka's MockConsumer: what it does when a command cannot be decoded and when the loop
 * itself fails. The real broker is in RestartCommandsIT and the fault suite.
 */
class CommandConsumerTest {

    private static final String HOST = "host-a";
    private static final String LABEL = "fleet-health.session";
    private static final TopicPartition P0 = new TopicPartition(Topics.RESTART_COMMANDS.name(), 0);
    private static final Duration STALE = Duration.ofMinutes(5);

    @TempDir
    Path stateDir;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final RestartableEngine engine = new RestartableEngine(clock);
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final MockConsumer<String, RestartCommand> kafka = new MockConsumer<>("earliest");
    private final List<RestartOutcome> reported = new CopyOnWriteArrayList<>();
    private ExecutedCommands executed;
    private CommandConsumer consumer;

    private CommandConsumer start() {
        executed = new ExecutedCommands(stateDir);
        CommandExecutor executor = new CommandExecutor(engine, new RestartGuard(HOST, LABEL), executed, HOST, clock,
                workers, new ManualDelays(clock), c -> { });
        OutcomeReporter reporter = (command, outcome) -> {
            reported.add(outcome);
            return CompletableFuture.completedFuture(null);
        };
        consumer = new CommandConsumer(kafka, executor, reporter, o -> { }, 16, Duration.ofSeconds(1));
        kafka.schedulePollTask(() -> {
            kafka.rebalance(List.of(P0));
            kafka.updateBeginningOffsets(Map.of(P0, 0L));
            kafka.updateEndOffsets(Map.of(P0, 1L));
        });
        consumer.start();
        return consumer;
    }

    @AfterEach
    void tearDown() {
        if (consumer != null) {
            consumer.close();
        }
        workers.shutdownNow();
        if (executed != null) {
            executed.close();
        }
    }

    private RestartCommand command(String id, String containerId) {
        Instant issued = clock.instant();
        return RestartCommand.newBuilder()
                .setCommandId(id).setSessionId("session-" + containerId).setHostId(HOST).setContainerId(containerId)
                .setContainerName("name-" + containerId).setAttempt(1).setEpisode(1).setReason("failing")
                .setIssuedAt(issued).setNotBefore(issued).setExpiresAt(issued.plusSeconds(600)).setStopTimeoutSeconds(1)
                .build();
    }

    private Long committed() {
        OffsetAndMetadata offset = kafka.committed(Set.of(P0)).get(P0);
        return offset == null ? null : offset.offset();
    }

    @Test
    void shouldHoldAnUndecodableCommandAndExecuteItOnceTheRegistryIsBack() {
        engine.add("c1", Map.of(LABEL, "session-c1"), clock.instant().minusSeconds(600));
        start();
        await().until(consumer::assigned);
        kafka.schedulePollTask(() -> {
            kafka.addRecord(new ConsumerRecord<>(P0.topic(), 0, 0, "session-c1", command("cmd-1", "c1")));
            // the registry is away: the first read of offset 0 fails, as Kafka's deserializer reports it
            kafka.setPollException(new RecordDeserializationException(P0, 0, "Error deserializing",
                    new SchemaRegistryException("registry unreachable", SchemaRegistryException.NONE, SchemaRegistryException.NONE, null, java.net.URI.create("http://127.0.0.1:1/schemas/ids/3"), null)));
        });

        await().until(() -> consumer.decodeFailures() == 1);
        // held, not skipped: nothing committed past it, and /health can say why
        assertThat(consumer.problem(STALE)).hasValueSatisfying(p ->
                assertThat(p).contains("cannot decode restart command").contains("@0").contains("registry unreachable"));
        assertThat(consumer.blockedPartitions()).isEqualTo(1);
        assertThat(committed()).isNull();

        // after the back-off the same record is read again, decoded this time, and executed
        await().atMost(Duration.ofSeconds(20)).until(() -> reported.size() == 1);
        assertThat(reported.get(0).getCommandId()).isEqualTo("cmd-1");
        assertThat(reported.get(0).getResult()).isEqualTo(RestartResult.SUCCEEDED);
        assertThat(engine.restartsOf("c1")).hasSize(1);
        await().untilAsserted(() -> assertThat(committed()).isEqualTo(1L));
        assertThat(consumer.problem(STALE)).isEmpty();
        assertThat(consumer.blockedPartitions()).isZero();
    }

    @Test
    void shouldRestartTheCommandLoopAfterAnUnexpectedFailureAndSayItIsDownMeanwhile() {
        engine.add("c1", Map.of(LABEL, "session-c1"), clock.instant().minusSeconds(600));
        start();
        await().until(() -> consumer.assigned() && consumer.problem(STALE).isEmpty());
        List<String> problemsSeen = new CopyOnWriteArrayList<>();
        kafka.schedulePollTask(() -> kafka.setPollException(new KafkaException("unexpected broker answer")));
        await().until(() -> {
            consumer.problem(STALE).ifPresent(problemsSeen::add);
            return consumer.loopFailures() == 1;
        });
        await().until(() -> {
            consumer.problem(STALE).ifPresent(problemsSeen::add);
            return !problemsSeen.isEmpty();
        });
        assertThat(problemsSeen).anySatisfy(p ->
                assertThat(p).contains("restart command loop is down").contains("unexpected broker answer"));

        // the loop is back: a command that arrives now is executed
        kafka.schedulePollTask(() ->
                kafka.addRecord(new ConsumerRecord<>(P0.topic(), 0, 0, "session-c1", command("cmd-1", "c1"))));
        await().atMost(Duration.ofSeconds(20)).until(() -> reported.size() == 1);
        assertThat(reported.get(0).getResult()).isEqualTo(RestartResult.SUCCEEDED);
        await().until(() -> consumer.problem(STALE).isEmpty());
    }

    @Test
    void shouldSayCommandsCannotBeReadWhenTheBrokerStopsAnswering() {
        start();
        await().until(() -> consumer.assigned() && consumer.problem(Duration.ofSeconds(3)).isEmpty());

        // the broker is gone: polls come back empty without complaint, only the end-offsets probe times out
        kafka.setOffsetsException(new org.apache.kafka.common.errors.TimeoutException("broker away"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(consumer.problem(Duration.ofSeconds(3)))
                .hasValueSatisfying(why -> assertThat(why).contains("Kafka has not answered")));
        assertThat(consumer.loopFailures()).as("a silent broker is no loop failure").isZero();

        kafka.setOffsetsException(null);
        await().atMost(Duration.ofSeconds(30)).until(() -> consumer.problem(Duration.ofSeconds(3)).isEmpty());
    }
}
