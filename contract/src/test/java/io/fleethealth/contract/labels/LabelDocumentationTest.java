package io.fleethealth.contract.labels;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** README.md's label table says what the code accepts: one row per override label, with its accepted values. */
class LabelDocumentationTest {

    private static final Path README = Path.of("../README.md");

    @Test
    void shouldDocumentEveryOverrideLabelWithTheValuesItAccepts() throws IOException {
        List<String> rows = Files.readAllLines(README).stream().filter(line -> line.startsWith("| `fleet-health.")).toList();

        for (OverrideLabel<?> label : OverrideLabel.ALL) {
            assertThat(rows).as("README.md's row for %s", label.key())
                    .filteredOn(row -> row.startsWith("| `" + label.key() + "` |")).singleElement().asString()
                    .contains("| " + label.parser().accepted() + " |");
        }
        assertThat(rows).as("the session label's row").anyMatch(row -> row.startsWith("| `" + Labels.SESSION + "`"));
    }
}
