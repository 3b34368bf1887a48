// Writes dist/index.cjs, the package's CommonJS entry (`require('oauth-mock')`): it loads the
// ES module build with require(), which Node supports from 20.19 (the engines floor), so both
// module systems share one copy of the code and of its state.
import { writeFileSync } from 'node:fs';

writeFileSync(
  'dist/index.cjs',
  `'use strict';\n// CommonJS entry: the ES module build, loaded with require() (Node >= 20.19).\nmodule.exports = require('./index.js');\n`,
);
