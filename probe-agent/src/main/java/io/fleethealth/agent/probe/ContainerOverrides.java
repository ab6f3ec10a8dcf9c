package io.fleethealth.agent.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per-container settings a container may carry as labels. They travel in every check's metadata (under the label
 * keys) so that the processor decides with them; invalid values are left out and named instead.
 */
public record ContainerOverrides(Optional<Integer> failureThreshold, Optional<Integer> stopTimeoutSeconds,
                                 boolean enabled, List<String> invalid) {

    public static final String FAILURE_THRESHOLD = "fleet-health.failure-threshold";
    public static final String STOP_TIMEOUT = "fleet-health.stop-timeout";
    public static final String ENABLED = "fleet-health.enabled";
    /** Metadata key listing override labels whose values were not valid, e.g. {@code fleet-health.stop-timeout='x'}. */
    public static final String INVALID = "fleet-health.invalid-overrides";

    public ContainerOverrides {
        invalid = List.copyOf(invalid);
    }

    public static ContainerOverrides from(Map<String, String> labels) {
        List<String> invalid = new ArrayList<>();
        Optional<Integer> threshold = positive(labels, FAILURE_THRESHOLD, 1, invalid);
        Optional<Integer> stopTimeout = positive(labels, STOP_TIMEOUT, 0, invalid);
        String enabled = labels.get(ENABLED);
        boolean optedOut = enabled != null && enabled.trim().equalsIgnoreCase("false");
        if (enabled != null && !optedOut && !enabled.trim().equalsIgnoreCase("true")) {
            invalid.add(ENABLED + "='" + enabled + "'");
        }
        return new ContainerOverrides(threshold, stopTimeout, !optedOut, invalid);
    }

    private static Optional<Integer> positive(Map<String, String> labels, String key, int min, List<String> invalid) {
        String value = labels.get(key);
        if (value == null) {
            return Optional.empty();
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min) {
                return Optional.of(parsed);
            }
        } catch (NumberFormatException e) {
            // falls through: named in the metadata below
        }
        invalid.add(key + "='" + value + "'");
        return Optional.empty();
    }

    /** Whether this label may travel in the metadata as it is (override labels only when their value is valid). */
    boolean keepsLabel(String key) {
        return switch (key) {
            case FAILURE_THRESHOLD -> failureThreshold.isPresent();
            case STOP_TIMEOUT -> stopTimeoutSeconds.isPresent();
            default -> invalid.stream().noneMatch(entry -> entry.startsWith(key + "='"));
        };
    }
}
