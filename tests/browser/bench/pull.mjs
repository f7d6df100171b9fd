// Usage: seed a school (`chengnuo-server --database-url sqlite:///tmp/school/s.db seed --members 25000 --years 2`),
// serve it on :3997 (release build), then `URL=http://127.0.0.1:3997 node tests/browser/bench/pull.mjs office`.
// The office's full pull, page by page: server time per page and in all.
const base = process.env.URL ?? "http://127.0.0.1:3997";
const login = await fetch(`${base}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ login: process.argv[2] ?? "office", password: "chengnuo-demo" }) });
const cookie = login.headers.get("set-cookie").split(";")[0];
let since = 0, pages = 0, records = 0;
const times = [];
const started = performance.now();
for (;;) {
  const t = performance.now();
  const r = await fetch(`${base}/api/sync/pull`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify({ since }) });
  const body = await r.json();
  times.push(performance.now() - t);
  pages++; records += body.changes.length; since = body.cursor;
  if (!body.more) break;
}
times.sort((a, b) => a - b);
console.log(`${process.argv[2] ?? "office"}: ${records} records in ${pages} pages, ${(performance.now() - started).toFixed(0)} ms; per page median ${times[times.length >> 1].toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms`);
