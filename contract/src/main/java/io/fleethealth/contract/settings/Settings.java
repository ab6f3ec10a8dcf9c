package io.fleethealth.contract.settings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The resolved, validated settings of one runnable. {@link #read} resolves a list of declarations from the
 * environment, collects every bad variable and every failed cross-check, and throws one
 * {@link ConfigException} naming them all; nothing is built before this succeeds.
 */
public final class Settings {

    private final List<Setting<?>> declared;
    private final Map<Setting<?>, Object> values;
    private final Set<Setting<?>> fromEnv;

    private Settings(List<Setting<?>> declared, Map<Setting<?>, Object> values, Set<Setting<?>> fromEnv) {
        this.declared = List.copyOf(declared);
        this.values = values;
        this.fromEnv = fromEnv;
    }

    /**
     * Resolves {@code settings} in order (a derived default sees the settings listed before it), then runs
     * the cross-checks whose settings are all valid.
     *
     * @throws ConfigException naming every bad variable, its value (not for a secret) and what is accepted
     */
    public static Settings read(Map<String, String> env, List<Setting<?>> settings, List<CrossCheck> crossChecks) {
        List<Setting<?>> declared = distinct(settings);
        Map<Setting<?>, Object> values = new IdentityHashMap<>();
        Set<Setting<?>> bad = new HashSet<>();
        Set<Setting<?>> fromEnv = new HashSet<>();
        List<ConfigException.Problem> problems = new ArrayList<>();
        Setting.Resolved earlier = resolvedView(values, bad);
        for (Setting<?> setting : declared) {
            String raw = env.get(setting.key());
            try {
                values.put(setting, setting.resolve(raw, earlier));
                if (raw != null && !raw.isBlank()) {
                    fromEnv.add(setting);
                }
            } catch (ConfigException e) {
                bad.add(setting);
                problems.addAll(e.problems());
            } catch (UnresolvedException e) {
                bad.add(setting); // its default derives from a bad setting, which is already reported
            }
        }
        for (CrossCheck check : crossChecks) {
            if (check.involves().stream().anyMatch(s -> bad.contains(s) || !values.containsKey(s))) {
                continue;
            }
            check.rule().apply(earlier).ifPresent(message ->
                    problems.add(new ConfigException.Problem(check.involves().get(0).key(), message)));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Settings(declared, values, fromEnv);
    }

    /** Several lists (a launcher runs several runnables) as one, each setting once. */
    @SafeVarargs
    public static List<Setting<?>> union(Collection<Setting<?>>... lists) {
        List<Setting<?>> all = new ArrayList<>();
        for (Collection<Setting<?>> list : lists) {
            all.addAll(list);
        }
        return distinct(all);
    }

    /** The value of a listed setting. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        if (!values.containsKey(setting)) {
            throw new IllegalArgumentException(setting.key() + " is not among the settings read");
        }
        return (T) values.get(setting);
    }

    /**
     * A copy with one value replaced, as if it had been set: for a launcher that hands the parts it runs the
     * address of the broker it started itself.
     */
    public <T> Settings with(Setting<T> setting, T value) {
        get(setting);
        Map<Setting<?>, Object> copy = new IdentityHashMap<>(values);
        copy.put(setting, value);
        Set<Setting<?>> set = new HashSet<>(fromEnv);
        set.add(setting);
        return new Settings(declared, copy, set);
    }

    /** Whether the environment set this variable (else its default applies). */
    public boolean isSet(Setting<?> setting) {
        return fromEnv.contains(setting);
    }

    public List<Setting<?>> declared() {
        return declared;
    }

    /**
     * The start-up log block: one line per setting, {@code KEY=value}, "(default)" when unset, secrets masked.
     * The values are written as they would be in the environment.
     */
    public String describe() {
        return declared.stream().map(this::describe).collect(Collectors.joining("\n  ", "  ", ""));
    }

    private <T> String describe(Setting<T> setting) {
        return setting.key() + "=" + setting.show(get(setting)) + (isSet(setting) ? "" : " (default)");
    }

    /** Never prints a secret. */
    @Override
    public String toString() {
        return describe().strip().replace("\n  ", ", ");
    }

    private static List<Setting<?>> distinct(Collection<Setting<?>> settings) {
        Map<String, Setting<?>> byKey = new LinkedHashMap<>();
        Set<Setting<?>> seen = new LinkedHashSet<>();
        for (Setting<?> setting : settings) {
            Setting<?> previous = byKey.putIfAbsent(setting.key(), setting);
            if (previous != null && previous != setting) {
                throw new IllegalStateException(setting.key() + " is declared twice; declare it once (e.g. in SharedSettings)");
            }
            seen.add(setting);
        }
        return List.copyOf(seen);
    }

    private static Setting.Resolved resolvedView(Map<Setting<?>, Object> values, Set<Setting<?>> bad) {
        return new Setting.Resolved() {
            @Override
            @SuppressWarnings("unchecked")
            public <U> U get(Setting<U> setting) {
                if (bad.contains(setting)) {
                    throw new UnresolvedException();
                }
                if (!values.containsKey(setting)) {
                    throw new IllegalStateException(setting.key() + " is used before it is resolved: list it earlier");
                }
                return (U) values.get(setting);
            }
        };
    }

    /** A derived default whose source is bad: not a problem of its own. */
    private static final class UnresolvedException extends RuntimeException {
        UnresolvedException() {
            super(null, null, false, false);
        }
    }
}
