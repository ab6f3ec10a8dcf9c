package io.fleethealth.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot be run here (no image registry), so this reads it as Compose would: valid
 * YAML, the four services, each service's settings, and Dockerfiles whose main classes exist.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> SEED_SETTINGS = List.of("CONTAINER_HEALTH_CHECK_INTERVAL",
            "CONTAINER_HEALTH_TIMEOUT", "CONTAINER_MAX_RESTART_ATTEMPTS", "CONTAINER_RESTART_DELAY",
            "CONTAINER_FAILURE_THRESHOLD", "KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services() throws IOException {
        Yaml yaml = new Yaml(new LoaderOptions());
        Map<String, Object> compose = yaml.load(Files.readString(ROOT.resolve("docker-compose.yml")));
        return (Map<String, Object>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) throws IOException {
        return (Map<String, Object>) services().get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(String name) throws IOException {
        return (Map<String, Object>) service(name).get("environment");
    }

    @Test
    void shouldDeclareTheBrokerTheRegistryTheProcessorAndTheAgent() throws IOException {
        assertThat(services()).containsOnlyKeys("kafka", "registry", "health-processor", "probe-agent");
        assertThat((String) service("kafka").get("image")).startsWith("apache/kafka:");
        assertThat((String) service("registry").get("image")).isEqualTo("apicurio/apicurio-registry:3.0.9");
        assertThat(environment("kafka")).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller");
    }

    @Test
    void shouldGiveTheProcessorAndTheAgentEverySeedSetting() throws IOException {
        assertThat(environment("health-processor")).containsKeys(SEED_SETTINGS.toArray(String[]::new));
        assertThat(environment("probe-agent")).containsKeys(SEED_SETTINGS.toArray(String[]::new))
                .containsKeys("HOST_ID", "DOCKER_HOST");
        assertThat(environment("health-processor").get("SCHEMA_REGISTRY_URL").toString()).endsWith("/apis/ccompat/v7");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldMountTheDockerSocketIntoTheAgentOnly() throws IOException {
        assertThat((List<String>) service("probe-agent").get("volumes"))
                .contains("/var/run/docker.sock:/var/run/docker.sock");
        assertThat((List<String>) service("health-processor").get("volumes"))
                .noneMatch(volume -> volume.contains("docker.sock"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldBuildEachAppFromADockerfileWhoseMainClassExists() throws Exception {
        for (String app : List.of("health-processor", "probe-agent")) {
            Map<String, Object> build = (Map<String, Object>) service(app).get("build");
            Path dockerfile = ROOT.resolve((String) build.get("dockerfile"));
            String text = Files.readString(dockerfile);
            Matcher main = Pattern.compile("(io\\.fleethealth\\.[\\w.]+)\"\\]").matcher(text);
            assertThat(main.find()).as(dockerfile + " names a main class").isTrue();
            Class<?> type = Class.forName(main.group(1));
            assertThat(type.getMethod("main", String[].class)).as(main.group(1) + ".main").isNotNull();
        }
    }

    @Test
    void shouldGiveTheProcessorAndTheAgentValuesTheirDeclarationsAccept() throws IOException {
        Map<String, String> processor = asText(environment("health-processor"));
        Map<String, String> agent = asText(environment("probe-agent"));

        assertThat(io.fleethealth.processor.config.ProcessorConfig.fromEnv(processor,
                io.fleethealth.contract.settings.SharedSettings.EXTERNAL_CLUSTER_REQUIRED).httpHost()).isEqualTo("0.0.0.0");
        assertThat(io.fleethealth.agent.config.AgentConfig.fromEnvironment(agent,
                io.fleethealth.contract.settings.SharedSettings.EXTERNAL_CLUSTER_REQUIRED).httpHost()).isEqualTo("0.0.0.0");
    }

    private static Map<String, String> asText(Map<String, Object> environment) {
        Map<String, String> text = new java.util.HashMap<>();
        environment.forEach((key, value) -> text.put(key, String.valueOf(value)));
        return text;
    }
}
