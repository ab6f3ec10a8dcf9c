package io.fleethealth.contract.kafka;

import java.util.List;
import java.util.Set;

/**
 * What Kafka Streams accepts, written out so that the contract (and with it the probe-agent, which must not ship
 * Kafka Streams and RocksDB) knows a Streams property without the Streams jar. {@code StreamsNamesTest} holds these
 * to {@code StreamsConfig} of the Kafka version in the build, so an upgrade that adds a name fails the build.
 */
final class StreamsNames {

    /** {@code StreamsConfig.configDef().names()}. */
    static final Set<String> PROPERTIES = Set.of(
            "acceptable.recovery.lag", "allow.os.group.write.access", "application.id", "application.server",
            "bootstrap.servers", "buffered.records.per.partition", "built.in.metrics.version",
            "cache.max.bytes.buffering", "client.id", "commit.interval.ms", "config.providers",
            "connections.max.idle.ms", "default.client.supplier", "default.deserialization.exception.handler",
            "default.dsl.store", "default.interactive.query.isolation.level", "default.key.serde",
            "default.list.key.serde.inner", "default.list.key.serde.type", "default.list.value.serde.inner",
            "default.list.value.serde.type", "default.production.exception.handler", "default.timestamp.extractor",
            "default.value.serde", "deserialization.exception.handler", "dsl.store.format",
            "dsl.store.suppliers.class", "enable.metrics.push", "enable.transactional.statestores",
            "ensure.explicit.internal.resource.naming", "errors.dead.letter.queue.topic.name", "group.protocol",
            "log.summary.interval.ms", "max.task.idle.ms", "max.warmup.replicas", "metadata.cluster.check.enable",
            "metadata.max.age.ms", "metadata.recovery.rebootstrap.trigger.ms", "metadata.recovery.strategy",
            "metric.reporters", "metrics.num.samples", "metrics.recording.level", "metrics.sample.window.ms",
            "num.standby.replicas", "num.stream.threads", "poll.ms", "probing.rebalance.interval.ms",
            "processing.exception.handler", "processing.exception.handler.global.enabled", "processing.guarantee",
            "processor.wrapper.class", "production.exception.handler", "rack.aware.assignment.non_overlap_cost",
            "rack.aware.assignment.strategy", "rack.aware.assignment.tags", "rack.aware.assignment.traffic_cost",
            "receive.buffer.bytes", "reconnect.backoff.max.ms", "reconnect.backoff.ms",
            "repartition.purge.interval.ms", "replication.factor", "request.timeout.ms", "retry.backoff.ms",
            "rocksdb.config.setter", "security.protocol", "send.buffer.bytes", "state.cleanup.delay.ms",
            "state.cleanup.dir.max.age.ms", "state.dir", "statestore.cache.max.bytes",
            "statestore.uncommitted.max.bytes", "task.assignor.class", "task.timeout.ms",
            "topology.description.push.enabled", "topology.optimization", "upgrade.from", "window.size.ms",
            "windowed.inner.class.serde", "windowstore.changelog.additional.retention.ms");

    /**
     * The prefixes Streams passes to one kind of its clients: {@code StreamsConfig.MAIN_CONSUMER_PREFIX},
     * {@code RESTORE_CONSUMER_PREFIX}, {@code GLOBAL_CONSUMER_PREFIX}, {@code PRODUCER_PREFIX},
     * {@code CONSUMER_PREFIX} and {@code ADMIN_CLIENT_PREFIX}.
     */
    static final List<String> CLIENT_PREFIXES = List.of("main.consumer.", "restore.consumer.", "global.consumer.",
            "producer.", "consumer.", "admin.");

    private StreamsNames() {
    }
}
