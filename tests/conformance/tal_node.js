/* Runs docs/assets/tal.js (the self-check's number reading) over texts given as JSON on stdin:
 * [[text, kind], ...] → [{vaerdi} | {afvist, besked}, ...] on stdout. Used by tests/test_numbers.py. */
"use strict";
const fs = require("fs");
require(process.argv[2]);
const rows = JSON.parse(fs.readFileSync(0, "utf8"));
const out = rows.map(([text, kind]) => {
  try {
    const value = globalThis.LBFTal.parse(text, kind);
    return { vaerdi: value };
  } catch (e) {
    if (!e || !e.reason) throw e;
    return { afvist: e.reason, besked: e.message };
  }
});
process.stdout.write(JSON.stringify(out));
