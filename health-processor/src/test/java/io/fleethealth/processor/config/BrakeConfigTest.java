package io.fleethealth.processor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleethealth.contract.settings.ConfigException;
import io.fleethealth.contract.settings.Setting;
import io.fleethealth.processor.brake.BrakeSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BrakeConfigTest {

    @Test
    void shouldStartWithTheOperatorsDefaults() {
        BrakeSettings brake = ProcessorConfig.fromEnv(Map.of()).brakeSettings();

        assertThat(brake).isEqualTo(new BrakeSettings(false, Duration.ofSeconds(120), 5, 30, Duration.ofSeconds(300),
                2, 20, 5));
        assertThat(brake).isEqualTo(BrakeSettings.defaults().withEnabled(false));
    }

    @Test
    void shouldReadEveryBrakeSettingFromTheEnvironment() {
        BrakeSettings brake = ProcessorConfig.fromEnv(Map.of("FLEET_BRAKE_ENABLED", "FALSE",
                "FLEET_BRAKE_WINDOW", "30", "FLEET_BRAKE_MIN_SESSIONS", "8", "FLEET_BRAKE_MIN_PERCENT", "50",
                "FLEET_BRAKE_CLOSE_AFTER", "0", "FLEET_BRAKE_HOST_RESTARTS_PER_MINUTE", "1",
                "FLEET_BRAKE_FLEET_RESTARTS_PER_MINUTE", "7")).brakeSettings();

        assertThat(brake).isEqualTo(new BrakeSettings(false, Duration.ofSeconds(30), 8, 50, Duration.ZERO, 1, 7, 5));
    }

    @ParameterizedTest
    @CsvSource({"FLEET_BRAKE_ENABLED,yes", "FLEET_BRAKE_WINDOW,0", "FLEET_BRAKE_MIN_SESSIONS,1",
            "FLEET_BRAKE_MIN_PERCENT,101", "FLEET_BRAKE_MIN_PERCENT,0", "FLEET_BRAKE_CLOSE_AFTER,-1",
            "FLEET_BRAKE_HOST_RESTARTS_PER_MINUTE,0", "FLEET_BRAKE_FLEET_RESTARTS_PER_MINUTE,many"})
    void shouldStopOnABadValueNamingTheVariable(String key, String value) {
        assertThatThrownBy(() -> ProcessorConfig.fromEnv(Map.of(key, value)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(key).hasMessageContaining(value);
    }

    @Test
    void shouldDocumentEveryBrakeSettingInTheReadmeWithItsDefaultAndRange() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (Setting<?> setting : BrakeConfig.SETTINGS) {
            assertThat(ProcessorConfig.SETTINGS).contains(setting);
            String row = "| `" + setting.key() + "` | `" + setting.defaultDoc() + "` | " + setting.parser().accepted()
                    + " | processor | ";
            assertThat(readme).as("README row of %s", setting.key()).contains(row);
        }
    }
}
