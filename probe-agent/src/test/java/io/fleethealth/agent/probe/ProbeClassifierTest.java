package io.fleethealth.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.agent.docker.ContainerSnapshot;
import io.fleethealth.contract.labels.Labels;
import io.fleethealth.events.DockerHealth;
import io.fleethealth.events.DockerState;
import io.fleethealth.events.ErrorCategory;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.HealthStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProbeClassifierTest {

    private static final Instant PROBE_TIME = Instant.parse("2024-05-01T12:00:00.987654Z");
    private static final ProbeTarget TARGET = new ProbeTarget("session-1", "c1", "web-1", "img:1",
            Map.of("fleet-health.session", "session-1"));

    private final ProbeClassifier classifier = new ProbeClassifier(new AgentIdentity("host-a", "run1", "1.2.3"));

    @Test
    void shouldReportARunningContainerWithoutHealthcheckAsHealthy() {
        Verdict verdict = ProbeClassifier.verdict(Snapshots.withState(DockerState.RUNNING, 0, false));

        assertThat(verdict.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(verdict.category()).isEqualTo(ErrorCategory.NONE);
        assertThat(verdict.message()).isEmpty();
    }

    @Test
    void shouldReportARunningContainerWithAHealthyHealthcheckAsHealthy() {
        Verdict verdict = ProbeClassifier.verdict(Snapshots.withHealth(DockerHealth.HEALTHY, 0, "ok"));

        assertThat(verdict.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(verdict.category()).isEqualTo(ErrorCategory.NONE);
    }

    @Test
    void shouldNotCountAStartingHealthcheckAsAFailure() {
        Verdict verdict = ProbeClassifier.verdict(Snapshots.withHealth(DockerHealth.STARTING, 1, "not yet"));

        assertThat(verdict.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(verdict.category()).isEqualTo(ErrorCategory.NONE);
        assertThat(verdict.message()).hasValueSatisfying(m -> assertThat(m).contains("starting"));
    }

    @Test
    void shouldReportAFailingHealthcheckAsUnhealthyWithItsLastOutputAndNoCountOfItsOwn() {
        Verdict verdict = ProbeClassifier.verdict(Snapshots.withHealth(DockerHealth.UNHEALTHY, 3, "db down\n"));

        assertThat(verdict.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(verdict.category()).isEqualTo(ErrorCategory.HEALTHCHECK_FAILING);
        // The processor's reason carries the one count ("3 consecutive failure(s): ..."), not Docker's streak.
        assertThat(verdict.message()).hasValue("Docker healthcheck failing: db down");
    }

    @Test
    void shouldReportAnExitedContainerAsFailedWithItsExitCode() {
        Verdict verdict = ProbeClassifier.verdict(Snapshots.withState(DockerState.EXITED, 1, false));

        assertThat(verdict.status()).isEqualTo(HealthStatus.FAILED);
        assertThat(verdict.category()).isEqualTo(ErrorCategory.EXITED);
        assertThat(verdict.message()).contains("exited with code 1");
    }

    @Test
    void shouldReportAnOomKilledContainerAsFailedWithTheOomCategory() {
        Verdict verdict = ProbeClassifier.verdict(Snapshots.withState(DockerState.EXITED, 137, true));

        assertThat(verdict.status()).isEqualTo(HealthStatus.FAILED);
        assertThat(verdict.category()).isEqualTo(ErrorCategory.OOM_KILLED);
        assertThat(verdict.message()).contains("OOM killed (exited with code 137)");
    }

    @Test
    void shouldLookAtTheStateBeforeTheStaleHealthOfAnExitedContainer() {
        // After a stop the engine leaves Health.Status at "unhealthy": the exit is what matters.
        ContainerSnapshot exited = Snapshots.of("c1", DockerState.EXITED, 137, false, DockerHealth.UNHEALTHY, 5, "x", Map.of());

        Verdict verdict = ProbeClassifier.verdict(exited);

        assertThat(verdict.status()).isEqualTo(HealthStatus.FAILED);
        assertThat(verdict.category()).isEqualTo(ErrorCategory.EXITED);
        assertThat(verdict.message()).contains("exited with code 137");
    }

    @Test
    void shouldReportAPausedContainerAsUnhealthyWithThePausedCategory() {
        Verdict verdict = ProbeClassifier.verdict(Snapshots.withState(DockerState.PAUSED, 0, false));

        assertThat(verdict.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(verdict.category()).isEqualTo(ErrorCategory.PAUSED);
        assertThat(verdict.message()).contains("container is paused");
    }

    @ParameterizedTest
    @EnumSource(value = DockerState.class, names = {"CREATED", "RESTARTING", "REMOVING", "DEAD"})
    void shouldReportEveryOtherNotRunningStateAsFailedAndNotRunning(DockerState state) {
        Verdict verdict = ProbeClassifier.verdict(Snapshots.withState(state, 2, false));

        assertThat(verdict.status()).isEqualTo(HealthStatus.FAILED);
        assertThat(verdict.category()).isEqualTo(ErrorCategory.NOT_RUNNING);
        assertThat(verdict.message()).hasValueSatisfying(m -> assertThat(m).isNotBlank());
    }

    @Test
    void shouldReportAnUnknownEngineStateAsUnknown() {
        Verdict verdict = ProbeClassifier.verdict(Snapshots.withState(DockerState.UNKNOWN, 0, false));

        assertThat(verdict.status()).isEqualTo(HealthStatus.UNKNOWN);
    }

    @Test
    void shouldClassifyEveryDockerStateAndHealthCombinationWithoutGaps() {
        for (DockerState state : DockerState.values()) {
            for (DockerHealth health : DockerHealth.values()) {
                Verdict verdict = ProbeClassifier.verdict(Snapshots.of("c", state, 0, false, health, 0, null, Map.of()));
                boolean healthy = verdict.status() == HealthStatus.HEALTHY;
                assertThat(healthy)
                        .as("%s/%s", state, health)
                        .isEqualTo(state == DockerState.RUNNING && health != DockerHealth.UNHEALTHY);
                assertThat(verdict.category() == ErrorCategory.NONE).as("%s/%s", state, health).isEqualTo(healthy);
            }
        }
    }

    @Test
    void shouldReportATimedOutProbeAsUnknown() {
        Verdict verdict = ProbeClassifier.verdict(ProbeFailure.timeout(Duration.ofMillis(1500)));

        assertThat(verdict.status()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(verdict.category()).isEqualTo(ErrorCategory.PROBE_TIMEOUT);
        assertThat(verdict.message()).contains("probe timed out after 1500 ms");
    }

    @Test
    void shouldReportAnUnreachableEngineAsUnknown() {
        Verdict verdict = ProbeClassifier.verdict(ProbeFailure.engineUnreachable("connection refused"));

        assertThat(verdict.status()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(verdict.category()).isEqualTo(ErrorCategory.DOCKER_UNREACHABLE);
    }

    @Test
    void shouldReportAContainerThatIsGoneAsFailed() {
        Verdict verdict = ProbeClassifier.verdict(ProbeFailure.gone("removed"));

        assertThat(verdict.status()).isEqualTo(HealthStatus.FAILED);
        assertThat(verdict.category()).isEqualTo(ErrorCategory.CONTAINER_GONE);
    }

    @Test
    void shouldFillEveryFieldOfAResultFromASnapshot() {
        ContainerSnapshot snapshot = Snapshots.of("c1", DockerState.RUNNING, 0, false, DockerHealth.UNHEALTHY, 4, "boom",
                Map.of("fleet-health.session", "session-1", "fleet-health.failure-threshold", "5", "team", "blue"));

        HealthCheckResult result = classifier.result(TARGET, snapshot, PROBE_TIME, Duration.ofNanos(2_500_000));

        assertThat(result.getCheckId()).isEqualTo("host-a/run1/1");
        assertThat(result.getSequence()).isEqualTo(1);
        assertThat(result.getSessionId()).isEqualTo("session-1");
        assertThat(result.getHostId()).isEqualTo("host-a");
        assertThat(result.getContainerId()).isEqualTo("c1");
        assertThat(result.getContainerName()).isEqualTo("name-c1");
        assertThat(result.getImage()).isEqualTo("fleet-test/busybox:1");
        assertThat(result.getProbeTime()).isEqualTo(Instant.parse("2024-05-01T12:00:00.987Z"));
        assertThat(result.getStatus()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(result.getDockerState()).isEqualTo(DockerState.RUNNING);
        assertThat(result.getDockerHealth()).isEqualTo(DockerHealth.UNHEALTHY);
        assertThat(result.getHealthFailingStreak()).isEqualTo(4);
        assertThat(result.getLastHealthOutput()).isEqualTo("boom");
        assertThat(result.getExitCode()).isNull();
        assertThat(result.getOomKilled()).isFalse();
        assertThat(result.getRestartCount()).isEqualTo(2);
        assertThat(result.getStartedAt()).isEqualTo(Instant.parse("2024-05-01T10:00:00.123Z"));
        assertThat(result.getResponseTimeMs()).isEqualTo(2.5);
        assertThat(result.getErrorCategory()).isEqualTo(ErrorCategory.HEALTHCHECK_FAILING);
        assertThat(result.getErrorMessage()).isEqualTo("Docker healthcheck failing: boom");
        assertThat(result.getMetadata()).containsEntry("fleet-health.failure-threshold", "5")
                .containsEntry("team", "blue").containsEntry("fleet-health.session", "session-1");
        assertThat(result.getAgentVersion()).isEqualTo("1.2.3");
    }

    @Test
    void shouldCarryTheExitCodeAndFinishTimeOfAStoppedContainer() {
        HealthCheckResult result = classifier.result(TARGET, Snapshots.withState(DockerState.EXITED, 3, false),
                PROBE_TIME, Duration.ZERO);

        assertThat(result.getExitCode()).isEqualTo(3);
        assertThat(result.getMetadata()).containsEntry("finishedAt", Snapshots.STARTED.plusSeconds(60).toString());
    }

    @Test
    void shouldNumberResultsWithAPerAgentSequenceAndUniqueCheckIds() {
        HealthCheckResult first = classifier.result(TARGET, Snapshots.running("c1"), PROBE_TIME, Duration.ZERO);
        HealthCheckResult second = classifier.result(TARGET, ProbeFailure.timeout(Duration.ofSeconds(1)), PROBE_TIME, Duration.ZERO);
        HealthCheckResult third = new ProbeClassifier(new AgentIdentity("host-a", "run2", "1.2.3"))
                .result(TARGET, Snapshots.running("c1"), PROBE_TIME, Duration.ZERO);

        assertThat(first.getSequence()).isEqualTo(1);
        assertThat(second.getSequence()).isEqualTo(2);
        assertThat(second.getCheckId()).isEqualTo("host-a/run1/2");
        assertThat(third.getCheckId()).as("a new agent run never reuses an id").isEqualTo("host-a/run2/1");
    }

    @Test
    void shouldBuildAFailureResultFromTheTargetKnownBeforeTheProbe() {
        HealthCheckResult result = classifier.result(TARGET, ProbeFailure.timeout(Duration.ofSeconds(2)), PROBE_TIME,
                Duration.ofSeconds(2));

        assertThat(result.getSessionId()).isEqualTo("session-1");
        assertThat(result.getContainerId()).isEqualTo("c1");
        assertThat(result.getContainerName()).isEqualTo("web-1");
        assertThat(result.getDockerState()).isEqualTo(DockerState.UNKNOWN);
        assertThat(result.getStatus()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(result.getErrorCategory()).isEqualTo(ErrorCategory.PROBE_TIMEOUT);
        assertThat(result.getResponseTimeMs()).isEqualTo(2000.0);
    }

    @Test
    void shouldReplaceInvalidOverrideValuesInTheMetadataByOneEntryNamingThem() {
        Map<String, String> metadata = ProbeClassifier.metadata(Map.of(
                "fleet-health.failure-threshold", "many",
                "fleet-health.stop-timeout", "15",
                "fleet-health.enabled", "maybe",
                "app", "x"));

        assertThat(metadata).containsEntry("fleet-health.stop-timeout", "15").containsEntry("app", "x")
                .doesNotContainKeys("fleet-health.failure-threshold", "fleet-health.enabled");
        assertThat(metadata.get(Labels.INVALID_OVERRIDES))
                .contains("fleet-health.failure-threshold='many'", "fleet-health.enabled='maybe'");
    }

    @Test
    void shouldCoverEveryErrorCategoryTheAgentCanProduce() {
        EnumSet<ErrorCategory> produced = EnumSet.noneOf(ErrorCategory.class);
        for (DockerState state : DockerState.values()) {
            for (DockerHealth health : DockerHealth.values()) {
                for (boolean oom : new boolean[] {false, true}) {
                    produced.add(ProbeClassifier.verdict(Snapshots.of("c", state, 0, oom, health, 0, null, Map.of())).category());
                }
            }
        }
        produced.add(ProbeClassifier.verdict(ProbeFailure.timeout(Duration.ofSeconds(1))).category());
        produced.add(ProbeClassifier.verdict(ProbeFailure.engineUnreachable("x")).category());
        produced.add(ProbeClassifier.verdict(ProbeFailure.gone("x")).category());

        assertThat(produced).containsAll(EnumSet.complementOf(EnumSet.of(ErrorCategory.OTHER)));
    }
}
