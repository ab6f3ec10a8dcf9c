package io.fleethealth.contract.labels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContainerOverridesTest {

    @Test
    void shouldReadEveryOverrideTrimmedAndInAnyCase() {
        ContainerOverrides all = ContainerOverrides.fromLabels(Map.of(Labels.FAILURE_THRESHOLD, " 4 ",
                Labels.ENABLED, "FALSE", Labels.STOP_TIMEOUT, "30"));

        assertThat(all).isEqualTo(new ContainerOverrides(false, Optional.of(4), Optional.of(30), List.of()));
        assertThat(ContainerOverrides.fromLabels(Map.of(Labels.ENABLED, " True "))).isEqualTo(ContainerOverrides.NONE);
    }

    @Test
    void shouldApplyNoOverrideWithoutLabels() {
        ContainerOverrides none = ContainerOverrides.fromLabels(Map.of("com.docker.compose.project", "x"));

        assertThat(none).isEqualTo(ContainerOverrides.NONE);
        assertThat(none.managed()).isTrue();
        assertThat(none.failureThresholdOr(3)).isEqualTo(3);
        assertThat(none.stopTimeoutOr(10)).isEqualTo(10);
        assertThat(none.invalidText()).isEmpty();
    }

    @Test
    void shouldAcceptTheEdgesOfEachRangeAndRefuseOneBeyond() {
        assertThat(ContainerOverrides.fromLabels(Map.of(Labels.FAILURE_THRESHOLD, "1", Labels.STOP_TIMEOUT, "0")))
                .isEqualTo(new ContainerOverrides(true, Optional.of(1), Optional.of(0), List.of()));
        assertThat(ContainerOverrides.fromLabels(Map.of(Labels.FAILURE_THRESHOLD, "100", Labels.STOP_TIMEOUT, "3600")))
                .isEqualTo(new ContainerOverrides(true, Optional.of(100), Optional.of(3600), List.of()));

        ContainerOverrides beyond = ContainerOverrides.fromLabels(Map.of(Labels.FAILURE_THRESHOLD, "101",
                Labels.STOP_TIMEOUT, "3601"));
        assertThat(beyond.failureThreshold()).isEmpty();
        assertThat(beyond.stopTimeoutSeconds()).isEmpty();
        assertThat(beyond.invalid()).containsExactly("fleet-health.failure-threshold='101'",
                "fleet-health.stop-timeout='3601'");
    }

    @Test
    void shouldNameEveryUnreadableValueAndKeepItsDefault() {
        ContainerOverrides bad = ContainerOverrides.fromLabels(Map.of(Labels.FAILURE_THRESHOLD, "0",
                Labels.STOP_TIMEOUT, "-1", Labels.ENABLED, "maybe"));

        assertThat(bad.managed()).isTrue();
        assertThat(bad.failureThresholdOr(3)).isEqualTo(3);
        assertThat(bad.stopTimeoutOr(10)).isEqualTo(10);
        assertThat(bad.invalid()).containsExactly("fleet-health.enabled='maybe'", "fleet-health.failure-threshold='0'",
                "fleet-health.stop-timeout='-1'");
    }

    @Test
    void shouldSendValidOverridesAsTheyAreAndNameTheInvalidOnes() {
        Map<String, String> metadata = ContainerOverrides.metadataOf(Map.of(Labels.SESSION, "s-1",
                Labels.FAILURE_THRESHOLD, "many", Labels.STOP_TIMEOUT, "15", Labels.ENABLED, "maybe", "app", "x"));

        assertThat(metadata).containsEntry(Labels.STOP_TIMEOUT, "15").containsEntry("app", "x")
                .containsEntry(Labels.SESSION, "s-1")
                .doesNotContainKeys(Labels.FAILURE_THRESHOLD, Labels.ENABLED)
                .containsEntry(Labels.INVALID_OVERRIDES,
                        "fleet-health.enabled='maybe', fleet-health.failure-threshold='many'");
    }

    @Test
    void shouldNotLetAContainerSpeakUnderTheAgentsKey() {
        Map<String, String> metadata = ContainerOverrides.metadataOf(Map.of(Labels.INVALID_OVERRIDES, "forged"));

        assertThat(metadata).doesNotContainKey(Labels.INVALID_OVERRIDES);
        assertThat(ContainerOverrides.fromLabels(Map.of(Labels.INVALID_OVERRIDES, "forged")).invalid()).isEmpty();
    }

    @Test
    void shouldReadBackFromTheMetadataWhatTheLabelsSaid() {
        Map<String, String> labels = Map.of(Labels.FAILURE_THRESHOLD, "7", Labels.STOP_TIMEOUT, "a, fleet-health.x",
                Labels.ENABLED, "no, really");

        ContainerOverrides agent = ContainerOverrides.fromLabels(labels);
        ContainerOverrides processor = ContainerOverrides.fromMetadata(ContainerOverrides.metadataOf(labels));

        assertThat(processor).isEqualTo(agent);
        assertThat(processor.invalid()).containsExactly("fleet-health.enabled='no, really'",
                "fleet-health.stop-timeout='a, fleet-health.x'");
    }

    @Test
    void shouldFlagAnUnreadableOverrideStillInTheMetadataOnce() {
        ContainerOverrides overrides = ContainerOverrides.fromMetadata(Map.of(Labels.FAILURE_THRESHOLD, "three",
                Labels.INVALID_OVERRIDES, "fleet-health.failure-threshold='three'"));

        assertThat(overrides.invalid()).containsExactly("fleet-health.failure-threshold='three'");
        assertThat(overrides.failureThreshold()).isEmpty();
    }
}
