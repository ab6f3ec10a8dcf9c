package io.fleethealth.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleethealth.agent.config.AgentConfig;
import io.fleethealth.contract.settings.Setting;
import io.fleethealth.contract.settings.Settings;
import io.fleethealth.contract.settings.SharedSettings;
import io.fleethealth.localstack.LocalStackSettings;
import io.fleethealth.processor.config.ProcessorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * README.md's settings tables say what the declarations say: every setting of every runnable (processor,
 * agent, local stack, launcher; the CLI reads the shared and the processor's ones) has a row with its
 * default and its accepted range, and no row documents a variable nothing reads.
 */
class SettingsDocumentedTest {

    private static final Path README = Path.of("..", "README.md").toAbsolutePath().normalize();

    /** A row of a settings table: | `KEY` | default | accepted | read by | meaning |. */
    private record Row(String key, String defaultDoc, String accepted) {
    }

    @Test
    void shouldDocumentEveryDeclaredSettingWithItsDefaultAndRange() throws IOException {
        Map<String, Row> documented = settingsTables(Files.readString(README));
        List<Setting<?>> declared = everyDeclaredSetting();

        SoftAssertions softly = new SoftAssertions();
        for (Setting<?> setting : declared) {
            Row row = documented.get(setting.key());
            softly.assertThat(row).as("README row of %s; expected: | `%s` | `%s` | %s | ... |", setting.key(),
                    setting.key(), setting.defaultDoc(), setting.accepted()).isNotNull();
            if (row != null) {
                softly.assertThat(row.defaultDoc()).as("default of %s in README", setting.key())
                        .isEqualTo(setting.defaultDoc());
                softly.assertThat(row.accepted()).as("accepted values of %s in README", setting.key())
                        .isEqualTo(setting.accepted());
            }
        }
        softly.assertThat(documented.keySet()).as("README documents only declared settings")
                .containsExactlyInAnyOrderElementsOf(declared.stream().map(Setting::key).toList());
        softly.assertAll();
    }

    @Test
    void shouldReadTheSharedSettingsThroughOneDeclarationInEveryRunnable() {
        assertThat(ProcessorConfig.SETTINGS).contains(SharedSettings.CHECK_INTERVAL, SharedSettings.HEALTH_TIMEOUT,
                SharedSettings.STOP_TIMEOUT, SharedSettings.KAFKA_BOOTSTRAP_SERVERS, SharedSettings.SCHEMA_REGISTRY_URL);
        assertThat(AgentConfig.SETTINGS).contains(SharedSettings.CHECK_INTERVAL, SharedSettings.HEALTH_TIMEOUT,
                SharedSettings.SESSION_LABEL, SharedSettings.DOCKER_HOST, SharedSettings.KAFKA_BOOTSTRAP_SERVERS,
                SharedSettings.SCHEMA_REGISTRY_URL);
        assertThat(LocalStackSettings.SETTINGS).contains(SharedSettings.LOCAL_DIR);
        assertThat(ProcessorConfig.CROSS_CHECKS).contains(SharedSettings.TIMEOUT_SHORTER_THAN_INTERVAL);
        assertThat(AgentConfig.CROSS_CHECKS).contains(SharedSettings.TIMEOUT_SHORTER_THAN_INTERVAL);
        // Settings.union refuses two declarations of one variable: the launcher's list proves there is one of each.
        assertThat(FleetHealthLocal.SETTINGS).extracting(Setting::key).doesNotHaveDuplicates();
    }

    private static List<Setting<?>> everyDeclaredSetting() {
        List<Setting<?>> all = new ArrayList<>(FleetHealthLocal.SETTINGS);
        assertThat(all).containsAll(Settings.union(ProcessorConfig.SETTINGS, AgentConfig.SETTINGS,
                LocalStackSettings.SETTINGS));
        return all;
    }

    /** The rows of the tables under "## Settings" whose first cell is a `VARIABLE`. */
    private static Map<String, Row> settingsTables(String readme) {
        int start = readme.indexOf("\n## Settings\n");
        assertThat(start).as("README has a Settings section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            String key = unquote(cells[1]);
            if (!key.matches("[A-Z][A-Z0-9_]*")) {
                continue;
            }
            Row previous = rows.put(key, new Row(key, unquote(cells[2]), cells[3].strip()));
            assertThat(previous).as("%s is documented twice", key).isNull();
        }
        return rows;
    }

    private static String unquote(String cell) {
        String s = cell.strip();
        return s.startsWith("`") && s.endsWith("`") && s.length() >= 2 ? s.substring(1, s.length() - 1) : s;
    }
}
