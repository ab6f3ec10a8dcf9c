#!/usr/bin/env bash
# Creates fleet-health's topics on a cluster, each with the cleanup policy and retention it needs, and the
# schema registry's journal with retention forever (Apicurio would create it with the broker's default of
# 7 days and drop schemas that old records still name). Idempotent (--if-not-exists).
# Run by compose's one-shot `topics` service with the apache/kafka image: bash create-topics.sh kafka:9092
# The list is the catalogue of schemas/src/main/java/io/fleethealth/topics/Topics.java (TopicsScriptTest
# keeps them in line). FLEET_TOPIC_PARTITIONS (default 6) and FLEET_TOPIC_REPLICATION (default 1).
set -euo pipefail
BOOTSTRAP="${1:?usage: create-topics.sh BOOTSTRAP_SERVERS}"
PARTITIONS="${FLEET_TOPIC_PARTITIONS:-6}"
REPLICATION="${FLEET_TOPIC_REPLICATION:-1}"
KAFKA_TOPICS="${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}"

# topic NAME POLICY RETENTION_MS ("-": compacted, no time limit)
topic() {
  local configs=(--config "cleanup.policy=$2")
  if [[ "$3" != "-" ]]; then configs+=(--config "retention.ms=$3"); fi
  "$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$1" \
    --partitions "${PARTITIONS}" --replication-factor "$REPLICATION" "${configs[@]}"
}

topic fleet.health.checks          delete   604800000
topic fleet.health.checks.dlq      delete   2592000000
topic fleet.agent.heartbeats       delete   86400000
topic fleet.restart.commands       delete   604800000
topic fleet.restart.outcomes       delete   604800000
topic fleet.session.status         compact  -
topic fleet.alerts                 delete   2592000000
topic fleet.host.alerts            compact  -
topic fleet.session.control        delete   2592000000
topic fleet.audit                  delete   7776000000
topic fleet.processor.settings     compact  -

# The registry's storage (Apicurio KafkaSQL): one partition, kept forever.
"$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic fleet.schemas.journal \
  --partitions 1 --replication-factor "$REPLICATION" --config retention.ms=-1 --config retention.bytes=-1
echo "create-topics: fleet topics and fleet.schemas.journal present on $BOOTSTRAP"
