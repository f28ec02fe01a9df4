// Google's OpenAPI-subset Schema (function `parameters`, `responseSchema`) -> JSON Schema, which is what
// every other vendor takes: upper-case type names, `nullable` and Google-only keys rewritten or dropped.
type Json = Record<string, any>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys Google's proto JSON sends as strings (int64) that JSON Schema wants as numbers. */
const INT64_KEYS = ['minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties'];

/** Keys with no JSON Schema meaning (other vendors refuse unknown keys in strict mode). */
const GOOGLE_ONLY = new Set(['nullable', 'propertyOrdering', 'example']);

/** Converts one schema node; the body's nesting is capped where it is read, so recursion is bounded. */
export function jsonSchemaFromGoogle(schema: unknown): Json {
  if (!isObject(schema)) return {};
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (GOOGLE_ONLY.has(key)) continue;
    if (key === 'type') {
      if (typeof value === 'string' && value !== 'TYPE_UNSPECIFIED') out.type = value.toLowerCase();
    } else if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, jsonSchemaFromGoogle(s)]));
    } else if (key === 'items' && isObject(value)) {
      out.items = jsonSchemaFromGoogle(value);
    } else if (key === 'anyOf' && Array.isArray(value)) {
      out.anyOf = value.map(jsonSchemaFromGoogle);
    } else {
      out[key] = value;
    }
  }
  for (const key of INT64_KEYS) if (typeof out[key] === 'string' && /^\d+$/.test(out[key])) out[key] = Number(out[key]);
  if (schema.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.anyOf)) out.anyOf.push({ type: 'null' });
  }
  return out;
}

/** Google's Type enum names, which its API also accepts inside JSON Schemas (Gemini CLI sends them there). */
const GOOGLE_TYPES = new Set(['STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT', 'NULL']);

/** Keywords whose value is a map of name -> subschema (a property named `type` is not the keyword). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose value is a subschema, or a list of them. */
const SCHEMA_VALUES = new Set([
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'additionalItems',
  'unevaluatedItems',
  'unevaluatedProperties',
  'anyOf',
  'oneOf',
  'allOf',
  'prefixItems',
]);

const lowerType = (t: unknown): unknown => (typeof t === 'string' && GOOGLE_TYPES.has(t) ? t.toLowerCase() : t);

/**
 * A JSON Schema (`responseJsonSchema`, `parametersJsonSchema`) with Google's upper-case type names
 * lowered: Google takes `"type": "OBJECT"` there, every other vendor refuses it. Everything else is
 * kept as sent; the body's nesting is capped where it is read, so recursion is bounded.
 */
export function lowerGoogleTypeNames(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lowerGoogleTypeNames);
  if (!isObject(schema)) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'type') out.type = Array.isArray(value) ? value.map(lowerType) : lowerType(value);
    else if (SCHEMA_MAPS.has(key) && isObject(value))
      out[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, lowerGoogleTypeNames(s)]));
    else if (SCHEMA_VALUES.has(key)) out[key] = lowerGoogleTypeNames(value);
    else out[key] = value;
  }
  return out;
}
