package io.fleethealth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The command line prints what it was asked for and no logging-framework noise: its real run-time class path
 * (written by the build, see the pom) holds one logging configuration, its own, and a child JVM started on it
 * prints no logback status line.
 */
class CliLoggingTest {

    private static final Path RUNTIME_CLASSPATH = Path.of("target/runtime.classpath");
    private static final Path CLASSES = Path.of("target/classes");

    @Test
    void shouldPrintNoLoggingFrameworkNoise() throws Exception {
        Run help = cli("--help");

        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage: fleet-health");
        assertThat(help.output().lines()).as("logback status lines")
                .noneMatch(line -> line.contains("|-") || line.toLowerCase().contains("logback"));
    }

    /**
     * The control: logging does initialise during --help (the command line applies its configuration at start), so
     * status lines, had logback any to report, would be printed and seen. Logback's console status listener shows
     * them all.
     */
    @Test
    void shouldSeeLogbackStatusLinesWhenAskedFor() throws Exception {
        Run verbose = cli("-Dlogback.statusListenerClass=ch.qos.logback.core.status.OnConsoleStatusListener", "--help");

        assertThat(verbose.output()).contains("|-INFO").contains("fleet-cli-logback.xml");
    }

    @Test
    void shouldHaveExactlyOneLoggingConfigurationOnTheClassPath() throws IOException {
        try (URLClassLoader cli = new URLClassLoader(classPath().stream().map(CliLoggingTest::url).toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            assertThat(Collections.list(cli.getResources("logback.xml"))).as("a jar shipping logback.xml").isEmpty();
            assertThat(Collections.list(cli.getResources("logback-test.xml"))).isEmpty();
            assertThat(Collections.list(cli.getResources("fleet-cli-logback.xml"))).hasSize(1);
        }
    }

    private record Run(int exitCode, String output) {
    }

    /** Runs the command line in a child JVM; JVM options first (those starting with -D), then its arguments. */
    private static Run cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.fleethealth");
        List<String> cliArgs = new ArrayList<>();
        for (String arg : args) {
            (arg.startsWith("-D") ? command : cliArgs).add(arg);
        }
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath()));
        command.add(FleetHealthCommand.class.getName());
        command.addAll(cliArgs);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the command line ended").isTrue();
            return new Run(process.exitValue(), output);
        } finally {
            process.destroyForcibly();
        }
    }

    private static List<String> classPath() throws IOException {
        assertThat(RUNTIME_CLASSPATH).as("written by the build (mvn ... verify -pl fleet-cli -am)").exists();
        List<String> entries = new ArrayList<>();
        entries.add(CLASSES.toAbsolutePath().toString());
        for (String entry : Files.readString(RUNTIME_CLASSPATH).trim().split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private static URL url(String entry) {
        try {
            return Path.of(entry).toUri().toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(entry, e);
        }
    }
}
