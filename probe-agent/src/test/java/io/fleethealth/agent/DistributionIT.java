package io.fleethealth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The distribution `mvn package` makes for hosts without images: bin/probe-agent runs the agent from lib/. */
class DistributionIT {

    private static Path distribution() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("target"), 4)) {
            return files.filter(p -> p.endsWith(Path.of("bin", "probe-agent"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no bin/probe-agent under target/")).getParent().getParent();
        }
    }

    @Test
    void shouldRunTheAgentFromItsLibAndStopOnABadSettingNamingIt() throws Exception {
        Path home = distribution();
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/probe-agent").toString())
                .redirectErrorStream(true);
        builder.environment().put("CONTAINER_HEALTH_CHECK_INTERVAL", "often");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process agent = builder.start();
        try {
            assertThat(agent.waitFor(60, TimeUnit.SECONDS)).as("exits by itself").isTrue();
            String output = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(agent.exitValue()).as(output).isEqualTo(2);
            assertThat(output).contains("CONTAINER_HEALTH_CHECK_INTERVAL").contains("often");
        } finally {
            agent.destroyForcibly();
        }
    }

    @Test
    void shouldShipAnExampleSystemdUnitThatStartsTheScriptWithTheSocketsGroup() throws Exception {
        Path home = distribution();
        String unit = Files.readString(home.resolve("etc/fleet-health-probe-agent.service"));

        assertThat(unit).containsPattern("(?m)^ExecStart=/opt/fleet-health-probe-agent/bin/probe-agent$")
                .containsPattern("(?m)^SupplementaryGroups=docker$")
                .containsPattern("(?m)^User=fleet-health$")
                .containsPattern("(?m)^RestartPreventExitStatus=2$");
        assertThat(home.resolve("lib")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("probe-agent-"));
        assertThat(Files.isExecutable(home.resolve("bin/probe-agent"))).isTrue();
    }
}
