package io.fleethealth.localstack.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a child JVM with the test's class path and a given environment, the way an operator
 * starts a runnable: for tests of what a start that fails leaves behind (exit status, the one line, no JVM).
 */
public final class ChildJvm {

    /** How a child ended: its exit status and what it wrote. */
    public record Ended(int exitCode, String stdout, String stderr) {

        /** The lines on stderr that are not blank. */
        public List<String> errorLines() {
            return stderr.lines().filter(line -> !line.isBlank()).toList();
        }

        /** Whether any output holds a stack-trace frame. */
        public boolean printedAStackTrace() {
            return (stdout + stderr).lines().anyMatch(line -> line.stripLeading().startsWith("at ")
                    && line.contains("(") && line.startsWith("\t"));
        }
    }

    private ChildJvm() {
    }

    /**
     * Starts {@code mainClass} with exactly {@code env} (plus PATH), waits for it to end within {@code limit}
     * and kills it (failing the test) if it does not.
     *
     * @throws AssertionError when the child is still running after {@code limit}: a JVM left behind
     */
    public static Ended run(Class<?> mainClass, Map<String, String> env, Duration limit, Path workDir) {
        Path out = workDir.resolve(mainClass.getSimpleName() + "-" + System.nanoTime() + ".out");
        Path err = workDir.resolve(mainClass.getSimpleName() + "-" + System.nanoTime() + ".err");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(env);
        Process process;
        try {
            Files.createDirectories(workDir);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(mainClass.getSimpleName() + " still running after " + limit
                        + " (a JVM left behind); its stderr:\n" + read(err));
            }
            return new Ended(process.exitValue(), read(out), read(err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
