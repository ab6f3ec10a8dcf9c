package io.fleethealth.cli;

import io.fleethealth.topics.Topic;
import io.fleethealth.topics.Topics;
import java.util.List;
import java.util.stream.Collectors;

/** Topic names on the command line, checked against the catalogue. */
public final class TopicNames {

    private TopicNames() {
    }

    public static Topic<?> topic(String name) {
        return Topics.ALL.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("Unknown topic '" + name + "'; fleet topics: "
                        + Topics.ALL.stream().map(Topic::name).collect(Collectors.joining(", "))));
    }

    public static List<Topic<?>> topics(List<String> names) {
        return names.stream().<Topic<?>>map(TopicNames::topic).toList();
    }
}
