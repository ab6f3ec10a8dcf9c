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
 * docker-compose.yml read as Compose would: the services, each service's settings, volumes that are really
 * used, and Dockerfiles that build from the packaged jars and whose main classes exist.
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
        assertThat(services()).containsOnlyKeys("kafka", "topics", "registry", "health-processor",
                "probe-agent", "alertmanager");
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
    void shouldKeepTheBrokersLogDirsOnItsVolume() throws IOException {
        String logDirs = (String) environment("kafka").get("KAFKA_LOG_DIRS");
        List<String> volumes = (List<String>) service("kafka").get("volumes");

        assertThat(logDirs).isNotBlank();
        assertThat(volumes).anySatisfy(volume -> assertThat(volume).startsWith("kafka-data:").endsWith(":" + logDirs));
    }

    @Test
    void shouldKeepTheSchemasInTheBrokerTheRecordsAreIn() throws IOException {
        Map<String, Object> registry = environment("registry");

        assertThat(registry).containsEntry("APICURIO_STORAGE_KIND", "kafkasql")
                .containsEntry("APICURIO_KAFKASQL_BOOTSTRAP_SERVERS", environment("health-processor")
                        .get("KAFKA_BOOTSTRAP_SERVERS"));
        // Created before the registry with retention forever (the broker's default would drop schemas).
        assertThat(createTopicsScript()).containsPattern("--topic " + registry.get("APICURIO_KAFKASQL_TOPIC")
                + " \\\\\n.*--config retention.ms=-1");
        assertThat(service("registry").get("depends_on").toString()).contains("topics");
    }

    private static String createTopicsScript() throws IOException {
        return Files.readString(ROOT.resolve("deploy/kafka/create-topics.sh"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldCreateEveryTopicOfTheCatalogueWithItsPolicyBeforeAnyServiceUsesIt() throws IOException {
        Map<String, String> scripted = new java.util.HashMap<>();
        Matcher line = Pattern.compile("(?m)^topic (\\S+)\\s+(\\S+)\\s+(\\S+)$").matcher(createTopicsScript());
        while (line.find()) {
            scripted.put(line.group(1), line.group(2) + " " + line.group(3));
        }
        Map<String, String> catalogue = new java.util.HashMap<>();
        for (io.fleethealth.topics.Topic<?> topic : io.fleethealth.topics.Topics.ALL) {
            catalogue.put(topic.name(), topic.compacted() ? "compact -" : "delete " + topic.retention().toMillis());
        }

        assertThat(scripted).isEqualTo(catalogue);
        assertThat((List<String>) service("topics").get("volumes"))
                .contains("./deploy/kafka/create-topics.sh:/opt/fleet-health/create-topics.sh:ro");
        assertThat(service("topics").get("command").toString()).contains("/opt/fleet-health/create-topics.sh");
    }

    @Test
    void shouldNeverGiveEveryHostTheSameHostId() throws IOException {
        String hostId = environment("probe-agent").get("HOST_ID").toString();

        assertThat(hostId).as("HOST_ID: the variable or empty (the engine's name), never a shared constant")
                .matches("\\$\\{HOST_ID(:-)?}");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldStartAlertmanagerOnlyWithTheAlertingProfile() throws IOException {
        assertThat((List<String>) service("alertmanager").get("profiles")).containsExactly("alerting");
        assertThat((List<String>) service("alertmanager").get("volumes"))
                .anySatisfy(v -> assertThat(v).startsWith("./deploy/alertmanager/alertmanager.yml:"));
        assertThat(Files.exists(ROOT.resolve("deploy/alertmanager/alertmanager.yml"))).isTrue();
        assertThat(environment("health-processor")).containsKeys("ALERT_WEBHOOK_URL", "FLEET_ADMIN_TOKEN");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldBuildImagesFromThePackagedJarsRunningAsAUserWithAHealthcheck() throws IOException {
        for (String app : List.of("health-processor", "probe-agent")) {
            Map<String, Object> build = (Map<String, Object>) service(app).get("build");
            String dockerfile = Files.readString(ROOT.resolve((String) build.get("dockerfile")));
            assertThat(dockerfile).as(app).doesNotContainPattern("(?m)^RUN .*\\bmvn\\b")
                    .doesNotContainPattern("(?m)^FROM maven")
                    .contains("COPY " + app + "/target/lib/ /app/lib/")
                    .containsPattern("(?m)^USER [1-9][0-9]*")
                    .containsPattern("(?m)^HEALTHCHECK ");
        }
        assertThat((List<Object>) service("probe-agent").get("group_add")).as("the socket's group").hasSize(1);
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
        // As Compose reads them with the variables unset: ${VAR:-default} is the default.
        environment.forEach((key, value) -> text.put(key,
                String.valueOf(value).replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1")));
        return text;
    }
}
