package io.fleethealth.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.fleethealth.contract.settings.SharedSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The labelled busybox containers of benchmarks 3 and 4 on the Docker test engine (network none). Leftovers of an
 * earlier run are removed at start, everything is removed at close.
 */
final class BenchContainers implements AutoCloseable {

    static final String IMAGE = "fleet-test/busybox:1";
    static final String BENCH_LABEL = "fleet-health.bench";
    // Its own session label: the round lists by this label, and other test containers on a shared engine carry
    // the default one.
    static final String SESSION_LABEL = "fleet-bench.session";
    // PID 1 exits on SIGTERM; one long sleep instead of a 1 s loop keeps 500 idle containers from forking 500
    // processes a second, which would load the machine being measured.
    private static final String[] COMMAND = {"sh", "-c", "trap 'exit 0' TERM; while true; do sleep 3600 & wait $!; done"};
    private static final int THREADS = 4;

    private final DockerClient docker;
    private final URI dockerHost;
    private final List<String> ids = new ArrayList<>();

    BenchContainers() {
        // The agent's declaration: same default and range (scripts/bench.sh points it at the private engine).
        this.dockerHost = SharedSettings.DOCKER_HOST.resolve(System.getenv(SharedSettings.DOCKER_HOST.key()), null);
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost.toString()).build();
        this.docker = DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).maxConnections(THREADS * 2)
                .responseTimeout(Duration.ofSeconds(60)).build());
        try {
            docker.versionCmd().exec();
        } catch (RuntimeException e) {
            throw new IllegalStateException("No Docker engine at " + dockerHost
                    + ": start it with scripts/docker-test-engine.sh start", e);
        }
        removeAll();
    }

    URI dockerHost() {
        return dockerHost;
    }

    DockerClient docker() {
        return docker;
    }

    List<String> ids() {
        return List.copyOf(ids);
    }

    /** Creates and starts containers until {@code total} exist, with a few threads. */
    void growTo(int total) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<String>> created = new ArrayList<>();
            for (int i = ids.size(); i < total; i++) {
                int index = i;
                created.add(pool.submit(() -> createAndStart(index)));
            }
            for (Future<String> f : created) {
                ids.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private String createAndStart(int index) {
        String id = docker.createContainerCmd(IMAGE)
                .withName("fleet-bench-" + index)
                .withCmd(COMMAND)
                .withLabels(Map.of(BENCH_LABEL, "true", SESSION_LABEL, "bench-session-" + index))
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
                .exec().getId();
        docker.startContainerCmd(id).exec();
        return id;
    }

    void kill(String id) {
        docker.killContainerCmd(id).exec();
    }

    /** The engine's pid, for its CPU time; -1 when the pid file is not readable. */
    static long dockerdPid() {
        try {
            return Long.parseLong(Files.readString(Path.of("/run/fleet-docker/dockerd.pid")).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    void removeAll() {
        List<Container> all = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(BENCH_LABEL, "true")).exec();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> removals = new ArrayList<>();
            for (Container c : all) {
                removals.add(pool.submit(() -> {
                    try {
                        docker.removeContainerCmd(c.getId()).withForce(true).exec();
                    } catch (NotFoundException e) {
                        // already gone
                    }
                }));
            }
            for (Future<?> f : removals) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot remove the benchmark containers", e);
        } finally {
            pool.shutdownNow();
        }
        ids.clear();
    }

    @Override
    public void close() throws IOException {
        try {
            removeAll();
        } finally {
            docker.close();
        }
    }
}
