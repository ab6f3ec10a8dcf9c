package io.fleethealth.contract.labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The per-container overrides a container carries as labels, read one way for agent and processor. The agent
 * reads them from the container's labels and writes them into every check's metadata ({@link #metadataOf}): valid
 * override labels as they are, invalid ones left out and named under {@link Labels#INVALID_OVERRIDES}. The
 * processor reads them back from that metadata ({@link #fromMetadata}) and gets the same values and the same
 * problems. An unreadable value is never fatal: its default applies and the problem is reported, so that one
 * mistyped label cannot stop the decisions for the rest of the fleet.
 *
 * @param managed            false when labelled {@code fleet-health.enabled=false}: probed and shown, never
 *                           restarted, alerted or marked stale
 * @param failureThreshold   failures in a row before a restart, when overridden
 * @param stopTimeoutSeconds SIGTERM-to-SIGKILL wait of a restart, when overridden
 * @param invalid            the override labels whose values were not accepted, as {@code key='value'}
 */
public record ContainerOverrides(boolean managed, Optional<Integer> failureThreshold,
                                 Optional<Integer> stopTimeoutSeconds, List<String> invalid) {

    public static final ContainerOverrides NONE = new ContainerOverrides(true, Optional.empty(), Optional.empty(), List.of());

    private static final String SEPARATOR = ", ";
    /** Splits the agent's list at the start of each entry, so a value holding ", " stays whole. */
    private static final Pattern ENTRY_START = Pattern.compile(Pattern.quote(SEPARATOR) + "(?=("
            + String.join("|", OverrideLabel.ALL.stream().map(l -> Pattern.quote(l.key())).toList()) + ")=')");

    public ContainerOverrides {
        invalid = List.copyOf(invalid);
    }

    /** From a container's labels, as the agent sees them. */
    public static ContainerOverrides fromLabels(Map<String, String> labels) {
        return read(labels, new ArrayList<>());
    }

    /**
     * From a check's metadata, as the processor sees it: the problems the agent named count as well as any
     * unreadable override still present (a check from an older agent, or one written by hand).
     */
    public static ContainerOverrides fromMetadata(Map<String, String> metadata) {
        List<String> invalid = new ArrayList<>();
        String reported = metadata.get(Labels.INVALID_OVERRIDES);
        if (reported != null && !reported.isBlank()) {
            invalid.addAll(List.of(ENTRY_START.split(reported.trim())));
        }
        return read(metadata, invalid);
    }

    private static ContainerOverrides read(Map<String, String> labels, List<String> invalid) {
        List<String> found = new ArrayList<>();
        boolean enabled = OverrideLabel.ENABLED.read(labels, found).orElse(Boolean.TRUE);
        Optional<Integer> threshold = OverrideLabel.FAILURE_THRESHOLD.read(labels, found);
        Optional<Integer> stopTimeout = OverrideLabel.STOP_TIMEOUT.read(labels, found);
        found.stream().filter(entry -> !invalid.contains(entry)).forEach(invalid::add);
        return new ContainerOverrides(enabled, threshold, stopTimeout, invalid);
    }

    /**
     * What the agent sends as a check's metadata for a container with these labels: the labels, less the override
     * labels whose values were not accepted, plus {@link Labels#INVALID_OVERRIDES} naming them. A label of that
     * name on the container itself is dropped: only the agent speaks under it.
     */
    public static Map<String, String> metadataOf(Map<String, String> labels) {
        ContainerOverrides overrides = fromLabels(labels);
        Map<String, String> metadata = new TreeMap<>(labels);
        metadata.remove(Labels.INVALID_OVERRIDES);
        for (OverrideLabel<?> label : OverrideLabel.ALL) {
            if (overrides.invalid.stream().anyMatch(entry -> entry.startsWith(label.key() + "='"))) {
                metadata.remove(label.key());
            }
        }
        overrides.invalidText().ifPresent(text -> metadata.put(Labels.INVALID_OVERRIDES, text));
        return metadata;
    }

    public int failureThresholdOr(int defaultValue) {
        return failureThreshold.orElse(defaultValue);
    }

    public int stopTimeoutOr(int defaultValue) {
        return stopTimeoutSeconds.orElse(defaultValue);
    }

    /** The problems in one line, as the metadata carries them; empty when every override was accepted. */
    public Optional<String> invalidText() {
        return invalid.isEmpty() ? Optional.empty() : Optional.of(String.join(SEPARATOR, invalid));
    }
}
