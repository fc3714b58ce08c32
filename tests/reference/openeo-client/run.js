// Drives a Tessera server with the official openEO JavaScript client, as a user's script would.
// Usage: node run.js REQUEST.json, REQUEST: {"url", "token", "collection", "spatial_extent", "temporal_extent", "bands",
// "reducer", "output"}. Connects through the server's /.well-known/openeo, authenticates with basic credentials (an API
// token as the password), lists collections and processes, builds load_collection -> ndvi -> reduce_dimension(t,
// reducer) -> save_result(GTiff) with the client's Builder and runs it synchronously, writing the answer to "output"
// (with "mode": "batch", as a batch job instead: created, started, watched, its results downloaded; with "mode": "udp",
// ndvi -> reduce_dimension(t, reducer) is built as a user-defined process of a parameter "data" and stored under the id
// "udp", validated, listed and described, then a graph load_collection -> udp (namespace "user") -> save_result runs
// synchronously, and the process is deleted).
// Prints JSON: the collections' ids, the number of processes, the capabilities' API version, the bytes written.
'use strict';
const fs = require('fs');
const { OpenEO, Parameter } = require('@openeo/js-client');

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
  const summary = {
    apiVersion: con.capabilities().apiVersion(),
    collections: collections.collections.map((c) => c.id),
    processes: processes.processes.length,
  };
  if (request.mode === 'udp') {
    const udp = await con.buildProcess(request.udp);
    const data = new Parameter('data', { type: 'object', subtype: 'datacube' }, 'A cube of red and near-infrared bands');
    const reducedUdp = udp.reduce_dimension(udp.ndvi(data), function (d) { return this[reducerName](d); }, 't');
    reducedUdp.result = true;
    const definition = Object.assign(udp.toJSON(), { summary: 'NDVI reduced over time' });
    const validation = await con.validateProcess(definition);
    const stored = await con.setUserProcess(request.udp, definition);
    const listed = await con.listUserProcesses();
    const described = await con.getUserProcess(request.udp);
    const main = await con.buildProcess();
    const loaded = main.load_collection(request.collection, request.spatial_extent, request.temporal_extent, request.bands);
    const called = main.process(request.udp + '@user', { data: loaded });
    const response = await con.computeResult(main.save_result(called, 'GTiff'));
    await new Promise((resolve, reject) => {
      const file = fs.createWriteStream(request.output);
      response.data.pipe(file);
      file.on('finish', resolve);
      file.on('error', reject);
      response.data.on('error', reject);
    });
    await stored.deleteUserProcess();
    Object.assign(summary, {
      validationErrors: validation.length,
      listed: listed.map((p) => p.id),
      summary: described.summary,
      parameters: (described.parameters || []).map((p) => p.name),
      afterDelete: (await con.listUserProcesses()).map((p) => p.id),
      bytes: fs.statSync(request.output).size,
    });
  } else if (request.mode === 'batch') {
    // As a batch job: created, started, watched until it ends, its results downloaded through their signed links.
    const job = await con.createJob(saved, 'NDVI ' + reducerName);
    await job.startJob();
    const deadline = Date.now() + 150000;
    let status = 'queued';
    while (Date.now() < deadline) {
      status = (await job.describeJob()).status;
      if (['finished', 'error', 'canceled'].includes(status)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const logs = await job.debugJob().nextLogs();
    if (status !== 'finished') {
      throw new Error(`the job ended ${status}: ${logs.map((l) => l.message).join(' | ')}`);
    }
    const stac = await job.getResultsAsStac();
    const hrefs = Object.values(stac.assets).map((a) => a.href);
    const folder = fs.mkdtempSync(require('path').join(require('os').tmpdir(), 'openeo-'));
    const files = await job.downloadResults(folder);
    fs.copyFileSync(files[0], request.output);
    Object.assign(summary, { jobId: job.id, status, logs: logs.map((l) => l.message), hrefs, bytes: fs.statSync(request.output).size });
  } else {
    const response = await con.computeResult(saved);
    await new Promise((resolve, reject) => {
      const file = fs.createWriteStream(request.output);
      response.data.pipe(file);
      file.on('finish', resolve);
      file.on('error', reject);
      response.data.on('error', reject);
    });
    Object.assign(summary, { bytes: fs.statSync(request.output).size, type: response.type });
  }
  process.stdout.write(JSON.stringify(summary));
}

main().catch((e) => {
  process.stderr.write(String(e && (e.message || e)) + (e && e.code ? ` (${e.code})` : '') + '\n');
  process.exit(1);
});
