package io.fleethealth.processor.decision;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The immutable list of a session's recent event ids, with their hash codes kept side by side. Every check
 * asks whether its id is among the last 32 and then appends it: with the hashes in one array, neither reads
 * the strings (scattered over the heap) but for a real match, which made the scan the replay's top cost.
 * Equal to any list of the same ids in the same order, as lists are.
 */
final class RecentIds extends AbstractList<String> implements RandomAccess {

    private static final RecentIds EMPTY = new RecentIds(new String[0], new int[0]);

    private final String[] ids;
    private final int[] hashes;

    private RecentIds(String[] ids, int[] hashes) {
        this.ids = ids;
        this.hashes = hashes;
    }

    /** The ids as a RecentIds: the same instance when it is one already; null elements are refused. */
    static RecentIds copyOf(List<String> ids) {
        if (ids instanceof RecentIds recent) {
            return recent;
        }
        if (ids == null || ids.isEmpty()) {
            return EMPTY;
        }
        String[] copy = ids.toArray(new String[0]);
        int[] hashes = new int[copy.length];
        for (int i = 0; i < copy.length; i++) {
            hashes[i] = Objects.requireNonNull(copy[i], "id").hashCode();
        }
        return new RecentIds(copy, hashes);
    }

    /** These ids and then {@code id}, keeping the last {@code bound}. */
    RecentIds append(String id, int bound) {
        int keep = Math.min(ids.length, bound - 1);
        int from = ids.length - keep;
        String[] nextIds = Arrays.copyOfRange(ids, from, from + keep + 1);
        int[] nextHashes = Arrays.copyOfRange(hashes, from, from + keep + 1);
        nextIds[keep] = Objects.requireNonNull(id, "id");
        nextHashes[keep] = id.hashCode();
        return new RecentIds(nextIds, nextHashes);
    }

    @Override
    public int indexOf(Object o) {
        if (!(o instanceof String id)) {
            return o == null ? -1 : super.indexOf(o);
        }
        int hash = id.hashCode();
        for (int i = 0; i < hashes.length; i++) {
            if (hashes[i] == hash && ids[i].equals(id)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean contains(Object o) {
        return indexOf(o) >= 0;
    }

    @Override
    public String get(int index) {
        return ids[index];
    }

    @Override
    public int size() {
        return ids.length;
    }
}
