package io.fleethealth.localstack;

import java.nio.file.Path;
import java.util.Map;

/**
 * Settings of the embedded stack, read from the environment.
 *
 * @param workDir         where the broker keeps its data and the registry its log ({@value #LOCAL_DIR_ENV},
 *                        default {@code ./.local})
 * @param topicPartitions partitions of every provisioned topic ({@value #TOPIC_PARTITIONS_ENV}, default 6)
 */
public record LocalStackSettings(Path workDir, int topicPartitions) {

    public static final String LOCAL_DIR_ENV = "FLEET_LOCAL_DIR";
    public static final String TOPIC_PARTITIONS_ENV = "FLEET_TOPIC_PARTITIONS";
    public static final int MAX_PARTITIONS = 64;

    public LocalStackSettings {
        if (topicPartitions < 1 || topicPartitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("topicPartitions must be from 1 to " + MAX_PARTITIONS
                    + ", was " + topicPartitions);
        }
        workDir = workDir.toAbsolutePath().normalize();
    }

    public static LocalStackSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** Reads the settings from {@code env}; a bad value fails with the variable's name and what it accepts. */
    public static LocalStackSettings fromEnvironment(Map<String, String> env) {
        String dir = env.getOrDefault(LOCAL_DIR_ENV, "").strip();
        Path workDir = dir.isEmpty() ? Path.of(".local") : Path.of(dir);
        return new LocalStackSettings(workDir, partitions(env.get(TOPIC_PARTITIONS_ENV)));
    }

    private static int partitions(String value) {
        if (value == null || value.isBlank()) {
            return TopicProvisioner.DEFAULT_PARTITIONS;
        }
        String accepted = TOPIC_PARTITIONS_ENV + " must be a whole number from 1 to " + MAX_PARTITIONS
                + ", was '" + value + "'";
        try {
            int partitions = Integer.parseInt(value.strip());
            if (partitions < 1 || partitions > MAX_PARTITIONS) {
                throw new IllegalArgumentException(accepted);
            }
            return partitions;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(accepted, e);
        }
    }
}
