// Bundles the CLI into dist/cli.js (plus lazily loaded chunks beside it), so a terminal
// command loads a few files instead of a few hundred: `tokens mint` starts about twice as
// fast. The server stack stays in its own chunk, loaded only by `start`. Library users
// import the unbundled dist/index.js as before.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'dist/cli/main.js' },
  outdir: 'dist',
  // Chunks beside dist/index.js: src/package-root.ts finds fixtures/ and openapi/ from there.
  chunkNames: 'cli-[name]-[hash]',
  bundle: true,
  splitting: true,
  minify: true,
  // Function names survive, so --cpu-prof profiles of the CLI and server stay readable.
  keepNames: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Bundled CommonJS dependencies call require(); give them a real one.
  banner: { js: "import { createRequire as __oauthMockRequire } from 'node:module'; const require = __oauthMockRequire(import.meta.url);" },
  logLevel: 'warning',
});
