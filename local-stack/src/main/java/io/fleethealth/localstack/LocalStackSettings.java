package io.fleethealth.localstack;

import io.fleethealth.contract.settings.Setting;
import io.fleethealth.contract.settings.Settings;
import io.fleethealth.contract.settings.SharedSettings;
import io.fleethealth.contract.settings.ValueParser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Settings of the embedded stack, declared as data and read from the environment.
 *
 * @param workDir         where the broker keeps its data and the registry its log (FLEET_LOCAL_DIR)
 * @param topicPartitions partitions of every provisioned topic (FLEET_TOPIC_PARTITIONS)
 */
public record LocalStackSettings(Path workDir, int topicPartitions) {

    public static final int MAX_PARTITIONS = 64;
    public static final Setting<Path> LOCAL_DIR = SharedSettings.LOCAL_DIR;
    public static final Setting<Integer> TOPIC_PARTITIONS = Setting.of("FLEET_TOPIC_PARTITIONS",
            "partitions of each topic created by the embedded stack", TopicProvisioner.DEFAULT_PARTITIONS,
            ValueParser.intBetween(1, MAX_PARTITIONS));
    /** Read by {@link ApicurioRegistry#locateBundle()}; a system property of the same purpose wins. */
    public static final Setting<Path> APICURIO_DIR = Setting.of("FLEET_APICURIO_DIR",
            "the unpacked Apicurio registry bundle the embedded stack runs", Path.of("local-stack/target/apicurio"),
            ValueParser.path());

    public static final List<Setting<?>> SETTINGS = List.of(LOCAL_DIR, TOPIC_PARTITIONS, APICURIO_DIR);

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

    /** Reads the settings from {@code env}; bad values fail with one ConfigException naming each variable. */
    public static LocalStackSettings fromEnvironment(Map<String, String> env) {
        return of(Settings.read(env, SETTINGS, List.of()));
    }

    /** From settings already read (a launcher reads several runnables' lists in one pass). */
    public static LocalStackSettings of(Settings settings) {
        return new LocalStackSettings(settings.get(LOCAL_DIR), settings.get(TOPIC_PARTITIONS));
    }
}
