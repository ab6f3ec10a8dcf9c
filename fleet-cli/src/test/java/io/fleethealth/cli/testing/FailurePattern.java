package io.fleethealth.cli.testing;

/**
 * Whether session s is healthy at tick t: each session fails in runs of 3 or 4 consecutive checks, spaced
 * so that it recovers in between. With threshold 3 every run restarts the session; with threshold 5 none.
 */
public final class FailurePattern {

    private FailurePattern() {
    }

    public static boolean healthy(int session, int tick) {
        int period = 20 + session % 7;
        int phase = (tick + session * 3) % period;
        int runLength = session % 2 == 0 ? 3 : 4;
        return !(phase >= 5 && phase < 5 + runLength);
    }
}
