// The benchmarks' yardstick (cargo xtask bench runs it): PouchDB replicating
// the same data Chengnuo syncs, to pouchdb-server (in memory) on this machine.
//
//   node compare.mjs <payload.json> <count>
//
// payload.json holds one record as Chengnuo's push carries it (a draft);
// `count` documents with that body are written to a local in-memory PouchDB
// (not timed: Chengnuo's phone writes its queue to storage too), replicated
// to the server (timed: push), then replicated from the server into a fresh
// local database (timed: pull). Prints one JSON line.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import PouchDB from 'pouchdb-node';
import Memory from 'pouchdb-adapter-memory';

PouchDB.plugin(Memory);

const [payloadFile, countText] = process.argv.slice(2);
const payload = JSON.parse(readFileSync(payloadFile, 'utf8'));
const count = Number(countText);

const port = await new Promise((resolve) => {
  const probe = createServer();
  probe.listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});
const server = spawn(
  new URL('./node_modules/.bin/pouchdb-server', import.meta.url).pathname,
  ['--in-memory', '--port', String(port), '--host', '127.0.0.1', '--no-stdout-logs'],
  { stdio: 'ignore' },
);
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(base)).ok) break;
  } catch {}
  if (i > 300) throw new Error('pouchdb-server did not start');
  await new Promise((r) => setTimeout(r, 100));
}
await fetch(`${base}/commitments`, { method: 'PUT' });

try {
  const phone = new PouchDB('phone', { adapter: 'memory' });
  const docs = [];
  for (let i = 0; i < count; i++) docs.push({ _id: `c${String(i).padStart(6, '0')}`, draft: payload });
  for (let i = 0; i < docs.length; i += 1000) await phone.bulkDocs(docs.slice(i, i + 1000));
  const bytes = Buffer.byteLength(JSON.stringify(docs));

  let started = performance.now();
  const pushed = await PouchDB.replicate(phone, `${base}/commitments`, { batch_size: 100 });
  const pushMs = performance.now() - started;

  const fresh = new PouchDB('fresh', { adapter: 'memory' });
  started = performance.now();
  const pulled = await PouchDB.replicate(`${base}/commitments`, fresh, { batch_size: 100 });
  const pullMs = performance.now() - started;

  console.log(JSON.stringify({
    push_ms: pushMs, pull_ms: pullMs, bytes,
    pushed: pushed.docs_written, pulled: pulled.docs_written,
  }));
} finally {
  server.kill();
}
