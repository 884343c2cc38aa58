// Measures the app in the frame at a phone's size (390×844) and a tablet's (768×1024): no
// element wider than the viewport and no sideways scrolling, the picture at least 350 px wide,
// buttons at least 24×24 px, and the console's input visible (not covered) once scrolled to;
// then the same with the space-time diagram open (its drawing scrolls in its own box).
// Writes what it found as JSON into #results, where the test command reads it
// (scripts/test.sh).
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const frame = document.getElementById("app");
const sizes = [[390, 844], [768, 1024]];

function describe(el) {
  const id = el.id ? "#" + el.id : "";
  const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).join(".") : "";
  const data = [...el.attributes].filter((a) => a.name.startsWith("data-")).map((a) => `[${a.name}="${a.value}"]`).join("");
  return el.tagName.toLowerCase() + id + cls + data;
}

// What is wider than the viewport or smaller than a fingertip, outside the boxes that scroll
// sideways on purpose (`within`: a selector, or null).
function misfits(doc, viewport, within) {
  const inside = (el) => within !== null && el.closest(within) !== null;
  const wide = [];
  for (const el of doc.body.querySelectorAll("*")) {
    if (inside(el)) continue;
    const r = el.getBoundingClientRect();
    // Nothing to see: empty, or visually hidden for screen readers only (1 px, clipped).
    if (r.width <= 1 && r.height <= 1) continue;
    if (r.width > viewport + 0.5 || r.right > viewport + 0.5 || r.left < -0.5) wide.push(`${describe(el)} (${Math.round(r.left)}..${Math.round(r.right)})`);
  }
  const small = [];
  for (const el of doc.querySelectorAll("button, select, input")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.width < 24 || r.height < 24) small.push(`${describe(el)} (${r.width.toFixed(1)}×${r.height.toFixed(1)})`);
  }
  return { wide: wide.slice(0, 10), small: small.slice(0, 10) };
}

async function measure(width, height) {
  frame.width = String(width);
  frame.height = String(height);
  const loaded = new Promise((resolve) => (frame.onload = resolve));
  frame.src = "index.html?" + width;
  await loaded;
  const win = frame.contentWindow;
  const doc = frame.contentDocument;
  // Until the app runs and the cluster has elected its leader (the wasm may take a while to
  // compile on a busy machine; a fixed wait in Chromium's virtual time can end before it).
  for (let i = 0; i < 240 && !doc.querySelector("svg.cluster [data-node-process]"); i++) await sleep(250);
  for (let i = 0; i < 80 && !doc.querySelector("[data-process][data-role='leader']"); i++) await sleep(250);
  const viewport = win.innerWidth;
  const { wide, small } = misfits(doc, viewport, null);
  const picture = doc.querySelector("svg.cluster");
  const pictureWidth = picture ? picture.getBoundingClientRect().width : 0;
  const input = doc.querySelector("[data-control='console']");
  let consoleVisible = false;
  if (input) {
    input.scrollIntoView({ block: "center" });
    await sleep(300);
    const r = input.getBoundingClientRect();
    const inView = r.top >= 0 && r.bottom <= win.innerHeight && r.left >= 0 && r.right <= viewport && r.width > 0;
    const top = doc.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    consoleVisible = inView && top === input;
  }
  const scrollWidth = doc.documentElement.scrollWidth;
  // The space-time diagram open (its key): the page still fits, its drawing scrolls in its box.
  doc.dispatchEvent(new win.KeyboardEvent("keydown", { key: "s", bubbles: true }));
  for (let i = 0; i < 40 && !doc.querySelector("[data-panel='spacetime'] .arrow"); i++) await sleep(250);
  const diagram = misfits(doc, viewport, ".spacetime-scroll");
  const drawing = doc.querySelector(".spacetime-scroll");
  const drawingFits = drawing !== null && drawing.getBoundingClientRect().right <= viewport + 0.5;
  return {
    size: `${width}x${height}`,
    viewport,
    scroll_width: scrollWidth,
    wide,
    small_targets: small,
    picture_width: Math.round(pictureWidth),
    console_visible: consoleVisible,
    diagram_scroll_width: doc.documentElement.scrollWidth,
    diagram_wide: diagram.wide,
    diagram_small_targets: diagram.small,
    diagram_drawing_fits: drawingFits,
  };
}

(async () => {
  const results = [];
  try {
    for (const [w, h] of sizes) results.push(await measure(w, h));
    document.getElementById("results").textContent = JSON.stringify(results);
  } catch (e) {
    document.getElementById("results").textContent = "error: " + e;
  }
})();
