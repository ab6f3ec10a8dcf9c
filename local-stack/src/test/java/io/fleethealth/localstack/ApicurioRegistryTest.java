package io.fleethealth.localstack;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApicurioRegistryTest {

    @TempDir
    Path tmp;

    @Test
    void shouldTellToBuildFirstWhenTheBundleIsMissing() {
        assertThatThrownBy(() -> ApicurioRegistry.start(tmp.resolve("no-bundle"), tmp.resolve("work")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(ApicurioRegistry.RUNNER_JAR)
                .hasMessageContaining("mvn -B install -DskipTests");
    }

    @Test
    void shouldShowTheChildLogWhenTheRegistryExitsDuringStart() throws Exception {
        Path bundle = Files.createDirectories(tmp.resolve("broken-bundle"));
        Files.writeString(bundle.resolve(ApicurioRegistry.RUNNER_JAR), "not a jar");

        assertThatThrownBy(() -> ApicurioRegistry.start(bundle, tmp.resolve("work")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the registry process exited with 1")
                .hasMessageContaining("--- last lines of ")
                .hasMessageContaining("Invalid or corrupt jarfile");
    }
}
