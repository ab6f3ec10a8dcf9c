package io.fleethealth.processor.decision;

import io.fleethealth.processor.config.ProcessorConfig;

import io.fleethealth.events.ControlAction;
import io.fleethealth.events.RestartCommand;
import io.fleethealth.events.RestartResult;
import java.util.ArrayList;
import java.util.List;

/** Feeds events to the state machine and keeps the session's state between them, as the shell's store does. */
public final class SessionDriver {

    public final SessionStateMachine machine;
    public SessionState state;
    final List<Decision> decisions = new ArrayList<>();

    public SessionDriver(DecisionSettings settings) {
        this.machine = new SessionStateMachine(settings);
    }

    public SessionDriver() {
        this(ProcessorConfig.defaultDecisionSettings());
    }

    public Decision feed(SessionEvent event) {
        Decision decision = machine.decide(state, event);
        if (decision.stateChanged()) {
            state = decision.state();
        }
        decisions.add(decision);
        return decision;
    }

    public Decision check(Fixture.CheckBuilder check) {
        return feed(check.event());
    }

    /** Feeds one check every interval from {@code fromSeconds}, all built alike; returns the last decision. */
    public Decision checks(long fromSeconds, int count, java.util.function.UnaryOperator<Fixture.CheckBuilder> how) {
        Decision last = null;
        long interval = machine.settings().checkInterval().toSeconds();
        for (int i = 0; i < count; i++) {
            last = check(how.apply(Fixture.check(fromSeconds + i * interval)));
        }
        return last;
    }

    public Decision outcome(RestartResult result, long seconds) {
        return feed(new SessionEvent.OutcomeReceived(Fixture.outcome(state.pending().commandId(), result, seconds)));
    }

    public Decision control(ControlAction action, long seconds) {
        return feed(new SessionEvent.ControlReceived(Fixture.control(action, seconds)));
    }

    public Decision silence(long seconds) {
        return feed(new SessionEvent.SilenceDetected(Fixture.at(seconds)));
    }

    public List<RestartCommand> allCommands() {
        return decisions.stream().flatMap(d -> d.commands().stream()).toList();
    }
}
