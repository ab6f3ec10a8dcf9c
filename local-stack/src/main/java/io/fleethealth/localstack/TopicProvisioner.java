package io.fleethealth.localstack;

import io.fleethealth.topics.Topic;
import io.fleethealth.topics.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the fleet's topics with the cleanup policy each one needs. Idempotent: topics that already exist are
 * kept as they are, then every topic is checked to exist with the expected cleanup policy.
 */
public final class TopicProvisioner {

    public static final int DEFAULT_PARTITIONS = 6;
    public static final short DEFAULT_REPLICATION_FACTOR = 1;

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final long TIMEOUT_SECONDS = 30;

    private final Admin admin;
    private final int partitions;
    private final short replicationFactor;

    /** {@value #DEFAULT_PARTITIONS} partitions, one replica: the embedded single-node broker. */
    public TopicProvisioner(Admin admin) {
        this(admin, DEFAULT_PARTITIONS, DEFAULT_REPLICATION_FACTOR);
    }

    public TopicProvisioner(Admin admin, int partitions, short replicationFactor) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be at least 1, was " + replicationFactor);
        }
        this.admin = admin;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    /** Provisions every topic of the catalogue, {@link Topics#ALL}. */
    public void provisionAll() {
        provision(Topics.ALL);
    }

    public void provision(Collection<Topic<?>> topics) {
        List<NewTopic> requests = topics.stream().map(this::newTopic).toList();
        Map<String, KafkaFuture<Void>> results = admin.createTopics(requests).values();
        List<String> created = new ArrayList<>();
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            try {
                result.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                created.add(result.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Cannot create topic " + result.getKey(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Topic " + result.getKey() + " not created within "
                        + TIMEOUT_SECONDS + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while creating topic " + result.getKey(), e);
            }
        }
        verify(topics);
        log.info("Topics provisioned: {} created, {} already there", created.size(), topics.size() - created.size());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for topic metadata", e);
        }
    }

    NewTopic newTopic(Topic<?> topic) {
        Map<String, String> configs = topic.compacted()
                ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                : Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(topic.retention().toMillis()));
        return new NewTopic(topic.name(), partitions, replicationFactor).configs(configs);
    }

    /** Fails if a topic is missing or has another cleanup policy; warns on another partition count. */
    private void verify(Collection<Topic<?>> topics) {
        List<String> names = topics.stream().map(Topic::name).toList();
        List<ConfigResource> resources = names.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        Map<String, TopicDescription> descriptions;
        Map<ConfigResource, Config> configs;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                descriptions = admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                configs = admin.describeConfigs(resources).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                break;
            } catch (ExecutionException e) {
                // A topic just created can be unknown to the broker until its metadata arrives.
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Cannot verify topics " + names, e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Topics " + names + " not described within " + TIMEOUT_SECONDS + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while verifying topics " + names, e);
            }
            sleep(100);
        }
        List<String> wrongPolicy = new ArrayList<>();
        for (Topic<?> topic : topics) {
            String expected = topic.compacted() ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE;
            String actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()))
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (!expected.equals(actual)) {
                wrongPolicy.add(topic.name() + " has cleanup.policy=" + actual + ", expected " + expected);
            }
            int actualPartitions = descriptions.get(topic.name()).partitions().size();
            if (actualPartitions != partitions) {
                log.warn("Topic {} exists with {} partitions, not the {} asked for; kept as it is",
                        topic.name(), actualPartitions, partitions);
            }
        }
        if (!wrongPolicy.isEmpty()) {
            throw new IllegalStateException("Existing topics do not match the catalogue: "
                    + String.join("; ", wrongPolicy));
        }
    }
}
