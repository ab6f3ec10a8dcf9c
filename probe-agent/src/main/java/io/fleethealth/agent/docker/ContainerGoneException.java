package io.fleethealth.agent.docker;

/** The engine does not know the container (any more): it was removed. */
public final class ContainerGoneException extends EngineException {

    private final String containerId;

    public ContainerGoneException(String containerId, Throwable cause) {
        super("container " + containerId + " does not exist", cause);
        this.containerId = containerId;
    }

    public String containerId() {
        return containerId;
    }
}
