// The package's own files (fixtures/, openapi/) are found from here. This module sits at the
// top of src/ and dist/, and the CLI bundle's chunks sit in dist/ too, so one relative URL
// is right in every layout.
export const PACKAGE_ROOT = new URL('../', import.meta.url);
