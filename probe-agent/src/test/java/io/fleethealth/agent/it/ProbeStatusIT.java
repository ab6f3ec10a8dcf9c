package io.fleethealth.agent.it;

import static io.fleethealth.agent.it.TestDocker.RUN_FOREVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fleethealth.agent.docker.DockerEngine;
import io.fleethealth.agent.probe.ProbeTarget;
import io.fleethealth.events.DockerHealth;
import io.fleethealth.events.DockerState;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every container fate of the issue, probed by a real round against the test engine. */
class ProbeStatusIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TestDocker docker = new TestDocker();
    private final DockerEngine engine = new DockerEngine(docker.dockerHost(), Duration.ofSeconds(10));
    private final AgentFixture agent = new AgentFixture(engine, Duration.ofSeconds(5), 16);

    @AfterEach
    void cleanUp() {
        try {
            agent.close();
            engine.close();
        } finally {
            docker.close();
        }
    }

    private Map<String, String> session(String id) {
        return Map.of(agent.sessionLabel, id);
    }

    private HealthCheckResult awaitRoundResult(String containerId, java.util.function.Predicate<HealthCheckResult> until) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> agent.roundResultFor(containerId), r -> r.isPresent() && until.test(r.get()))
                .orElseThrow();
    }

    @Test
    void shouldReportARunningContainerWithAPassingHealthcheckAsHealthy() {
        String id = docker.run(session("s-healthy"), "touch /tmp/ok; " + RUN_FOREVER, TestDocker.healthCheck("test -f /tmp/ok"));

        HealthCheckResult result = awaitRoundResult(id, r -> r.getDockerHealth() == DockerHealth.HEALTHY);

        assertThat(result.getStatus()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(result.getErrorCategory()).isEqualTo(ErrorCategory.NONE);
        assertThat(result.getDockerState()).isEqualTo(DockerState.RUNNING);
        assertThat(result.getSessionId()).isEqualTo("s-healthy");
        assertThat(result.getImage()).isEqualTo(TestDocker.IMAGE);
        assertThat(result.getStartedAt()).isNotNull();
        assertThat(result.getExitCode()).isNull();
        assertThat(result.getResponseTimeMs()).isPositive();
        assertThat(result.getMetadata()).containsEntry(agent.sessionLabel, "s-healthy").containsEntry("fleet-health.test", "true");
    }

    @Test
    void shouldReportAStartingHealthcheckAsHealthyWithDockerHealthStarting() {
        String id = docker.run(session("s-starting"), RUN_FOREVER, TestDocker.healthCheck("test -f /tmp/ok")
                .withInterval(Duration.ofSeconds(30).toNanos()).withStartPeriod(Duration.ofSeconds(60).toNanos()));

        HealthCheckResult result = agent.roundResultFor(id).orElseThrow();

        assertThat(result.getDockerHealth()).isEqualTo(DockerHealth.STARTING);
        assertThat(result.getStatus()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(result.getErrorCategory()).isEqualTo(ErrorCategory.NONE);
    }

    @Test
    void shouldReportAHealthcheckThatStartsFailingAsUnhealthyWithItsLastOutput() throws InterruptedException {
        String id = docker.run(session("s-sick"), "touch /tmp/ok; " + RUN_FOREVER,
                TestDocker.healthCheck("test -f /tmp/ok || { echo 'missing /tmp/ok'; exit 1; }"));
        awaitRoundResult(id, r -> r.getDockerHealth() == DockerHealth.HEALTHY);
        // only now that HEALTHY was seen does the check start failing, however slow the engine is
        String rm = docker.client().execCreateCmd(id).withCmd("rm", "/tmp/ok").exec().getId();
        docker.client().execStartCmd(rm).start().awaitCompletion(10, TimeUnit.SECONDS);

        HealthCheckResult result = awaitRoundResult(id, r -> r.getStatus() != HealthStatus.HEALTHY);

        assertThat(result.getStatus()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(result.getErrorCategory()).isEqualTo(ErrorCategory.HEALTHCHECK_FAILING);
        assertThat(result.getDockerHealth()).isEqualTo(DockerHealth.UNHEALTHY);
        assertThat(result.getHealthFailingStreak()).isPositive();
        assertThat(result.getLastHealthOutput()).contains("missing /tmp/ok");
        assertThat(result.getErrorMessage()).contains("healthcheck failing").contains("missing /tmp/ok");
    }

    @Test
    void shouldReportAContainerThatExitedWithCodeOneAsFailed() {
        String id = docker.run(session("s-exit"), "exit 1");

        HealthCheckResult result = awaitRoundResult(id, r -> r.getDockerState() == DockerState.EXITED);

        assertThat(result.getStatus()).isEqualTo(HealthStatus.FAILED);
        assertThat(result.getErrorCategory()).isEqualTo(ErrorCategory.EXITED);
        assertThat(result.getExitCode()).isEqualTo(1);
        assertThat(result.getErrorMessage()).isEqualTo("exited with code 1");
        assertThat(result.getMetadata()).containsKey("finishedAt");
    }

    @Test
    void shouldReportAKilledContainerAsFailedWithExitCode137() {
        String id = docker.run(session("s-killed"), RUN_FOREVER);
        docker.client().killContainerCmd(id).exec();

        HealthCheckResult result = awaitRoundResult(id, r -> r.getDockerState() == DockerState.EXITED);

        assertThat(result.getStatus()).isEqualTo(HealthStatus.FAILED);
        assertThat(result.getErrorCategory()).isEqualTo(ErrorCategory.EXITED);
        assertThat(result.getExitCode()).isEqualTo(137);
        assertThat(result.getOomKilled()).isFalse();
    }

    @Test
    void shouldReportAPausedContainerAsUnhealthyAndPaused() {
        String id = docker.run(session("s-paused"), RUN_FOREVER);
        docker.client().pauseContainerCmd(id).exec();
        try {
            HealthCheckResult result = agent.roundResultFor(id).orElseThrow();

            assertThat(result.getDockerState()).isEqualTo(DockerState.PAUSED);
            assertThat(result.getStatus()).isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(result.getErrorCategory()).isEqualTo(ErrorCategory.PAUSED);
        } finally {
            docker.client().unpauseContainerCmd(id).exec();
        }
    }

    @Test
    void shouldReportARemovedContainerAsGoneAndStopListingIt() {
        String id = docker.run(session("s-removed"), RUN_FOREVER);
        assertThat(agent.roundResultFor(id)).isPresent();
        ProbeTarget target = agent.round.lastSeenBySession().get("s-removed");
        docker.remove(id);

        HealthCheckResult result = agent.round.probe(target).join();

        assertThat(result.getStatus()).isEqualTo(HealthStatus.FAILED);
        assertThat(result.getErrorCategory()).isEqualTo(ErrorCategory.CONTAINER_GONE);
        assertThat(result.getSessionId()).isEqualTo("s-removed");
        assertThat(agent.roundResultFor(id)).isEmpty();
    }

    @Test
    void shouldNeverProbeUnlabelledContainersButProbeThoseThatOptedOut() {
        String unlabelled = docker.run(Map.of(), "exit 1");
        String optedOut = docker.run(Map.of(agent.sessionLabel, "s-quiet", "fleet-health.enabled", "false"), "exit 1");
        String watched = docker.run(session("s-watched"), RUN_FOREVER);

        Optional<HealthCheckResult> watchedResult = agent.roundResultFor(watched);
        Optional<HealthCheckResult> optedOutResult = agent.roundResultFor(optedOut);

        assertThat(watchedResult).isPresent();
        assertThat(optedOutResult).hasValueSatisfying(
                r -> assertThat(r.getMetadata()).containsEntry("fleet-health.enabled", "false"));
        assertThat(agent.results).extracting(HealthCheckResult::getContainerId)
                .contains(watched, optedOut)
                .doesNotContain(unlabelled);
    }

    @Test
    void shouldCarryOverrideLabelsInTheMetadata() {
        String id = docker.run(Map.of(agent.sessionLabel, "s-tuned", "fleet-health.failure-threshold", "5",
                "fleet-health.stop-timeout", "20"), RUN_FOREVER);

        HealthCheckResult result = agent.roundResultFor(id).orElseThrow();

        assertThat(result.getMetadata()).containsEntry("fleet-health.failure-threshold", "5")
                .containsEntry("fleet-health.stop-timeout", "20");
    }

    @Test
    void shouldReportAnUnreachableEngineOnceAsUnknownDockerUnreachable() {
        try (DockerEngine nowhere = new DockerEngine(URI.create("unix:///nonexistent/docker.sock"), Duration.ofSeconds(5));
             AgentFixture lonely = new AgentFixture(nowhere, Duration.ofSeconds(5), 4)) {

            var report = lonely.round.run();

            assertThat(report.engineReachable()).isFalse();
            assertThat(report.results()).singleElement().satisfies(r -> {
                assertThat(r.getSessionId()).isEqualTo("host:it-host");
                assertThat(r.getStatus()).isEqualTo(HealthStatus.UNKNOWN);
                assertThat(r.getErrorCategory()).isEqualTo(ErrorCategory.DOCKER_UNREACHABLE);
            });
        }
    }
}
