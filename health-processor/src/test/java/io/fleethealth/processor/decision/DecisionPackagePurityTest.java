package io.fleethealth.processor.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The decision is pure: plain Java over the event classes and the contract. No storage format (Jackson), no
 * Kafka client or Streams, no Docker, no metrics: those belong to the shells around it. Reads the sources, so
 * a fully qualified use in the code is caught as well as an import.
 */
class DecisionPackagePurityTest {

    private static final Path SOURCES = Path.of("src/main/java/io/fleethealth/processor/decision");
    /** What the decision may use; everything else is a shell's business. */
    private static final List<String> ALLOWED = List.of("java.", "io.fleethealth.events.", "io.fleethealth.topics.",
            "io.fleethealth.contract.", "io.fleethealth.processor.decision.");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
    private static final Pattern FORBIDDEN_ANYWHERE = Pattern.compile(
            "\\b(com\\.fasterxml|org\\.apache\\.kafka|com\\.github\\.dockerjava|io\\.micrometer)\\.");

    @Test
    void shouldImportNothingButJavaTheEventsAndTheContract() throws IOException {
        List<String> offences = new ArrayList<>();
        List<Path> files = sources();
        for (Path file : files) {
            String source = Files.readString(file);
            Matcher imports = IMPORT.matcher(source);
            while (imports.find()) {
                String imported = imports.group(1);
                if (ALLOWED.stream().noneMatch(imported::startsWith)) {
                    offences.add(file.getFileName() + " imports " + imported);
                }
            }
            Matcher anywhere = FORBIDDEN_ANYWHERE.matcher(source);
            while (anywhere.find()) {
                offences.add(file.getFileName() + " names " + anywhere.group(1));
            }
        }
        assertThat(files).as("the decision sources were found").hasSizeGreaterThan(10);
        assertThat(offences).as("imports outside the pure decision").isEmpty();
    }

    @Test
    void shouldCatchAJacksonImportWhenOneIsThere() {
        String source = "package x;\nimport com.fasterxml.jackson.databind.ObjectMapper;\nclass A {}\n";
        Matcher imports = IMPORT.matcher(source);

        assertThat(imports.find()).isTrue();
        assertThat(ALLOWED.stream().noneMatch(imports.group(1)::startsWith)).isTrue();
        assertThat(FORBIDDEN_ANYWHERE.matcher(source).find()).isTrue();
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }
}
