package io.fleethealth.processor.topology;

import io.fleethealth.topics.Topic;

/** Names the sink node of each output topic, so processors forward by topic, not by node name. */
final class SinkRouter {

    String sinkFor(Topic<?> topic) {
        return "sink:" + topic.name();
    }
}
