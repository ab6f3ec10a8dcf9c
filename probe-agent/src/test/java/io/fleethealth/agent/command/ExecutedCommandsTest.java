package io.fleethealth.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
}
