// Measures the size text renders at — from its boxes on screen, not from CSS values — in the
// picture, the cards, the event log and the console, at a laptop's 1366×768 and a projector's
// 1920×1080, in the normal view and in presenter mode (`f`). A text's size is the height of its
// box divided by the height a 1 px font of the same family takes (measured beside it), so a
// picture drawn at half its size reports half its font size. Writes, per size and mode, the
// smallest size in each region and the smallest texts, as JSON into #results (scripts/test.sh
// reads it and fails below 12 px, or 20 px in presenter mode).
const frame = document.getElementById("app");
const sizes = [[1366, 768], [1920, 1080]];
const regions = {
  picture: "svg.cluster",
  cards: ".actors",
  log: ".event-log",
  console: ".console",
};

// Height of a 1 px font of `family` (its box: ascent + descent), measured in `doc`.
const ratios = new Map();
function ratio(doc, family) {
  if (ratios.has(family)) return ratios.get(family);
  const probe = doc.createElement("span");
  probe.style.cssText = "position:absolute;left:0;top:0;font-size:100px;line-height:normal;white-space:nowrap;visibility:hidden";
  probe.style.fontFamily = family;
  probe.textContent = "Hg";
  doc.body.appendChild(probe);
  const range = doc.createRange();
  range.selectNodeContents(probe);
  const h = range.getBoundingClientRect().height / 100;
  probe.remove();
  ratios.set(family, h);
  return h;
}

// Every rendered text in `root`: its size in px, with where it is.
function texts(doc, root) {
  const found = [];
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || el.closest(".sr-only") || el.closest("title")) continue;
    const style = doc.defaultView.getComputedStyle(el);
    if (style.visibility !== "visible" || style.display === "none") continue;
    let heights;
    if (el instanceof doc.defaultView.SVGElement) {
      const r = el.getBoundingClientRect();
      heights = r.width > 0 ? [r.height] : [];
    } else {
      const range = doc.createRange();
      range.selectNodeContents(node);
      heights = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 1).map((r) => r.height);
    }
    if (!heights.length) continue;
    const px = Math.min(...heights) / ratio(doc, style.fontFamily);
    found.push({ px, what: `${describe(el)} "${node.textContent.trim().slice(0, 40)}"` });
  }
  return found;
}

function measureRegions(doc) {
  const out = {};
  for (const [name, selector] of Object.entries(regions)) {
    const root = doc.querySelector(selector);
    if (!root) { out[name] = { missing: true }; continue; }
    const all = texts(doc, root).sort((a, b) => a.px - b.px);
    out[name] = {
      texts: all.length,
      smallest: all.length ? Math.round(all[0].px * 10) / 10 : null,
      examples: all.slice(0, 3).map((t) => `${t.px.toFixed(1)} px ${t.what}`),
    };
  }
  return out;
}

async function measure(width, height) {
  const { win, doc } = await openApp(frame, width, height);
  await sleep(500);
  ratios.clear();
  const normal = measureRegions(doc);
  key(win, doc, "f");
  await until(() => doc.querySelector(".app.presenter"), 40);
  const opened = doc.querySelector(".app.presenter") !== null;
  // Presenter mode folds the event log away: unfolded, it must be as readable.
  const folded = doc.querySelector("details.folded-log");
  if (folded) folded.querySelector("summary").click();
  await sleep(800);
  const presenter = measureRegions(doc);
  return { size: `${width}x${height}`, presenter_opened: opened, log_folded: folded !== null, normal, presenter };
}

report(sizes, measure);
