package io.fleethealth.processor.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.events.ProcessorSettings;
import io.fleethealth.processor.config.ProcessorConfig;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsInForceTest {

    private static final Map<String, String> LIVE = Map.of(
            "CONTAINER_HEALTH_CHECK_INTERVAL", "1",
            "CONTAINER_HEALTH_TIMEOUT", "0.8",
            "CONTAINER_RESTART_DELAY", "1",
            "CONTAINER_RESTART_GRACE", "3",
            "CONTAINER_FAILURE_THRESHOLD", "4",
            "CONTAINER_STOP_TIMEOUT", "2");

    @Test
    void shouldReadTheRecordedSettingsBackAsTheLiveProcessorResolvedThemWithoutItsEnvironment() {
        ProcessorConfig live = ProcessorConfig.fromEnv(LIVE);
        ProcessorSettings recorded = SettingsInForce.record(live, Instant.parse("2026-12-01T03:00:00.123456Z"));

        assertThat(SettingsInForce.decisionSettings(recorded.getSettings(), Map.of()))
                .isEqualTo(live.decisionSettings());
        assertThat(recorded.getSettings())
                .containsEntry("CONTAINER_HEALTH_TIMEOUT", "0.8")
                .containsEntry("CONTAINER_FAILURE_THRESHOLD", "4")
                // derived from the interval at the live start, recorded as resolved
                .containsEntry("CONTAINER_RESTART_EXPIRY", "62")
                .containsEntry("CONTAINER_STALE_AFTER", "3");
        assertThat(recorded.getEffectiveAt()).isEqualTo(Instant.parse("2026-12-01T03:00:00.123Z"));
        assertThat(SettingsInForce.key(recorded)).isEqualTo("fleet-health-processor@2026-12-01T03:00:00.123Z");
    }

    @Test
    void shouldLetAnOverrideWinOverTheRecordedValue() {
        ProcessorSettings recorded = SettingsInForce.record(ProcessorConfig.fromEnv(LIVE), Instant.EPOCH);

        assertThat(SettingsInForce.decisionSettings(recorded.getSettings(),
                Map.of("CONTAINER_FAILURE_THRESHOLD", "7")).failureThreshold()).isEqualTo(7);
    }
}
