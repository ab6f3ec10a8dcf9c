package io.fleethealth.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleethealth.events.AgentHeartbeat;
import io.fleethealth.events.HealthCheckResult;
import io.fleethealth.events.RestartOutcome;
import io.fleethealth.events.SessionControl;
import io.fleethealth.topics.Topics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Old and new agents and processors share the topics during a rollout, so the current schema of every
 * event must read every released version (backward) and be readable by it (forward).
 */
class SchemaCompatibilityTest {

    @SuppressWarnings("unchecked")
    static Stream<Class<? extends SpecificRecord>> recordTypes() {
        return Topics.ALL.stream()
                .map(topic -> topic.valueType())
                .filter(SpecificRecord.class::isAssignableFrom)
                .distinct()
                .map(type -> (Class<? extends SpecificRecord>) type);
    }

    static Schema currentSchema(Class<? extends SpecificRecord> type) {
        try {
            return (Schema) type.getMethod("getClassSchema").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " is not a generated Avro class", e);
        }
    }

    /**
     * Everything that keeps {@code current} and {@code earlier} from reading each other's data, one line per
     * problem, each prefixed with the direction that breaks; empty when they are fully compatible.
     */
    static List<String> incompatibilities(Schema current, Schema earlier) {
        List<String> problems = new ArrayList<>();
        describe("BACKWARD (new reader, old data)", current, earlier, problems);
        describe("FORWARD (old reader, new data)", earlier, current, problems);
        return problems;
    }

    private static void describe(String direction, Schema reader, Schema writer, List<String> problems) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            problems.add(direction + ": " + incompatibility.getType() + " at " + incompatibility.getLocation()
                    + ": " + incompatibility.getMessage());
        }
    }

    // ---- the real schemas ----------------------------------------------------------------------------

    @Test
    void shouldKeepAHistoryForEachOfTheNineEventSchemas() {
        assertThat(recordTypes()).hasSize(9)
                .allSatisfy(type -> assertThat(SchemaHistory.releasedVersions(type)).isNotEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordTypes")
    void shouldStayBackwardAndForwardCompatibleWithEveryReleasedVersion(Class<? extends SpecificRecord> type) {
        Schema current = currentSchema(type);
        List<Schema> released = SchemaHistory.releasedVersions(type);

        for (int version = 1; version <= released.size(); version++) {
            assertThat(incompatibilities(current, released.get(version - 1)))
                    .as("%s against released v%d", type.getSimpleName(), version)
                    .isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordTypes")
    void shouldHaveReleasedTheCurrentSchemaAsItsLatestVersion(Class<? extends SpecificRecord> type) throws IOException {
        List<Schema> released = SchemaHistory.releasedVersions(type);
        Schema latest = released.get(released.size() - 1);

        assertThat(normalized(currentSchema(type)))
                .as("%s changed since v%d: keep the new version as schema-history/%s/v%d.avsc",
                        type.getSimpleName(), released.size(), type.getSimpleName(), released.size() + 1)
                .isEqualTo(normalized(latest));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordTypes")
    void shouldKeepEachReleasedVersionAsAStandaloneRecordOfTheSameName(Class<? extends SpecificRecord> type) {
        assertThat(SchemaHistory.releasedVersions(type)).allSatisfy(version -> {
            assertThat(version.getType()).isEqualTo(Schema.Type.RECORD);
            assertThat(version.getFullName()).isEqualTo(type.getName());
        });
    }

    // ---- the check itself ------------------------------------------------------------------------------

    @Test
    void shouldAcceptAnOlderWriterThatLackedFieldsWhichNowHaveDefaults() {
        Schema older = TestSchemas.load("evolution/HealthCheckResult-before-agent-version.avsc");

        assertThat(incompatibilities(HealthCheckResult.getClassSchema(), older)).isEmpty();
    }

    @Test
    void shouldAcceptANewerVersionWithAnOptionalFieldAndAnEnumSymbolCoveredByTheDefault() {
        Schema newer = TestSchemas.load("evolution/SessionControl-with-drain.avsc");

        assertThat(incompatibilities(newer, SessionControl.getClassSchema())).isEmpty();
    }

    @Test
    void shouldRejectANewRequiredFieldWithoutDefaultBecauseOldDataLacksIt() {
        Schema withRequiredRegion = TestSchemas.load("incompatible/HealthCheckResult-required-region.avsc");

        assertThat(incompatibilities(withRequiredRegion, released(HealthCheckResult.class)))
                .singleElement().asString()
                .startsWith("BACKWARD")
                .contains("READER_FIELD_MISSING_DEFAULT")
                .contains("region");
    }

    @Test
    void shouldRejectRemovingAnEnumDefaultAndItsSymbolBecauseOldDataHoldsIt() {
        Schema withoutDefault = TestSchemas.load("incompatible/SessionControl-enum-without-default.avsc");

        assertThat(incompatibilities(withoutDefault, released(SessionControl.class)))
                .singleElement().asString()
                .startsWith("BACKWARD")
                .contains("MISSING_ENUM_SYMBOLS")
                .contains("UNRECOGNIZED");
    }

    @Test
    void shouldRejectRemovingARequiredFieldBecauseOldReadersNeedIt() {
        Schema withoutHostId = TestSchemas.load("incompatible/AgentHeartbeat-without-host-id.avsc");

        assertThat(incompatibilities(withoutHostId, released(AgentHeartbeat.class)))
                .singleElement().asString()
                .startsWith("FORWARD")
                .contains("READER_FIELD_MISSING_DEFAULT")
                .contains("hostId");
    }

    @Test
    void shouldRejectChangingAFieldTypeInBothDirections() {
        Schema durationAsString = TestSchemas.load("incompatible/RestartOutcome-duration-as-string.avsc");

        List<String> problems = incompatibilities(durationAsString, released(RestartOutcome.class));

        assertThat(problems).hasSize(2).allSatisfy(p -> assertThat(p).contains("TYPE_MISMATCH").contains("/fields/8"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("BACKWARD"))
                .anySatisfy(p -> assertThat(p).startsWith("FORWARD"));
    }

    private static Schema released(Class<? extends SpecificRecord> type) {
        return SchemaHistory.releasedVersions(type).get(0);
    }

    /** The schema as JSON without docs and Java-only hints, which change nothing on the wire. */
    private static JsonNode normalized(Schema schema) throws IOException {
        return strip(new ObjectMapper().readTree(schema.toString()));
    }

    private static JsonNode strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(List.of("doc", "avro.java.string"));
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                field.setValue(strip(field.getValue()));
            }
            // {"type": "string"} and "string" are the same schema
            return object.size() == 1 && object.has("type") ? object.get("type") : object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, strip(array.get(i)));
            }
        }
        return node;
    }
}
