#!/usr/bin/env bash
# Runs one benchmark: scripts/bench.sh <name> [args]. Builds first (set BENCH_SKIP_BUILD=1 to skip), prints the
# figures and appends them to bench/target/results/<name>.txt. See docs/benchmarks.md for what each one measures.
#   throughput [sessions,...] [repeats] [records,...]   processor vs pass-through Kafka Streams (benchmarks 1 and 5)
#   latency    [seconds] [checks/s] [sessions]           threshold-crossing check -> restart command at a consumer (2)
#   agent      [sizes] [concurrencies] [rounds]          probe round against the Docker engine (3)
#   detection  [crashes] [interval-s]                    crash detection: event fast path vs polling round (4)
#   replay     [sessions] [rounds] [repeats]             replay from a file and from Kafka vs reading alone (6)
#   brake      [sessions] [signals] [repeats]            signals/s of the restart brake's one task (docs/brake.md)
#   failover   [sessions,...] [standbys,...] [timeouts-s,...]  kill -9 of one of two processor JVMs -> survivor decides (8)
#   fleet      [hosts] [containers] [compressions,...] [rounds]  fleet simulation, 1 processor JVM (9)
# Benchmarks 3 and 4 need the Docker test engine: scripts/docker-test-engine.sh start.
# JAVA_OPTS is passed to the JVM, e.g. JAVA_OPTS="-XX:StartFlightRecording=filename=bench/target/t.jfr,settings=profile".
set -euo pipefail
cd "$(dirname "$0")/.."

name="${1:-}"
case "$name" in
  throughput) main=io.fleethealth.bench.ProcessorThroughputBench ;;
  latency)    main=io.fleethealth.bench.DecisionLatencyBench ;;
  agent)      main=io.fleethealth.bench.AgentRoundBench ;;
  detection)  main=io.fleethealth.bench.CrashDetectionBench ;;
  replay)     main=io.fleethealth.bench.ReplayBench ;;
  brake)      main=io.fleethealth.bench.BrakeBench ;;
  failover)   main=io.fleethealth.bench.FailoverBench ;;
  fleet)      main=io.fleethealth.bench.FleetSimBench ;;
  *)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2 ;;
esac
shift

# Never `mvn install` (~/.m2 is shared): the reactor packages the modules and writes the class path in one build,
# resolving sibling modules to their target/ jars. BENCH_SKIP_BUILD=1 reuses the class path of the last build.
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 || ! -s bench/target/runtime.classpath ]]; then
  echo "bench: building (mvn -B -q -pl bench -am package -DskipTests)..." >&2
  mvn -B -q -pl bench -am package -DskipTests dependency:build-classpath \
    -Dmdep.outputFile="$PWD/bench/target/runtime.classpath" -Dmdep.includeScope=runtime
fi

classes=""
for module in schemas local-stack health-processor probe-agent fleet-cli bench; do
  classes="$classes:$module/target/classes"
done
mkdir -p bench/target/tmp

case "$name" in agent|detection) export DOCKER_HOST="${DOCKER_HOST:-unix:///run/fleet-docker/docker.sock}" ;; esac

exec java -Xmx${BENCH_HEAP:-1g} ${JAVA_OPTS:-} \
  -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.fleethealth \
  -Dfleet.apicurio.dir="$PWD/local-stack/target/apicurio" \
  -Dlogback.configurationFile="$PWD/bench/src/main/resources/bench-logback.xml" \
  -Djava.io.tmpdir="$PWD/bench/target/tmp" \
  -cp "${classes#:}:$(cat bench/target/runtime.classpath)" \
  "$main" "$@"
