package io.fleethealth.localstack.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * README's recipe for an engine of your own: {@code scripts/docker-test-engine.sh image} imports a test image
 * into the engine at DOCKER_HOST, and a container of it runs the shell the tests use.
 */
class TestImageScriptIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void shouldImportARunnableTestImageIntoTheEngineAtDockerHost() throws Exception {
        String image = "fleet-test/readme-recipe-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
        try {
            Result imported = run(List.of(ROOT.resolve("scripts/docker-test-engine.sh").toString(), "image"), image);
            assertThat(imported.exitCode()).as(imported.output()).isZero();
            assertThat(imported.output()).contains(image + " is in the engine at " + DockerTestEngine.dockerHost());

            Result echo = run(List.of("docker", "run", "--rm", "--network", "none", "--label", "fleet-test.readme=1",
                    image, "sh", "-c", "touch /tmp/x && echo ok"), image);
            assertThat(echo.exitCode()).as(echo.output()).isZero();
            assertThat(echo.output()).isEqualTo("ok");
        } finally {
            run(List.of("docker", "rmi", "-f", image), image);
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, String image) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DOCKER_HOST", DockerTestEngine.dockerHost());
        builder.environment().put("FLEET_TEST_IMAGE", image);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        return new Result(process.exitValue(), output);
    }
}
