package io.fleethealth.localstack;

import java.util.concurrent.CountDownLatch;

/** Runs the embedded stack until Ctrl-C: {@code java -cp ... io.fleethealth.localstack.LocalStackMain}. */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        // Quiet broker logs unless the user brings a logback configuration of their own.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "fleet-local-stack-logback.xml");
        }
        LocalStackSettings settings;
        try {
            settings = LocalStackSettings.fromEnvironment();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LocalStack stack = LocalStack.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "local-stack-shutdown"));
        System.out.println("Kafka bootstrap servers: " + stack.bootstrapServers());
        System.out.println("Schema registry (Confluent API): " + stack.registryUrl());
        System.out.println("Data in " + settings.workDir() + ". Press Ctrl-C to stop.");
        stopped.await();
    }
}
