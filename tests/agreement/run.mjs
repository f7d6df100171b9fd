// Runs the wasm32 build of chengnuo-agreement (wasm-bindgen, Node target) on a
// corpus file and prints the answers. Node runs V8, Chromium's engine.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const [, , bindings, corpus] = process.argv;
const require = createRequire(import.meta.url);
const { run } = require(bindings);
process.stdout.write(run(readFileSync(corpus, "utf8")));
