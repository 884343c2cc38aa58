// Measures the app in the frame at a phone's size (390×844) and a tablet's (768×1024): no
// element wider than the viewport and no sideways scrolling, the picture at least 350 px wide,
// buttons, selects and inputs at least 24×24 px, and the console's input visible (not covered) once scrolled to;
// then the same with the space-time diagram open (its drawing scrolls in its own box); then
// the same again with 30 processes (added with the `a` key), where cards and nodes crowd.
// Writes what it found as JSON into #results, where the test command reads it
// (scripts/test.sh).
const frame = document.getElementById("app");
const sizes = [[390, 844], [768, 1024]];

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
  const { win, doc } = await openApp(frame, width, height);
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
  key(win, doc, "s");
  for (let i = 0; i < 40 && !doc.querySelector("[data-panel='spacetime'] .arrow"); i++) await sleep(250);
  const diagram = misfits(doc, viewport, ".spacetime-scroll");
  const drawing = doc.querySelector(".spacetime-scroll");
  const drawingFits = drawing !== null && drawing.getBoundingClientRect().right <= viewport + 0.5;
  // A crowded cluster: 30 processes, the diagram closed again.
  key(win, doc, "s");
  for (let n = doc.querySelectorAll("[data-process]:not([data-role='console'])").length; n < 30; n++) key(win, doc, "a");
  await until(() => doc.querySelectorAll("[data-process]:not([data-role='console'])").length >= 30, 100);
  await sleep(500);
  const crowded = misfits(doc, viewport, null);
  const crowdedSvg = doc.querySelector("svg.cluster");
  const crowdedPicture = crowdedSvg ? crowdedSvg.getBoundingClientRect().width : 0;
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
    crowded_processes: doc.querySelectorAll("[data-process]:not([data-role='console'])").length,
    crowded_scroll_width: doc.documentElement.scrollWidth,
    crowded_wide: crowded.wide,
    crowded_small_targets: crowded.small,
    crowded_picture_width: Math.round(crowdedPicture),
  };
}

report(sizes, measure);
