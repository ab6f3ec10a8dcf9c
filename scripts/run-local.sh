#!/usr/bin/env bash
# The main job on the embedded default: builds the project, then starts the in-process Kafka broker,
# the Apicurio registry (child process on loopback), the health-processor and a probe-agent for the
# local Docker engine. Ctrl-C stops everything cleanly. Set KAFKA_BOOTSTRAP_SERVERS and
# SCHEMA_REGISTRY_URL to use an external cluster and registry instead.
set -euo pipefail
cd "$(dirname "$0")/.."

MODULE=launcher
MAIN=io.fleethealth.launcher.FleetHealthLocal

echo "run-local: building (mvn -B -q install -DskipTests)..." >&2
mvn -B -q install -DskipTests
mvn -B -q -pl "$MODULE" dependency:build-classpath -Dmdep.outputFile=target/runtime.classpath -Dmdep.includeScope=runtime

exec java ${JAVA_OPTS:-} \
  -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.fleethealth \
  -Dfleet.apicurio.dir="$PWD/local-stack/target/apicurio" \
  -Dlogback.configurationFile=launcher-logback.xml \
  -cp "$MODULE/target/classes:$(cat "$MODULE/target/runtime.classpath")" \
  "$MAIN" "$@"
