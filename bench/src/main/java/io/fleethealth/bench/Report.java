package io.fleethealth.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;

/**
 * Where a benchmark's figures go: stdout, and the same lines appended to {@code bench/target/results/<name>.txt} so
 * that repeated runs can be compared. Every line is self-describing (benchmark, case, figures).
 */
public final class Report {

    private final String name;
    private final Path file;

    public Report(String name) {
        this.name = name;
        this.file = Path.of(System.getProperty("fleet.bench.results", "bench/target/results")).resolve(name + ".txt");
        line("=== " + name + " started " + Instant.now() + " on " + Machine.describe());
    }

    public void line(String format, Object... args) {
        String text = String.format(Locale.ROOT, format, args);
        System.out.println(text);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the results of " + name + " to " + file, e);
        }
    }
}
