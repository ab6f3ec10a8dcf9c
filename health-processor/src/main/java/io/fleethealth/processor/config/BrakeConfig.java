package io.fleethealth.processor.config;

import io.fleethealth.contract.settings.Setting;
import io.fleethealth.contract.settings.Settings;
import io.fleethealth.contract.settings.ValueParser;
import io.fleethealth.processor.brake.BrakeSettings;
import java.time.Duration;
import java.util.List;

/**
 * The restart brake's settings (docs/brake.md), declared like the processor's others and read with them
 * by {@link ProcessorConfig}. The defaults are what a fleet operator would start with: a correlated failure
 * is 5 sessions and 30 % of a group within 2 minutes; 2 restarts per host and 20 fleet-wide per minute.
 */
public final class BrakeConfig {

    public static final Setting<Boolean> ENABLED = Setting.of("FLEET_BRAKE_ENABLED",
            "true = restarts go through the brake (incidents held, budgets kept); false = every restart goes out at"
                    + " once. Off by default until a replay reproduces the brake's live answers (docs/brake.md)", false,
            ValueParser.bool());
    public static final Setting<Duration> WINDOW = Setting.of("FLEET_BRAKE_WINDOW",
            "seconds within which failure starts count towards an incident", Duration.ofSeconds(120),
            ValueParser.secondsBetween(1, 86_400));
    public static final Setting<Integer> MIN_SESSIONS = Setting.of("FLEET_BRAKE_MIN_SESSIONS",
            "N: an incident needs failures starting in at least this many sessions of one group", 5,
            ValueParser.intBetween(2, 1_000_000));
    public static final Setting<Integer> MIN_PERCENT = Setting.of("FLEET_BRAKE_MIN_PERCENT",
            "P: ... and in at least this percentage of the group's sessions", 30, ValueParser.intBetween(1, 100));
    public static final Setting<Duration> CLOSE_AFTER = Setting.of("FLEET_BRAKE_CLOSE_AFTER",
            "seconds a group must stay below the threshold before its incident closes by itself",
            Duration.ofSeconds(300), ValueParser.secondsBetween(0, 86_400));
    public static final Setting<Integer> HOST_RESTARTS_PER_MINUTE = Setting.of("FLEET_BRAKE_HOST_RESTARTS_PER_MINUTE",
            "R: restarts issued per host in any minute; more wait their turn", 2, ValueParser.intBetween(1, 10_000));
    public static final Setting<Integer> FLEET_RESTARTS_PER_MINUTE = Setting.of("FLEET_BRAKE_FLEET_RESTARTS_PER_MINUTE",
            "F: restarts issued fleet-wide in any minute; more wait their turn", 20, ValueParser.intBetween(1, 1_000_000));

    /** In the order they are resolved and printed. */
    public static final List<Setting<?>> SETTINGS = List.of(ENABLED, WINDOW, MIN_SESSIONS, MIN_PERCENT, CLOSE_AFTER,
            HOST_RESTARTS_PER_MINUTE, FLEET_RESTARTS_PER_MINUTE);

    /** How many session ids an incident alert names: enough to start looking, short enough to read. */
    static final int SAMPLE_SESSIONS = 5;

    private BrakeConfig() {
    }

    /** The brake's settings alone from an environment (the replay's what-if reads only these). */
    public static BrakeSettings fromEnv(java.util.Map<String, String> env) {
        return brakeSettings(Settings.read(env, SETTINGS, List.of())::get);
    }

    /** The brake's parameters from resolved values. */
    public static BrakeSettings brakeSettings(Setting.Resolved values) {
        return new BrakeSettings(values.get(ENABLED), values.get(WINDOW), values.get(MIN_SESSIONS),
                values.get(MIN_PERCENT), values.get(CLOSE_AFTER), values.get(HOST_RESTARTS_PER_MINUTE),
                values.get(FLEET_RESTARTS_PER_MINUTE), SAMPLE_SESSIONS);
    }
}
