package io.fleethealth.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every record, enum and field of every event says what it means. */
class SchemaDocumentationTest {

    static List<Class<? extends SpecificRecord>> recordTypes() {
        return SchemaCompatibilityTest.recordTypes().toList();
    }

    /** Where docs are missing: a record or enum by its full name, a field as {@code Record.field}. */
    static List<String> undocumented(Schema schema) {
        List<String> missing = new ArrayList<>();
        walk(schema, new HashSet<>(), missing);
        return missing;
    }

    private static void walk(Schema schema, Set<String> seen, List<String> missing) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                requireDoc(schema.getDoc(), schema.getFullName(), missing);
                for (Schema.Field field : schema.getFields()) {
                    requireDoc(field.doc(), schema.getName() + "." + field.name(), missing);
                    walk(field.schema(), seen, missing);
                }
            }
            case ENUM -> {
                if (seen.add(schema.getFullName())) {
                    requireDoc(schema.getDoc(), schema.getFullName(), missing);
                }
            }
            case UNION -> schema.getTypes().forEach(branch -> walk(branch, seen, missing));
            case ARRAY -> walk(schema.getElementType(), seen, missing);
            case MAP -> walk(schema.getValueType(), seen, missing);
            default -> { }
        }
    }

    private static void requireDoc(String doc, String where, List<String> missing) {
        if (doc == null || doc.isBlank()) {
            missing.add(where);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordTypes")
    void shouldDocumentTheRecordEveryFieldAndEveryNestedType(Class<? extends SpecificRecord> type) {
        Schema current = SchemaCompatibilityTest.currentSchema(type);

        assertThat(undocumented(current)).isEmpty();
        assertThat(current.getFields()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordTypes")
    void shouldDocumentEveryReleasedVersionToo(Class<? extends SpecificRecord> type) {
        assertThat(SchemaHistory.releasedVersions(type)).allSatisfy(version -> assertThat(undocumented(version)).isEmpty());
    }

    @Test
    void shouldFindAnUndocumentedFieldEnumAndRecord() {
        Schema color = SchemaBuilder.enumeration("Color").namespace("test").symbols("RED", "GREEN");
        Schema schema = SchemaBuilder.record("Undocumented").namespace("test").doc("  ").fields()
                .name("documented").doc("Has a doc.").type().stringType().noDefault()
                .name("bare").type().intType().noDefault()
                .name("colors").doc("Colors.").type().array().items(color).noDefault()
                .endRecord();

        assertThat(undocumented(schema)).containsExactly("test.Undocumented", "Undocumented.bare", "test.Color");
    }
}
