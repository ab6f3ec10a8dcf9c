package io.fleethealth.launcher.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleethealth.agent.AgentService;
import io.fleethealth.localstack.testbed.DockerTestEngine;
import io.fleethealth.localstack.testbed.TestBed;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault: the broker goes away (kill -9 of its JVM) under a running agent. Before, the agent's /health answered 200
 * with kafkaReachable=true for as long as the outage lasted (40 of 40 samples over two minutes, while its log showed
 * failed deliveries). Now it must turn 503 DOWN and say why: deliveries not acknowledged, commands not readable.
 */
class AgentHealthOutageIT {

    private static final Logger log = LoggerFactory.getLogger(AgentHealthOutageIT.class);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldTurnDownAndSayWhyWhenTheBrokerIsGone() throws Exception {
        TestBed bed = TestBed.shared();
        String run = bed.uniqueId("broker-outage");
        Path dir = bed.dir().resolve(run);
        Files.createDirectories(dir);
        Process broker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + dir,
                "-cp", System.getProperty("java.class.path"), BrokerOnlyMain.class.getName(),
                dir.resolve("kafka").toString())
                .redirectErrorStream(true).start();
        AgentService agent = null;
        try {
            String bootstrap = bootstrapOf(broker);
            Map<String, String> env = new HashMap<>();
            env.put("HOST_ID", run + "-host");
            env.put("DOCKER_HOST", DockerTestEngine.dockerHost());
            env.put("CONTAINER_SESSION_LABEL", "fleet-health.session-" + run);
            env.put("CONTAINER_HEALTH_CHECK_INTERVAL", "1");
            env.put("CONTAINER_HEALTH_TIMEOUT", "0.8");
            env.put("CONTAINER_AGENT_STATE_DIR", dir.resolve("agent-state").toString());
            env.put("AGENT_HTTP_PORT", "0");
            agent = AgentService.start(env, bootstrap, bed.registryUrl());
            AgentService a = agent;
            await().atMost(Duration.ofSeconds(60)).until(() -> health(a).statusCode() == 200);

            broker.destroyForcibly(); // SIGKILL: the broker is gone without a word
            assertThat(broker.waitFor(10, TimeUnit.SECONDS)).isTrue();
            List<String> samples = new CopyOnWriteArrayList<>();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                HttpResponse<String> h = health(a);
                samples.add(h.statusCode() + " " + h.body());
                return h.statusCode() == 503 && h.body().contains("\"delivering\":false")
                        && h.body().contains("\"readingCommands\":false");
            });
            String last = samples.get(samples.size() - 1);
            log.info("FAULT broker gone: /health 503 after {} samples (1 s apart): {}", samples.size(), last);
            assertThat(last).contains("\"status\":\"DOWN\"").contains("\"kafkaReachable\":false")
                    .contains("Kafka has not answered the restart command consumer")
                    .containsAnyOf("no delivery acknowledged by Kafka", "deliveries to Kafka failing");
        } finally {
            if (agent != null) {
                agent.close();
            }
            broker.destroyForcibly();
        }
    }

    private static String bootstrapOf(Process broker) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (String line = out.readLine(); line != null && System.nanoTime() < deadline; line = out.readLine()) {
            if (line.startsWith("BOOTSTRAP ")) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "broker-output");
                drain.setDaemon(true);
                drain.start();
                return line.substring("BOOTSTRAP ".length()).trim();
            }
            seen.append(line).append('\n');
        }
        throw new IllegalStateException("the broker did not start:\n" + seen);
    }

    private static HttpResponse<String> health(AgentService agent) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(agent.httpUri().resolve("/health")).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
