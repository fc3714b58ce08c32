// Drives a Tessera server with the official openEO JavaScript client, as a user's script would.
// Usage: node run.js REQUEST.json, REQUEST: {"url", "token", "collection", "spatial_extent", "temporal_extent", "bands",
// "reducer", "output"}. Connects through the server's /.well-known/openeo, authenticates with basic credentials (an API
// token as the password), lists collections and processes, builds load_collection -> ndvi -> reduce_dimension(t,
// reducer) -> save_result(GTiff) with the client's Builder and runs it synchronously, writing the answer to "output".
// Prints JSON: the collections' ids, the number of processes, the capabilities' API version, the bytes written.
'use strict';
const fs = require('fs');
const { OpenEO } = require('@openeo/js-client');

async function main() {
  const request = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const con = await OpenEO.connect(request.url);
  await con.authenticateBasic('tester', request.token);
  const collections = await con.listCollections();
  const processes = await con.listProcesses();
  const builder = await con.buildProcess();
  const cube = builder.load_collection(request.collection, request.spatial_extent, request.temporal_extent, request.bands);
  const ndvi = builder.ndvi(cube);
  const reducerName = request.reducer;
  const reduced = builder.reduce_dimension(ndvi, function (data) { return this[reducerName](data); }, 't');
  const saved = builder.save_result(reduced, 'GTiff');
  const response = await con.computeResult(saved);
  await new Promise((resolve, reject) => {
    const file = fs.createWriteStream(request.output);
    response.data.pipe(file);
    file.on('finish', resolve);
    file.on('error', reject);
    response.data.on('error', reject);
  });
  process.stdout.write(JSON.stringify({
    apiVersion: con.capabilities().apiVersion(),
    collections: collections.collections.map((c) => c.id),
    processes: processes.processes.length,
    bytes: fs.statSync(request.output).size,
    type: response.type,
  }));
}

main().catch((e) => {
  process.stderr.write(String(e && (e.message || e)) + (e && e.code ? ` (${e.code})` : '') + '\n');
  process.exit(1);
});
