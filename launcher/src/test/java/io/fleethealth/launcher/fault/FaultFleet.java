package io.fleethealth.launcher.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.model.HealthCheck;
import io.fleethealth.agent.AgentService;
import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.localstack.testbed.DockerTestEngine;
import io.fleethealth.processor.app.ProcessorService;
import io.fleethealth.processor.config.ProcessorConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One fault scenario's fleet on the fault bed: containers labelled for this run, agents (in-process,
 * one per simulated host, each watching its own session label key), processors (in-process or child
 * JVMs that can be killed with SIGKILL). Everything it started is stopped by {@link #close()}.
 */
final class FaultFleet implements AutoCloseable {

    static final String RUN_LABEL = "fleet-health.fault";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Healthy until the test removes /tmp/ok; a restart brings it back (the file is touched at start). */
    private static final String FAILS_WHEN_TOLD = "touch /tmp/ok; trap 'exit 0' TERM; while true; do sleep 1; done";

    final FaultBed bed = FaultBed.shared();
    final String run = FaultBed.uniqueId("fault");
    final String applicationId = run + "-processor";
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<ProcessorService, AutoCloseable> processors = new HashMap<>();

    /** The decision settings of every scenario: 1 s intervals, so minutes of fleet life take seconds. */
    Map<String, String> processorEnv(int httpPort) {
        Map<String, String> env = new HashMap<>();
        env.put("CONTAINER_HEALTH_CHECK_INTERVAL", "1");
        env.put("CONTAINER_HEALTH_TIMEOUT", "0.8");
        env.put("CONTAINER_RESTART_DELAY", "1");
        env.put("CONTAINER_RESTART_GRACE", "4");
        env.put("CONTAINER_RESTART_EXPIRY", "5");
        env.put("CONTAINER_MAX_RESTART_ATTEMPTS", "3");
        env.put("CONTAINER_FAILURE_THRESHOLD", "3");
        env.put("CONTAINER_STOP_TIMEOUT", "2");
        env.put("PROCESSOR_APPLICATION_ID", applicationId);
        env.put("PROCESSOR_STATE_DIR", bed.dir().resolve(run + "-state-" + httpPort).toString());
        env.put("PROCESSOR_HTTP_PORT", Integer.toString(httpPort));
        env.put("PROCESSOR_HTTP_HOST", "127.0.0.1");
        env.put("KAFKA_BOOTSTRAP_SERVERS", bed.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", bed.registryUrl().toString());
        env.put("PROCESSOR_HEALTH_COMMIT_STALL", "5");
        return env;
    }

    String labelKey(String host) {
        return "fleet-health.session." + host;
    }

    /** An agent for one simulated host: it watches only containers carrying {@link #labelKey(String)}. */
    AgentService agent(String host) {
        Map<String, String> env = new HashMap<>();
        env.put("CONTAINER_HEALTH_CHECK_INTERVAL", "1");
        env.put("CONTAINER_HEALTH_TIMEOUT", "0.8");
        env.put("HOST_ID", run + "-" + host);
        env.put("CONTAINER_SESSION_LABEL", labelKey(host));
        env.put("DOCKER_HOST", DockerTestEngine.dockerHost());
        env.put("CONTAINER_AGENT_STATE_DIR", bed.dir().resolve(run + "-agent-" + host).toString());
        env.put("AGENT_HTTP_PORT", "0");
        AgentService agent = AgentService.start(env, bed.bootstrapServers(), bed.registryUrl());
        started.add(agent::close);
        return agent;
    }

    /** An in-process processor; closing it is the caller's, or the fleet's at the end. */
    ProcessorService processor(int httpPort) throws InterruptedException {
        Map<String, String> env = processorEnv(httpPort);
        ProcessorService processor = ProcessorService.start(ProcessorConfig.fromEnv(env),
                KafkaClientSettings.plaintext(bed.bootstrapServers()), bed.registryClient(), env);
        AutoCloseable closer = processor::close;
        started.add(closer);
        processors.put(processor, closer);
        if (!processor.awaitRunning(Duration.ofSeconds(90))) {
            throw new IllegalStateException("processor did not reach RUNNING");
        }
        return processor;
    }

    /** Stops an in-process processor (a clean shutdown: the outage of the processor-down scenario). */
    void stop(ProcessorService processor) {
        started.remove(processors.remove(processor));
        processor.close();
    }

    /** A processor in a JVM of its own ({@code ProcessorMain}), which the test can kill with SIGKILL. */
    Process childProcessor(int httpPort) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = bed.dir().resolve(run + "-processor-" + httpPort + ".log");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m",
                "-Djava.io.tmpdir=" + bed.dir().resolve("tmp"),
                "-cp", System.getProperty("java.class.path"), "io.fleethealth.processor.ProcessorMain")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(processorEnv(httpPort));
        bed.dir().resolve("tmp").toFile().mkdirs();
        Process process = builder.start();
        started.add(() -> {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        });
        return process;
    }

    /** A container of this run whose session label is {@code labelKey(host)=session}; started. */
    String container(String name, String host, String session) {
        Map<String, String> labels = Map.of(RUN_LABEL, run, labelKey(host), session);
        String id = DockerTestEngine.createTestContainer(run + "-" + name, labels, cmd -> cmd
                .withCmd("sh", "-c", FAILS_WHEN_TOLD)
                .withHealthcheck(new HealthCheck().withTest(List.of("CMD", "test", "-f", "/tmp/ok"))
                        .withInterval(TimeUnit.SECONDS.toNanos(1)).withTimeout(TimeUnit.SECONDS.toNanos(1))
                        .withRetries(1)));
        DockerTestEngine.client().startContainerCmd(id).exec();
        return id;
    }

    /** Makes a container's health check fail until it is restarted. */
    void makeFail(String containerId) throws InterruptedException {
        ExecCreateCmdResponse exec = DockerTestEngine.client().execCreateCmd(containerId)
                .withCmd("rm", "-f", "/tmp/ok").exec();
        DockerTestEngine.client().execStartCmd(exec.getId()).start().awaitCompletion(10, TimeUnit.SECONDS);
    }

    /** The session as the API at {@code port} shows it, or empty while unknown or the API does not answer. */
    static Optional<JsonNode> session(int port, String session) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/health/container/" + session))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** {@code GET /health} status code at {@code port}, or -1 while nothing answers. */
    static int health(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                System.err.println("fault suite: cleanup step failed: " + e);
            }
        }
        DockerTestEngine.removeTestContainers(RUN_LABEL, run);
    }
}
