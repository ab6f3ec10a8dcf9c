package io.fleethealth.processor.brake;

import java.time.Duration;
import java.util.Objects;

/**
 * The brake's parameters; the live processor reads them from its settings, a replay may pass others.
 *
 * @param enabled                false = every wanted restart is issued at once, as without the brake
 * @param window                 how far back failure starts count towards an incident
 * @param minSessions            N: an incident needs failure starts in at least this many sessions ...
 * @param minPercent             P: ... and in at least this share (percent) of the group's sessions
 * @param closeAfter             an incident closes when its group stayed below the threshold this long
 * @param hostRestartsPerMinute  R: restarts issued per host in any minute
 * @param fleetRestartsPerMinute F: restarts issued fleet-wide in any minute
 * @param sampleSessions         how many session ids an incident alert names
 */
public record BrakeSettings(boolean enabled, Duration window, int minSessions, int minPercent, Duration closeAfter,
                            int hostRestartsPerMinute, int fleetRestartsPerMinute, int sampleSessions) {

    public BrakeSettings {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(closeAfter, "closeAfter");
        if (window.isZero() || window.isNegative() || closeAfter.isNegative() || minSessions < 2
                || minPercent < 1 || minPercent > 100 || hostRestartsPerMinute < 1 || fleetRestartsPerMinute < 1
                || sampleSessions < 1) {
            throw new IllegalArgumentException("Brake settings out of range: window=" + window + ", minSessions="
                    + minSessions + ", minPercent=" + minPercent + ", closeAfter=" + closeAfter
                    + ", hostRestartsPerMinute=" + hostRestartsPerMinute + ", fleetRestartsPerMinute="
                    + fleetRestartsPerMinute + ", sampleSessions=" + sampleSessions);
        }
    }

    /**
     * What an operator would start with: 5 sessions and 30 % of a group within 2 minutes is an incident,
     * closed after 5 quiet minutes; 2 restarts per host and 20 fleet-wide per minute.
     */
    public static BrakeSettings defaults() {
        return new BrakeSettings(true, Duration.ofMinutes(2), 5, 30, Duration.ofMinutes(5), 2, 20, 5);
    }

    public BrakeSettings withEnabled(boolean on) {
        return new BrakeSettings(on, window, minSessions, minPercent, closeAfter, hostRestartsPerMinute,
                fleetRestartsPerMinute, sampleSessions);
    }

    /** True when {@code failing} of {@code size} sessions is an incident by these thresholds. */
    boolean crosses(int failing, int size) {
        return size > 0 && failing >= minSessions && failing * 100L >= (long) minPercent * size;
    }
}
