package io.fleethealth.localstack.testbed;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DockerTestEngineTest {

    @Test
    void shouldSayHowToStartTheEngineWhenNoneAnswers() {
        assertThatThrownBy(() -> DockerTestEngine.connect("unix:///nonexistent/fleet-docker.sock"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DOCKER_HOST=unix:///nonexistent/fleet-docker.sock")
                .hasMessageContaining("sudo scripts/docker-test-engine.sh start")
                .hasMessageContaining("export DOCKER_HOST=unix:///run/fleet-docker/docker.sock");
    }
}
