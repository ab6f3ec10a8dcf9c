package io.fleethealth.launcher.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import io.fleethealth.agent.AgentService;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.localstack.testbed.DockerTestEngine;
import io.fleethealth.localstack.testbed.TestBed;
import io.fleethealth.topics.Topics;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault: the schema registry is down when a restart command reaches the agent. Before, the agent turned the
 * undecodable command into a skipped record, committed past it and counted nothing: the restart was lost without a
 * trace. Now it holds the command, retries it with back-off, says so on /health and in its metrics, and executes it
 * once the registry answers. Real broker, real registry (behind a proxy that answers 503 while "down"), real engine;
 * the verdict is Docker's event stream.
 */
class AgentRegistryOutageIT {

    private static final Logger log = LoggerFactory.getLogger(AgentRegistryOutageIT.class);
    private static final String FAULT_LABEL = "fleet-health.fault";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldHoldACommandItCannotDecodeWhileTheRegistryIsDownAndExecuteItOnceWhenItIsBack() throws Exception {
        TestBed bed = TestBed.shared();
        DockerClient docker = DockerTestEngine.client();
        String run = bed.uniqueId("registry-outage");
        String host = run + "-host";
        String label = "fleet-health.session-" + run;
        AgentService agent = null;
        try (DockerEventTally tally = DockerEventTally.start(docker, FAULT_LABEL, run);
             RegistryOutageProxy registry = RegistryOutageProxy.start(bed.registryUrl());
             KafkaProducer<String, RestartCommand> commands = producer(bed)) {
            String container = DockerTestEngine.createTestContainer(run + "-c", Map.of(FAULT_LABEL, run, label, run + "-s"));
            docker.startContainerCmd(container).exec();
            Map<String, String> env = new HashMap<>();
            env.put("HOST_ID", host);
            env.put("DOCKER_HOST", DockerTestEngine.dockerHost());
            env.put("CONTAINER_SESSION_LABEL", label);
            env.put("CONTAINER_HEALTH_CHECK_INTERVAL", "2");
            env.put("CONTAINER_HEALTH_TIMEOUT", "1");
            env.put("CONTAINER_AGENT_STATE_DIR", bed.dir().resolve(run + "-agent").toString());
            env.put("AGENT_HTTP_PORT", "0");
            // Look-ups down before the agent starts: it must not have learned the command schema yet (older commands
            // on the shared topic would otherwise teach it the schema before the outage).
            registry.down(true);
            agent = AgentService.start(env, bed.bootstrapServers(), registry.url(bed.registryUrl()));
            AgentService a = agent;
            Instant issued = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            RestartCommand command = RestartCommand.newBuilder()
                    .setCommandId(run + "-cmd").setSessionId(run + "-s").setHostId(host).setContainerId(container)
                    .setContainerName(run + "-c").setAttempt(1).setEpisode(1).setReason("fault test")
                    .setIssuedAt(issued).setNotBefore(issued).setExpiresAt(issued.plusSeconds(120))
                    .setStopTimeoutSeconds(1).build();
            // written with the real registry: the record is fine, only the agent cannot look its schema up
            commands.send(new ProducerRecord<>(Topics.RESTART_COMMANDS.name(), command.getSessionId(), command)).get();

            await().atMost(Duration.ofSeconds(60)).until(() -> a.commands().consumer().decodeFailures() >= 2);
            HttpResponse<String> during = health(a);
            assertThat(during.statusCode()).isEqualTo(503);
            assertThat(during.body()).contains("\"readingCommands\":false").contains("cannot decode restart command");
            assertThat(a.metrics().scrape()).containsPattern("fleet_agent_commands_blocked\\{[^}]*} 1\\.0");
            assertThat(tally.restarts(container)).as("nothing restarted while the command cannot be read").isZero();
            long failuresDuringOutage = a.commands().consumer().decodeFailures();

            registry.down(false);
            await().atMost(Duration.ofSeconds(90)).until(() -> tally.restarts(container) == 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> health(a).statusCode() == 200);
            Thread.sleep(3_000); // a repeat would show now
            assertThat(tally.restarts(container)).as("Docker's word: the held command restarted it exactly once")
                    .isEqualTo(1);
            assertThat(a.metrics().scrape()).containsPattern("fleet_agent_commands_blocked\\{[^}]*} 0\\.0");
            log.info("FAULT registry down under the agent: {} requests refused, {} decode attempts failed, then"
                    + " restarts per container: c={}", registry.refused(), failuresDuringOutage,
                    tally.restarts(container));
        } finally {
            if (agent != null) {
                agent.close();
            }
            DockerTestEngine.removeTestContainers(FAULT_LABEL, run);
        }
    }

    private static KafkaProducer<String, RestartCommand> producer(TestBed bed) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bed.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), bed.serdes().valueSerializer(Topics.RESTART_COMMANDS));
    }

    private static HttpResponse<String> health(AgentService agent) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(agent.httpUri().resolve("/health")).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
