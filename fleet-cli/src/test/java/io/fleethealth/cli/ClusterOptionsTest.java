package io.fleethealth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleethealth.contract.settings.ConfigException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI falls back to the environment through the same declarations as the processor and the agent. */
class ClusterOptionsTest {

    @Test
    void shouldPreferTheOptionsAndFallBackToTheEnvironment() {
        ClusterOptions options = new ClusterOptions();
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", " broker:9092 ",
                "SCHEMA_REGISTRY_URL", "http://registry:8081/apis/ccompat/v7");

        assertThat(options.kafkaConfigured(Map.of())).isFalse();
        assertThat(options.bootstrapServers(env)).isEqualTo("broker:9092");
        assertThat(options.registryUrl(env)).isEqualTo(URI.create("http://registry:8081/apis/ccompat/v7"));

        options.bootstrapServers = "other:9093";
        assertThat(options.bootstrapServers(env)).isEqualTo("other:9093");
    }

    @Test
    void shouldRefuseABadEnvironmentValueWithTheProcessorsMessage() {
        assertThatThrownBy(() -> new ClusterOptions().bootstrapServers(Map.of("KAFKA_BOOTSTRAP_SERVERS", "broker")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("KAFKA_BOOTSTRAP_SERVERS='broker' is not accepted: expected a comma-separated list of host:port");
        assertThatThrownBy(() -> new ClusterOptions().registryUrl(Map.of("SCHEMA_REGISTRY_URL", "registry:8081")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("SCHEMA_REGISTRY_URL='registry:8081' is not accepted");
    }

    @Test
    void shouldExit2NamingTheVariableWhenACommandMeetsABadValue() {
        StringWriter err = new StringWriter();
        int exit = FleetHealthCommand.commandLine(Map.of("KAFKA_BOOTSTRAP_SERVERS", "broker"), Clock.systemUTC(),
                new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute("export", "--output", Path.of(System.getProperty("java.io.tmpdir"), "cli-bad-env").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("KAFKA_BOOTSTRAP_SERVERS='broker' is not accepted").doesNotContain("\tat ");
    }
}
