#!/usr/bin/env bash
# The test command: unit and integration tests of every module against a real in-process Kafka broker,
# a real Apicurio registry and a real Docker engine. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${DOCKER_HOST:-}" ]; then
  # Prefer the project's private engine; start it when we may (root), otherwise say how.
  if ! DOCKER_HOST=unix:///run/fleet-docker/docker.sock scripts/docker-test-engine.sh status; then
    if [ "$(id -u)" = 0 ]; then
      scripts/docker-test-engine.sh start >/dev/null
    else
      echo "test.sh: no Docker engine for the tests. Start one: sudo scripts/docker-test-engine.sh start" >&2
      echo "         (or set DOCKER_HOST to an engine you want the tests to use)" >&2
      exit 1
    fi
  fi
  export DOCKER_HOST=unix:///run/fleet-docker/docker.sock
fi

# The tests run their containers from this image; an engine of your own needs it imported once.
TEST_IMAGE=${FLEET_TEST_IMAGE:-fleet-test/busybox:1}
if command -v docker >/dev/null 2>&1 && ! docker image inspect "$TEST_IMAGE" >/dev/null 2>&1; then
  echo "test.sh: the engine at $DOCKER_HOST has no image $TEST_IMAGE, which the tests run." >&2
  echo "         Import it (a busybox root filesystem, no registry needed): scripts/docker-test-engine.sh image" >&2
  exit 1
fi

exec mvn -B verify "$@"
