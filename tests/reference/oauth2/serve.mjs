// An OAuth2 authorization server (oauth2-mock-server: signed JWTs, client credentials and password grants) and a
// file server that serves ROOT only to requests bearing one of its tokens (checked against its keys with jose).
// Usage: node serve.mjs ROOT CLIENT_ID CLIENT_SECRET
// Prints one line of JSON: {"issuer": URL, "resource": URL} (both on 127.0.0.1, ending with "/"); GET RESOURCE/_stats answers the counts so far.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { OAuth2Server } from 'oauth2-mock-server';
import { createLocalJWKSet, jwtVerify } from 'jose';

const [root, clientId, clientSecret] = process.argv.slice(2);
const stats = { tokens: 0, refused_tokens: 0, files: 0, unauthorized: 0 };

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
server.service.on('beforeResponse', (response, req) => {
  const body = req.body || {};
  let id = body.client_id;
  let secret = body.client_secret;
  const basic = (req.headers.authorization || '').match(/^Basic (.+)$/);
  if (basic) {
    [id, secret] = Buffer.from(basic[1], 'base64').toString().split(':');
  }
  if (id !== clientId || secret !== clientSecret || !['client_credentials', 'password'].includes(body.grant_type)) {
    stats.refused_tokens++;
    response.statusCode = 401;
    response.body = { error: 'invalid_client' };
    return;
  }
  stats.tokens++;
  response.body.expires_in = 3600;
});
await server.start(0, '127.0.0.1');
const jwks = createLocalJWKSet(await (await fetch(`${server.issuer.url}/jwks`)).json());

const resource = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/_stats') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
    return;
  }
  const bearer = (req.headers.authorization || '').match(/^Bearer (.+)$/);
  try {
    if (!bearer) throw new Error('no token');
    await jwtVerify(bearer[1], jwks, { issuer: server.issuer.url });
  } catch {
    stats.unauthorized++;
    res.writeHead(401, { 'www-authenticate': 'Bearer' }).end('unauthorized');
    return;
  }
  const file = path.join(root, path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, ''));
  if (!file.startsWith(path.resolve(root)) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404).end('not found');
    return;
  }
  stats.files++;
  res.writeHead(200, { 'content-type': file.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
resource.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}/`;
  console.log(JSON.stringify({ issuer, resource: `http://127.0.0.1:${resource.address().port}/` }));
});
