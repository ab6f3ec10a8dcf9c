package io.fleethealth.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.agent.docker.DockerEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A restart takes the container's stop timeout: the engine waits that long for a container that ignores SIGTERM before
 * it kills it. The call's deadline must follow the stop timeout, not the short request timeout of probes (it was
 * 3 x the probe timeout, so a restart that succeeded was reported FAILED).
 */
class RestartDeadlineIT {

    @Test
    void shouldWaitForARestartThatTakesTheWholeStopTimeoutLongerThanTheRequestTimeout() {
        try (TestDocker docker = new TestDocker();
             DockerEngine engine = new DockerEngine(docker.dockerHost(), Duration.ofSeconds(1))) {
            // busybox sh as PID 1 ignores SIGTERM: every stop costs the full stop timeout
            String id = docker.run(Map.of("fleet-health.test.case", "restart-deadline-" + UUID.randomUUID()),
                    "while true; do sleep 1; done");
            Instant before = Instant.parse(docker.startedAt(id));

            long start = System.nanoTime();
            engine.restart(id, Duration.ofSeconds(3));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).as("the engine waited the stop timeout, beyond the 1 s request timeout")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            assertThat(Instant.parse(docker.startedAt(id))).isAfter(before);
            assertThat(engine.inspect(id).state().name()).isEqualTo("RUNNING");
        }
    }
}
