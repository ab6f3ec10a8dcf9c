package io.fleethealth.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutedCommandsTest {

    @TempDir
    Path stateDir;

    @Test
    void shouldRememberExecutedCommandsAcrossAnAgentRestart() {
        try (ExecutedCommands first = new ExecutedCommands(stateDir)) {
            assertThat(first.record("cmd-1")).isTrue();
            assertThat(first.record("cmd-1")).isFalse();
            assertThat(first.contains("cmd-1")).isTrue();
        }

        try (ExecutedCommands afterRestart = new ExecutedCommands(stateDir)) {
            assertThat(afterRestart.contains("cmd-1")).isTrue();
            assertThat(afterRestart.contains("cmd-2")).isFalse();
            assertThat(afterRestart.record("cmd-2")).isTrue();
        }

        try (ExecutedCommands third = new ExecutedCommands(stateDir)) {
            assertThat(third.contains("cmd-1")).isTrue();
            assertThat(third.contains("cmd-2")).isTrue();
        }
    }

    @Test
    void shouldCreateTheStateDirWhenMissing() {
        try (ExecutedCommands commands = new ExecutedCommands(stateDir.resolve("nested/agent"))) {
            assertThat(commands.contains("x")).isFalse();
        }
        assertThat(stateDir.resolve("nested/agent/executed-commands.log")).exists();
    }

    @Test
    void shouldCutATornLastLineSoTheNextIdIsNotGluedToIt() throws Exception {
        try (ExecutedCommands first = new ExecutedCommands(stateDir)) {
            first.record("cmd-1");
        }
        // a crash in the middle of the next append
        Files.writeString(stateDir.resolve(ExecutedCommands.FILE_NAME), "cmd-2-tor", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        try (ExecutedCommands afterCrash = new ExecutedCommands(stateDir)) {
            assertThat(afterCrash.contains("cmd-2-tor")).isFalse();
            assertThat(afterCrash.record("cmd-3")).isTrue();
        }

        try (ExecutedCommands third = new ExecutedCommands(stateDir)) {
            assertThat(third.contains("cmd-1")).isTrue();
            assertThat(third.contains("cmd-3")).isTrue();
            assertThat(third.size()).isEqualTo(2);
        }
        assertThat(Files.readAllLines(stateDir.resolve(ExecutedCommands.FILE_NAME)))
                .allSatisfy(line -> assertThat(line).matches("cmd-[13]\\t\\d+"));
    }

    @Test
    void shouldForgetIdsOlderThanTheRetentionWhenReopened() {
        MutableClock clock = new MutableClock(Instant.parse("2024-05-01T12:00:00Z"));
        try (ExecutedCommands first = new ExecutedCommands(stateDir, clock, Duration.ofHours(1), 100)) {
            first.record("old");
            clock.advance(Duration.ofMinutes(50));
            first.record("recent");
        }
        clock.advance(Duration.ofMinutes(20));

        try (ExecutedCommands reopened = new ExecutedCommands(stateDir, clock, Duration.ofHours(1), 100)) {
            assertThat(reopened.contains("old")).isFalse();
            assertThat(reopened.contains("recent")).isTrue();
        }
        assertThat(stateDir.resolve(ExecutedCommands.FILE_NAME + ".tmp")).doesNotExist();
    }

    @Test
    void shouldStayBoundedKeepingTheNewestIds() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2024-05-01T12:00:00Z"));
        try (ExecutedCommands commands = new ExecutedCommands(stateDir, clock, Duration.ofHours(1), 10)) {
            for (int i = 0; i < 55; i++) {
                commands.record("cmd-" + i);
                clock.advance(Duration.ofSeconds(1));
            }
            assertThat(commands.contains("cmd-54")).isTrue();
            assertThat(commands.contains("cmd-0")).isFalse();
            assertThat(commands.size()).isLessThanOrEqualTo(20);
        }
        assertThat(Files.readAllLines(stateDir.resolve(ExecutedCommands.FILE_NAME))).hasSizeLessThan(20);
    }

    @Test
    void shouldReadTheOlderIdOnlyFormat() throws Exception {
        Files.writeString(stateDir.resolve(ExecutedCommands.FILE_NAME), "cmd-a\ncmd-b\n", StandardCharsets.UTF_8);

        try (ExecutedCommands commands = new ExecutedCommands(stateDir)) {
            assertThat(commands.contains("cmd-a")).isTrue();
            assertThat(commands.contains("cmd-b")).isTrue();
        }
    }
}
