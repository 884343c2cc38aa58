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

// Waits until the screen `name` shows `selector`, or says that it never opened: a key that
// opened nothing must not audit the main view again under another screen's name.
async function opened_screen(doc, name, selector) {
  if (!(await until(() => doc.querySelector(selector), 15000))) {
    throw new Error(`the ${name} did not open (no ${selector})`);
  }
}

// The app's screens, one after the other; ends by opening the app from a broken link.
async function audit() {
  const doc = frame.contentDocument;
  await loadAxe(doc);
  // A key opens each screen (shown by its selector); the same key toggles the diagram and
  // presenter mode back off. The main view is audited once the cluster has its leader.
  const screens = [
    ["main view", null, "[data-process][data-role='leader']"],
    ["help", "?", "[data-help]"],
    ["plots", "p", "[data-plots] [data-points]"],
    ["space-time diagram", "s", "[data-panel='spacetime'] .arrow"],
    ["presenter mode", "f", ".app.presenter"],
  ];
  const toggles = ["s", "f"];
  for (const [name, k, shown] of screens) {
    if (k) key(doc, k);
    await opened_screen(doc, name, shown);
    await sleep(500); // what opened settles (the plots draw, the diagram lays out)
    results.push(await screen(name));
    if (k) {
      key(doc, toggles.includes(k) ? k : "Escape");
      await sleep(500);
    }
  }
  // The tours: the picker, then a tour's narration panel.
  key(doc, "t");
  await opened_screen(doc, "tour picker", "[data-tours] [data-tour='0']");
  results.push(await screen("tour picker"));
  doc.querySelector("[data-tour='0']").click();
  await opened_screen(doc, "tour", "[data-tour-step]");
  await sleep(500);
  results.push(await screen("tour"));
  // Split brain: the banner, the stale leader's dashed star, the resource's rejections.
  key(doc, "Escape");
  key(doc, "t");
  await sleep(500);
  await opened_screen(doc, "tour picker", "[data-tours] [data-tour='6']");
  doc.querySelector("[data-tour='6']").click();
  await opened_screen(doc, "tour 7", "[data-tour-step]");
  key(doc, "ArrowRight");
  await opened_screen(doc, "split-brain banner of tour 7", "[data-split-brain]");
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
