package io.fleethealth.cli.replay;

import io.fleethealth.processor.config.ProcessorConfig;
import io.fleethealth.processor.decision.DecisionSettings;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decision settings of a replay: the live processor's, read from the same environment variables
 * and derived the same way (an interval override moves the interval-derived defaults with it), then
 * the command line's overrides on top.
 */
public final class ReplaySettings {

    private ReplaySettings() {
    }

    /**
     * @param env       the environment (as the processor reads it)
     * @param overrides processor setting keys (e.g. {@code CONTAINER_FAILURE_THRESHOLD}) and their values
     */
    public static DecisionSettings resolve(Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(env);
        merged.putAll(overrides);
        return ProcessorConfig.decisionSettings(merged);
    }

    /** The settings as text, for the manifest of the replay's output. */
    public static Map<String, String> describe(DecisionSettings settings) {
        Map<String, String> described = new LinkedHashMap<>();
        described.put("checkInterval", settings.checkInterval().toString());
        described.put("failureThreshold", Integer.toString(settings.failureThreshold()));
        described.put("maxRestartAttempts", Integer.toString(settings.maxRestartAttempts()));
        described.put("restartDelay", settings.restartDelay().toString());
        described.put("backoffMax", settings.backoffMax().toString());
        described.put("restartExpiry", settings.restartExpiry().toString());
        described.put("restartGrace", settings.restartGrace().toString());
        described.put("successThreshold", Integer.toString(settings.successThreshold()));
        described.put("recoveryReset", settings.recoveryReset().toString());
        described.put("staleAfter", settings.staleAfter().toString());
        described.put("stopTimeoutSeconds", Integer.toString(settings.stopTimeoutSeconds()));
        return described;
    }
}
