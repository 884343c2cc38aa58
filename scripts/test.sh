#!/usr/bin/env bash
# The README's *test* command: sets up whatever is missing and runs every test — formatting,
# clippy, native tests, headless-browser tests, the release page's size budget, and the page
# served by the run command as headless Chromium renders it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup.sh
. scripts/env.sh

# Gzipped budget for the release page's .wasm + .js, in bytes. Live mode (decoding the
# bridge's pictures, its console and stream) added 20 KB to the 393 KB page; the budget went
# from 400 to 425 KB with it. A thousand processes in the picture, the phone layout, the
# failure's woken processes and the event queue took the page from 417.0 to 425.3 KB (after
# 1.5 KB of cuts). Vectors by id and sorted-vector maps in place of most B-trees, fewer sort
# routines and smaller messages took it to 390.0 KB; zkCli's Java grammars without Rust's float
# parser and case tables, and the plots' own key, to 360.0 KB. The space-time diagram (its
# panel, its drawing, its model in the core, its tour steps) added 31 KB: 391.2 KB, budget
# 392 KB, until the page is cut down to 256 KB (issue 15, still open). Issue 25 (a lecture hall)
# took it from 400,539 to 409,491 B, measured commit by commit: one server as standalone and
# tour 8 as one run +0.9 KB; text in screen pixels, presenter mode, docked tours, fitted and
# labelled diagrams, connection states +5.4 KB; staged steps, /election drawn, true captions
# +0.7 KB; the resume narration and the stable layout +2.0 KB: budget 402 KB. Issue 26 (one
# feed, actions beside the picture, a frozen server's card) took it to 410,807 B (+1.3 KB; an
# untagged serde variant for the actions would have cost 4 KB more: they are written flat).
# Round 3 (issue 27's decision): the budget is 430 KB for this round's new capabilities (the
# wire proxy's drawing, the checker's replay, the next lectures); each change that adds more
# than 5 KB says what it added in its commit.
SIZE_BUDGET=$((430 * 1024))
# Where the served-page check writes its screenshot and DOM (named in the README).
ARTIFACTS="$root/target/test-artifacts"

started=$(date +%s)
step() { printf '\n[test] == %s ==\n' "$1"; shift; "$@"; }

step "format" cargo fmt --all -- --check
step "clippy (native, all targets)" cargo clippy --workspace --all-targets --quiet -- -D warnings
step "clippy (wasm32, web crate)" \
  cargo clippy -p zooscope-web --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings
step "native tests (unit, property, zkCli conformance vs committed recordings)" cargo test --workspace --quiet
step "docs build without warnings" env RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

conformance_live() {
  [ -x /usr/share/zookeeper/bin/zkCli.sh ] && command -v java >/dev/null || {
    echo "[test] the real ZooKeeper (zkCli.sh and java) is missing: scripts/setup.sh installs it" >&2
    return 1
  }
  local dir="$root/target/conformance-recorded" racy="$root/tests/conformance/racy-scripts.txt"
  # A script earns a second recording only with its race shown: the two differing outputs from
  # the real server kept beside it.
  local listed races="$root/tests/conformance/races"
  for listed in $(grep -vE '^(#|$)' "$racy"); do
    if ! [ -f "$races/$listed.1.out" ] || ! [ -f "$races/$listed.2.out" ] ||
      cmp -s "$races/$listed.1.out" "$races/$listed.2.out"; then
      echo "[test] $listed is listed as racy without two differing recordings in $races" >&2
      return 1
    fi
  done
  rm -rf "$dir"
  # Bounded, so that a server that hangs cannot hang the test command.
  ZK_RECORD_DIR="$dir" timeout 1800 bash tests/conformance/record.sh > "$root/target/conformance-record.log"
  echo "[test] re-recorded $(ls "$dir" | wc -l) scripts from the real ZooKeeper into $dir"
  local out="$root/target/conformance-live.log"
  if ZK_RECORDINGS="$dir" cargo test -p zooscope-cli --test conformance --quiet > "$out" 2>&1; then
    return 0
  fi
  local names name
  names=$(grep -oE '^[0-9]+-[a-z0-9-]+:' "$out" | tr -d ':' | sort -u | tr '\n' ' ')
  if [ -z "$names" ]; then cat "$out"; return 1; fi
  # Only a script with a known race in zkCli's event thread earns a second recording.
  for name in $names; do
    if ! grep -qx "$name" "$racy"; then
      echo "[test] $name differs from the real ZooKeeper (and is not a known zkCli race):" >&2
      cat "$out" >&2
      return 1
    fi
  done
  echo "[test] recording again (known zkCli event-thread races): $names"
  # shellcheck disable=SC2086 # the names are words
  ZK_RECORD_DIR="$dir" timeout 600 bash tests/conformance/record.sh $names >> "$root/target/conformance-record.log"
  ZK_RECORDINGS="$dir" cargo test -p zooscope-cli --test conformance --quiet
}
step "zkCli conformance vs a fresh recording from the real ZooKeeper 3.8" conformance_live

# The model's first failover against real candidates on a real ZooKeeper 3.8, recorded now.
failover_live() {
  local recording="$root/target/failover-recorded.json" compared="$root/target/failover-compared.log"
  cargo build --quiet --bin zooscope
  # A recording left by an earlier run must not pass for this one's.
  rm -f "$recording"
  timeout 900 ./target/debug/zooscope record-failover --runs 12 --out "$recording" \
    2> "$root/target/failover-record.log" \
    || { echo "[test] recording the first failover from the real ZooKeeper failed:" >&2
         cat "$root/target/failover-record.log" >&2; return 1; }
  local status=0
  ZK_FAILOVER_RECORDING="$recording" cargo test --quiet -p zooscope-core --test real_failover \
    -- --include-ignored --nocapture > "$compared" 2>&1 || status=$?
  grep -E '^first failover' "$compared" | sed 's/^/[test] /'
  [ "$status" -eq 0 ] || cat "$compared" >&2
  return "$status"
}
step "first failover vs a fresh recording from the real ZooKeeper 3.8" failover_live
# .cargo/config.toml makes wasm-bindgen's runner run each test binary in headless Chromium.
step "browser tests (headless Chromium)" cargo test -p zooscope-web --target wasm32-unknown-unknown

page_size() {
  trunk build --release
  local wasm js wasm_gz js_gz total
  wasm=$(ls dist/*.wasm) js=$(ls dist/*.js)
  wasm_gz=$(gzip -9 -c $wasm | wc -c) js_gz=$(gzip -9 -c $js | wc -c)
  total=$((wasm_gz + js_gz))
  printf '[test] release page: wasm %d B (%d B gzipped), js %d B (%d B gzipped); total %d B gzipped, budget %d B\n' \
    "$(wc -c < $wasm)" "$wasm_gz" "$(wc -c < $js)" "$js_gz" "$total" "$SIZE_BUDGET"
  [ "$total" -le "$SIZE_BUDGET" ] || { echo "[test] the page is over its size budget" >&2; return 1; }
}
step "release page size" page_size
# Live mode's page on a real ensemble, driven through the automation contract in headless
# Chromium: it needs dist/, which the step above built.
step "live page on a real ZooKeeper ensemble (headless Chromium)" \
  cargo test --quiet -p zooscope-cli --test live_page -- --ignored

served_page() {
  local port=8093 log="$ARTIFACTS/run.log"
  mkdir -p "$ARTIFACTS"
  ZOOSCOPE_PORT=$port bash scripts/run.sh > "$log" 2>&1 &
  local run_pid=$!
  for _ in $(seq 1 600); do
    grep -q "Zooscope is ready at" "$log" && break
    kill -0 "$run_pid" 2>/dev/null || break
    sleep 1
  done
  local ok=0
  if grep -q "Zooscope is ready at http://127.0.0.1:$port/" "$log"; then
    local chrome=(chromium --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage
      --disable-background-networking --disable-component-update --disable-sync --no-first-run
      --user-data-dir="$(mktemp -d)" --window-size=1366,768 --virtual-time-budget=15000)
    "${chrome[@]}" --dump-dom "http://127.0.0.1:$port/" > "$ARTIFACTS/page.html" 2>/dev/null || true
    "${chrome[@]}" --screenshot="$ARTIFACTS/page.png" "http://127.0.0.1:$port/" >/dev/null 2>&1 || true
    if grep -q 'data-znode="/election/c_0000000002"' "$ARTIFACTS/page.html" \
       && grep -q 'data-role="leader"' "$ARTIFACTS/page.html"; then
      echo "[test] the served page runs the cluster: a leader and the candidates' znodes (DOM: $ARTIFACTS/page.html, screenshot: $ARTIFACTS/page.png)"
      ok=1
    else
      echo "[test] the served page shows no elected leader or no candidates; DOM in $ARTIFACTS/page.html" >&2
    fi
    # dist/ is also the static page: no development server's reload script in it.
    if grep -q "__TRUNK_WS_BASE__\|__TRUNK_ADDRESS__" dist/index.html; then
      echo "[test] dist/index.html carries Trunk's auto-reload script" >&2
      ok=0
    fi
  else
    echo "[test] the run command never said the page was ready; its log:" >&2
    cat "$log" >&2
  fi
  pkill -P "$run_pid" 2>/dev/null || true
  kill "$run_pid" 2>/dev/null || true
  wait "$run_pid" 2>/dev/null || true
  [ "$ok" -eq 1 ]
}
step "served page in headless Chromium" served_page

# serve DIR PORT: a static server for DIR on 127.0.0.1:PORT, as any host would serve dist/;
# `unserve` stops it (by PID).
serve() {
  # Another server on the port would answer in this one's place, with the wrong files.
  if (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; then
    echo "[test] 127.0.0.1:$2 is already in use by another process: stop it first" >&2
    return 1
  fi
  (cd "$1" && exec python3 -m http.server "$2" --bind 127.0.0.1) >/dev/null 2>&1 &
  served=$!
  for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && break; sleep 0.1; done
}
unserve() {
  kill "$served" 2>/dev/null || true
  wait "$served" 2>/dev/null || true
}

# The built page works offline from any static server, under a subpath (GitHub-Pages style):
# served from /courses/zooscope/ with every other host unreachable, it still runs the cluster,
# and it names no resource outside itself.
offline_subpath() {
  local site port=8095 ok=1
  site=$(mktemp -d)
  mkdir -p "$site/courses/zooscope"
  cp -r "$root/dist/." "$site/courses/zooscope/"
  # Absolute URLs in the page are only XML namespaces and wasm-bindgen's comment links.
  if grep -ohE "https?://[^\"' )]+" "$root"/dist/*.html "$root"/dist/*.css "$root"/dist/*.js \
       | grep -vE '^http://www\.w3\.org/|^https://developer\.mozilla\.org/' | grep -q .; then
    echo "[test] the page refers to resources outside itself" >&2
    ok=0
  fi
  serve "$site" "$port"
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" \
    --user-data-dir="$(mktemp -d)" --window-size=1366,768 --virtual-time-budget=15000 \
    --dump-dom "http://127.0.0.1:$port/courses/zooscope/" > "$ARTIFACTS/subpath.html" 2>/dev/null || true
  unserve
  rm -rf "$site"
  if grep -q 'data-role="leader"' "$ARTIFACTS/subpath.html"; then
    echo "[test] served from a subpath with no other host reachable, the page runs the cluster"
  else
    echo "[test] the page does not run from a subpath; DOM in $ARTIFACTS/subpath.html" >&2
    ok=0
  fi
  [ "$ok" -eq 1 ]
}
step "offline, from a subpath" offline_subpath

# A screenshot of each tour's key step at a projector's 1920×1080 (#tour=N opens it), for a
# reviewer to look at: target/tour-screenshots/tour-N.png.
tour_screenshots() {
  local site port=8096 shots="$root/target/tour-screenshots" n
  site=$(mktemp -d)
  cp -r "$root/dist/." "$site/"
  rm -rf "$shots" && mkdir -p "$shots"
  serve "$site" "$port"
  for n in 1 2 3 4 5 6 7 8; do
    timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --user-data-dir="$(mktemp -d)" --window-size=1920,1080 --virtual-time-budget=4000 \
      --screenshot="$shots/tour-$n.png" "http://127.0.0.1:$port/#tour=$n" >/dev/null 2>&1 || true
  done
  # The lecture's key steps on a laptop's screen in presenter mode (#tour=N&presenter).
  mkdir -p "$ARTIFACTS"
  for n in 3 4 7 8; do
    rm -f "$ARTIFACTS/tour-$n-1366x768-presenter.png"
    timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
      --user-data-dir="$(mktemp -d)" --window-size=1366,768 --virtual-time-budget=4000 \
      --screenshot="$ARTIFACTS/tour-$n-1366x768-presenter.png" "http://127.0.0.1:$port/#tour=$n&presenter" >/dev/null 2>&1 || true
  done
  # What each screenshot shows is checked, not only that it exists: the same address, loaded
  # the same way, must show tour N's step (its DOM holds data-tour-step="N-1.…"), and the
  # eight screenshots must all differ (a page stuck on one view would give eight alike).
  local shown=0
  for n in 1 2 3 4 5 6 7 8; do
    if timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --user-data-dir="$(mktemp -d)" --window-size=1920,1080 --virtual-time-budget=4000 \
      --dump-dom "http://127.0.0.1:$port/#tour=$n" 2>/dev/null | grep -q "data-tour-step=\"$((n - 1))\."; then
      shown=$((shown + 1))
    else
      echo "[test] #tour=$n did not open tour $n's step" >&2
    fi
  done
  unserve
  rm -rf "$site"
  local made presenting distinct
  made=$(find "$shots" -name 'tour-*.png' -size +10k | wc -l)
  distinct=$(find "$shots" -name 'tour-*.png' -exec sha256sum {} + | cut -d' ' -f1 | sort -u | wc -l)
  presenting=$(find "$ARTIFACTS" -name 'tour-*-1366x768-presenter.png' -size +10k | wc -l)
  echo "[test] $made tour screenshots in $shots ($distinct distinct; $shown showing their tour's step); $presenting at 1366x768 in presenter mode in $ARTIFACTS"
  [ "$made" -eq 8 ] && [ "$distinct" -eq 8 ] && [ "$shown" -eq 8 ] && [ "$presenting" -eq 4 ]
}
step "tour screenshots (1920x1080; 1366x768 presenter)" tour_screenshots

# harness NAME PORT BUDGET OUT: serves dist/ with scripts/audit/NAME.html, NAME.js and frame.js
# beside it, lets headless Chromium run the harness page (for at most BUDGET ms of its virtual
# time) and writes the DOM it ends with to OUT, where results.js reads the harness's findings.
harness() {
  local name=$1 port=$2 budget=$3 out=$4 site
  mkdir -p "$ARTIFACTS"
  site=$(mktemp -d)
  cp -r "$root/dist/." "$site/"
  cp "$root/scripts/audit/$name.html" "$root/scripts/audit/$name.js" "$root/scripts/audit/frame.js" "$site/"
  serve "$site" "$port"
  timeout 600 chromium --headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$(mktemp -d)" --window-size=2000,1200 --virtual-time-budget="$budget" \
    --dump-dom "http://127.0.0.1:$port/$name.html" > "$out" 2>/dev/null || true
  unserve
  rm -rf "$site"
}

# Text a room can read: scripts/audit/text.js measures the size every text in the picture, the
# cards, the event log and the console renders at (its boxes on screen, not CSS values) at
# 1366×768 and 1920×1080, normal and in presenter mode; below 12 px (20 px presenting) fails.
text_sizes() {
  harness text 8098 120000 "$ARTIFACTS/text-sizes.html"
  node -e '
    const sizes = require(process.argv[1])(process.argv[2], "the text-size check");
    let bad = 0;
    for (const s of sizes) {
      if (!s.presenter_opened) { console.log(`[test] ${s.size}: presenter mode did not open`); bad++; }
      for (const [mode, least] of [["normal", 12], ["presenter", 20]]) {
        const parts = [];
        for (const [region, m] of Object.entries(s[mode])) {
          if (m.missing || !m.texts) { parts.push(`${region}: no text found`); bad++; continue; }
          parts.push(`${region} ${m.smallest} px`);
          if (m.smallest < least) { bad++; console.log(`[test]   ${s.size} ${mode}, ${region} below ${least} px: ${m.examples.join("; ")}`); }
        }
        console.log(`[test] ${s.size} ${mode}: smallest text ${parts.join(", ")} (at least ${least} px)`);
      }
    }
    process.exit(bad === 0 && sizes.length === 2 ? 0 : 1);
  ' "$root/scripts/audit/results.js" "$ARTIFACTS/text-sizes.html"
}
step "text sizes (1366x768, 1920x1080; normal and presenter)" text_sizes

# A tour step never hides its own evidence: scripts/audit/tours.js walks every step of every
# tour at 1366×768 and 1920×1080 and fails if what the step highlights (nodes in the picture,
# arrows and marks in the diagram) meets the tour's panel or is off the screen or outside the
# diagram's visible box.
tour_evidence() {
  harness tours 8099 400000 "$ARTIFACTS/tour-evidence.html"
  node -e '
    const sizes = require(process.argv[1])(process.argv[2], "the tour check");
    const expected = Number(process.argv[3]);
    let bad = 0;
    for (const s of sizes) {
      const lit = s.steps.filter((t) => t.highlighted > 0).length;
      if (s.steps.length !== expected) { bad++; console.log(`[test] ${s.size}: walked ${s.steps.length} tour steps, expected ${expected}`); }
      for (const t of s.steps) for (const p of t.problems) { bad++; console.log(`[test]   ${s.size}, step ${t.step}: ${p}`); }
      console.log(`[test] ${s.size}: ${s.steps.length} tour steps walked (${lit} of them highlight their evidence), none of it hidden` + (bad ? " — except as above" : ""));
    }
    process.exit(bad === 0 && sizes.length === 2 ? 0 : 1);
  ' "$root/scripts/audit/results.js" "$ARTIFACTS/tour-evidence.html" "$(grep -c '\.step("' "$root/web/src/tours.rs")"
}
step "tour steps never hide their evidence (1366x768, 1920x1080)" tour_evidence

# Phones and tablets: at 390×844 and 768×1024 nothing is wider than the screen, the picture is
# at least 350 px wide, every button is at least 24×24 px and the console's input can be
# scrolled to and is not covered (scripts/audit/layout.js measures it in a same-origin frame),
# also with the space-time diagram open (its drawing scrolls sideways in its own box), and again
# with 30 processes (where cards and nodes crowd);
# screenshots at both sizes beside the laptop's (page.png) in target/test-artifacts/.
small_screens() {
  local site port=8097 ok=0
  mkdir -p "$ARTIFACTS"
  harness layout "$port" 120000 "$ARTIFACTS/layout.html"
  site=$(mktemp -d)
  cp -r "$root/dist/." "$site/"
  serve "$site" "$port"
  local chrome=(chromium --headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars)
  for size in 390,844 768,1024; do
    timeout 60 "${chrome[@]}" --user-data-dir="$(mktemp -d)" --window-size="$size" \
      --virtual-time-budget=15000 --screenshot="$ARTIFACTS/page-${size/,/x}.png" \
      "http://127.0.0.1:$port/" >/dev/null 2>&1 || true
  done
  unserve
  rm -rf "$site"
  node -e '
    const sizes = require(process.argv[1])(process.argv[2], "the layout check");
    let bad = 0;
    for (const s of sizes) {
      const problems = [];
      if (s.scroll_width > s.viewport) problems.push(`the page scrolls sideways (${s.scroll_width} px wide)`);
      if (s.wide.length) problems.push("wider than the screen: " + s.wide.join("; "));
      if (s.small_targets.length) problems.push("smaller than 24×24 px: " + s.small_targets.join("; "));
      if (s.picture_width < 350) problems.push(`the picture is ${s.picture_width} px wide`);
      if (!s.console_visible) problems.push("the console input is not visible after scrolling to it");
      if (s.diagram_scroll_width > s.viewport) problems.push(`with the diagram open the page scrolls sideways (${s.diagram_scroll_width} px wide)`);
      if (s.diagram_wide.length) problems.push("with the diagram open, wider than the screen: " + s.diagram_wide.join("; "));
      if (s.diagram_small_targets.length) problems.push("with the diagram open, smaller than 24×24 px: " + s.diagram_small_targets.join("; "));
      if (!s.diagram_drawing_fits) problems.push("the drawing of the diagram does not scroll within the screen");
      if (s.crowded_processes < 30) problems.push(`only ${s.crowded_processes} processes after adding up to 30`);
      if (s.crowded_scroll_width > s.viewport) problems.push(`with 30 processes the page scrolls sideways (${s.crowded_scroll_width} px wide)`);
      if (s.crowded_wide.length) problems.push("with 30 processes, wider than the screen: " + s.crowded_wide.join("; "));
      if (s.crowded_small_targets.length) problems.push("with 30 processes, smaller than 24×24 px: " + s.crowded_small_targets.join("; "));
      if (s.crowded_picture_width < 350) problems.push(`with 30 processes the picture is ${s.crowded_picture_width} px wide`);
      bad += problems.length;
      console.log(`[test] ${s.size}: picture ${s.picture_width} px wide, ` + (problems.length ? problems.join(" | ") : "everything fits, the diagram open too, and with 30 processes"));
    }
    process.exit(bad === 0 && sizes.length === 2 ? 0 : 1);
  ' "$root/scripts/audit/results.js" "$ARTIFACTS/layout.html" && ok=1
  local shots
  shots=$(find "$ARTIFACTS" -name 'page-*x*.png' -size +5k | wc -l)
  echo "[test] $shots small-screen screenshots in $ARTIFACTS"
  [ "$ok" -eq 1 ] && [ "$shots" -eq 2 ]
}
step "phone and tablet layout (390x844, 768x1024)" small_screens

# axe-core on every screen (main view, help, plots, the space-time diagram, presenter mode, the
# tour picker, a tour, split brain, a broken link's message), in headless Chromium: no serious or critical violation may remain. The built page is served with the audit harness beside it.
accessibility() {
  local site port=8094 ok=0
  site=$(mktemp -d)
  cp -r "$root/dist/." "$site/"
  cp "$root/scripts/audit/audit.html" "$root/scripts/audit/audit.js" \
     "$root/.tools/node_modules/axe-core/axe.min.js" "$site/"
  serve "$site" "$port"
  timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d)" --window-size=1500,1000 --virtual-time-budget=30000 \
    --dump-dom "http://127.0.0.1:$port/audit.html" > "$ARTIFACTS/audit.html" 2>/dev/null || true
  unserve
  node -e '
    const screens = require(process.argv[1])(process.argv[2], "the audit");
    if (!Array.isArray(screens)) { console.error("[test] the audit failed: " + JSON.stringify(screens).slice(0, 300)); process.exit(1); }
    const expected = ["main view", "help", "plots", "space-time diagram", "presenter mode", "tour picker", "tour", "split brain", "broken link message"];
    const audited = screens.map((s) => s.screen).join(", ");
    if (audited !== expected.join(", ")) { console.error("[test] the audit saw " + audited + "; expected " + expected.join(", ")); process.exit(1); }
    let bad = 0;
    for (const s of screens) {
      const serious = s.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      bad += serious.length;
      console.log(`[test] axe-core, ${s.screen}: ${s.rules_passed} rules pass, ${s.violations.length} violations (${serious.length} serious or critical)`);
      for (const v of s.violations) console.log(`[test]   ${v.impact} ${v.id}: ${v.help} — ${v.nodes.join(", ")}`);
    }
    process.exit(bad === 0 ? 0 : 1);
  ' "$root/scripts/audit/results.js" "$ARTIFACTS/audit.html" && ok=1
  rm -rf "$site"
  [ "$ok" -eq 1 ]
}
step "accessibility audit (axe-core, every screen)" accessibility

printf '\n[test] all tests passed in %ds\n' "$(( $(date +%s) - started ))"
