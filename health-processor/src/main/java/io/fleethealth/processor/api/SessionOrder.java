package io.fleethealth.processor.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/** Session ids in the order the state stores keep their keys: unsigned UTF-8 bytes (not String.compareTo). */
public final class SessionOrder {

    public static final Comparator<String> IDS = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private SessionOrder() {
    }
}
