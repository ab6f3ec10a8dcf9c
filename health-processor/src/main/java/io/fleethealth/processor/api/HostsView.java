package io.fleethealth.processor.api;

/**
 * The Docker hosts the processor knows of (agents that sent a heartbeat) and how many of them fell silent.
 */
public record HostsView(long known, long silent) {

    public HostsView {
        if (known < 0 || silent < 0 || silent > known) {
            throw new IllegalArgumentException("hosts: need 0 <= silent <= known, got known=" + known + " silent=" + silent);
        }
    }
}
