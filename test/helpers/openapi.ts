// Checks live responses against openapi/openapi.json, the project's OpenAPI 3.1
// document. Test code only: the validator is built once, on first use.
import { AssertionError } from 'node:assert';
import { readFileSync } from 'node:fs';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';

type Json = Record<string, unknown>;

export interface OpenApiOperation extends Json {
  operationId?: string;
  responses?: Record<string, Json>;
}

export interface OpenApiDocument extends Json {
  openapi: string;
  info: { title: string; version: string; [key: string]: unknown };
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, Json>>;
}

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export const SPEC_URL = new URL('../../openapi/openapi.json', import.meta.url);
/** The oidc profile's document (`start --profile oidc`). */
export const OIDC_SPEC_URL = new URL('../../openapi/openapi-oidc.json', import.meta.url);
/** The `$id` the document is registered under in Ajv; response schemas are `$ref`s into it. */
export const SPEC_ID = 'https://oauth-mock.test/openapi.json';
const OPENAPI_ROOT_FIELDS = ['openapi', 'info', 'jsonSchemaDialect', 'servers', 'paths', 'webhooks', 'components', 'security', 'tags', 'externalDocs'];
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

// ajv and ajv-formats are CommonJS. Under Node's ESM loader (tsx) a default import is
// `module.exports` (the class itself, which also carries `.default`); under tsc
// (nodenext) it is typed as the whole module, so `.default` is the class.
type AjvClass = typeof Ajv2020Module.default;
type AjvInstance = InstanceType<AjvClass>;
type FormatsPlugin = typeof addFormatsModule.default;
const Ajv: AjvClass = Ajv2020Module.default ?? (Ajv2020Module as unknown as AjvClass);
const addFormats: FormatsPlugin = addFormatsModule.default ?? (addFormatsModule as unknown as FormatsPlugin);

/** Reads and parses the document (a fresh copy on every call). */
export function loadSpec(url: URL = SPEC_URL): OpenApiDocument {
  return JSON.parse(readFileSync(url, 'utf8')) as OpenApiDocument;
}

interface IndexedOperation {
  method: string;
  path: string;
  /** JSON pointer of the operation object. */
  pointer: string;
  operation: OpenApiOperation;
}

interface Validator {
  doc: OpenApiDocument;
  ajv: AjvInstance;
  operations: Map<string, IndexedOperation>;
  compiled: Map<string, ValidateFunction>;
}

// One validator per document, built on first use.
const validators = new Map<string, Validator>();

function getValidator(url: URL = SPEC_URL): Validator {
  const known = validators.get(url.href);
  if (known) return known;
  const doc = loadSpec(url);
  // Strict, so a sloppy schema fails loudly; strictRequired is off because `not: {required}`
  // (forbidden members) names properties that are deliberately not declared.
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  // The document's own top-level fields are not JSON Schema keywords: declare them as
  // annotations so strict mode accepts the document as the root that refs point into.
  ajv.addVocabulary(OPENAPI_ROOT_FIELDS.filter((k) => Object.hasOwn(doc, k)));
  ajv.addSchema({ ...doc, $id: SPEC_ID });
  const operations = new Map<string, IndexedOperation>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as OpenApiOperation | undefined;
      if (!operation?.operationId) continue;
      if (operations.has(operation.operationId)) {
        throw new Error(`openapi.json: duplicate operationId ${operation.operationId}`);
      }
      operations.set(operation.operationId, {
        method,
        path,
        pointer: toPointer(['paths', path, method]),
        operation,
      });
    }
  }
  const validator: Validator = { doc, ajv, operations, compiled: new Map() };
  validators.set(url.href, validator);
  return validator;
}

export function toPointer(segments: readonly string[]): string {
  return segments.map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Resolves a local `#/...` JSON pointer in `doc`; undefined when it does not resolve. */
export function resolvePointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  if (!pointer.startsWith('/')) return undefined;
  let node: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

/** Follows `$ref`s (local ones only) from the object at `pointer`; returns where it ends up. */
function deref(doc: OpenApiDocument, pointer: string): { pointer: string; value: Json } {
  let current = pointer;
  for (let hops = 0; hops < 10; hops++) {
    const value = resolvePointer(doc, current);
    if (value === null || typeof value !== 'object') {
      throw new Error(`openapi.json: nothing at #${current}`);
    }
    const ref = (value as Json).$ref;
    if (typeof ref !== 'string') return { pointer: current, value: value as Json };
    if (!ref.startsWith('#')) throw new Error(`openapi.json: non-local $ref ${ref} at #${current}`);
    current = decodeURIComponent(ref.slice(1));
  }
  throw new Error(`openapi.json: $ref loop at #${pointer}`);
}

function compileAt(v: Validator, pointer: string): ValidateFunction {
  let validate = v.compiled.get(pointer);
  if (!validate) {
    const fragment = pointer.split('/').map(encodeURIComponent).join('/');
    validate = v.ajv.compile({ $ref: `${SPEC_ID}#${fragment}` });
    v.compiled.set(pointer, validate);
  }
  return validate;
}

/**
 * The compiled validator for the schema at a JSON pointer in the document
 * (for example `/components/schemas/Jwk`), compiled once.
 */
export function schemaValidator(pointer: string, url: URL = SPEC_URL): ValidateFunction {
  const v = getValidator(url);
  if (resolvePointer(v.doc, pointer) === undefined) throw new Error(`openapi.json: nothing at #${pointer}`);
  return compileAt(v, pointer);
}

/** Asserts that `value` matches `#/components/schemas/<name>`. */
export function assertMatchesSchema(name: string, value: unknown, url: URL = SPEC_URL): void {
  const validate = schemaValidator(toPointer(['components', 'schemas', name]), url);
  if (!validate(value)) {
    fail(`${name}: value does not match the spec\n${formatErrors(validate.errors, 'value')}\nvalue: ${show(value)}`, value);
  }
}

function formatErrors(errors: readonly ErrorObject[] | null | undefined, dataVar: string): string {
  if (!errors?.length) return '  (no details)';
  return errors
    .map((e) => {
      const where = `${dataVar}${e.instancePath}`;
      const params = JSON.stringify(e.params);
      return `  - ${where} ${e.message ?? 'is invalid'} ${params} (schema ${e.schemaPath})`;
    })
    .join('\n');
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value, null, 2);
  return text.length > 4000 ? `${text.slice(0, 4000)}\n…(truncated)` : text;
}

function fail(message: string, actual: unknown): never {
  throw new AssertionError({ message, actual, expected: 'a value matching openapi/openapi.json', operator: 'assertMatchesSpec' });
}

function lowerCaseHeaders(headers: ResponseHeaders): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const list = out.get(name.toLowerCase()) ?? [];
    list.push(...(Array.isArray(value) ? value : [value]));
    out.set(name.toLowerCase(), list);
  }
  return out;
}

function checkHeaders(v: Validator, label: string, responsePointer: string, response: Json, status: number, headers: ResponseHeaders | undefined): void {
  const documented = (response.headers ?? {}) as Json;
  if (status >= 300 && status < 400 && headers === undefined) {
    fail(`${label}: a ${status} response is checked by its headers; pass them (Location is required)`, headers);
  }
  if (headers === undefined) return;
  const actual = lowerCaseHeaders(headers);
  for (const name of Object.keys(documented)) {
    const { pointer, value: header } = deref(v.doc, `${responsePointer}${toPointer(['headers', name])}`);
    const values = actual.get(name.toLowerCase());
    if (values === undefined || values.length === 0) {
      if (header.required === true) fail(`${label}: required header ${name} is missing`, headers);
      continue;
    }
    if (header.schema === undefined) continue;
    const validate = compileAt(v, `${pointer}/schema`);
    for (const value of values) {
      if (!validate(value)) {
        fail(`${label}: header ${name} does not match the spec\n${formatErrors(validate.errors, name)}\nvalue: ${show(value)}`, value);
      }
    }
  }
}

/**
 * Asserts that a response matches the document: the operation `operationId` must document
 * `status` (or `NXX`, or `default`), the body must match its application/json schema, and,
 * when `headers` are given, every required header must be present and match its schema.
 * A 3xx must be given its headers (the Location header is required).
 * Throws an AssertionError naming every mismatch.
 */
export function assertMatchesSpec(operationId: string, status: number, body: unknown, headers?: ResponseHeaders, url: URL = SPEC_URL): void {
  const v = getValidator(url);
  const op = v.operations.get(operationId);
  if (!op) fail(`openapi.json has no operation ${operationId} (known: ${[...v.operations.keys()].join(', ')})`, operationId);
  const label = `${operationId} (${op.method.toUpperCase()} ${op.path}) ${status}`;
  const responses = op.operation.responses ?? {};
  const key = [String(status), `${String(status).charAt(0)}XX`, 'default'].find((k) => Object.hasOwn(responses, k));
  if (key === undefined) {
    fail(`${label}: status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})\nbody: ${show(body)}`, body);
  }
  const { pointer: responsePointer, value: response } = deref(v.doc, `${op.pointer}${toPointer(['responses', key])}`);

  checkHeaders(v, label, responsePointer, response, status, headers);

  const content = response.content as Record<string, Json> | undefined;
  if (content === undefined) return;
  const media = content['application/json'];
  // An HTML page (the oidc profile's login and error pages) is checked by its headers only.
  if (media === undefined && content['text/html'] !== undefined) return;
  if (media?.schema === undefined) {
    fail(`${label}: the documented response has no application/json schema`, body);
  }
  const validate = compileAt(v, `${responsePointer}${toPointer(['content', 'application/json', 'schema'])}`);
  if (!validate(body)) {
    fail(`${label}: body does not match the spec\n${formatErrors(validate.errors, 'body')}\nbody: ${show(body)}`, body);
  }
}
