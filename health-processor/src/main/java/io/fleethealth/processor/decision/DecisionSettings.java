package io.fleethealth.processor.decision;

import java.time.Duration;
import java.util.Objects;

/**
 * The parameters of the per-session decision, and nothing else: the live processor derives them from
 * its configuration (where the defaults are declared, once), a replay may pass others ("what if the threshold were 5?").
 *
 * @param checkInterval      the agents' probe interval; sizes the failure window and the defaults
 * @param failureThreshold   consecutive recent failures that trigger a restart (a container label may override it)
 * @param maxRestartAttempts restarts per failure episode before the session is FAILED (0 = never restart)
 * @param restartDelay       base back-off: attempt n waits delay x 2^(n-1)
 * @param backoffMax         cap of the back-off
 * @param restartExpiry      how long after its not-before time a command may still be executed
 * @param restartGrace       after a restart outcome, how long failures do not count
 * @param successThreshold   consecutive successes that make a session HEALTHY
 * @param recoveryReset      continuous health after which the attempt counter resets
 * @param staleAfter         no check for this long makes a session UNKNOWN
 * @param stopTimeoutSeconds default SIGTERM-to-SIGKILL wait of a restart (a container label may override it)
 */
public record DecisionSettings(Duration checkInterval, int failureThreshold, int maxRestartAttempts,
                               Duration restartDelay, Duration backoffMax, Duration restartExpiry,
                               Duration restartGrace, int successThreshold, Duration recoveryReset,
                               Duration staleAfter, int stopTimeoutSeconds) {

    public DecisionSettings {
        requirePositive(checkInterval, "checkInterval");
        Objects.requireNonNull(restartDelay, "restartDelay");
        Objects.requireNonNull(backoffMax, "backoffMax");
        requirePositive(restartExpiry, "restartExpiry");
        Objects.requireNonNull(restartGrace, "restartGrace");
        Objects.requireNonNull(recoveryReset, "recoveryReset");
        requirePositive(staleAfter, "staleAfter");
        if (failureThreshold < 1 || maxRestartAttempts < 0 || successThreshold < 1 || stopTimeoutSeconds < 0
                || restartDelay.isNegative() || backoffMax.isNegative() || restartGrace.isNegative()
                || recoveryReset.isNegative()) {
            throw new IllegalArgumentException("Decision settings out of range: failureThreshold=" + failureThreshold
                    + ", maxRestartAttempts=" + maxRestartAttempts + ", successThreshold=" + successThreshold
                    + ", stopTimeoutSeconds=" + stopTimeoutSeconds + ", restartDelay=" + restartDelay
                    + ", backoffMax=" + backoffMax + ", restartGrace=" + restartGrace
                    + ", recoveryReset=" + recoveryReset);
        }
    }

    /**
     * How far back the oldest failure of a run that triggers a restart may lie, relative to the newest:
     * threshold x interval plus one interval of slack.
     */
    public Duration failureWindow(int threshold) {
        return checkInterval.multipliedBy(threshold + 1L);
    }

    /** Back-off before attempt n (1-based): delay x 2^(n-1), capped by {@link #backoffMax()}. */
    public Duration backoff(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1: " + attempt);
        }
        int doublings = attempt - 1;
        if (restartDelay.isZero()) {
            return Duration.ZERO;
        }
        if (doublings >= 40) {
            return backoffMax;
        }
        Duration delay = restartDelay.multipliedBy(1L << doublings);
        return delay.compareTo(backoffMax) > 0 ? backoffMax : delay;
    }

    public DecisionSettings withFailureThreshold(int threshold) {
        return new DecisionSettings(checkInterval, threshold, maxRestartAttempts, restartDelay, backoffMax,
                restartExpiry, restartGrace, successThreshold, recoveryReset, staleAfter, stopTimeoutSeconds);
    }

    public DecisionSettings withMaxRestartAttempts(int attempts) {
        return new DecisionSettings(checkInterval, failureThreshold, attempts, restartDelay, backoffMax,
                restartExpiry, restartGrace, successThreshold, recoveryReset, staleAfter, stopTimeoutSeconds);
    }

    public DecisionSettings withSuccessThreshold(int threshold) {
        return new DecisionSettings(checkInterval, failureThreshold, maxRestartAttempts, restartDelay, backoffMax,
                restartExpiry, restartGrace, threshold, recoveryReset, staleAfter, stopTimeoutSeconds);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be > 0: " + value);
        }
    }
}
