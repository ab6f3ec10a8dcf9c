package io.fleethealth.processor.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecentIdsTest {

    @Test
    void shouldKeepTheLastBoundIdsInOrderAsAListWould() {
        Random random = new Random(7);
        List<String> expected = new ArrayList<>();
        RecentIds recent = RecentIds.copyOf(List.of());
        for (int i = 0; i < 500; i++) {
            String id = "check:" + random.nextInt(60);
            assertThat(recent.contains(id)).isEqualTo(expected.contains(id));
            assertThat(recent.indexOf(id)).isEqualTo(expected.indexOf(id));
            expected.add(id);
            while (expected.size() > 32) {
                expected.remove(0);
            }
            recent = recent.append(id, 32);
            assertThat(recent).isEqualTo(expected).hasSameHashCodeAs(expected);
            assertThat(List.copyOf(expected)).isEqualTo(recent);
        }
    }

    @Test
    void shouldFindIdsWhoseHashCodesCollideOnlyByEquality() {
        // "Aa" and "BB" share a hash code: the hash only narrows the search.
        RecentIds recent = RecentIds.copyOf(List.of("Aa"));

        assertThat(recent.contains("BB")).isFalse();
        assertThat(recent.append("BB", 4).indexOf("BB")).isEqualTo(1);
    }

    @Test
    void shouldBeImmutableAndRefuseNullIds() {
        RecentIds recent = RecentIds.copyOf(List.of("a", "b"));

        assertThatThrownBy(() -> recent.add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> recent.append(null, 4)).isInstanceOf(NullPointerException.class);
        assertThat(RecentIds.copyOf(recent)).isSameAs(recent);
        assertThat(recent.append("c", 2)).containsExactly("b", "c");
        assertThat(recent).containsExactly("a", "b");
    }
}
