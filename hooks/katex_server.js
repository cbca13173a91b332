// Render TeX to HTML with the pinned KaTeX, for the build (hooks/katex_prerender.py).
// One process serves the whole build: it reads one JSON request per line on stdin,
// {"tex": "...", "display": true|false}, and answers each with one JSON line on stdout,
// {"html": "...", "warnings": [...]} or {"error": "..."}.
"use strict";
const path = require("path");
const readline = require("readline");
const katex = require(path.join(__dirname, "..", "node_modules", "katex"));

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  let reply;
  try {
    const { tex, display } = JSON.parse(line);
    const warnings = [];
    const html = katex.renderToString(tex, {
      displayMode: Boolean(display),
      throwOnError: true,
      output: "html",
      trust: false,
      strict: (code, message) => { warnings.push(`${code}: ${message}`); return "ignore"; },
    });
    reply = { html, warnings };
  } catch (e) {
    reply = { error: String(e && e.message ? e.message : e) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
});
