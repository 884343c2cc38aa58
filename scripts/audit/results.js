// What a harness page (audit.js, layout.js) wrote into its #results, read back from the DOM
// headless Chromium dumped: the parsed JSON. If it is not there, says so and fails the step
// (scripts/test.sh requires this file for both checks).
const fs = require("fs");

module.exports = function results(file, what) {
  const html = fs.readFileSync(file, "utf8");
  const m = html.match(/<pre id="results">([\s\S]*?)<\/pre>/);
  const text = (m ? m[1] : "")
    .replace(/&quot;/g, "\"").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  try {
    return JSON.parse(text);
  } catch (e) {
    console.error(`[test] ${what} did not finish: ` + text.slice(0, 300));
    process.exit(1);
  }
};
