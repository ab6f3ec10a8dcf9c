package io.fleethealth.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleethealth.contract.settings.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalStackSettingsTest {

    @Test
    void shouldDefaultToDotLocalAndSixPartitions() {
        LocalStackSettings settings = LocalStackSettings.fromEnvironment(Map.of());

        assertThat(settings.workDir()).isEqualTo(Path.of(".local").toAbsolutePath().normalize());
        assertThat(settings.topicPartitions()).isEqualTo(6);
    }

    @Test
    void shouldReadDirAndPartitionsFromTheEnvironment() {
        LocalStackSettings settings = LocalStackSettings.fromEnvironment(
                Map.of("FLEET_LOCAL_DIR", "/var/tmp/fleet", "FLEET_TOPIC_PARTITIONS", " 12 "));

        assertThat(settings.workDir()).isEqualTo(Path.of("/var/tmp/fleet"));
        assertThat(settings.topicPartitions()).isEqualTo(12);
    }

    @Test
    void shouldNameTheVariableAndTheAcceptedValuesWhenPartitionsAreNotANumber() {
        assertThatThrownBy(() -> LocalStackSettings.fromEnvironment(Map.of("FLEET_TOPIC_PARTITIONS", "six")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("FLEET_TOPIC_PARTITIONS='six' is not accepted: expected a whole number from 1 to 64");
    }

    @Test
    void shouldRejectPartitionsOutOfRange() {
        assertThatThrownBy(() -> LocalStackSettings.fromEnvironment(Map.of("FLEET_TOPIC_PARTITIONS", "0")))
                .hasMessageStartingWith("FLEET_TOPIC_PARTITIONS='0' is not accepted: expected a whole number from 1 to 64");
        assertThatThrownBy(() -> LocalStackSettings.fromEnvironment(Map.of("FLEET_TOPIC_PARTITIONS", "65")))
                .hasMessageStartingWith("FLEET_TOPIC_PARTITIONS='65' is not accepted: expected a whole number from 1 to 64");
    }
}
