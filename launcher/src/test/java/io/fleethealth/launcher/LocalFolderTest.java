package io.fleethealth.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleethealth.contract.settings.ConfigException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalFolderTest {

    private static final Path DIR = Path.of("/var/tmp/fleet-local");

    @Test
    void shouldKeepTheProcessorAndAgentStateInTheMainJobsFolder() {
        Map<String, String> env = LocalFolder.withStateIn(DIR, Map.of("CONTAINER_FAILURE_THRESHOLD", "4"));

        assertThat(env).containsEntry("PROCESSOR_STATE_DIR", DIR.resolve("processor-state").toString())
                .containsEntry("CONTAINER_AGENT_STATE_DIR", DIR.resolve("agent-state").toString())
                .containsEntry("CONTAINER_FAILURE_THRESHOLD", "4");
    }

    @Test
    void shouldLeaveStateFoldersTheUserChose() {
        Map<String, String> env = LocalFolder.withStateIn(DIR, Map.of("PROCESSOR_STATE_DIR", "/srv/state",
                "CONTAINER_AGENT_STATE_DIR", "/srv/agent"));

        assertThat(env).containsEntry("PROCESSOR_STATE_DIR", "/srv/state")
                .containsEntry("CONTAINER_AGENT_STATE_DIR", "/srv/agent");
    }

    @Test
    void shouldRefuseFreshOnAnExternalClusterWhichKeepsItsData() {
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1",
                "SCHEMA_REGISTRY_URL", "http://127.0.0.1:1/apis/ccompat/v7");

        assertThatThrownBy(() -> FleetHealthLocal.start(env, new PrintStream(PrintStream.nullOutputStream()), true))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--fresh");
    }
}
