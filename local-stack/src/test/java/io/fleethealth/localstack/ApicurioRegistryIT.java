package io.fleethealth.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ApicurioRegistryIT {

    @Test
    void shouldServeTheConfluentApiAndLeaveNoProcessBehindWhenClosed() throws Exception {
        Path workDir = Path.of(System.getProperty("fleet.test.dir", "target/test-bed"))
                .resolve("registry-" + UUID.randomUUID());
        long pid;
        try (ApicurioRegistry registry = ApicurioRegistry.start(workDir)) {
            pid = registry.pid();
            HttpResponse<String> subjects = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(registry.ccompatUrl() + "/subjects")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(registry.ccompatUrl().toString()).matches("http://127\\.0\\.0\\.1:\\d+/apis/ccompat/v7");
            assertThat(subjects.statusCode()).isEqualTo(200);
            assertThat(subjects.body()).isEqualTo("[]");
            assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        }

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }
}
