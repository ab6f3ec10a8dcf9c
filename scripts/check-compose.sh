#!/usr/bin/env bash
# docker-compose.yml checked by a real Compose implementation. Debian's docker-compose is v1: it rejects the
# top-level `name:` key, so it reads a copy without it and gets the project name with -p.
# (ComposeSpecificationTest checks the file against the Compose Specification's JSON schema.)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v docker-compose >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
fi
project="$(sed -n 's/^name: *//p' docker-compose.yml)"
copy="$(mktemp --suffix=.yml)"
trap 'rm -f "$copy"' EXIT
sed '/^name:/d' docker-compose.yml > "$copy"
docker-compose -f "$copy" --project-directory . -p "${project:-fleet-health}" config -q
docker-compose -f "$copy" --project-directory . -p "${project:-fleet-health}" --profile alerting config -q
echo "check-compose: docker-compose.yml is valid for $(docker-compose version --short)"
