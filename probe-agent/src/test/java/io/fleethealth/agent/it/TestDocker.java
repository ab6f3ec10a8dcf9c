package io.fleethealth.agent.it;

import static org.assertj.core.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The integration tests' own handle on the test engine (DOCKER_HOST): creates labelled busybox containers without
 * network and removes every one of them on {@link #close()}. Fails, never skips, when the engine is not there.
 */
final class TestDocker implements AutoCloseable {

    static final String IMAGE = "fleet-test/busybox:1";
    static final String TEST_LABEL = "fleet-health.test";
    /** Keeps running until stopped; exits 0 on SIGTERM (busybox sh as PID 1 ignores it otherwise). */
    static final String RUN_FOREVER = "trap 'exit 0' TERM; while true; do sleep 1; done";

    private final URI dockerHost;
    private final DockerClient client;
    private final Set<String> created = ConcurrentHashMap.newKeySet();

    TestDocker() {
        this.dockerHost = URI.create(System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock"));
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost.toString()).build();
        this.client = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(60)).build());
        try {
            client.pingCmd().exec();
        } catch (RuntimeException e) {
            fail("No Docker engine at DOCKER_HOST=" + dockerHost + " (" + e + "). Run `sudo scripts/docker-test-engine.sh start`"
                    + " and `export DOCKER_HOST=unix:///run/fleet-docker/docker.sock`, then run the tests again.");
        }
    }

    URI dockerHost() {
        return dockerHost;
    }

    DockerClient client() {
        return client;
    }

    /** Creates and starts a container running {@code script} with {@code sh -c}. */
    String run(Map<String, String> labels, String script) {
        return run(labels, script, null);
    }

    String run(Map<String, String> labels, String script, HealthCheck healthCheck) {
        String id = create(labels, script, healthCheck);
        client.startContainerCmd(id).exec();
        return id;
    }

    String create(Map<String, String> labels, String script, HealthCheck healthCheck) {
        Map<String, String> all = new HashMap<>(labels);
        all.put(TEST_LABEL, "true");
        CreateContainerCmd cmd = client.createContainerCmd(IMAGE)
                .withLabels(all)
                .withCmd("sh", "-c", script)
                .withStopTimeout(1)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"));
        if (healthCheck != null) {
            cmd.withHealthcheck(healthCheck);
        }
        String id = cmd.exec().getId();
        created.add(id);
        return id;
    }

    /** Creates (does not start) a container running {@code command} as is, without a shell. */
    String createWithCommand(Map<String, String> labels, String... command) {
        Map<String, String> all = new HashMap<>(labels);
        all.put(TEST_LABEL, "true");
        String id = client.createContainerCmd(IMAGE)
                .withLabels(all)
                .withCmd(command)
                .withStopTimeout(1)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
                .exec().getId();
        created.add(id);
        return id;
    }

    /** State.StartedAt as the engine reports it (0001-01-01... before the first start). */
    String startedAt(String id) {
        return client.inspectContainerCmd(id).exec().getState().getStartedAt();
    }

    /** A HEALTHCHECK running {@code shellTest} every half second, unhealthy after one failure. */
    static HealthCheck healthCheck(String shellTest) {
        long halfSecond = Duration.ofMillis(500).toNanos(); // the engine wants nanoseconds
        return new HealthCheck()
                .withTest(List.of("CMD-SHELL", shellTest))
                .withInterval(halfSecond)
                .withTimeout(Duration.ofSeconds(2).toNanos())
                .withRetries(1);
    }

    void remove(String id) {
        try {
            client.removeContainerCmd(id).withForce(true).exec();
        } catch (NotFoundException e) {
            // already gone
        }
        created.remove(id);
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (String id : Set.copyOf(created)) {
            try {
                remove(id);
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        try {
            client.close();
        } catch (java.io.IOException e) {
            // nothing left to release
        }
        if (first != null) {
            throw first;
        }
    }
}
