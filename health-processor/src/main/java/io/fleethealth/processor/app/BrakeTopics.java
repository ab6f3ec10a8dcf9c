package io.fleethealth.processor.app;

import io.fleethealth.processor.topology.BrakeTopology;
import io.fleethealth.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The brake's two internal topics, created at start when missing (like a Streams repartition topic, but
 * named, so that a replay can read them): the signals on ONE partition (one task sees them in one order),
 * the answers with as many partitions as the checks, keyed by session id, so that an answer reaches the
 * task that decides its session.
 */
final class BrakeTopics {

    private static final Logger log = LoggerFactory.getLogger(BrakeTopics.class);

    private BrakeTopics() {
    }

    static void ensure(Properties clientProperties) {
        try (Admin admin = Admin.create(clientProperties)) {
            Set<String> existing = admin.listTopics().names().get();
            int checkPartitions = admin.describeTopics(List.of(Topics.HEALTH_CHECKS.name())).allTopicNames().get()
                    .get(Topics.HEALTH_CHECKS.name()).partitions().size();
            List<NewTopic> missing = new ArrayList<>();
            if (!existing.contains(BrakeTopology.SIGNALS_TOPIC)) {
                missing.add(new NewTopic(BrakeTopology.SIGNALS_TOPIC, Optional.of(1), Optional.empty())
                        .configs(Map.of("retention.ms", String.valueOf(Topics.HEALTH_CHECKS.retention().toMillis()))));
            }
            if (!existing.contains(BrakeTopology.ANSWERS_TOPIC)) {
                missing.add(new NewTopic(BrakeTopology.ANSWERS_TOPIC, Optional.of(checkPartitions), Optional.empty())
                        .configs(Map.of("retention.ms", String.valueOf(Topics.HEALTH_CHECKS.retention().toMillis()))));
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
                log.info("created the brake's topics {}", missing.stream().map(NewTopic::name).toList());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the brake's topics", e);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) { // another instance created it first
                throw new IllegalStateException("cannot create the brake's topics " + BrakeTopology.SIGNALS_TOPIC
                        + " and " + BrakeTopology.ANSWERS_TOPIC + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
    }
}
