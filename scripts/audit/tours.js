// Walks every step of every tour at a laptop's 1366×768 and a projector's 1920×1080 and checks
// that the step never hides its own evidence: what it highlights (the picture's highlighted
// nodes, the diagram's highlighted arrows and marks) does not intersect the tour's panel and
// is on screen, inside the diagram's scrolling box where it is drawn there. Writes what it
// found as JSON into #results (scripts/test.sh reads it).
const frame = document.getElementById("app");
const sizes = [[1366, 768], [1920, 1080]];

const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
function inside(r, box) {
  return r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
}

async function walk(width, height) {
  const { win, doc } = await openApp(frame, width, height);
  const steps = [];
  for (let t = 0; ; t++) {
    key(win, doc, "t");
    await until(() => doc.querySelector("[data-tours]"));
    const pick = doc.querySelector(`[data-tour='${t}']`);
    if (!pick) { key(win, doc, "Escape"); break; }
    pick.click();
    for (let s = 0; ; s++) {
      const shown = `${t}.${s}`;
      if (!(await until(() => doc.querySelector(`[data-tour-step='${shown}']`)))) break;
      // The step's diagram and highlights settle within a few frames.
      await sleep(600);
      const panel = doc.querySelector("[data-tour-step]").getBoundingClientRect();
      const view = { left: 0, top: 0, right: win.innerWidth, bottom: win.innerHeight };
      const scroll = doc.querySelector(".spacetime-scroll");
      const scrollBox = scroll ? scroll.getBoundingClientRect() : null;
      const highlighted = [...doc.querySelectorAll("svg.cluster .highlight, [data-panel='spacetime'] .hl")];
      const problems = [];
      for (const el of highlighted) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (meets(r, panel)) problems.push(`${describe(el)} is under the tour panel`);
        if (!inside(r, view)) problems.push(`${describe(el)} is off the screen`);
        if (scrollBox && el.closest(".spacetime-scroll") && !inside(r, scrollBox)) problems.push(`${describe(el)} is outside the diagram's visible box`);
      }
      steps.push({ step: shown, highlighted: highlighted.length, problems: problems.slice(0, 5) });
      const next = doc.querySelector("[data-action='tour-next']");
      if (!next) break;
      next.click();
    }
    const close = doc.querySelector("[data-action='tour-close']");
    if (close) close.click();
    await sleep(200);
  }
  return { size: `${width}x${height}`, steps };
}

report(sizes, walk);
