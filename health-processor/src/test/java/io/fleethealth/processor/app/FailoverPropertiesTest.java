package io.fleethealth.processor.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleethealth.contract.kafka.KafkaClientSettings;
import io.fleethealth.contract.settings.ConfigException;
import io.fleethealth.processor.config.ProcessorConfig;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The failover settings reach Kafka Streams: standby replicas, and the group session timeout with its heartbeat. */
class FailoverPropertiesTest {

    private static Properties streams(Map<String, String> env) {
        return HealthProcessorApp.streamsProperties(ProcessorConfig.fromEnv(env),
                KafkaClientSettings.plaintext("127.0.0.1:9092"));
    }

    @Test
    void shouldKeepOneStandbyAndATenSecondSessionByDefault() {
        Properties props = streams(Map.of());

        assertThat(props.get("num.standby.replicas")).isEqualTo(1);
        assertThat(props.get("main.consumer.session.timeout.ms")).isEqualTo(10_000);
        assertThat(props.get("main.consumer.heartbeat.interval.ms")).isEqualTo(3_333);
    }

    @Test
    void shouldTakeTheOperatorsValues() {
        Properties props = streams(Map.of("PROCESSOR_STANDBY_REPLICAS", "0", "PROCESSOR_GROUP_SESSION_TIMEOUT", "6"));

        assertThat(props.get("num.standby.replicas")).isEqualTo(0);
        assertThat(props.get("main.consumer.session.timeout.ms")).isEqualTo(6_000);
        assertThat(props.get("main.consumer.heartbeat.interval.ms")).isEqualTo(2_000);
    }

    @Test
    void shouldStopAtStartOnANegativeStandbyCount() {
        assertThatThrownBy(() -> ProcessorConfig.fromEnv(Map.of("PROCESSOR_STANDBY_REPLICAS", "-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PROCESSOR_STANDBY_REPLICAS");
    }
}
