// Bundles the CLI into dist/cli.cjs and the library into dist/lib.cjs, each loaded through a V8
// code cache (dist/cli-cached.cjs, dist/lib-cached.cjs; their ES module entries are dist/cli.js
// and dist/index.js), so a terminal command or an `import 'oauth-mock'` reads two files instead of a few hundred and, from the second process
// on, compiles almost nothing. Modules that only some commands need (the server stack, Redis,
// certificates) stay lazily evaluated inside the bundle.
// The library entry replaces tsc's dist/index.js in place; the .d.ts files beside it are
// tsc's, so the types and exports are unchanged (scripts/pack-test.sh checks both).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * One copy of each identical dependency: npm nests the same name@version under several
 * packages when the top level holds another version (mime-types 2.1 and its 140 KB mime-db sit
 * under both accepts and co-body), and each copy would be compiled and evaluated at start.
 * Only the same name at the same version is merged, so every package gets the code it asked for.
 */
const dedupe = {
  name: 'dedupe-identical-packages',
  setup(build) {
    const rootOf = new Map(); // resolved file's package root -> { name, version } or null
    const canonical = new Map(); // name@version -> first package root seen
    const packageOf = (file) => {
      const at = file.lastIndexOf('/node_modules/');
      if (at < 0) return undefined;
      const rest = file.slice(at + '/node_modules/'.length).split('/');
      const root = file.slice(0, at) + '/node_modules/' + rest.slice(0, rest[0].startsWith('@') ? 2 : 1).join('/');
      if (!rootOf.has(root)) {
        try {
          const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
          rootOf.set(root, name && version ? { name, version } : null);
        } catch {
          rootOf.set(root, null);
        }
      }
      const pkg = rootOf.get(root);
      return pkg ? { root, id: `${pkg.name}@${pkg.version}` } : undefined;
    };
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === dedupe || !args.importer.includes('/node_modules/') || args.path.startsWith('node:')) return undefined;
      const result = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: dedupe });
      if (result.errors.length > 0 || result.external || !result.path) return undefined;
      const pkg = packageOf(result.path);
      if (!pkg) return undefined;
      const first = canonical.get(pkg.id);
      if (first === undefined) {
        canonical.set(pkg.id, pkg.root);
        return { path: result.path, sideEffects: result.sideEffects };
      }
      return { path: join(first, relative(pkg.root, result.path)), sideEffects: result.sideEffects };
    });
  },
};

/**
 * Two modules the CLI's dependencies load at start for what it never does there: commander's
 * node:child_process (which brings dgram and net's cluster glue) serves only executable
 * subcommands, so it loads on first use; chalk's supports-color probes the terminal (node:tty,
 * node:os) for its default instance, and this CLI only makes `new Chalk({ level })` with the
 * level its Io decides (NO_COLOR, TTY), so the probe reports no colour and loads nothing.
 * ~4 ms of every terminal command's start.
 */
const startLean = {
  name: 'start-lean',
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'lazy-child-process', namespace: 'start-lean' } : undefined,
    );
    build.onResolve({ filter: /^#supports-color$/ }, (args) =>
      /[\\/]node_modules[\\/]chalk[\\/]/.test(args.importer) ? { path: 'no-supports-color', namespace: 'start-lean' } : undefined,
    );
    build.onLoad({ filter: /^lazy-child-process$/, namespace: 'start-lean' }, () => ({
      contents: "let cp;\nmodule.exports = new Proxy({}, { get: (_, key) => (cp ??= require('node:child_process'))[key] });\n",
      loader: 'js',
    }));
    build.onLoad({ filter: /^no-supports-color$/, namespace: 'start-lean' }, () => ({
      contents: 'export default { stdout: false, stderr: false };\n',
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  minifyWhitespace: true,
  minifySyntax: true,
  // Identifiers stay as written, so function and class names survive (readable --cpu-prof
  // profiles; `error.name` is what the sources say) without esbuild's keepNames, which wraps
  // every function, per-request closures included, in a naming call: with it, reset + round
  // trip took ~6% more and the CLI round trip ~5-14% more (interleaved A/B, bench/notes.md).
  // test/e2e/library-bundle.test.ts checks every exported class keeps its name.
  keepNames: false,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Bundled CommonJS dependencies call require(); give them a real one.
  banner: { js: "import { createRequire as __oauthMockRequire } from 'node:module'; const require = __oauthMockRequire(import.meta.url);" },
  logLevel: 'warning',
  plugins: [dedupe, startLean],
};

/**
 * One CommonJS script, dist/<name>.cjs, of the tsc output `entry`; dist/<name>-cached.cjs, which
 * compiles it through a V8 code cache (scripts/code-cache-loader.cjs) and exports what it
 * exports; and the ES module `esEntry`, which re-exports that under the names `entry` exports.
 * Everything in the script runs in strict mode, as it did as an ES module bundle; lazily
 * imported modules stay lazily evaluated (esbuild wraps them).
 */
async function cachedBundle(name, entry, esEntry) {
  const names = await build({ ...common, entryPoints: [entry], outdir: 'dist', write: false, metafile: true });
  const exported = Object.values(names.metafile.outputs).find((o) => o.entryPoint === entry).exports;
  const result = await build({
    ...common,
    splitting: false,
    format: 'cjs',
    entryPoints: [entry],
    outfile: `dist/${name}.cjs`,
    // Dynamic imports of Node's modules become require(): a vm.Script has no ESM loader.
    supported: { 'dynamic-import': false },
    // src/package-root.ts finds fixtures/ and openapi/ from the bundle's own URL.
    define: { 'import.meta.url': '__oauthMockUrl' },
    banner: { js: "'use strict';\nvar __oauthMockUrl = require('node:url').pathToFileURL(__filename).href;" },
    metafile: true,
  });
  if (Object.keys(result.metafile.outputs).length !== 1) throw new Error(`the ${name} bundle must be one file`);
  const bytes = readFileSync(`dist/${name}.cjs`);
  // The loader reads the bundle as latin1 (no UTF-8 decoding), which is the same string only for
  // ASCII. esbuild escapes other characters except in regular expressions and tagged templates'
  // raw text: write those as \u escapes in the sources.
  const wide = bytes.findIndex((b) => b > 0x7f);
  if (wide >= 0) {
    const line = bytes.subarray(0, wide).toString('latin1').split('\n').length;
    throw new Error(`dist/${name}.cjs line ${line}: a non-ASCII character; write it as a \\u escape in the source`);
  }
  const buildId = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const loader = readFileSync('scripts/code-cache-loader.cjs', 'utf8').replace('__BUILD_ID__', buildId).replaceAll('__BUNDLE__', name);
  writeFileSync(`dist/${name}-cached.cjs`, loader);
  writeFileSync(
    esEntry,
    `// An ES module entry of the package: the bundle ${name}.cjs, compiled through a V8 code cache by ${name}-cached.cjs.\n` +
      `import { createRequire } from 'node:module';\n\nconst lib = createRequire(import.meta.url)('./${name}-cached.cjs');\n\n` +
      `export const { ${exported.join(', ')} } = lib;\n`,
  );
}

// The CLI (bin/oauth-mock.js requires dist/cli-cached.cjs; dist/cli.js is its ES module entry)
// and the library (dist/index.js; dist/index.cjs requires it).
await cachedBundle('cli', 'dist/cli/main.js', 'dist/cli.js');
await cachedBundle('lib', 'dist/index.js', 'dist/index.js');
