'use strict';
// Loads a bundle of the package (__BUNDLE__.cjs beside this file, dist/) through a V8 code cache,
// the way Node 22's module.enableCompileCache() would (Node 20, the engines floor, has none):
// compiling a 1-2 MB bundle and the functions a start runs is most of what `import 'oauth-mock'`
// + a first response, or a terminal command, costs. CommonJS, so the CLI's bin (CommonJS too)
// needs no ES module loader; the ES module entries (dist/index.js, dist/cli.js) require it.
// The cache lives beside the bundle (dist/.v8-cache/), so only whoever can change dist/ can
// change what it holds; it is keyed by the bundle's build id, size and mtime and by the Node
// version and arch, and V8 itself refuses one made by another V8 or other flags. Missing,
// refused or unwritable (a read-only install): the bundle is compiled as usual, nothing fails.
// OAUTH_MOCK_CODE_CACHE=0 turns it off.
const { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');
const vm = require('node:vm');

const BUILD_ID = '__BUILD_ID__';
const file = join(__dirname, '__BUNDLE__.cjs');
// The bundle is ASCII (the build checks it), so latin1 reads the same string as utf8 without
// decoding 1-2 MB: ~3 ms CPU of every start.
const source = readFileSync(file, 'latin1');
const enabled = process.env.OAUTH_MOCK_CODE_CACHE !== '0';
const dir = join(__dirname, '.v8-cache');
let cacheFile;
let cachedData;
if (enabled) {
  const st = statSync(file);
  cacheFile = join(dir, `__BUNDLE__-${BUILD_ID}-${st.size}-${Math.trunc(st.mtimeMs)}-${process.version}-${process.arch}.bin`);
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // No cache yet: compiled below, and written when the process ends.
  }
}
const script = new vm.Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
const wrapper = script.runInThisContext();
const mod = { exports: {} };
wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, __dirname);
module.exports = mod.exports;

if (enabled && (cachedData === undefined || script.cachedDataRejected)) {
  // At exit, so the cache holds every function the process compiled (a start, the first
  // requests), not only the top level. Written whole, then renamed: parallel test workers
  // never read a half-written file.
  process.once('exit', () => {
    try {
      mkdirSync(dir, { recursive: true });
      for (const old of readdirSync(dir)) if (old.startsWith('__BUNDLE__-') && old.endsWith('.bin') && join(dir, old) !== cacheFile) unlinkSync(join(dir, old));
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch {
      // A read-only or full disk: no cache, as before.
    }
  });
}
