#!/usr/bin/env bash
# Brings docker-compose.yml up for real on the project's private Docker engine and drives one labelled,
# failing container through to a restart, read back from the processor's API. Base images cannot be pulled
# here: a JRE base image is made from Debian packages (mmdebstrap + docker import), the broker and registry
# images from the embedded default's Maven artifacts, the processor and agent images from their Dockerfiles;
# scripts/compose-smoke/docker-compose.smoke.yml selects them and puts every service on the host's network
# with loopback ports. No Docker network or bridge may be created: `docker network ls` is compared before and
# after. Everything it creates (containers, volumes, images) is removed at the end, whatever happens.
# Needs: DOCKER_HOST (the private engine), docker-compose (v1), mmdebstrap, the build (`mvn package`).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
: "${DOCKER_HOST:?set DOCKER_HOST to the private engine, e.g. unix:///run/fleet-docker/docker.sock}"
SOCKET="${DOCKER_HOST#unix://}"
RUN_ID="smoke-$(date +%s)-$$"
PROJECT="fleet-health-smoke-$$"
WORK="$(mktemp -d)"
JRE_IMAGE=fleet-health-smoke/jre:17
IMAGES=(fleet-health-smoke/kafka:1 fleet-health-smoke/registry:1 fleet-health-smoke/health-processor:1
        fleet-health-smoke/probe-agent:1)
log() { echo "compose-smoke: $*" >&2; }

for tool in docker docker-compose mmdebstrap; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${tool/docker/docker.io}" >/dev/null
  fi
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
export SMOKE_KAFKA_PORT="$(free_port)" SMOKE_CONTROLLER_PORT="$(free_port)" SMOKE_REGISTRY_PORT="$(free_port)" \
       SMOKE_API_PORT="$(free_port)" SMOKE_AGENT_PORT="$(free_port)" SMOKE_DOCKER_SOCKET="$SOCKET" \
       DOCKER_SOCKET_GID="$(stat -c %g "$SOCKET")"

# The copy has no top-level name: (docker-compose v1 rejects it) and no published ports: a service on the
# host's network cannot publish any (its loopback ports are the host's).
sed -E -e '/^name:/d' -e '/^    ports:$/d' -e '/^      - "127\.0\.0\.1:[0-9]+:[0-9]+"$/d' \
  docker-compose.yml > "$WORK/docker-compose.yml"
compose() {
  docker-compose -f "$WORK/docker-compose.yml" -f scripts/compose-smoke/docker-compose.smoke.yml \
    --project-directory "$ROOT" -p "$PROJECT" "$@"
}

docker network ls --format '{{.ID}} {{.Name}} {{.Driver}}' | sort > "$WORK/networks-before"
container=""
cleanup() {
  status=$?
  set +e
  if [[ $status -ne 0 ]]; then
    log "failed; last lines of each service:"
    compose logs --no-color --tail=40 >&2
  fi
  [[ -n "$container" ]] && docker rm -f "$container" >/dev/null 2>&1
  compose down -v --remove-orphans >/dev/null 2>&1
  docker rmi -f "${IMAGES[@]}" >/dev/null 2>&1
  [[ -z "${KEEP_SMOKE_BASE:-}" ]] && docker rmi -f "$JRE_IMAGE" >/dev/null 2>&1
  docker network ls --format '{{.ID}} {{.Name}} {{.Driver}}' | sort > "$WORK/networks-after"
  if ! diff -u "$WORK/networks-before" "$WORK/networks-after" >&2; then
    log "FAILED: the Docker networks changed"
    status=1
  fi
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT

log "building the jars and staging the broker's classpath"
mvn -B -q package -DskipTests -pl health-processor,probe-agent -am >&2
mvn -B -q package -DskipTests -pl local-stack -am \
  dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$WORK/kafka/lib" >&2
cp local-stack/target/local-stack-*[0-9T].jar "$WORK/kafka/lib/"

if ! docker image inspect "$JRE_IMAGE" >/dev/null 2>&1; then
  log "making the JRE base image from Debian packages (mmdebstrap)"
  # The JRE's post-install script links its man page: the folder must exist though man pages are left out.
  mmdebstrap --quiet --variant=minbase --include=openjdk-17-jre-headless \
    --setup-hook='mkdir -p "$1"/usr/share/man/man1' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    bookworm "$WORK/jre-rootfs.tar" >&2
  docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    "$WORK/jre-rootfs.tar" "$JRE_IMAGE" >/dev/null
  rm -f "$WORK/jre-rootfs.tar"
fi

log "building the broker and registry images"
cp scripts/compose-smoke/kafka.Dockerfile "$WORK/kafka/Dockerfile"
docker build -q --build-arg JRE_IMAGE="$JRE_IMAGE" -t fleet-health-smoke/kafka:1 "$WORK/kafka" >/dev/null
mkdir -p "$WORK/registry"
cp -r local-stack/target/apicurio "$WORK/registry/apicurio"
cp scripts/compose-smoke/registry.Dockerfile "$WORK/registry/Dockerfile"
docker build -q --build-arg JRE_IMAGE="$JRE_IMAGE" -t fleet-health-smoke/registry:1 "$WORK/registry" >/dev/null

log "docker-compose up (project $PROJECT; Kafka 127.0.0.1:$SMOKE_KAFKA_PORT, API 127.0.0.1:$SMOKE_API_PORT)"
compose build -q >&2
compose up -d >&2

api="http://127.0.0.1:$SMOKE_API_PORT"
deadline=$((SECONDS + 300))
until curl -fsS "$api/health" >/dev/null 2>&1; do
  (( SECONDS < deadline )) || { log "the processor's /health never answered 200"; exit 1; }
  sleep 2
done
log "processor up: $(curl -fsS "$api/health")"

session="$RUN_ID"
container="$(docker run -d --network none --label fleet-health.session="$session" --label fleet-health.smoke="$RUN_ID" \
  fleet-test/busybox:1 sh -c 'if [ ! -f /tmp/restarted ]; then touch /tmp/restarted; sleep 3; exit 1; fi; trap "exit 0" TERM; while true; do sleep 1; done')"
log "failing container $container (session $session) started"

deadline=$((SECONDS + 240))
while true; do
  view="$(curl -fsS "$api/health/container/$session" 2>/dev/null || true)"
  if python3 - "$view" <<'PY'
import json, sys
try:
    v = json.loads(sys.argv[1])
except ValueError:
    sys.exit(1)
sys.exit(0 if v.get("restartAttempts", 0) >= 1 and v.get("status") == "HEALTHY" else 1)
PY
  then
    break
  fi
  (( SECONDS < deadline )) || { log "no restart seen: $view"; exit 1; }
  sleep 2
done
restarts="$(docker inspect -f '{{.State.StartedAt}} running={{.State.Running}}' "$container")"
log "session restarted and healthy: $view"
log "container: $restarts"
log "OK"
