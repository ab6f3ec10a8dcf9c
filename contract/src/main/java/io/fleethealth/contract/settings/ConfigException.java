package io.fleethealth.contract.settings;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Settings a runnable cannot start with. Fatal at start (exit status 2): the message has one line per bad
 * variable, naming it, its value (never for a secret) and what would have been accepted.
 */
public final class ConfigException extends RuntimeException {

    /** One bad variable (or one failed cross-check, named by the first variable it involves). */
    public record Problem(String key, String message) {
    }

    private final List<Problem> problems;

    public ConfigException(String key, String message) {
        this(List.of(new Problem(key, message)));
    }

    public ConfigException(List<Problem> problems) {
        super(problems.stream().map(Problem::message).collect(Collectors.joining("; ")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException names at least one variable");
        }
        this.problems = List.copyOf(problems);
    }

    /** The first variable at fault. */
    public String key() {
        return problems.get(0).key();
    }

    /** Every variable at fault, in declaration order, cross-checks last. */
    public List<Problem> problems() {
        return problems;
    }

    /** The keys of every variable at fault. */
    public List<String> keys() {
        return problems.stream().map(Problem::key).toList();
    }
}
