/* Runs the browser self-check's evaluator (docs/assets/selvtjek.js) under node for the tests:
 *   node selvtjek_node.js SELVTJEK.js < {"vectors": [...]}  → [{r, d}] per conformance vector
 *   node selvtjek_node.js SELVTJEK.js < {"rules": ..., "cases": [...]}  → the decision per case
 * (tests/test_conformance.py). No browser is needed for the evaluator itself; the site tests run
 * the same file in Chromium. */
"use strict";
require(process.argv[2]);
const S = globalThis.LBFSelvtjek;
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
let out;
if (input.vectors) {
  out = input.vectors.map(function (v) {
    const ctx = new S.Context(v.rules, v.sag, v.dato);
    const res = S.evaluate(v.knude, ctx);
    return { r: res.r, d: res.d.slice().sort() };
  });
} else {
  out = input.cases.map(function (c) { return S.decide(input.rules, c); });
}
process.stdout.write(JSON.stringify(out));
