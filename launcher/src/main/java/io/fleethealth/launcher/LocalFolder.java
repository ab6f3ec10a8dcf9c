package io.fleethealth.launcher;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The main job's one folder on the embedded default. The broker's data (with the registry's journal) is in
 * {@code kafka/}; the processor's state stores and the agent's executed commands go beside it unless their own
 * settings say otherwise, so a restart finds all three as they were and {@code --fresh} clears all three.
 * Processor state kept for a wiped broker would make Kafka Streams log corrupted tasks; agent state kept for a
 * wiped processor would skip new restarts as duplicates of old command ids.
 */
final class LocalFolder {

    static final String PROCESSOR_STATE_DIR = "PROCESSOR_STATE_DIR";
    static final String AGENT_STATE_DIR = "CONTAINER_AGENT_STATE_DIR";

    private LocalFolder() {
    }

    /** {@code env} with the processor and agent state folders defaulted to sub-folders of {@code workDir}. */
    static Map<String, String> withStateIn(Path workDir, Map<String, String> env) {
        Map<String, String> out = new HashMap<>(env);
        defaultTo(out, PROCESSOR_STATE_DIR, workDir.resolve("processor-state"));
        defaultTo(out, AGENT_STATE_DIR, workDir.resolve("agent-state"));
        return Map.copyOf(out);
    }

    private static void defaultTo(Map<String, String> env, String name, Path value) {
        String current = env.get(name);
        if (current == null || current.isBlank()) {
            env.put(name, value.toString());
        }
    }
}
