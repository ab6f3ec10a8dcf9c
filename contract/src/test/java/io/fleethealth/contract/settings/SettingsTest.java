package io.fleethealth.contract.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static final Setting<Integer> COUNT = Setting.of("TEST_COUNT", "how many", 3, ValueParser.intBetween(1, 10));
    private static final Setting<Duration> EVERY = Setting.of("TEST_EVERY", "how often", Duration.ofSeconds(30),
            ValueParser.secondsBetween(1, 60));
    private static final Setting<Duration> LATER = Setting.derived("TEST_LATER", "twice the period", "2 x TEST_EVERY",
            earlier -> earlier.get(EVERY).multipliedBy(2), ValueParser.secondsBetween(1, 600));
    private static final Setting<String> MODE = Setting.of("TEST_MODE", "which way", "fast",
            ValueParser.oneOf(List.of("fast", "safe")));
    private static final Setting<Optional<String>> TOKEN = Setting.secret("TEST_TOKEN", "a password", "(not set)",
            ValueParser.of("digits only", raw -> {
                if (!raw.strip().matches("\\d+")) {
                    throw new IllegalArgumentException("not digits");
                }
                return raw.strip();
            }, v -> v));
    private static final Setting<Optional<URI>> HOOK = Setting.secret("TEST_HOOK", "a webhook", "(not set)",
            ValueParser.httpUrl());
    private static final Setting<Optional<URI>> REGISTRY = Setting.optional("TEST_REGISTRY", "a registry", "(none)",
            ValueParser.httpUrl());
    private static final List<Setting<?>> ALL = List.of(COUNT, EVERY, LATER, MODE, TOKEN, HOOK, REGISTRY);
    private static final CrossCheck LATER_AFTER_EVERY = new CrossCheck(List.of(LATER, EVERY), values ->
            values.get(LATER).compareTo(values.get(EVERY)) > 0 ? Optional.empty()
                    : Optional.of("TEST_LATER must be longer than TEST_EVERY"));

    @Test
    void shouldUseTheDefaultsDerivingLaterOnesFromEarlierOnes() {
        Settings settings = Settings.read(Map.of("TEST_EVERY", "10", "TEST_COUNT", " "), ALL, List.of(LATER_AFTER_EVERY));

        assertThat(settings.get(COUNT)).isEqualTo(3);
        assertThat(settings.isSet(COUNT)).as("blank = unset").isFalse();
        assertThat(settings.get(LATER)).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.get(TOKEN)).isEmpty();
    }

    @Test
    void shouldNameEveryBadVariableAtOnceInDeclarationOrderThenTheCrossChecks() {
        assertThatThrownBy(() -> Settings.read(Map.of(
                "TEST_MODE", "slow", "TEST_COUNT", "11", "TEST_LATER", "5", "TEST_EVERY", "10"), ALL,
                List.of(LATER_AFTER_EVERY)))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.keys()).containsExactly("TEST_COUNT", "TEST_MODE", "TEST_LATER");
                    assertThat(e.problems().get(0).message())
                            .isEqualTo("TEST_COUNT='11' is not accepted: expected a whole number from 1 to 10 (how many)");
                    assertThat(e.problems().get(1).message()).contains("'slow'", "one of fast, safe");
                    assertThat(e.problems().get(2).message()).isEqualTo("TEST_LATER must be longer than TEST_EVERY");
                });
    }

    @Test
    void shouldSkipCrossChecksAndDerivedDefaultsOfABadSetting() {
        assertThatThrownBy(() -> Settings.read(Map.of("TEST_EVERY", "often"), ALL, List.of(LATER_AFTER_EVERY)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.keys()).containsExactly("TEST_EVERY"));
    }

    @Test
    void shouldNeverShowASecretNotEvenWhenItIsBad() {
        assertThatThrownBy(() -> Settings.read(Map.of("TEST_TOKEN", "hunter2"), ALL, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("TEST_TOKEN=(hidden) is not accepted: expected digits only (a password)");

        Settings settings = Settings.read(Map.of("TEST_TOKEN", "123456"), ALL, List.of());
        assertThat(settings.describe()).contains("TEST_TOKEN=****\n").doesNotContain("123456");
        assertThat(settings.toString()).doesNotContain("123456");
    }

    @Test
    void shouldMaskTheWholePathAndQueryOfASecretUrlAndTheUserInfoOfAnyUrl() {
        Settings settings = Settings.read(Map.of(
                "TEST_HOOK", "https://hooks.example.com:8443/services/T000/B000/XXXX?token=abc",
                "TEST_REGISTRY", "http://fleet:pa55word@registry:8081/apis/ccompat/v7"), ALL, List.of());

        assertThat(settings.describe())
                .contains("  TEST_HOOK=https://hooks.example.com:8443/****\n")
                .contains("  TEST_REGISTRY=http://****@registry:8081/apis/ccompat/v7")
                .doesNotContain("XXXX", "token=abc", "pa55word");
        assertThat(settings.get(HOOK)).contains(URI.create("https://hooks.example.com:8443/services/T000/B000/XXXX?token=abc"));
    }

    @Test
    void shouldPrintOneLinePerSettingMarkingTheDefaults() {
        Settings settings = Settings.read(Map.of("TEST_MODE", "SAFE"), ALL, List.of());

        assertThat(settings.describe().lines()).containsExactly(
                "  TEST_COUNT=3 (default)", "  TEST_EVERY=30 (default)", "  TEST_LATER=60 (default)", "  TEST_MODE=safe",
                "  TEST_TOKEN=(not set) (default)", "  TEST_HOOK=(not set) (default)", "  TEST_REGISTRY=(none) (default)");
    }

    @Test
    void shouldRefuseTwoDeclarationsOfOneVariable() {
        Setting<Integer> again = Setting.of("TEST_COUNT", "how many, again", 5, ValueParser.intBetween(1, 5));

        assertThatThrownBy(() -> Settings.union(List.of(COUNT), List.of(again)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("TEST_COUNT is declared twice");
        assertThat(Settings.union(List.of(COUNT, EVERY), List.of(EVERY, MODE))).containsExactly(COUNT, EVERY, MODE);
    }

    @Test
    void shouldRequireASettingOnlyWhereTheRunnableSaysSo() {
        assertThat(Settings.read(Map.of(), ALL, List.of()).get(REGISTRY)).isEmpty();
        assertThatThrownBy(() -> Settings.read(Map.of(), ALL, List.of(CrossCheck.required(REGISTRY, "http://r:8080"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.keys()).containsExactly("TEST_REGISTRY"))
                .hasMessageContaining("TEST_REGISTRY is required here");
    }

    @Test
    void shouldReplaceAValueForALauncherThatStartedTheServiceItself() {
        Settings settings = Settings.read(Map.of(), ALL, List.of())
                .with(REGISTRY, Optional.of(URI.create("http://127.0.0.1:1234")));

        assertThat(settings.get(REGISTRY)).contains(URI.create("http://127.0.0.1:1234"));
        assertThat(settings.isSet(REGISTRY)).isTrue();
    }

    @Test
    void shouldReadDecimalSecondsToTheMillisecondAndRefuseFinerOrOutOfRangeValues() {
        ValueParser<Duration> seconds = ValueParser.decimalSeconds(3_600);

        assertThat(seconds.parse("0.25")).isEqualTo(Duration.ofMillis(250));
        assertThat(seconds.parse("10")).isEqualTo(Duration.ofSeconds(10));
        assertThat(seconds.format(Duration.ofSeconds(10))).isEqualTo("10.0");
        for (String bad : List.of("0", "0.0005", "-1", "3600.001", "NaN", "1e9", "ten")) {
            assertThatThrownBy(() -> seconds.parse(bad)).as(bad).isInstanceOf(RuntimeException.class);
        }
    }
}
