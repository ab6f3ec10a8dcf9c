package io.fleethealth.agent.it;

import static io.fleethealth.agent.it.TestDocker.RUN_FOREVER;
import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.agent.docker.ContainerEngine;
import io.fleethealth.agent.docker.ContainerSnapshot;
import io.fleethealth.agent.docker.ContainerSummary;
import io.fleethealth.agent.docker.DockerEngine;
import io.fleethealth.agent.probe.RoundReport;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** 20 real containers, 5 of whose probes hang past the timeout: the round still ends in about one timeout. */
class ConcurrencyIT {

    private static final Logger log = LoggerFactory.getLogger(ConcurrencyIT.class);
    // generous enough that a real inspect on a busy 2-core CI machine never times out; the hung ones always do
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final TestDocker docker = new TestDocker();
    private final DockerEngine real = new DockerEngine(docker.dockerHost(), Duration.ofSeconds(10));
    private final Set<String> hanging = new HashSet<>();
    private final AgentFixture agent = new AgentFixture(new HangingEngine(real, hanging), TIMEOUT, 16);

    @AfterEach
    void cleanUp() {
        try {
            agent.close();
            real.close();
        } finally {
            docker.close();
        }
    }

    @Test
    void shouldFinishARoundOfTwentyContainersInAboutOneTimeoutWhenSomeProbesHang() {
        String healthy = null;
        for (int i = 0; i < 20; i++) {
            String id = docker.run(Map.of(agent.sessionLabel, "s-" + i), RUN_FOREVER);
            if (i % 4 == 0) {
                hanging.add(id);
            } else {
                healthy = id;
            }
        }
        real.inspect(healthy); // warm docker-java's response parsing before timing

        long start = System.nanoTime();
        RoundReport report = agent.round.run();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        log.info("Round of 20 containers ({} hanging) took {} ms", hanging.size(), took.toMillis());

        assertThat(report.results()).hasSize(20);
        Map<ErrorCategory, Set<String>> byCategory = report.results().stream().collect(Collectors.groupingBy(
                HealthCheckResult::getErrorCategory, Collectors.mapping(HealthCheckResult::getContainerId, Collectors.toSet())));
        assertThat(byCategory.get(ErrorCategory.PROBE_TIMEOUT)).isEqualTo(hanging);
        assertThat(byCategory.get(ErrorCategory.NONE)).hasSize(15);
        assertThat(report.results()).filteredOn(r -> hanging.contains(r.getContainerId()))
                .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(HealthStatus.UNKNOWN));
        assertThat(took).as("one round bounded by about one probe timeout").isLessThan(TIMEOUT.multipliedBy(3));
    }

    /** The real engine, except that inspecting the chosen containers hangs far past the probe timeout. */
    private record HangingEngine(ContainerEngine delegate, Set<String> hanging) implements ContainerEngine {

        @Override
        public List<ContainerSummary> listLabelled(String labelKey) {
            return delegate.listLabelled(labelKey);
        }

        @Override
        public ContainerSnapshot inspect(String containerId) {
            if (hanging.contains(containerId)) {
                try {
                    Thread.sleep(TIMEOUT.multipliedBy(20).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return delegate.inspect(containerId);
        }

        @Override
        public void restart(String containerId, Duration stopTimeout) {
            delegate.restart(containerId, stopTimeout);
        }

        @Override
        public String version() {
            return delegate.version();
        }

        @Override
        public Subscription subscribe(String labelKey, Listener listener) {
            return delegate.subscribe(labelKey, listener);
        }
    }
}
