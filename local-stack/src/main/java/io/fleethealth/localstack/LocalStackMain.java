package io.fleethealth.localstack;

import io.fleethealth.contract.settings.Settings;
import io.fleethealth.contract.start.MainRunner;

/** Runs the embedded stack until Ctrl-C: {@code java -cp ... io.fleethealth.localstack.LocalStackMain}. */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) {
        // Quiet broker logs unless the user brings a logback configuration of their own.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "fleet-local-stack-logback.xml");
        }
        MainRunner.run("local-stack", () -> {
            Settings read = Settings.read(System.getenv(), LocalStackSettings.SETTINGS, java.util.List.of());
            System.out.println("local-stack settings:\n" + read.describe());
            LocalStackSettings settings = LocalStackSettings.of(read);
            LocalStack stack = LocalStack.start(settings);
            System.out.println("Kafka bootstrap servers: " + stack.bootstrapServers());
            System.out.println("Schema registry (Confluent API): " + stack.registryUrl());
            System.out.println("Data in " + settings.workDir() + ". Press Ctrl-C to stop.");
            return stack;
        });
    }
}
