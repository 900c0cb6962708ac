#!/usr/bin/env bash
# The image suite (issue 3), from a fresh machine: builds the stand-in for the base image
# (cached between runs), builds the repository's unchanged Dockerfile with podman, then runs
# the acceptance checks in image.test.ts against PostgreSQL servers on the host.
#
# Usage: test/image/run.sh    (root, after `npm ci`; about 3 minutes with the base cached,
#                              plus about 10 for the base on a fresh machine)
set -Eeuo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
readonly ROOT
readonly IMAGE=localhost/directus-db-boot:test
readonly RUN_ID="run-$$"

log() { printf '[image-suite %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# Containers of this run that a killed vitest could not remove.
remove_leftovers() {
  local ids
  mapfile -t ids < <(podman ps --all --quiet --filter "label=db-boot-image-test=${RUN_ID}")
  ((${#ids[@]} == 0)) || podman rm --force --time 0 "${ids[@]}" >/dev/null
}

build_base_image() {
  "${ROOT}/test/image/build-base-image.sh"
}

# The Dockerfile copies the built extension; `npm test` builds it too, so it is usually there.
build_extension() {
  if [[ -f ${ROOT}/extensions/db-boot/dist/api.js ]]; then
    log "extension: using extensions/db-boot/dist"
    return 0
  fi
  log "extension: npm run build"
  (cd "${ROOT}" && npm run build)
}

# --format docker: the OCI format drops HEALTHCHECK. --pull=never: only the local base exists.
# The image this run replaces is removed, so repeated runs leave no untagged images behind.
build_image() {
  local started=${SECONDS} previous current
  previous=$(podman image inspect --format '{{.Id}}' "${IMAGE}" 2>/dev/null || true)
  log "podman build ${IMAGE}"
  podman build --quiet --format docker --pull=never --tag "${IMAGE}" --file "${ROOT}/Dockerfile" \
    "${ROOT}" >/dev/null
  current=$(podman image inspect --format '{{.Id}}' "${IMAGE}")
  if [[ -n ${previous} && ${previous} != "${current}" ]]; then
    podman rmi "${previous}" >/dev/null 2>&1 || true
  fi
  log "built in $((SECONDS - started)) s"
}

run_checks() {
  (cd "${ROOT}" && DB_BOOT_IMAGE=${IMAGE} DB_BOOT_IMAGE_RUN=${RUN_ID} \
    node_modules/.bin/vitest run --config test/image/vitest.image.config.ts)
}

main() {
  local started=${SECONDS}
  trap remove_leftovers EXIT
  build_base_image
  build_extension
  build_image
  run_checks
  log "image suite passed in $((SECONDS - started)) s"
}

main "$@"
