package io.fleethealth.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml against the Compose Specification's JSON schema (the version Debian's docker-compose
 * ships, bundled in test resources). That version predates the top-level {@code name:}, which is checked
 * apart and removed first, as `.ci/run` does for the real docker-compose v1.
 */
class ComposeSpecificationTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Error> violations(String composeYaml) throws Exception {
        Map<String, Object> compose = new Yaml(new LoaderOptions()).load(composeYaml);
        ObjectNode document = JSON.valueToTree(compose);
        document.remove("name");
        Schema schema;
        try (InputStream in = ComposeSpecificationTest.class.getResourceAsStream("/compose-spec/compose_spec.json")) {
            ObjectNode spec = (ObjectNode) JSON.readTree(in);
            withoutDraft4Ids(spec);
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09).getSchema(spec);
        }
        return schema.validate(document);
    }

    /**
     * The schema marks its parts with draft-4 style {@code "id": "#/..."} beside a 2019-09 {@code $schema}; the
     * validator refuses the unknown keyword, and nothing refers to those ids. (A property named {@code id} has an
     * object as its value and stays.)
     */
    private static void withoutDraft4Ids(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.path("id").isTextual()) {
                object.remove("id");
            }
            object.forEach(ComposeSpecificationTest::withoutDraft4Ids);
        } else if (node.isArray()) {
            node.forEach(ComposeSpecificationTest::withoutDraft4Ids);
        }
    }

    @Test
    void shouldMatchTheComposeSpecification() throws Exception {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));

        assertThat(violations(compose)).isEmpty();
        assertThat(compose).containsPattern("(?m)^name: fleet-health$");
    }

    @Test
    void shouldCatchAServiceKeyTheSpecificationDoesNotKnow() throws Exception {
        String broken = Files.readString(ROOT.resolve("docker-compose.yml"))
                .replace("    profiles: [alerting]", "    profile: [alerting]");

        assertThat(violations(broken)).isNotEmpty();
    }
}
