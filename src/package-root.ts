// The package's own files (fixtures/, openapi/) are found from here. This module sits at the
// top of src/ and dist/, and the CLI bundle's chunks sit in dist/ too, so one relative URL
// is right in every layout.
import { readFileSync } from 'node:fs';

export const PACKAGE_ROOT = new URL('../', import.meta.url);

/** The version in the package's package.json, the one place it is written. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('package.json', PACKAGE_ROOT), 'utf8')) as { version: string }).version;
}
