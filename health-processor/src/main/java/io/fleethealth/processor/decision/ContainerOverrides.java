package io.fleethealth.processor.decision;

import java.util.Map;
import java.util.OptionalInt;

/**
 * Per-container settings that travel from the container's labels in a check's metadata and win over
 * the defaults. An unreadable value is ignored (the default applies) and reported, never fatal: one
 * mistyped label must not stop the decisions for the rest of the fleet.
 *
 * @param failureThreshold override of the failure threshold (1..{@value #MAX_THRESHOLD})
 * @param enabled          false = the container opted out: it is observed but never restarted
 * @param stopTimeout      override of the stop timeout in seconds (0..{@value #MAX_STOP_TIMEOUT})
 * @param invalid          some override was present but unreadable
 */
public record ContainerOverrides(OptionalInt failureThreshold, boolean enabled, OptionalInt stopTimeout,
                                 boolean invalid) {

    public static final String FAILURE_THRESHOLD = "fleet-health.failure-threshold";
    public static final String ENABLED = "fleet-health.enabled";
    public static final String STOP_TIMEOUT = "fleet-health.stop-timeout";
    static final int MAX_THRESHOLD = 100;
    static final int MAX_STOP_TIMEOUT = 3600;

    public static ContainerOverrides from(Map<String, String> metadata) {
        boolean[] invalid = {false};
        OptionalInt threshold = readInt(metadata.get(FAILURE_THRESHOLD), 1, MAX_THRESHOLD, invalid);
        OptionalInt stopTimeout = readInt(metadata.get(STOP_TIMEOUT), 0, MAX_STOP_TIMEOUT, invalid);
        String enabledText = metadata.get(ENABLED);
        boolean enabled = true;
        if (enabledText != null) {
            String value = enabledText.trim().toLowerCase(java.util.Locale.ROOT);
            if (value.equals("false")) {
                enabled = false;
            } else if (!value.equals("true")) {
                invalid[0] = true;
            }
        }
        return new ContainerOverrides(threshold, enabled, stopTimeout, invalid[0]);
    }

    public int failureThresholdOr(int defaultValue) {
        return failureThreshold.orElse(defaultValue);
    }

    public int stopTimeoutOr(int defaultValue) {
        return stopTimeout.orElse(defaultValue);
    }

    private static OptionalInt readInt(String text, int min, int max, boolean[] invalid) {
        if (text == null) {
            return OptionalInt.empty();
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return OptionalInt.of(value);
            }
        } catch (NumberFormatException e) {
            // falls through: reported as invalid, the default applies
        }
        invalid[0] = true;
        return OptionalInt.empty();
    }
}
