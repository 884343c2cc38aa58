// Runs axe-core on every screen of the app in the frame — the main view, the help overlay,
// the plots, the space-time diagram, presenter mode, the tour picker, a tour, split brain
// (tour 7) and the message a broken link gets — and writes the violations as JSON into #results, where the test command
// reads them (scripts/test.sh).
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// Waits until `found()` holds, checking every 100 ms for at most `ms`: a page still compiling
// its WebAssembly on a busy machine takes longer than a fixed pause.
async function until(found, ms) {
  for (let waited = 0; waited < ms && !found(); waited += 100) await sleep(100);
  return found();
}
const frame = document.getElementById("app");
const results = [];

// The event must come from the frame's own constructor: the app checks its type.
function key(doc, k) {
  const win = doc.defaultView;
  doc.dispatchEvent(new win.KeyboardEvent("keydown", { key: k, bubbles: true }));
}

// Loads axe-core into the frame's document.
async function loadAxe(doc) {
  const script = doc.createElement("script");
  script.src = "axe.min.js";
  const loaded = new Promise((resolve) => (script.onload = resolve));
  doc.head.appendChild(script);
  await loaded;
}

// axe-core's findings on what the frame shows now.
async function screen(name) {
  const doc = frame.contentDocument;
  const r = await frame.contentWindow.axe.run(doc, { resultTypes: ["violations"] });
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
}

// The app's screens, one after the other; ends by opening the app from a broken link.
async function audit() {
  const doc = frame.contentDocument;
  await loadAxe(doc);
  await sleep(4000); // let the cluster elect its leader
  // A key opens each screen; the same key toggles the diagram and presenter mode back off.
  const screens = [
    ["main view", null], ["help", "?"], ["plots", "p"], ["space-time diagram", "s"], ["presenter mode", "f"],
  ];
  const toggles = ["s", "f"];
  for (const [name, k] of screens) {
    if (k) {
      key(doc, k);
      await sleep(1500);
    }
    if (k === "s" && !doc.querySelector("[data-panel='spacetime'] .arrow")) {
      throw new Error("the space-time diagram draws no arrow");
    }
    results.push(await screen(name));
    if (k) {
      key(doc, toggles.includes(k) ? k : "Escape");
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
  // Split brain: the banner, the stale leader's dashed star, the resource's rejections.
  key(doc, "Escape");
  key(doc, "t");
  await sleep(500);
  doc.querySelector("[data-tour='6']").click();
  await sleep(500);
  key(doc, "ArrowRight");
  await sleep(1000);
  if (!doc.querySelector("[data-split-brain]")) throw new Error("no split-brain banner in tour 7");
  results.push(await screen("split brain"));
  // A broken link: the page opens the default run with a message. Loaded as a new address
  // (not the hash set and the frame reloaded): the running page shares its run in the address
  // bar a moment after it changes, and could write a valid link there before the reload.
  opened += 1;
  frame.src = "index.html?broken-link#run=not-a-run";
}

async function brokenLink() {
  const doc = frame.contentDocument;
  await loadAxe(doc);
  if (!(await until(() => doc.querySelector("[data-error]"), 8000))) {
    throw new Error("no message for a broken link");
  }
  await sleep(1000); // the rest of the page settles around the message
  results.push(await screen("broken link message"));
  document.getElementById("results").textContent = JSON.stringify(results);
}

// The frame loads twice: the app, then the app opened from a broken link.
let opened = 0;
frame.addEventListener("load", () => {
  const fail = (e) => {
    document.getElementById("results").textContent = JSON.stringify({ error: String(e) });
  };
  (opened === 0 ? audit() : brokenLink()).catch(fail);
});
