import { defineConfig } from 'vitest/config';

/**
 * The image suite: run by test/image/run.sh after it has built the base stand-in and the
 * image, never together with the other projects (it needs root, podman and a few minutes).
 */
export default defineConfig({
  test: {
    name: 'image',
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/image/**/*.test.ts'],
    // Containers boot real Directus; two cores cannot run two boots at once without turning
    // every timing bound into noise.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
