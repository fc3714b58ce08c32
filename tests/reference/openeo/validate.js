// Validates responses of an openEO back-end against the openEO API OpenAPI document, offline.
// Usage: node validate.js OPENAPI.yaml RESPONSES.json
// RESPONSES.json: [{"method": "get", "path": "/collections/{collection_id}", "status": 200, "body": {...}}, ...]
// (path as the OpenAPI document writes it). Prints {"checked": N, "errors": ["..."]}.
'use strict';
const fs = require('fs');
const yaml = require('js-yaml');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');

const [specPath, responsesPath] = process.argv.slice(2);
const spec = yaml.load(fs.readFileSync(specPath, 'utf8'));
const responses = JSON.parse(fs.readFileSync(responsesPath, 'utf8'));

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
for (const name of ['commonmark', 'uri-template', 'ogc-datetime', 'duration', 'bbox']) {
  ajv.addFormat(name, true);
}
// Two corrections, without which no process description validates (GET /processes, the processes of jobs and graphs):
// 1. `nullable` without `type` (process_argument_value) stops ajv from compiling; OpenAPI 3.0.3 gives it no effect
//    there, so it is dropped.
// 2. process_json_schema's `oneOf` (generic, process graph, data cube) matches every schema two or three times (its
//    branches refine each other, Open-EO/openeo-api#600), so no schema passes it. It is checked as meant: any schema
//    is generic, and one whose subtype is `process-graph` or `datacube` must also be a valid schema of that kind.
(function dropUntypedNullable(node) {
  if (node && typeof node === 'object') {
    if (!Array.isArray(node) && 'nullable' in node && !('type' in node)) {
      delete node.nullable;
    }
    Object.values(node).forEach(dropUntypedNullable);
  }
})(spec);
{
  const processSchema = spec.components.schemas.process_json_schema;
  const refinement = (subtype, name) => ({
    if: { type: 'object', required: ['subtype'], properties: { subtype: { const: subtype } } },
    then: { $ref: `#/components/schemas/${name}` },
  });
  processSchema.allOf = [...(processSchema.allOf || []),
    refinement('process-graph', 'process_graph_json_schema'), refinement('datacube', 'datacube_json_schema')];
  delete processSchema.oneOf;
}
ajv.addSchema(spec, 'openeo');

const pointer = (segments) => '#/' + segments.map((s) => encodeURIComponent(String(s).replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

// The OpenAPI response object for a status (its $ref followed), with the JSON pointer of where it is.
function responseFor(path, method, status) {
  const operation = spec.paths[path] && spec.paths[path][method];
  if (!operation) {
    return { error: `${method.toUpperCase()} ${path} is not in the openEO API` };
  }
  const codes = [String(status), `${String(status)[0]}XX`, 'default'];
  const code = codes.find((c) => operation.responses[c]);
  if (!code) {
    return { error: `${method.toUpperCase()} ${path}: status ${status} is not a response the API defines` };
  }
  let at = ['paths', path, method, 'responses', code];
  let response = operation.responses[code];
  while (response.$ref) {
    at = response.$ref.replace(/^#\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    response = at.reduce((node, key) => node[key], spec);
  }
  return { response, at };
}

const errors = [];
let checked = 0;
for (const { method, path, status, body } of responses) {
  const name = `${method.toUpperCase()} ${path} ${status}`;
  const { response, at, error } = responseFor(path, method.toLowerCase(), status);
  if (error) {
    errors.push(error);
    continue;
  }
  const content = response.content || {};
  const type = Object.keys(content).find((t) => t.includes('json'));
  if (!type) {
    if (body !== null && body !== undefined && body !== '') {
      errors.push(`${name}: the API defines no JSON body for it, but one was sent`);
    }
    checked++;
    continue;
  }
  const validate = ajv.getSchema('openeo' + pointer([...at, 'content', type, 'schema']));
  if (!validate) {
    errors.push(`${name}: no schema found`);
    continue;
  }
  if (!validate(body)) {
    for (const e of validate.errors) {
      errors.push(`${name}: ${e.instancePath || '(body)'} ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`);
    }
  }
  checked++;
}
process.stdout.write(JSON.stringify({ checked, errors }));
