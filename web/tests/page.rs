//! Headless-browser tests: mount the app in Chromium and drive it through the DOM only —
//! click its buttons, read its `data-*` attributes (the automation contract in the README).

#![allow(clippy::expect_used)] // a test that cannot reach the DOM should fail loudly

mod common;

use common::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};
use zooscope_core::picture::Action;
use zooscope_web::tours::{tours, Claim};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn starting_the_cluster_elects_exactly_one_leader() {
    let root = started().await;
    assert_eq!(with_role(&root, "leader").len(), 1);
    assert_eq!(all(&root, "[data-server]").len(), 3);
    assert_eq!(all(&root, "[data-server][data-role='leader']").len(), 1);
    // The znode tree shows the five candidates.
    let candidates = all(&root, "[data-znode^='/election/c_']");
    assert_eq!(candidates.len(), 5);
}

#[wasm_bindgen_test]
async fn killing_the_leader_promotes_the_process_that_watched_it() {
    let root = started().await;
    let leader = with_role(&root, "leader")[0].clone();
    let watcher = one(&root, &format!("[data-watch-to='p{leader}']"))
        .get_attribute("data-watch-from")
        .expect("the watcher")
        .trim_start_matches('p')
        .to_owned();
    let others: Vec<(String, String)> = all(&root, "[data-process]")
        .iter()
        .filter_map(|e| {
            Some((
                e.get_attribute("data-process")?,
                e.get_attribute("data-role")?,
            ))
        })
        .filter(|(p, _)| *p != leader && *p != watcher)
        .collect();
    click(
        &root,
        &format!("[data-process='{leader}'] [data-action='kill']"),
    )
    .await;
    assert!(
        wait_for(&root, 60_000, |r| with_role(r, "leader")
            == [watcher.clone()])
        .await,
        "p{watcher} takes over"
    );
    assert_eq!(with_role(&root, "crashed"), [leader]);
    for (p, role) in others {
        let now = one(&root, &format!("[data-process='{p}']")).get_attribute("data-role");
        assert_eq!(now.as_deref(), Some(role.as_str()), "p{p} changed role");
    }
}

/// Distinct processes the log says a watch woke, in entries after position `after`.
fn notified_after(root: &Element, after: u64) -> std::collections::BTreeSet<String> {
    all(root, "[data-event]")
        .iter()
        .filter(|e| {
            e.get_attribute("data-event")
                .and_then(|s| s.parse::<u64>().ok())
                .is_some_and(|seq| seq > after)
        })
        .filter_map(|e| e.text_content())
        .filter_map(|t| {
            let (_, rest) = t.split_once("; ")?;
            let (who, _) = rest.split_once(", which watched")?;
            Some(who.to_owned())
        })
        .collect()
}

fn newest_event(root: &Element) -> u64 {
    all(root, "[data-event]")
        .iter()
        .filter_map(|e| e.get_attribute("data-event")?.parse().ok())
        .max()
        .unwrap_or(0)
}

#[wasm_bindgen_test]
async fn in_herd_mode_every_candidate_is_woken() {
    let root = started_herd().await;
    click(&root, "[data-action='pause-sim']").await;
    let leader = with_role(&root, "leader")[0].clone();
    let before = newest_event(&root);
    click(
        &root,
        &format!("[data-process='{leader}'] [data-action='kill']"),
    )
    .await;
    click(&root, "[data-action='play']").await;
    assert!(
        wait_for(&root, 60_000, |r| {
            let l = with_role(r, "leader");
            l.len() == 1 && l[0] != leader
        })
        .await
    );
    let woken = notified_after(&root, before);
    assert_eq!(
        woken.len(),
        4,
        "every remaining candidate was woken: {woken:?}"
    );
}

#[wasm_bindgen_test]
async fn stepping_back_shows_the_old_leader_again() {
    let root = started().await;
    click(&root, "[data-action='pause-sim']").await;
    let leader = with_role(&root, "leader")[0].clone();
    click(
        &root,
        &format!("[data-process='{leader}'] [data-action='kill']"),
    )
    .await;
    assert_eq!(with_role(&root, "crashed"), std::slice::from_ref(&leader));
    let mut back = 0;
    while with_role(&root, "leader") != [leader.clone()] && back < 200 {
        click(&root, "[data-action='step-back']").await;
        back += 1;
    }
    assert_eq!(
        with_role(&root, "leader"),
        [leader],
        "after {back} steps back"
    );
}

#[wasm_bindgen_test]
async fn a_paused_process_resumes() {
    let root = started().await;
    let follower = with_role(&root, "follower")[0].clone();
    let seconds = one(&root, "[data-control='pause-seconds']")
        .dyn_into::<HtmlInputElement>()
        .expect("an input");
    seconds.set_value("1");
    fire(&seconds, "change");
    yew::scheduler::flush().await;
    // Paused, the pause cannot begin and end between two looks at the page (at 10×, one late
    // frame can cover a whole simulated second).
    click(&root, "[data-action='pause-sim']").await;
    click(
        &root,
        &format!("[data-process='{follower}'] [data-action='pause']"),
    )
    .await;
    let mut steps = 0;
    while with_role(&root, "paused") != [follower.clone()] && steps < 100 {
        click(&root, "[data-action='step']").await;
        steps += 1;
    }
    assert_eq!(
        with_role(&root, "paused"),
        std::slice::from_ref(&follower),
        "after {steps} steps"
    );
    click(&root, "[data-action='play']").await;
    assert!(
        wait_for(&root, 10_000, |r| with_role(r, "paused").is_empty()).await,
        "the pause ends"
    );
    let role = one(&root, &format!("[data-process='{follower}']")).get_attribute("data-role");
    assert!(
        matches!(role.as_deref(), Some("follower" | "electing" | "leader")),
        "{role:?}"
    );
}

/// What the console has printed.
fn console_output(root: &Element) -> String {
    one(root, "[data-console-output]")
        .text_content()
        .unwrap_or_default()
}

/// Types a line into the console and presses Enter.
async fn console(root: &Element, line: &str) {
    let input = one(root, "[data-control='console']")
        .dyn_into::<HtmlInputElement>()
        .expect("the console input");
    input.set_value(line);
    fire(&input, "input");
    yew::scheduler::flush().await;
    press(&input, "Enter").await;
}

#[wasm_bindgen_test]
async fn the_console_lists_the_candidates_and_its_writes_show_at_once() {
    let root = started().await;
    click(&root, "[data-action='pause-sim']").await;
    console(&root, "ls /election").await;
    let out = console_output(&root);
    assert!(
        out.contains("[c_0000000000, c_0000000001, c_0000000002, c_0000000003, c_0000000004]"),
        "{out}"
    );
    console(&root, "create /lecture notes").await;
    let out = console_output(&root);
    assert!(out.contains("Created /lecture"), "{out}");
    assert_eq!(
        all(&root, "[data-znode='/lecture']").len(),
        1,
        "the tree shows it"
    );
    console(&root, "get /lecture").await;
    let out = console_output(&root);
    assert!(out.ends_with("notes\n"), "{out}");
    // Tab completes paths from the tree; ↑ brings back the last command.
    let input = one(&root, "[data-control='console']")
        .dyn_into::<HtmlInputElement>()
        .expect("the console input");
    input.set_value("ls /lec");
    fire(&input, "input");
    yew::scheduler::flush().await;
    press(&input, "Tab").await;
    assert_eq!(input.value(), "ls /lecture ");
    press(&input, "ArrowUp").await;
    assert_eq!(input.value(), "get /lecture");
    console(&root, "create /lecture again").await;
    let out = console_output(&root);
    assert!(
        out.contains("Node already exists: /lecture"),
        "zkCli's own wording: {out}"
    );
}

async fn key(key: &str) {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser document");
    press(&document, key).await;
}

#[wasm_bindgen_test]
async fn shortcuts_work_and_the_help_lists_them() {
    let root = mount().await;
    assert_eq!(all(&root, "[data-action='play']").len(), 1);
    key(" ").await;
    assert_eq!(
        all(&root, "[data-action='pause-sim']").len(),
        1,
        "space plays"
    );
    key(" ").await;
    assert_eq!(all(&root, "[data-action='play']").len(), 1, "space pauses");
    key("a").await;
    assert_eq!(all(&root, "[data-process]").len(), 6, "a adds a process");
    key("f").await;
    assert!(
        one(&root, ".app").class_list().contains("presenter"),
        "f: presenter mode"
    );
    key("f").await;
    assert!(!one(&root, ".app").class_list().contains("presenter"));
    key("?").await;
    let help = one(&root, "[data-help]").text_content().unwrap_or_default();
    assert!(
        help.contains("play / pause") && help.contains("kill the leader"),
        "{help}"
    );
    click(&root, "[data-action='close-help']").await;
    assert!(all(&root, "[data-help]").is_empty());
}

/// The processes the log says became leader, oldest first.
fn leaders_in_log(root: &Element) -> Vec<String> {
    let mut leaders: Vec<String> = all(root, "[data-event]")
        .iter()
        .filter_map(|e| e.text_content())
        .filter_map(|t| {
            let (_, rest) = t.split_once('s')?;
            let rest = rest.trim_start();
            rest.strip_suffix(" has the smallest candidate: it is the leader")
                .map(str::to_owned)
        })
        .collect();
    leaders.reverse();
    leaders
}

#[wasm_bindgen_test]
async fn a_shared_link_replays_the_same_leaders() {
    set_hash("#");
    let root = started().await;
    kill_the_leader_and_wait_for_the_next(&root, 60_000).await;
    click(&root, "[data-action='pause-sim']").await;
    let original = leaders_in_log(&root);
    assert_eq!(original.len(), 2, "{original:?}");
    assert!(
        link_holds(&root, |c| c.len() == 1).await,
        "the address bar shares the run: {}",
        hash()
    );

    // Open the link in a fresh app: it replays the same run.
    let copy = mount_from_url().await;
    speed(&copy, "1").await;
    click(&copy, "[data-action='play']").await;
    assert!(
        wait_for(&copy, 60_000, |r| leaders_in_log(r).len() >= 2).await,
        "the shared run elects its second leader"
    );
    assert_eq!(leaders_in_log(&copy)[..2], original[..]);
    assert!(all(&copy, "[data-error]").is_empty());
}

#[wasm_bindgen_test]
async fn a_broken_link_says_so_and_opens_the_default_run() {
    set_hash("#run=this-is-not-a-run");
    let root = mount_from_url().await;
    let notice = one(&root, "[data-error]")
        .text_content()
        .unwrap_or_default();
    assert!(notice.contains("could not be opened"), "{notice}");
    assert_eq!(all(&root, "[data-process]").len(), 5, "the default run");
    set_hash("#");
}

#[wasm_bindgen_test]
async fn a_broken_file_is_refused_and_changes_nothing() {
    set_hash("#");
    let root = started().await;
    click(&root, "[data-action='pause-sim']").await;
    let before: Vec<_> = all(&root, "[data-process]")
        .iter()
        .map(|e| {
            (
                e.get_attribute("data-process"),
                e.get_attribute("data-role"),
            )
        })
        .collect();
    let time = one(&root, "[data-time]").get_attribute("data-time");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(
        "{\"version\": 1, \"config\": {\"servers\": 4}}",
    ));
    let file = web_sys::File::new_with_str_sequence(&parts, "run.json").expect("a file");
    let transfer = web_sys::DataTransfer::new().expect("a DataTransfer");
    transfer.items().add_with_file(&file).expect("added");
    let input = one(&root, "[data-control='import']")
        .dyn_into::<HtmlInputElement>()
        .expect("the import input");
    input.set_files(transfer.files().as_ref());
    fire(&input, "change");
    assert!(
        wait_until_shown(&root, 30_000, |r| !all(r, "[data-error]").is_empty()).await,
        "the broken file is reported"
    );
    let notice = one(&root, "[data-error]")
        .text_content()
        .unwrap_or_default();
    assert!(
        notice.contains("could not be imported") && notice.contains("unchanged"),
        "{notice}"
    );
    let after: Vec<_> = all(&root, "[data-process]")
        .iter()
        .map(|e| {
            (
                e.get_attribute("data-process"),
                e.get_attribute("data-role"),
            )
        })
        .collect();
    assert_eq!(before, after);
    assert_eq!(one(&root, "[data-time]").get_attribute("data-time"), time);
}

/// The plots' series colours (web/src/components/plots.rs): successor blue, herd amber.
const SERIES_BLUE: [u8; 3] = [11, 92, 173];
const SERIES_AMBER: [u8; 3] = [176, 120, 0];

/// A canvas's pixels, row by row, as `[r, g, b, a]`.
fn pixels(root: &Element, id: &str) -> (u32, Vec<[u8; 4]>) {
    let canvas = one(root, &format!("#{id}"))
        .dyn_into::<web_sys::HtmlCanvasElement>()
        .expect("a canvas");
    let context = canvas
        .get_context("2d")
        .expect("a context")
        .expect("a 2d context")
        .dyn_into::<web_sys::CanvasRenderingContext2d>()
        .expect("a 2d context");
    let (w, h) = (canvas.width(), canvas.height());
    let data = context
        .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
        .expect("the pixels")
        .data();
    let rgba = data
        .chunks_exact(4)
        .map(|p| [p[0], p[1], p[2], p[3]])
        .collect();
    (w, rgba)
}

/// How many pixels of `id` have `colour`.
fn count_colour(root: &Element, id: &str, colour: [u8; 3]) -> usize {
    pixels(root, id)
        .1
        .iter()
        .filter(|p| p[..3] == colour)
        .count()
}

/// The most separate runs of `colour` on any one row of `id`: the number of bars side by side.
fn bars(root: &Element, id: &str, colour: [u8; 3]) -> usize {
    let (w, rgba) = pixels(root, id);
    rgba.chunks_exact(w as usize)
        .map(|row| {
            row.windows(2)
                .filter(|p| p[0][..3] != colour && p[1][..3] == colour)
                .count()
        })
        .max()
        .unwrap_or(0)
}

fn points(root: &Element, id: &str) -> Option<u64> {
    one(root, &format!("#{id}"))
        .get_attribute("data-points")?
        .parse()
        .ok()
}

#[wasm_bindgen_test]
async fn the_plots_draw_their_series() {
    let root = started().await;
    kill_the_leader_and_wait_for_the_next(&root, 60_000).await;
    kill_the_leader_and_wait_for_the_next(&root, 60_000).await;
    click(&root, "[data-action='pause-sim']").await;
    click(&root, "[data-action='plots']").await;
    let ids = [
        "plot-notifications",
        "plot-failovers",
        "plot-leaders",
        "plot-messages",
    ];
    assert!(
        wait_until_shown(&root, 30_000, |r| ids
            .iter()
            .all(|id| points(r, id).is_some()))
        .await,
        "every plot says what it drew"
    );
    assert!(
        all(&root, "[data-plot-error]").is_empty(),
        "no drawing error"
    );
    // Five cluster sizes for each recipe, both drawn.
    assert_eq!(points(&root, "plot-notifications"), Some(10));
    assert!(count_colour(&root, "plot-notifications", SERIES_BLUE) > 200);
    assert!(count_colour(&root, "plot-notifications", SERIES_AMBER) > 200);
    // One bar per failover, side by side.
    assert_eq!(points(&root, "plot-failovers"), Some(2));
    assert_eq!(bars(&root, "plot-failovers", SERIES_BLUE), 2);
    // Three reigns: the first leader and its two successors.
    assert_eq!(points(&root, "plot-leaders"), Some(3));
    assert!(count_colour(&root, "plot-leaders", SERIES_AMBER) > 100);
    // One point per completed second of the run.
    assert_eq!(
        points(&root, "plot-messages"),
        Some(simulated_ms(&root) / 1000)
    );
    assert!(count_colour(&root, "plot-messages", SERIES_BLUE) > 100);
    click(&root, "[data-action='close-plots']").await;
    assert!(all(&root, "[data-plots]").is_empty());
}

/// Whether a tour step's claim holds in the DOM.
fn claim_holds(root: &Element, claim: &Claim) -> bool {
    let role_of = |sel: String| one_opt(root, &sel).and_then(|e| e.get_attribute("data-role"));
    match claim {
        Claim::Leader(p) => with_role(root, "leader") == [p.to_string()],
        Claim::NoLeader => with_role(root, "leader").is_empty(),
        Claim::Nodes(n) => {
            all(root, "[data-process]:not([data-role='console'])").len() == *n
                && all(root, "[data-node-process]").len() >= *n
        }
        Claim::Role(p, role) => role_of(format!("[data-process='{p}']")).as_deref() == Some(*role),
        Claim::Server(s, role) => role_of(format!("[data-server='{s}']")).as_deref() == Some(*role),
        Claim::Znode(path) => !all(root, &format!("[data-znode='{path}']")).is_empty(),
        Claim::NoZnode(path) => all(root, &format!("[data-znode='{path}']")).is_empty(),
        Claim::Candidates(n) => all(root, "[data-znode^='/election/c_']").len() == *n,
        Claim::SplitBrain => !all(root, "[data-split-brain]").is_empty(),
        Claim::NoWatches => all(root, "[data-watch-from]").is_empty(),
        Claim::Caption(text) => {
            one_opt(root, "[data-failure]")
                .and_then(|e| e.text_content())
                .unwrap_or_default()
                == *text
        }
        Claim::Disconnected(p) => !all(
            root,
            &format!("[data-process='{p}'][data-connection='disconnected']"),
        )
        .is_empty(),
        Claim::StaleLeader(p) => {
            !all(root, &format!("[data-process='{p}'][data-stale]")).is_empty()
                && !all(root, &format!("[data-node-process='{p}'].stale")).is_empty()
        }
        Claim::Console(text) => one_opt(root, "[data-console-output]")
            .and_then(|e| e.text_content())
            .is_some_and(|out| out.contains(text)),
        Claim::NoConsole(text) => one_opt(root, "[data-console-output]")
            .and_then(|e| e.text_content())
            .is_some_and(|out| !out.contains(text)),
        Claim::ZooCfg(s, key) => !all(
            root,
            &format!("[data-cfg-server='zk{s}'] [data-cfg-key='{key}']"),
        )
        .is_empty(),
        Claim::NoZooCfg(s, key) => {
            !all(root, &format!("[data-cfg-server='zk{s}']")).is_empty()
                && all(
                    root,
                    &format!("[data-cfg-server='zk{s}'] [data-cfg-key='{key}']"),
                )
                .is_empty()
        }
        Claim::Arrows(kind, n) => {
            all(
                root,
                &format!("[data-panel='spacetime'] .arrow[data-kind='{kind}']"),
            )
            .len()
                == *n
        }
        Claim::Marked(kind) => !all(
            root,
            &format!("[data-panel='spacetime'] .mark[data-kind='{kind}']"),
        )
        .is_empty(),
    }
}

#[wasm_bindgen_test]
async fn every_tour_walks_through_states_its_steps_describe() {
    let root = mount().await;
    for (t, tour) in tours().iter().enumerate() {
        click(&root, "[data-action='tours']").await;
        click(&root, &format!("[data-tour='{t}']")).await;
        for (s, step) in tour.steps.iter().enumerate() {
            let shown = format!("{t}.{s}");
            let ok = wait_until_shown(&root, 30_000, |r| {
                one_opt(r, "[data-tour-step]").and_then(|e| e.get_attribute("data-tour-step"))
                    == Some(shown.clone())
                    && step.claims.iter().all(|c| claim_holds(r, c))
            })
            .await;
            let failing: Vec<&Claim> = step
                .claims
                .iter()
                .filter(|c| !claim_holds(&root, c))
                .collect();
            assert!(ok, "{} / {}: {failing:?}", tour.title, step.title);
            if step.zoo_cfg {
                assert!(
                    one_opt(&root, "[data-cfg-server='zk1'][open] [data-cfg-key]").is_some(),
                    "{} / {}: the step opens zk1's zoo.cfg",
                    tour.title,
                    step.title
                );
            }
            if s + 1 < tour.steps.len() {
                // → advances, like the button.
                key("ArrowRight").await;
            }
        }
        click(&root, "[data-action='tour-close']").await;
        assert!(all(&root, "[data-tour-step]").is_empty());
    }
}

#[wasm_bindgen_test]
fn panic_banner_is_visible_and_announced_and_names_the_first_cause() {
    zooscope_web::panic_banner::show("boom");
    // A consequence of the first panic does not hide it.
    zooscope_web::panic_banner::show("RefCell already borrowed");
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser document");
    let banner = document
        .get_element_by_id(zooscope_web::panic_banner::BANNER_ID)
        .expect("the banner");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    let text = banner.text_content().unwrap_or_default();
    assert!(text.contains("boom") && !text.contains("RefCell"), "{text}");
}

#[wasm_bindgen_test]
async fn after_a_tour_typed_in_the_console_the_user_goes_on_in_its_session() {
    let root = mount().await;
    click(&root, "[data-action='tours']").await;
    click(&root, "[data-tour='1']").await;
    key("ArrowRight").await;
    assert!(
        wait_until_shown(&root, 30_000, |r| claim_holds(
            r,
            &Claim::Console("Created /demo/eph")
        ))
        .await,
        "the tour's transcript is in the console"
    );
    let prompt = |r: &Element| {
        one_opt(r, ".console-line .prompt")
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    // The prompt is where the tour's console left off (two commands typed), not a fresh one.
    assert_eq!(prompt(&root), "[zk: ensemble(CONNECTED) 2] ");
    let processes = all(&root, "[data-process]").len();
    console(&root, "stat /demo/eph").await;
    // Typing goes on from there, with no second connection event.
    assert_eq!(prompt(&root), "[zk: ensemble(CONNECTED) 3] ");
    let typed = console_output(&root);
    let after_tour = typed.rsplit("stat /demo/eph").next().unwrap_or_default();
    assert!(
        !after_tour.contains("WatchedEvent state:SyncConnected"),
        "{typed}"
    );
    assert!(
        typed.contains("[zk: ensemble(CONNECTED) 2] stat /demo/eph"),
        "{typed}"
    );
    let out = console_output(&root);
    // The ephemeral's owner is the session the console speaks through: the tour's.
    let owner = out
        .lines()
        .find_map(|l| l.strip_prefix("ephemeralOwner = "))
        .unwrap_or_default()
        .to_owned();
    assert!(owner.starts_with("0x") && owner != "0x0", "{out}");
    console(&root, "delete /demo/eph").await;
    assert_eq!(
        all(&root, "[data-process]").len(),
        processes,
        "no second console client"
    );
    assert!(
        all(&root, "[data-znode='/demo/eph']").is_empty(),
        "its owner may delete it; the tree shows it gone"
    );
    // Another step is another run: the console says so and starts afresh.
    key("ArrowRight").await;
    let out = console_output(&root);
    assert!(
        out.contains("[eph, seq-0000000001, seq-0000000002]"),
        "{out}"
    );
    assert!(!out.contains("delete /demo/eph"), "{out}");
    // Leaving the tour and starting over: the old session is gone, and the console says so.
    click(&root, "[data-action='tour-close']").await;
    click(&root, "[data-action='reset']").await;
    let out = console_output(&root);
    assert!(
        out.ends_with("--- a new run: the next command opens a new session ---\n"),
        "{out}"
    );
    console(&root, "ls /demo").await;
    let out = console_output(&root);
    assert!(out.ends_with("Node does not exist: /demo\n"), "{out}");
}

#[wasm_bindgen_test]
async fn after_going_back_in_time_the_console_opens_a_session_that_exists_then() {
    let root = started().await;
    click(&root, "[data-action='pause-sim']").await;
    console(&root, "create -e /here now").await;
    let timeline = one(&root, "[data-control='timeline']")
        .dyn_into::<HtmlInputElement>()
        .expect("the timeline");
    let before: u64 = timeline.value().parse().expect("a time");
    // Back to one second in: the console's client (and its session) did not exist yet.
    timeline.set_value("1000");
    fire(&timeline, "input");
    yew::scheduler::flush().await;
    assert!(all(&root, "[data-znode='/here']").is_empty());
    console(&root, "ls /").await;
    let out = console_output(&root);
    assert!(
        out.contains(
            "--- the console's session does not exist at this moment: a new one opens ---\n"
        ),
        "{out}"
    );
    assert!(out.ends_with("[election, zookeeper]\n"), "{out}");
    let after: u64 = timeline.value().parse().expect("a time");
    assert!(
        after < before,
        "the console waited for a session that did not exist: {after} ms"
    );
}

#[wasm_bindgen_test]
async fn close_ends_the_console_session_and_connect_opens_a_new_one() {
    let root = started().await;
    click(&root, "[data-action='pause-sim']").await;
    console(&root, "create -e /mine here").await;
    assert_eq!(all(&root, "[data-znode='/mine']").len(), 1);
    let console_card = "[data-process][data-role='console']";
    assert_eq!(
        all(&root, console_card).len(),
        1,
        "the console's own client"
    );
    console(&root, "close").await;
    assert!(
        all(&root, "[data-znode='/mine']").is_empty(),
        "its ephemeral ends with the session"
    );
    assert!(all(&root, console_card).is_empty());
    assert_eq!(all(&root, "[data-process][data-role='stopped']").len(), 1);
    // As in zkCli: closed until `connect`.
    console(&root, "ls /").await;
    let out = console_output(&root);
    assert!(out.ends_with("Not connected\n"), "{out}");
    console(&root, "connect ensemble").await;
    console(&root, "ls /").await;
    let out = console_output(&root);
    assert!(out.ends_with("[election, zookeeper]\n"), "{out}");
    assert_eq!(
        all(&root, console_card).len(),
        1,
        "the same console client, restarted"
    );
    assert!(all(&root, "[data-process][data-role='stopped']").is_empty());
}

#[wasm_bindgen_test]
async fn the_console_answers_on_a_fresh_page_that_plays() {
    let root = mount().await;
    click(&root, "[data-action='play']").await;
    console(&root, "ls /").await;
    console(&root, "ls /zookeeper").await;
    let out = console_output(&root);
    assert!(!out.contains("Not connected"), "{out}");
    assert!(out.contains("(CONNECTED) 1] ls /zookeeper\n"), "{out}");
    assert!(out.ends_with("[config, quota]\n"), "{out}");
}

#[wasm_bindgen_test]
async fn clicks_in_quick_succession_while_playing_all_count() {
    let root = started().await;
    let followers = with_role(&root, "follower");
    // Three kills before the page draws another frame.
    for p in &followers[..3] {
        click(&root, &format!("[data-process='{p}'] [data-action='kill']")).await;
    }
    assert!(
        wait_for(&root, 5_000, |r| with_role(r, "crashed").len() == 3).await,
        "crashed: {:?}",
        with_role(&root, "crashed")
    );
    let mut crashed = with_role(&root, "crashed");
    crashed.sort();
    let mut killed = followers[..3].to_vec();
    killed.sort();
    assert_eq!(crashed, killed);
}

/// The commands of the run the address bar holds.
fn commands_in_link() -> Vec<zooscope_core::sim::Command> {
    zooscope_core::sim::share::from_link(&hash())
        .ok()
        .flatten()
        .map(|r| r.commands.into_iter().map(|(_, c)| c).collect())
        .unwrap_or_default()
}

/// Waits until the address bar holds a run whose commands satisfy `wanted` (the page rewrites
/// it once the run has been still for a moment); whether it came to.
async fn link_holds(
    root: &Element,
    wanted: impl Fn(&[zooscope_core::sim::Command]) -> bool,
) -> bool {
    wait_until_shown(root, 30_000, |_| {
        hash().starts_with("#run=") && wanted(&commands_in_link())
    })
    .await
}

#[wasm_bindgen_test]
async fn the_address_bar_follows_a_command_that_replaces_the_future() {
    use zooscope_core::ids::ProcessId;
    use zooscope_core::sim::Command;
    let root = started().await;
    click(&root, "[data-action='pause-sim']").await;
    click(&root, "[data-process='1'] [data-action='kill']").await;
    assert!(
        link_holds(&root, |c| c
            == [Command::Act(Action::KillProcess(ProcessId(1)))])
        .await
    );
    // Back to 1 s, and another kill: the first one is no longer part of the run.
    let timeline = one(&root, "[data-control='timeline']")
        .dyn_into::<HtmlInputElement>()
        .expect("the timeline");
    timeline.set_value("1000");
    fire(&timeline, "input");
    yew::scheduler::flush().await;
    click(&root, "[data-process='2'] [data-action='kill']").await;
    assert!(
        link_holds(&root, |c| c
            == [Command::Act(Action::KillProcess(ProcessId(2)))])
        .await,
        "{:?}",
        commands_in_link()
    );
}

#[wasm_bindgen_test]
async fn a_link_past_the_process_limit_is_refused_like_the_button() {
    use zooscope_core::ids::SimTime;
    use zooscope_core::sim::recording::{Recording, MAX_PROCESSES};
    use zooscope_core::sim::Command;
    let config = zooscope_web::model::default_config();
    let adds = (MAX_PROCESSES - config.processes + 1) as u64;
    let commands = (1..=adds)
        .map(|t| (SimTime(t), Command::Act(Action::AddProcess)))
        .collect();
    let link = zooscope_core::sim::share::link(&Recording::new(config, commands));
    set_hash(&link.expect("a small run fits in a link"));
    let root = mount_from_url().await;
    let notice = one(&root, "[data-error]")
        .text_content()
        .unwrap_or_default();
    let over = format!("more than {MAX_PROCESSES} processes");
    assert!(
        notice.contains("could not be opened") && notice.contains(&over),
        "{notice}"
    );
    assert_eq!(all(&root, "[data-process]").len(), 5, "the default run");

    // The buttons stop at the same limit, and say so; a link of the largest run opens.
    let root = mount().await;
    enter_number(&root, "[data-control='processes']", MAX_PROCESSES - 1).await;
    assert_eq!(
        all(&root, "[data-process]").len(),
        MAX_PROCESSES as usize - 1
    );
    click(&root, "[data-action='add-process']").await;
    assert_eq!(all(&root, "[data-process]").len(), MAX_PROCESSES as usize);
    assert!(one_opt(&root, "[data-error]").is_none());
    click(&root, "[data-action='add-process']").await;
    assert_eq!(all(&root, "[data-process]").len(), MAX_PROCESSES as usize);
    let notice = one(&root, "[data-error]")
        .text_content()
        .unwrap_or_default();
    assert!(notice.contains(&over), "{notice}");
    assert!(link_holds(&root, |c| c == [Command::Act(Action::AddProcess)]).await);
    let largest = hash();
    click(&root, "[data-action='remove-process']").await;
    assert_eq!(
        all(&root, "[data-process]").len(),
        MAX_PROCESSES as usize - 1
    );
    // And back down to the lecture's five.
    enter_number(&root, "[data-control='processes']", 5).await;
    assert_eq!(all(&root, "[data-process]").len(), 5);
    set_hash(&largest);
    let root = mount_from_url().await;
    assert!(one_opt(&root, "[data-error]").is_none());
    // It opens at its start; the added process joins as it plays.
    click(&root, "[data-action='play']").await;
    assert!(
        wait_for(&root, 5_000, |r| all(r, "[data-process]").len()
            == MAX_PROCESSES as usize)
        .await
    );
    set_hash("#");
}

/// Kills the leader of a thousand processes running `recipe`, and reads from the picture
/// how many processes the failure woke.
async fn thousand_processes_woken_by_a_failure(recipe: &str) -> (String, usize) {
    let root = mount_with(Some(1_000)).await;
    select(&root, "[data-control='recipe']", recipe).await;
    speed(&root, "1").await;
    click(&root, "[data-action='play']").await;
    assert!(
        wait_for(&root, 120_000, |r| with_role(r, "leader").len() == 1
            && with_role(r, "follower").len() == 999)
        .await,
        "{recipe}: one leader and 999 followers"
    );
    // Every process keeps its element in the picture and its card with a kill control.
    assert_eq!(all(&root, "[data-node-process]").len(), 1_000);
    assert_eq!(
        all(&root, "[data-process] [data-action='kill']").len(),
        1_000
    );
    // The leader is labelled beside its dot, however small the dots are.
    let leading = with_role(&root, "leader")[0].clone();
    assert!(one_opt(&root, &format!("[data-callout='p{leading}']")).is_some());
    let leader = kill_the_leader_and_wait_for_the_next(&root, 120_000).await;
    let caption = one(&root, "[data-woken-count]");
    assert_eq!(
        caption.get_attribute("data-failure").as_deref(),
        Some(format!("p{leader}").as_str())
    );
    let woken = all(&root, "[data-node-process][data-woken]").len();
    assert_eq!(
        caption.get_attribute("data-woken-count"),
        Some(woken.to_string())
    );
    // The space-time diagram draws the failure's few lifelines, not a thousand.
    click(&root, "[data-action='pause-sim']").await;
    click(&root, "[data-action='spacetime']").await;
    let lifelines = all(&root, "[data-panel='spacetime'] [data-lifeline]").len();
    assert!(
        (6..=10).contains(&lifelines),
        "{recipe}: {lifelines} lifelines"
    );
    assert!(one_opt(&root, &format!("[data-lifeline='p{leader}']")).is_some());
    (leader, woken)
}

#[wasm_bindgen_test]
async fn at_a_thousand_processes_a_failure_wakes_one_successor_or_the_whole_herd() {
    let (_, woken) = thousand_processes_woken_by_a_failure("successor").await;
    assert_eq!(woken, 1, "the successor recipe wakes only the successor");
    let (_, woken) = thousand_processes_woken_by_a_failure("herd").await;
    assert_eq!(woken, 999, "the herd recipe wakes every other process");
}

/// Plays (at 10×) until `sim_ms` of simulated time have passed.
async fn let_run_for(root: &Element, sim_ms: u64) {
    let start = simulated_ms(root);
    assert!(
        wait_for(root, sim_ms, |r| simulated_ms(r) >= start + sim_ms).await,
        "the run did not get {sim_ms} ms further"
    );
}

#[wasm_bindgen_test]
async fn the_event_log_keeps_the_story_of_a_quiet_cluster() {
    set_hash("#");
    let root = mount_with(Some(60)).await;
    speed(&root, "1").await;
    click(&root, "[data-action='play']").await;
    // Sixty processes' heartbeats: a few minutes push the election out of any window of
    // recent events.
    let_run_for(&root, 240_000).await;
    click(&root, "[data-action='pause-sim']").await;
    let entries = all(&root, "[data-event]");
    assert!(entries.len() >= 100, "{} entries", entries.len());
    assert!(
        !leaders_in_log(&root).is_empty(),
        "the election is still in the story"
    );
    // … although it has left the window of recent events: the same run (same seed, same
    // settings) replayed to the moment shown keeps no election among its recent events.
    use zooscope_core::actor::role::ProcessRole;
    use zooscope_core::actor::trace::TraceKind;
    use zooscope_core::ids::SimTime;
    let mut sim = zooscope_core::sim::Sim::new(zooscope_core::sim::Config {
        processes: 60,
        ..zooscope_web::model::default_config()
    });
    sim.limit_trace(zooscope_web::model::TRACE_LIMITS);
    sim.run_until(SimTime(simulated_ms(&root)));
    let elected = |e: &&zooscope_core::actor::trace::TraceEvent| {
        matches!(
            e.kind,
            TraceKind::ProcessRole {
                role: ProcessRole::Leader,
                ..
            }
        )
    };
    assert_eq!(
        sim.trace().iter().filter(elected).count(),
        0,
        "the election is still among the recent events: this test would not show the story keeps it"
    );
    assert!(sim.story().iter().any(|e| elected(&e)));
}

#[wasm_bindgen_test]
async fn a_far_seek_keeps_the_page_responsive_and_can_be_stopped() {
    use zooscope_core::ids::{ProcessId, SimTime};
    use zooscope_core::sim::recording::Recording;
    use zooscope_core::sim::{Command, Config};
    // Sixty processes, the last command half an hour in: far more than a frame can replay.
    let end = 30 * 60_000;
    let config = Config {
        processes: 60,
        ..zooscope_web::model::default_config()
    };
    let run = Recording::new(
        config,
        vec![(
            SimTime(end),
            Command::Act(Action::KillProcess(ProcessId(1))),
        )],
    );
    set_hash(&zooscope_core::sim::share::link(&run).expect("a small run fits in a link"));
    let root = mount_from_url().await;
    let timeline = one(&root, "[data-control='timeline']")
        .dyn_into::<HtmlInputElement>()
        .expect("the timeline");
    timeline.set_value(&end.to_string());
    fire(&timeline, "input");
    yew::scheduler::flush().await;
    assert!(
        !all(&root, "[data-seeking]").is_empty(),
        "the seek goes on frame by frame"
    );
    assert!(simulated_ms(&root) < end);
    click(&root, "[data-action='cancel-seek']").await;
    assert!(all(&root, "[data-seeking]").is_empty());
    assert!(
        timeline.is_connected(),
        "the slider is still the one being dragged"
    );
    let stopped = simulated_ms(&root);
    assert!(stopped > 0 && stopped < end, "stopped at {stopped} ms");
    // Again, to the end this time.
    timeline.set_value(&end.to_string());
    fire(&timeline, "input");
    yew::scheduler::flush().await;
    yew::scheduler::flush().await;
    assert!(
        wait_until_shown(&root, 60_000, |r| all(r, "[data-seeking]").is_empty()).await,
        "the seek finishes"
    );
    assert_eq!(simulated_ms(&root), end);
    assert_eq!(with_role(&root, "crashed"), ["1"]);
    set_hash("#");
}

#[wasm_bindgen_test]
async fn the_address_bar_never_holds_a_link_the_page_would_refuse() {
    set_hash("#");
    let root = started().await;
    click(&root, "[data-action='pause-sim']").await;
    // Five hundred console commands: past the ~470 that once made the link too long.
    console(&root, "create /lecture").await;
    for i in 0..500 {
        console(&root, &format!("create /lecture/step-{i} shown")).await;
    }
    let out = console_output(&root);
    assert!(out.ends_with("Created /lecture/step-499\n"), "{out}");
    assert!(
        link_holds(&root, |c| c.len() > 500).await,
        "{} commands",
        commands_in_link().len()
    );
    assert!(all(&root, "[data-link-too-big]").is_empty());
    // One znode of data no compressor shrinks: too big for a link, so the page says so and
    // the address bar holds no run rather than one that would be refused.
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let noise: String = (0..150_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(b'a' + (x % 26) as u8)
        })
        .collect();
    console(&root, &format!("create /big {noise}")).await;
    assert!(console_output(&root).ends_with("Created /big\n"));
    assert!(
        wait_until_shown(&root, 30_000, |r| !all(r, "[data-link-too-big]").is_empty()).await,
        "the page says the run is too big for a link"
    );
    let notice = one(&root, "[data-link-too-big]")
        .text_content()
        .unwrap_or_default();
    assert!(notice.contains("too big for a link"), "{notice}");
    assert_eq!(zooscope_core::sim::share::from_link(&hash()), Ok(None));
    set_hash("#");
}

#[wasm_bindgen_test]
async fn a_shortcut_key_is_handled_and_does_not_also_scroll_the_page() {
    let root = mount().await;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser document");
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(" ");
    init.set_bubbles(true);
    init.set_cancelable(true);
    let space = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
        .expect("a key event");
    document.dispatch_event(&space).expect("dispatched");
    yew::scheduler::flush().await;
    // A passive listener could not cancel the key's default (scrolling); this one does.
    assert!(space.default_prevented());
    // And the key did its job: the run plays.
    assert!(
        wait_until_shown(&root, 30_000, |r| simulated_ms(r) > 0).await,
        "space plays the run"
    );
    click(&root, "[data-action='pause-sim']").await;
}

#[wasm_bindgen_test]
async fn a_link_whose_settings_cost_too_much_together_is_refused() {
    use zooscope_core::ids::{ProcessId, SimTime};
    use zooscope_core::sim::recording::{Recording, MAX_PROCESSES};
    use zooscope_core::sim::{Command, Config};
    // Every setting within its own range; together, minutes of replay.
    let mut config = Config {
        servers: 7,
        processes: MAX_PROCESSES,
        tick_ms: 10,
        session_timeout_ms: 20,
        ..Config::default()
    };
    config.net.latency_ms = 0;
    config.net.jitter_ms = 0;
    config.net.loss_per_mille = 500;
    config.net.retransmit_ms = 1;
    let run = Recording::new(
        config,
        vec![(
            SimTime(3_600_000),
            Command::Act(Action::KillProcess(ProcessId(1))),
        )],
    );
    set_hash(&zooscope_core::sim::share::link(&run).expect("a small run fits in a link"));
    let root = mount_from_url().await;
    let notice = one(&root, "[data-error]")
        .text_content()
        .unwrap_or_default();
    assert!(
        notice.contains("could not be opened") && notice.contains("cost too much together"),
        "{notice}"
    );
    assert_eq!(all(&root, "[data-process]").len(), 5, "the default run");
    set_hash("#");
}
