package io.fleethealth.launcher.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import io.fleethealth.agent.AgentService;
import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.localstack.testbed.DockerTestEngine;
import io.fleethealth.localstack.testbed.TestBed;
import io.fleethealth.processor.app.ProcessorService;
import io.fleethealth.processor.config.ProcessorConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault: the host's Docker engine turns slow, then fails its answers, then recovers - while the containers themselves
 * are fine. The engine shared by all tests is not restarted; a proxy in front of it delays inspects beyond the probe
 * timeout, then answers them with 500, then passes them again ({@link TroubledEngineProxy}). Agent and processor are
 * the real ones, on the real broker and registry.
 *
 * <p>Verdict from Docker's event stream: no container was killed, stopped or restarted (no restart storm), the
 * unlabelled container was not touched, and the processor raised its host alert. Before the engine breaker, the
 * probe timeouts counted as container failures and every container of the host was restarted.
 */
class EngineTroubleFaultIT {

    private static final Logger log = LoggerFactory.getLogger(EngineTroubleFaultIT.class);
    private static final String FAULT_LABEL = "fleet-health.fault";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldReportASlowThenFailingEngineAsOneHostProblemAndRestartNothing() throws Exception {
        TestBed bed = TestBed.shared();
        DockerClient docker = DockerTestEngine.client();
        String run = bed.uniqueId("engine-trouble");
        String host = run + "-host";

        Map<String, String> env = new HashMap<>();
        env.put("CONTAINER_HEALTH_CHECK_INTERVAL", "1");
        env.put("CONTAINER_HEALTH_TIMEOUT", "0.5");
        env.put("CONTAINER_FAILURE_THRESHOLD", "2");
        env.put("CONTAINER_RESTART_DELAY", "1");
        env.put("CONTAINER_MAX_RESTART_ATTEMPTS", "3");
        env.put("CONTAINER_STOP_TIMEOUT", "1");
        env.put("PROCESSOR_APPLICATION_ID", run);
        env.put("PROCESSOR_STATE_DIR", bed.dir().resolve(run + "-state").toString());
        env.put("PROCESSOR_HTTP_PORT", Integer.toString(AgentKillFaultIT.freePort()));
        env.put("FLEET_ADMIN_TOKEN", "fault-token");
        env.put("HOST_ID", host);
        // A label of this run's own: the engine is shared, and other tests' session containers are none of ours.
        env.put("CONTAINER_SESSION_LABEL", sessionLabel(run));
        env.put("CONTAINER_AGENT_STATE_DIR", bed.dir().resolve(run + "-agent").toString());
        env.put("AGENT_HTTP_PORT", "0");

        ProcessorService processor = null;
        AgentService agent = null;
        Map<String, String> containers = new LinkedHashMap<>();
        try (DockerEventTally tally = DockerEventTally.start(docker, FAULT_LABEL, run);
             TroubledEngineProxy proxy = TroubledEngineProxy.start(DockerTestEngine.dockerHost())) {
            env.put("DOCKER_HOST", proxy.dockerHost());
            processor = ProcessorService.start(ProcessorConfig.fromEnv(env),
                    KafkaClientSettings.plaintext(bed.bootstrapServers()),
                    bed.registryClient(), env);
            assertThat(processor.awaitRunning(Duration.ofSeconds(90))).isTrue();
            for (String name : List.of("a", "b", "c", "unlabelled")) {
                Map<String, String> labels = new HashMap<>(Map.of(FAULT_LABEL, run));
                if (!name.equals("unlabelled")) {
                    labels.put(sessionLabel(run), run + "-" + name);
                }
                String id = DockerTestEngine.createTestContainer(run + "-" + name, labels);
                docker.startContainerCmd(id).exec();
                containers.put(name, id);
            }
            agent = AgentService.start(env, bed.bootstrapServers(), bed.registryUrl());
            ProcessorService p = processor;
            List<String> sessions = List.of(run + "-a", run + "-b", run + "-c");
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(sessions)
                    .allSatisfy(s -> assertThat(status(p, s)).isEqualTo("HEALTHY")));

            proxy.mode(TroubledEngineProxy.Mode.SLOW_INSPECT, 2_000); // 4 x the probe timeout
            Thread.sleep(8_000); // eight intervals, four times the failure threshold
            proxy.mode(TroubledEngineProxy.Mode.FAILING_INSPECT, 0);
            Thread.sleep(5_000);
            proxy.mode(TroubledEngineProxy.Mode.PASS, 0);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(sessions)
                    .allSatisfy(s -> assertThat(status(p, s)).isEqualTo("HEALTHY")));
            Thread.sleep(3_000); // a few more rounds: a late restart would show now

            List<JsonNode> hostAlerts = alerts(processor).stream()
                    .filter(a -> a.path("alertname").asText().equals("DockerEngineTrouble")).toList();
            Map<String, Integer> disturbed = new LinkedHashMap<>();
            containers.forEach((name, id) -> disturbed.put(name, tally.disturbances(id)));
            long troubleRounds = metric(agent.metrics().scrape(), "fleet_agent_engine_trouble_rounds_total");
            log.info("FAULT engine trouble: {} inspects delayed/failed by the proxy, {} agent rounds reported as engine"
                    + " trouble, host alerts {}, kill/stop/die/restart events per container {}",
                    proxy.inspectsTroubled(), troubleRounds,
                    hostAlerts.stream().map(a -> a.path("status").asText()).toList(), disturbed);

            assertThat(proxy.inspectsTroubled()).as("the trouble reached the agent").isGreaterThan(10);
            assertThat(troubleRounds).as("rounds the agent reported as the host's problem").isGreaterThanOrEqualTo(5);
            assertThat(disturbed).as("Docker's word: no container killed, stopped or restarted")
                    .allSatisfy((name, n) -> assertThat(n).as(name).isZero());
            assertThat(hostAlerts).as("the host alert fired").isNotEmpty()
                    .allSatisfy(a -> assertThat(a.path("hostId").asText(a.path("host_id").asText())).contains(host));
            Set<String> fingerprints = hostAlerts.stream().map(a -> a.path("fingerprint").asText())
                    .collect(Collectors.toSet());
            assertThat(fingerprints).as("one host alert, not one per container").hasSize(1);
        } finally {
            if (agent != null) {
                agent.close();
            }
            if (processor != null) {
                processor.close();
            }
            DockerTestEngine.removeTestContainers(FAULT_LABEL, run);
        }
    }

    private static String status(ProcessorService processor, String session) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(processor.apiUri()
                .resolve("/health/container/" + session)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? JSON.readTree(response.body()).path("status").asText() : "none";
    }

    private static List<JsonNode> alerts(ProcessorService processor) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(processor.apiUri()
                .resolve("/api/alerts?limit=200")).GET().build(), HttpResponse.BodyHandlers.ofString());
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(response.body()).path("alerts").forEach(out::add);
        return out;
    }

    private static long metric(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*} ([0-9.E+]+)$").matcher(scrape);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    static String sessionLabel(String run) {
        return "fleet-health.session-" + run;
    }
}
