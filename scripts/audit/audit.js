// Runs axe-core on every screen of the app in the frame — the main view, the help overlay,
// the plots, presenter mode, the tour picker and a tour — and writes the violations as JSON into #results, where the test command reads
// them (scripts/test.sh).
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const frame = document.getElementById("app");

// The event must come from the frame's own constructor: the app checks its type.
function key(doc, k) {
  const win = doc.defaultView;
  doc.dispatchEvent(new win.KeyboardEvent("keydown", { key: k, bubbles: true }));
}

async function audit() {
  const doc = frame.contentDocument;
  const win = frame.contentWindow;
  const screen = async (name) => {
    const r = await win.axe.run(doc, { resultTypes: ["violations"] });
    return {
      screen: name,
      rules_passed: r.passes.length,
      dialog: doc.querySelector("[role=dialog]") !== null,
      violations: r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
      })),
    };
  };
  const script = doc.createElement("script");
  script.src = "axe.min.js";
  const loaded = new Promise((resolve) => (script.onload = resolve));
  doc.head.appendChild(script);
  await loaded;
  await sleep(4000); // let the cluster elect its leader
  const screens = [["main view", null], ["help", "?"], ["plots", "p"], ["presenter mode", "f"]];
  const results = [];
  for (const [name, k] of screens) {
    if (k) {
      key(doc, k);
      await sleep(1500);
    }
    results.push(await screen(name));
    if (k) {
      key(doc, k === "f" ? "f" : "Escape");
      await sleep(500);
    }
  }
  // The tours: the picker, then a tour's narration panel.
  key(doc, "t");
  await sleep(500);
  results.push(await screen("tour picker"));
  doc.querySelector("[data-tour='0']").click();
  await sleep(1000);
  results.push(await screen("tour"));
  document.getElementById("results").textContent = JSON.stringify(results);
}

frame.addEventListener("load", () => {
  audit().catch((e) => {
    document.getElementById("results").textContent = JSON.stringify({ error: String(e) });
  });
});
