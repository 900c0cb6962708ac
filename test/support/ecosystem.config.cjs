// The pm2 settings of the upstream directus/directus image, for running pm2-runtime in tests
// without the image: cluster mode, one instance, wait_ready, autorestart only when
// PM2_AUTO_RESTART is the string "true", and the rest taken from the PM2_* variables as
// upstream does. Only the script differs: Directus's CLI in node_modules instead of
// /directus/cli.js (DIRECTUS_CLI is set by the test).
module.exports = [
  {
    name: 'directus',
    script: process.env.DIRECTUS_CLI,
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
