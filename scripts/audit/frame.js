// What the harness pages (layout.js, text.js, tours.js) share: loading the app into their
// same-origin frame at a given size and waiting until it runs, naming an element, and writing
// what a check found as JSON into #results, where the test command reads it (results.js).
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Waits until `found()` holds, checking every 100 ms, at most `tries` times.
async function until(found, tries = 80) {
  for (let i = 0; i < tries && !found(); i++) await sleep(100);
  return found();
}

// An element as a selector-like name, with its data attributes (for the reports).
function describe(el) {
  const id = el.id ? "#" + el.id : "";
  const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).join(".") : "";
  const data = [...el.attributes].filter((a) => a.name.startsWith("data-")).map((a) => `[${a.name}="${a.value}"]`).join("");
  return el.tagName.toLowerCase() + id + cls + data;
}

// Loads the app into `frame` at width × height and waits until the cluster is drawn and has
// elected its leader (the wasm may take a while to compile on a busy machine: a fixed wait in
// Chromium's virtual time can end before it). Returns the frame's window and document.
async function openApp(frame, width, height) {
  frame.width = String(width);
  frame.height = String(height);
  const loaded = new Promise((resolve) => (frame.onload = resolve));
  frame.src = "index.html?" + width;
  await loaded;
  const win = frame.contentWindow;
  const doc = frame.contentDocument;
  await until(() => doc.querySelector("svg.cluster [data-node-process]"), 600);
  await until(() => doc.querySelector("[data-process][data-role='leader']"), 200);
  return { win, doc };
}

// A key pressed in the app (the event must come from the frame's own constructor).
function key(win, doc, k) {
  doc.dispatchEvent(new win.KeyboardEvent("keydown", { key: k, bubbles: true }));
}

// Runs `check` at each of `sizes` and writes what it returned, or its error, into #results.
async function report(sizes, check) {
  const results = [];
  try {
    for (const [w, h] of sizes) results.push(await check(w, h));
    document.getElementById("results").textContent = JSON.stringify(results);
  } catch (e) {
    document.getElementById("results").textContent = "error: " + e;
  }
}
