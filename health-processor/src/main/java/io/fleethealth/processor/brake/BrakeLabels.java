package io.fleethealth.processor.brake;

import java.util.Locale;
import java.util.Map;

/**
 * The container label of the brake. Main has no label constants in contract/ yet (the per-container
 * overrides live with the decision); when they move there, this key moves with them.
 */
public final class BrakeLabels {

    /** {@code fleet-health.brake=false}: the container is never held, never budgeted, and not counted. */
    public static final String BRAKE = "fleet-health.brake";

    private BrakeLabels() {
    }

    /** True unless the label says {@code false}; any other value keeps the brake (the safe side). */
    public static boolean braked(Map<String, String> labels) {
        String value = labels.get(BRAKE);
        return value == null || !value.trim().toLowerCase(Locale.ROOT).equals("false");
    }
}
