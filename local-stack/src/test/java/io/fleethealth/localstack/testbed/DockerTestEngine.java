package io.fleethealth.localstack.testbed;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private Docker engine the tests run containers on. Tests that need it fail with instructions when it is
 * missing; they never skip. Every test container carries {@link #TEST_LABEL} and runs without a network.
 */
public final class DockerTestEngine {

    public static final String TEST_IMAGE = "fleet-test/busybox:1";
    public static final String TEST_LABEL = "fleet-health.test";
    public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";
    /** Idles until stopped; the trap makes {@code docker stop} return within a second instead of the timeout. */
    public static final List<String> IDLE_COMMAND =
            List.of("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done");

    private static final String HOW_TO_START = "Start the test engine with `sudo scripts/docker-test-engine.sh start`,"
            + " then `export DOCKER_HOST=unix:///run/fleet-docker/docker.sock` and run the build again.";
    private static final Logger log = LoggerFactory.getLogger(DockerTestEngine.class);
    private static DockerClient client;

    private DockerTestEngine() {
    }

    /** A client of the engine at {@code DOCKER_HOST}, checked to answer and to hold {@link #TEST_IMAGE}. */
    public static synchronized DockerClient client() {
        if (client == null) {
            DockerClient candidate = connect(dockerHost());
            requireTestImage(candidate);
            client = candidate;
        }
        return client;
    }

    public static String dockerHost() {
        String host = System.getenv("DOCKER_HOST");
        return host == null || host.isBlank() ? DEFAULT_DOCKER_HOST : host;
    }

    /** Creates (does not start) an idle test container with network mode none; returns its id. */
    public static String createTestContainer(String name, Map<String, String> labels) {
        return createTestContainer(name, labels, UnaryOperator.identity());
    }

    /**
     * Same as {@link #createTestContainer(String, Map)}, letting the caller adjust the command (health check,
     * command, ...) before it runs. The test label and network mode none are applied after the caller's changes.
     */
    public static String createTestContainer(String name, Map<String, String> labels,
                                             UnaryOperator<CreateContainerCmd> customize) {
        Map<String, String> allLabels = new HashMap<>(labels);
        allLabels.put(TEST_LABEL, "true");
        CreateContainerCmd cmd = client().createContainerCmd(TEST_IMAGE)
                .withName(name)
                .withCmd(IDLE_COMMAND);
        cmd = customize.apply(cmd);
        HostConfig hostConfig = cmd.getHostConfig() == null ? HostConfig.newHostConfig() : cmd.getHostConfig();
        return cmd.withLabels(allLabels)
                .withHostConfig(hostConfig.withNetworkMode("none"))
                .exec()
                .getId();
    }

    /** Removes one container, running or not; a container already gone is fine. */
    public static void removeContainer(String id) {
        try {
            client().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException alreadyGone) {
            // Nothing left to clean.
        }
    }

    /**
     * Removes every container carrying the test label; returns how many there were. The engine is shared by
     * every module's tests: prefer {@link #removeTestContainers(String, String)} with a label of your own.
     */
    public static int removeTestContainers() {
        return removeMatching(Map.of(TEST_LABEL, "true"));
    }

    /** Removes the test containers that also carry {@code key=value}, e.g. a per-test-class run label. */
    public static int removeTestContainers(String key, String value) {
        return removeMatching(Map.of(TEST_LABEL, "true", key, value));
    }

    private static int removeMatching(Map<String, String> labels) {
        List<Container> containers = client().listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(labels)
                .exec();
        containers.forEach(container -> removeContainer(container.getId()));
        return containers.size();
    }

    static DockerClient connect(String host) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host)
                .build();
        DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(32)
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(30))
                .build();
        DockerClient candidate = DockerClientImpl.getInstance(config, http);
        try {
            candidate.pingCmd().exec();
            return candidate;
        } catch (RuntimeException e) {
            closeQuietly(candidate);
            throw new IllegalStateException("No Docker test engine answers at DOCKER_HOST=" + host + " (" + e
                    + "). " + HOW_TO_START, e);
        }
    }

    private static void requireTestImage(DockerClient candidate) {
        try {
            candidate.inspectImageCmd(TEST_IMAGE).exec();
        } catch (NotFoundException e) {
            closeQuietly(candidate);
            throw new IllegalStateException("The Docker engine at " + dockerHost() + " has no image " + TEST_IMAGE
                    + ", which every test container runs. Import it into that engine (a busybox root filesystem, no"
                    + " registry needed): `DOCKER_HOST=" + dockerHost() + " scripts/docker-test-engine.sh image`"
                    + " (needs busybox-static); see README.md, 'An engine of your own'. " + HOW_TO_START, e);
        }
    }

    private static void closeQuietly(DockerClient candidate) {
        try {
            candidate.close();
        } catch (Exception e) {
            log.warn("Closing the Docker client after a failed check failed too", e);
        }
    }
}
