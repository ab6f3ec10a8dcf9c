package io.fleethealth.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartitionProgressTest {

    private final PartitionProgress progress = new PartitionProgress();

    @Test
    void shouldCommitNothingBeforeAnythingWasRead() {
        assertThat(progress.toCommit()).isEmpty();
    }

    @Test
    void shouldCommitOnlyUpToTheLowestCommandWithoutAStoredOutcome() {
        progress.started(10);
        progress.started(11);
        progress.started(12);
        progress.finished(11);
        progress.finished(12);

        assertThat(progress.toCommit()).hasValue(10);

        progress.finished(10);
        assertThat(progress.toCommit()).hasValue(13);
    }

    @Test
    void shouldNotCommitTheSamePositionTwice() {
        progress.started(5);
        progress.finished(5);
        progress.committed(progress.toCommit().getAsLong());

        assertThat(progress.toCommit()).isEmpty();
    }

    @Test
    void shouldNeverCommitPastACommandAbandonedAtShutdownButStopWaitingForIt() {
        progress.started(3);
        progress.started(4);
        progress.abandoned(3);
        progress.finished(4);

        assertThat(progress.inFlight()).isZero();
        assertThat(progress.toCommit()).hasValue(3);
    }
}
