// Bundles the CLI into dist/cli.js and the library entry into dist/index.js (each with lazily
// loaded chunks beside it), so a terminal command or an `import 'oauth-mock'` loads a few
// files instead of a few hundred: `tokens mint` starts about twice as fast, and a test file's
// import of the library about as much. The CLI's server stack stays in its own chunk, loaded
// only by `start`.
// The library bundle replaces tsc's dist/index.js in place; the .d.ts files beside it are
// tsc's, so the types and exports are unchanged (scripts/pack-test.sh checks both).
import { build } from 'esbuild';

const common = {
  bundle: true,
  splitting: true,
  minify: true,
  // Function and class names survive, so --cpu-prof profiles stay readable and
  // `error.name` / `constructor.name` are what the sources say.
  keepNames: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Bundled CommonJS dependencies call require(); give them a real one.
  banner: { js: "import { createRequire as __oauthMockRequire } from 'node:module'; const require = __oauthMockRequire(import.meta.url);" },
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: { cli: 'dist/cli/main.js' },
  outdir: 'dist',
  // Chunks beside dist/index.js: src/package-root.ts finds fixtures/ and openapi/ from there.
  chunkNames: 'cli-[name]-[hash]',
});

await build({
  ...common,
  entryPoints: { index: 'dist/index.js' },
  outdir: 'dist',
  allowOverwrite: true,
  chunkNames: 'lib-[name]-[hash]',
});
