// 64 sign-ins at once against a running server (the demo accounts, password chengnuo-demo): how they are answered and how long it took.
// Usage: CHENGNUO_URL=http://127.0.0.1:3998 node tests/browser/bench/signins.mjs 64, and read VmHWM in /proc/<pid>/status.
const n = Number(process.argv[2] ?? 64);
const logins = ["member", "branch", "committee", "leader", "office", "student", "cadre"];
const started = Date.now();
const answers = await Promise.all(Array.from({ length: n }, (_, i) =>
  fetch(`${process.env.CHENGNUO_URL ?? "http://127.0.0.1:3998"}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ login: logins[i % logins.length], password: "chengnuo-demo" }) }).then((r) => r.status)));
const counts = {};
for (const s of answers) counts[s] = (counts[s] ?? 0) + 1;
console.log(n, "sign-ins at once:", JSON.stringify(counts), `${Date.now() - started} ms`);
