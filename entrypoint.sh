#!/bin/sh
# Starts Directus the way the upstream image does (bootstrap, then pm2-runtime), except
# that, each explained where it happens:
#   - it refuses to start without PostgreSQL, the only database the extension supports;
#   - Directus's CLI runs without its npm update check;
#   - a stop signal during bootstrap ends the container once bootstrap is done;
#   - pm2-runtime replaces this shell as PID 1, so `docker stop`'s SIGTERM reaches it.
# It migrates nothing: the db-boot extension brings the database to the declared state
# inside Directus, before the server listens.
#
# POSIX sh, not bash: upstream's image is node:22-alpine, which has only busybox's sh.
set -eu

# `cli.js` (the `directus` command) asks the npm registry for a newer version before every
# command and waits up to 8 s where the registry cannot be reached. This is the same CLI
# without that check.
DIRECTUS_CLI=/directus/node_modules/@directus/api/dist/cli/run.js

# Upstream's ecosystem.config.cjs with one change: pm2 starts $DIRECTUS_CLI, not cli.js.
PM2_CONFIG=/directus/pm2.config.cjs

log() {
  printf '[entrypoint] %s\n' "$*"
}

fail() {
  printf '[entrypoint] error: %s\n' "$*" >&2
  exit 1
}

# The extension works on PostgreSQL only (advisory locks, transactional DDL). Without this
# check, the image's default DB_CLIENT (sqlite3) would bootstrap a throw-away database inside
# the container before the boot fails.
require_postgres() {
  [ "${DB_CLIENT:-}" = pg ] \
    || fail "DB_CLIENT is '${DB_CLIENT:-}', this image needs PostgreSQL:" \
      "set DB_CLIENT=pg and DB_HOST, DB_PORT, DB_DATABASE, DB_USER, DB_PASSWORD"
  log "database: PostgreSQL at ${DB_HOST:-localhost}:${DB_PORT:-5432}, database ${DB_DATABASE:-?}"
}

# The Dockerfile hides the tables Directus cannot manage (DB_EXCLUDE_TABLES); an operator's
# own list must keep `positions`, or Directus warns on every schema read.
show_hidden_tables() {
  log "tables hidden from Directus: ${DB_EXCLUDE_TABLES:-none}"
}

# Bootstrap stays in front of pm2, as upstream has it: `directus start` exits at once on a
# database without Directus's system tables, and loads no extension (so no db-boot hook)
# while Directus's own migrations are pending. Bootstrap installs those tables or runs those
# migrations, and creates the first admin when ADMIN_EMAIL and ADMIN_PASSWORD are set.
# A stop signal reaches this shell, not bootstrap, which runs without a transaction and is
# better not cut short: the shell acts on the signal once bootstrap has ended, and exits
# instead of starting Directus.
bootstrap_directus() {
  log "directus bootstrap: install or upgrade Directus's system tables"
  trap 'log "stop signal during bootstrap: not starting Directus"; exit 143' TERM INT
  node "${DIRECTUS_CLI}" bootstrap || {
    status=$?
    printf '[entrypoint] error: directus bootstrap failed (exit %s); its output is above\n' \
      "${status}" >&2
    exit "${status}"
  }
}

# exec: pm2-runtime becomes PID 1 and gets SIGTERM itself; a shell in between (upstream's
# `sh -c`) ignores it, and the container is killed only after the stop timeout.
start_directus() {
  log "starting Directus under pm2-runtime; the db-boot extension runs before it listens"
  exec pm2-runtime start "${PM2_CONFIG}"
}

main() {
  require_postgres
  show_hidden_tables
  bootstrap_directus
  start_directus
}

main "$@"
