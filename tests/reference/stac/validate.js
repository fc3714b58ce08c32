// Validates STAC documents (Catalogs, Collections, Items, ItemCollections and collection lists) with stac-node-validator
// against the STAC 1.0.0 JSON schemas of SPECS (../shared/specs/stac), GeoJSON's from the geojson-schema package, and the
// extension schemas SPECS holds (datacube). Nothing is fetched from the network: an extension whose schema is not there
// is reported as not checked, not as valid.
// Usage: node validate.js SPECS FILE...   Prints {"objects": N, "errors": [...], "unchecked": [extension URLs]}.
const fs = require('fs');
const path = require('path');
const validate = require('stac-node-validator');

const [specs, ...files] = process.argv.slice(2);
const geojson = path.join(__dirname, 'node_modules', 'geojson-schema');
const schemaMap = { 'https://geojson.org/schema/': geojson + '/' };
const cube = path.join(specs, 'extensions', 'datacube');
for (const version of fs.existsSync(cube) ? fs.readdirSync(cube) : []) {
  schemaMap[`https://stac-extensions.github.io/datacube/${version}/schema.json`] = path.join(cube, version, 'schema.json');
}

const unchecked = new Set();
async function loader(uri) {
  if (/^https?:\/\//.test(uri)) {
    unchecked.add(uri);
    throw new Error(`not available offline: ${uri}`);
  }
  return JSON.parse(fs.readFileSync(uri, 'utf8'));
}

function collect(report, file, errors, counter) {
  if (report.children && report.children.length > 0) {
    report.children.forEach((child) => collect(child, file, errors, counter));
    return;
  }
  if (report.apiList) {
    return; // an empty page or list: no object in it
  }
  counter.objects++;
  if (report.skipped) {
    errors.push(`${file}: ${report.id}: not validated (${report.messages.join('; ')})`);
  }
  for (const error of report.results.core || []) {
    errors.push(`${file}: ${report.id}: ${error.instancePath || ''} ${error.message}`);
  }
  for (const [schema, list] of Object.entries(report.results.extensions || {})) {
    for (const error of list) {
      if (unchecked.has(schema) || /not found/.test(error.message) && [...unchecked].some((u) => error.message.includes(u))) {
        continue;
      }
      errors.push(`${file}: ${report.id}: ${schema}: ${error.instancePath || ''} ${error.message}`);
    }
  }
}

(async () => {
  const config = { loader, schemas: path.join(specs, 'stac-spec-v1.0.0'), schemaMap };
  const errors = [];
  const counter = { objects: 0 };
  for (const file of files) {
    const report = await validate(JSON.parse(fs.readFileSync(file, 'utf8')), config);
    collect(report, path.basename(file), errors, counter);
  }
  console.log(JSON.stringify({ objects: counter.objects, errors, unchecked: [...unchecked].sort() }));
})().catch((error) => {
  console.error(error);
  process.exit(2);
});
