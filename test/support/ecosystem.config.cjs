// The pm2 settings of the upstream directus/directus 11.x image, written out for the two places
// that need them without that image: the stand-in base image (test/image/build-base-image.sh
// copies this file to /directus/ecosystem.config.cjs, where `script` is cli.js), and the
// pm2-runtime integration test, which points DIRECTUS_CLI at Directus's CLI in node_modules.
// Cluster mode, one instance, wait_ready, autorestart only when PM2_AUTO_RESTART is the string
// "true"; the rest comes from the PM2_* variables. This is the variant with the PM2_LOG_*
// entries and without the telemetry --import flags of later releases.
module.exports = [
  {
    name: 'directus',
    script: process.env.DIRECTUS_CLI ?? 'cli.js',
    args: ['start'],
    instances: process.env.PM2_INSTANCES ?? 1,
    exec_mode: process.env.PM2_EXEC_MODE ?? 'cluster',
    max_memory_restart: process.env.PM2_MAX_MEMORY_RESTART,
    min_uptime: process.env.PM2_MIN_UPTIME,
    listen_timeout: process.env.PM2_LISTEN_TIMEOUT,
    kill_timeout: process.env.PM2_KILL_TIMEOUT,
    wait_ready: true,
    max_restarts: process.env.PM2_MAX_RESTARTS,
    restart_delay: process.env.PM2_RESTART_DELAY ?? 0,
    autorestart: process.env.PM2_AUTO_RESTART === 'true',
    error_file: process.env.PM2_LOG_ERROR_FILE,
    out_file: process.env.PM2_LOG_OUT_FILE,
  },
];
