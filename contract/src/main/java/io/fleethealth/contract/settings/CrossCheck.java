package io.fleethealth.contract.settings;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A rule between settings (or a requirement of one runnable, such as "must be set"), checked after each
 * setting was read on its own. Skipped when one of the settings it involves is already bad.
 *
 * @param involves the settings the rule reads; the first names the problem
 * @param rule     the violation in words, or empty when the values are fine
 */
public record CrossCheck(List<Setting<?>> involves, Function<Setting.Resolved, Optional<String>> rule) {

    public CrossCheck {
        involves = List.copyOf(involves);
        if (involves.isEmpty()) {
            throw new IllegalArgumentException("a cross-check involves at least one setting");
        }
    }

    /** {@code setting} must be set (the runnable has no embedded default for it); {@code example} shows a value. */
    public static CrossCheck required(Setting<? extends Optional<?>> setting, String example) {
        return new CrossCheck(List.of(setting), values -> values.get(setting).isPresent()
                ? Optional.empty()
                : Optional.of(setting.key() + " is required here: " + setting.accepted() + ", e.g. " + example));
    }

    /** {@code first} and {@code second} are either both set or both unset. */
    public static CrossCheck together(Setting<? extends Optional<?>> first, Setting<? extends Optional<?>> second,
                                      String why) {
        return new CrossCheck(List.of(first, second), values ->
                values.get(first).isPresent() == values.get(second).isPresent()
                        ? Optional.empty()
                        : Optional.of("set both " + first.key() + " and " + second.key() + ", or neither: " + why));
    }
}
