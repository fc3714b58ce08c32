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
