package io.fleethealth.processor.brake;

import io.fleethealth.contract.labels.Labels;
import java.util.Locale;
import java.util.Map;

/** How the brake reads its container label, declared with the others in contract/ ({@link Labels#BRAKE}). */
public final class BrakeLabels {

    /** {@code fleet-health.brake=false}: the container is never held, never budgeted, and not counted. */
    public static final String BRAKE = Labels.BRAKE;

    private BrakeLabels() {
    }

    /** True unless the label says {@code false}; any other value keeps the brake (the safe side). */
    public static boolean braked(Map<String, String> labels) {
        String value = labels.get(BRAKE);
        return value == null || !value.trim().toLowerCase(Locale.ROOT).equals("false");
    }
}
