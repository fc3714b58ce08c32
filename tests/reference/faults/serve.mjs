// A file server over ROOT that misbehaves on purpose, and counts what it saw (GET /_stats):
//   /slow/NAME          the file in 32 KiB pieces, 10 ms apart (counts downloads running at once: current, max)
//   /unavailable/N/NAME 503 with Retry-After: 1 for the first N requests of NAME, then the file
//   /reset/NAME         half the file, then the connection is cut (a Range request is answered properly: 206)
//   /redirect/HOST:PORT/PATH   302 to http://HOST:PORT/PATH
//   /NAME               the file
// Every request's Authorization header is kept by path (GET /_stats: "authorization"), and requests are counted by path ("paths").
// Usage: node serve.mjs ROOT   Prints one line of JSON: {"address": "http://127.0.0.1:PORT/"}.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const root = path.resolve(process.argv[2]);
const stats = { current: 0, max: 0, requests: 0, unavailable: 0, resets: 0, ranges: 0, authorization: {}, paths: {} };
const seen = {};

function file(name) {
  const full = path.join(root, path.normalize(decodeURIComponent(name)).replace(/^(\.\.[/\\])+/, ''));
  return full.startsWith(root) && fs.existsSync(full) && fs.statSync(full).isFile() ? full : null;
}

function range(req, size) {
  const m = (req.headers.range || '').match(/^bytes=(\d+)-$/);
  return m && Number(m[1]) < size ? Number(m[1]) : null;
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/_stats') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
    return;
  }
  stats.requests++;
  stats.authorization[url.pathname] = req.headers.authorization || null;
  stats.paths[url.pathname] = (stats.paths[url.pathname] || 0) + 1;
  const [, kind, ...rest] = url.pathname.split('/');
  if (kind === 'redirect') {
    res.writeHead(302, { location: `http://${rest[0]}/${rest.slice(1).join('/')}` }).end();
    return;
  }
  let name = ['slow', 'reset'].includes(kind) ? rest.join('/') : url.pathname.slice(1);
  if (kind === 'unavailable') {
    const times = Number(rest[0]);
    name = rest.slice(1).join('/');
    seen[name] = (seen[name] || 0) + 1;
    if (seen[name] <= times) {
      stats.unavailable++;
      res.writeHead(503, { 'retry-after': '1' }).end('not available yet');
      return;
    }
  }
  const full = file(name);
  if (!full) {
    res.writeHead(404).end('not found');
    return;
  }
  const bytes = fs.readFileSync(full);
  const from = range(req, bytes.length);
  if (from !== null) {
    stats.ranges++;
  }
  if (kind === 'reset' && from === null) {
    stats.resets++;
    res.writeHead(200, { 'content-length': bytes.length });
    res.write(bytes.subarray(0, bytes.length >> 1), () => setTimeout(() => req.socket.destroy(), 50));
    return;
  }
  const body = from === null ? bytes : bytes.subarray(from);
  const headers = { 'content-length': body.length, 'accept-ranges': 'bytes' };
  if (from !== null) {
    headers['content-range'] = `bytes ${from}-${bytes.length - 1}/${bytes.length}`;
  }
  res.writeHead(from === null ? 200 : 206, headers);
  if (kind !== 'slow') {
    res.end(body);
    return;
  }
  stats.current++;
  stats.max = Math.max(stats.max, stats.current);
  try {
    for (let at = 0; at < body.length; at += 32768) {
      await new Promise((done) => res.write(body.subarray(at, at + 32768), done));
      if (at + 32768 >= body.length) {
        break; // the last piece is out: the download is over for the client as soon as it reads it
      }
      await new Promise((done) => setTimeout(done, 10));
    }
  } finally {
    stats.current--;
    res.end();
  }
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ address: `http://127.0.0.1:${server.address().port}/` })));
