package io.fleethealth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** One line about the machine a result was measured on. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        String cpu = cpuModel().orElse("unknown CPU");
        return String.format("%d cores (%s), %d MB max heap, Java %s, %s %s", Runtime.getRuntime().availableProcessors(),
                cpu, Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"),
                System.getProperty("os.name"), System.getProperty("os.version"));
    }

    private static Optional<String> cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
