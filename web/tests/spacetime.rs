//! Headless-browser tests of the space-time diagram: opened by its button, read through the
//! automation contract (`data-panel="spacetime"`, `data-lifeline`, arrows and marks with
//! `data-kind`, `data-from`, `data-to`), its now line dragged and moved with the keys, its
//! filters clicked, its SVG exported and parsed back.

#![allow(clippy::expect_used)] // a test that cannot reach the DOM should fail loudly

mod common;

use common::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

/// Opens the diagram.
async fn open(root: &Element) {
    click(root, "[data-action='spacetime']").await;
    assert_eq!(all(root, "[data-panel='spacetime']").len(), 1, "the panel");
}

/// The trace position an arrow or mark carries.
fn seq(e: &Element) -> u64 {
    e.get_attribute("data-seq")
        .and_then(|s| s.parse().ok())
        .expect("a data-seq")
}

/// The diagram's elements matching `selector` (within the panel).
fn drawn(root: &Element, selector: &str) -> Vec<Element> {
    all(root, &format!("[data-panel='spacetime'] {selector}"))
}

/// The leader is killed; the run plays until another process leads, then pauses. Returns the
/// killed process and the successor.
async fn fail_over(root: &Element) -> (String, String) {
    let leader = kill_the_leader_and_wait_for_the_next(root, 60_000).await;
    click(root, "[data-action='pause-sim']").await;
    let successor = with_role(root, "leader")[0].clone();
    (leader, successor)
}

/// The watch notifications drawn after the kill of `killed` (its command mark).
fn notifications_after_kill(root: &Element, killed: &str) -> Vec<Element> {
    let kill = drawn(
        root,
        &format!(".mark[data-kind='command'][data-from='p{killed}']"),
    );
    assert_eq!(kill.len(), 1, "the kill is marked on p{killed}'s lifeline");
    let kill = seq(&kill[0]);
    drawn(root, ".arrow[data-kind='watch-event']")
        .into_iter()
        .filter(|a| seq(a) > kill)
        .collect()
}

/// The top of an element on the screen.
/// Screen pixels per unit of the drawing: it fits its box, keeping its proportions.
fn drawing_scale(root: &Element) -> f64 {
    let svg = one(root, "[data-panel='spacetime'] svg.spacetime-svg");
    let r = svg.get_bounding_client_rect();
    let view: Vec<f64> = svg
        .get_attribute("viewBox")
        .unwrap_or_default()
        .split(' ')
        .filter_map(|v| v.parse().ok())
        .collect();
    match view.as_slice() {
        [_, _, w, h] => (r.width() / w).min(r.height() / h),
        _ => 1.0,
    }
}

fn top(e: &Element) -> f64 {
    e.get_bounding_client_rect().top()
}

#[wasm_bindgen_test]
async fn after_a_kill_the_expiry_is_committed_before_the_one_notification_to_the_successor() {
    let root = started().await;
    let (killed, successor) = fail_over(&root).await;
    open(&root).await;
    // Ten seconds hold the kill and the takeover.
    click(&root, "[data-action='spacetime-zoom-out']").await;
    let leading = one(&root, "[data-server][data-role='leader']")
        .get_attribute("data-server")
        .expect("the leading server");
    let zk = format!("zk{leading}");
    assert_eq!(drawn(&root, &format!("[data-lifeline='{zk}']")).len(), 1);
    let woken = notifications_after_kill(&root, &killed);
    assert_eq!(woken.len(), 1, "one watch notification for this failure");
    let notice = &woken[0];
    assert_eq!(
        notice.get_attribute("data-to"),
        Some(format!("p{successor}"))
    );
    let what = notice.get_attribute("aria-label").unwrap_or_default();
    assert!(what.contains("NodeDeleted"), "{what}");
    // On the leading server's lifeline: the session expires, then its deletion is committed,
    // then — below both — the notification leaves.
    let expiry = drawn(
        &root,
        &format!(".mark[data-kind='session-expired'][data-from='{zk}']"),
    );
    let expiry = expiry
        .last()
        .expect("the session expires on the leading server");
    let commit = drawn(
        &root,
        &format!(".mark[data-kind='committed'][data-from='{zk}']"),
    )
    .into_iter()
    .find(|m| seq(m) > seq(expiry))
    .expect("the expiry is committed");
    assert!(seq(&commit) < seq(notice));
    assert!(top(expiry) <= top(&commit) && top(&commit) < top(notice));
}

#[wasm_bindgen_test]
async fn with_the_herd_recipe_every_other_candidate_is_notified() {
    let root = started_herd().await;
    let (killed, _) = fail_over(&root).await;
    open(&root).await;
    click(&root, "[data-action='spacetime-zoom-out']").await;
    let woken = notifications_after_kill(&root, &killed);
    let mut to: Vec<String> = woken
        .iter()
        .filter_map(|a| a.get_attribute("data-to"))
        .collect();
    to.sort();
    to.dedup();
    assert_eq!((woken.len(), to.len()), (4, 4), "{to:?}");
    assert!(!to.contains(&format!("p{killed}")));
    assert!(woken.iter().all(|a| a
        .get_attribute("aria-label")
        .unwrap_or_default()
        .contains("NodeChildrenChanged for /election")));
}

/// Sends a mouse's pointer event of `kind` at height `y` of the screen to `target`.
fn pointer(target: &Element, kind: &str, y: f64) {
    pointer_of("mouse", target, kind, y);
}

/// Sends a pointer event of `kind` from a `device` (`mouse`, `touch`) at height `y` of the
/// screen to `target`.
fn pointer_of(device: &str, target: &Element, kind: &str, y: f64) {
    let init = web_sys::PointerEventInit::new();
    init.set_pointer_type(device);
    init.set_bubbles(true);
    init.set_pointer_id(1);
    init.set_button(0);
    init.set_client_x(10);
    init.set_client_y(y.round() as i32);
    let event = web_sys::PointerEvent::new_with_event_init_dict(kind, &init).expect("an event");
    target.dispatch_event(&event).expect("dispatched");
}

/// Waits until no seek is under way: a far seek goes on frame by frame (`data-seeking`), and
/// the moment shown is only where it is going once it has arrived.
async fn seeks_settled(root: &Element) {
    let settled = poll(root, |r| one_opt(r, "[data-seeking]").is_none(), |_| false).await;
    assert!(settled, "a seek did not finish");
}

/// The moment the picture shows, in ms.
fn picture_time(root: &Element) -> u64 {
    one(root, ".timeline [data-time]")
        .get_attribute("data-time")
        .and_then(|t| t.parse().ok())
        .expect("the timeline's time")
}

#[wasm_bindgen_test]
async fn dragging_the_now_line_or_pressing_the_arrows_seeks_the_picture() {
    let root = started().await;
    click(&root, "[data-action='pause-sim']").await;
    open(&root).await;
    let before = picture_time(&root);
    let line = one(&root, "[data-panel='spacetime'] .now-line");
    let y = top(&line);
    // Five seconds over 502 units of the drawing: 100 units up is a second earlier.
    let px = drawing_scale(&root);
    pointer(&line, "pointerdown", y);
    yew::scheduler::flush().await;
    pointer(&line, "pointermove", y - 100.0 * px);
    yew::scheduler::flush().await;
    seeks_settled(&root).await;
    let during = picture_time(&root);
    pointer(&line, "pointerup", y - 100.0 * px);
    yew::scheduler::flush().await;
    seeks_settled(&root).await;
    let after = picture_time(&root);
    assert!(
        before - after >= 950 && before - after <= 1_050,
        "dragged 100 units up: {before} → {after}"
    );
    assert_eq!(during, after, "the picture follows the drag");
    let now = one(&root, "[data-control='spacetime-now']");
    assert_eq!(now.get_attribute("data-time"), Some(after.to_string()));
    // ↑ on the focused line: a fiftieth of the span earlier; ↓ back.
    press(&now, "ArrowUp").await;
    seeks_settled(&root).await;
    assert_eq!(picture_time(&root), after - 100);
    let now = one(&root, "[data-control='spacetime-now']");
    press(&now, "ArrowDown").await;
    seeks_settled(&root).await;
    assert_eq!(picture_time(&root), after);
    // A finger elsewhere on the drawing scrolls it and seeks nothing; on the line it drags.
    let background = one(&root, "[data-panel='spacetime'] .bg");
    pointer_of("touch", &background, "pointerdown", y - 200.0);
    pointer_of("touch", &background, "pointerup", y - 200.0);
    yew::scheduler::flush().await;
    assert_eq!(
        picture_time(&root),
        after,
        "a touch off the line does not seek"
    );
    let line = one(&root, "[data-panel='spacetime'] .now-line");
    let y = top(&line);
    let px = drawing_scale(&root);
    pointer_of("touch", &line, "pointerdown", y);
    yew::scheduler::flush().await;
    pointer_of("touch", &line, "pointermove", y - 50.0 * px);
    pointer_of("touch", &line, "pointerup", y - 50.0 * px);
    yew::scheduler::flush().await;
    seeks_settled(&root).await;
    let dragged = after - picture_time(&root);
    assert!(
        (450..=550).contains(&dragged),
        "a finger dragged the line 50 units: {dragged} ms"
    );
}

/// How many arrows of `kind` the diagram draws.
fn arrows(root: &Element, kind: &str) -> usize {
    drawn(root, &format!(".arrow[data-kind='{kind}']")).len()
}

#[wasm_bindgen_test]
async fn filters_hide_and_show_the_right_arrows() {
    let root = started().await;
    click(&root, "[data-action='pause-sim']").await;
    open(&root).await;
    let pings = arrows(&root, "ping");
    let others = drawn(&root, ".arrow").len() - pings;
    assert!(pings > 0 && others > 0, "{pings} pings, {others} others");
    click(&root, "[data-family='ping']").await;
    assert_eq!(arrows(&root, "ping"), 0, "pings hidden");
    assert_eq!(drawn(&root, ".arrow").len(), others, "nothing else hidden");
    click(&root, "[data-family='ping']").await;
    assert_eq!(arrows(&root, "ping"), pings, "pings shown again");
    // A run of pings drawn as one says how many, to the eye and to a screen reader alike.
    let counted = drawn(&root, ".arrow[data-kind='ping'] .repeats");
    let count = counted
        .first()
        .expect("a run of pings")
        .text_content()
        .unwrap_or_default();
    let arrow = counted[0]
        .closest(".arrow")
        .ok()
        .flatten()
        .expect("its arrow");
    let name = arrow.get_attribute("aria-label").unwrap_or_default();
    assert!(
        count.starts_with('×') && name.ends_with(&count),
        "{count} / {name}"
    );
    // Each ping on its own: more arrows, the same others.
    click(&root, "[data-control='spacetime-collapse']").await;
    assert!(arrows(&root, "ping") > pings);
    assert_eq!(drawn(&root, ".arrow").len() - arrows(&root, "ping"), others);
    // Requests and replies: every arrow of the client's family goes (each kind drawn first,
    // so that hiding it is seen).
    let kinds = ["request", "reply", "session"];
    for kind in kinds {
        assert!(arrows(&root, kind) > 0, "no {kind} arrow to hide");
    }
    let others =
        drawn(&root, ".arrow").len() - kinds.map(|k| arrows(&root, k)).iter().sum::<usize>();
    click(&root, "[data-family='client']").await;
    for kind in kinds {
        assert_eq!(arrows(&root, kind), 0, "{kind} hidden");
    }
    assert_eq!(drawn(&root, ".arrow").len(), others, "nothing else hidden");
}

#[wasm_bindgen_test]
async fn lifelines_are_removed_and_added_by_name() {
    let root = started().await;
    click(&root, "[data-action='pause-sim']").await;
    open(&root).await;
    assert_eq!(drawn(&root, "[data-lifeline]").len(), 9);
    click(
        &root,
        "[data-action='spacetime-drop'][data-lifeline-choice='p3']",
    )
    .await;
    assert!(drawn(&root, "[data-lifeline='p3']").is_empty());
    assert!(drawn(&root, ".arrow[data-to='p3'], .arrow[data-from='p3']").is_empty());
    let input = one(&root, "[data-control='spacetime-add']")
        .dyn_into::<web_sys::HtmlInputElement>()
        .expect("an input");
    input.set_value("p3");
    fire(&input, "change");
    yew::scheduler::flush().await;
    assert_eq!(drawn(&root, "[data-lifeline='p3']").len(), 1);
    // A name no actor has is refused, and says so.
    input.set_value("p42");
    fire(&input, "change");
    yew::scheduler::flush().await;
    assert_eq!(drawn(&root, "[data-lifeline]").len(), 9);
    let notice = one(&root, "[data-error]")
        .text_content()
        .unwrap_or_default();
    assert!(notice.contains("\"p42\""), "{notice}");
}

#[wasm_bindgen_test]
async fn arrows_are_read_and_picked_from_the_keyboard_and_the_event_log() {
    let root = started().await;
    click(&root, "[data-action='pause-sim']").await;
    open(&root).await;
    let first = drawn(&root, ".arrow[tabindex='0']");
    assert_eq!(first.len(), 1, "one arrow in the tab order");
    let first = first[0]
        .clone()
        .dyn_into::<web_sys::SvgElement>()
        .expect("an SVG element");
    first.focus().expect("focused");
    yew::scheduler::flush().await;
    let kind = first.get_attribute("data-kind").unwrap_or_default();
    let details = || {
        one(&root, "[data-arrow-details]")
            .text_content()
            .unwrap_or_default()
    };
    assert!(details().starts_with(&kind), "{}", details());
    // ↓ moves to the next arrow, sent later.
    press(&first, "ArrowDown").await;
    let focused = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .expect("something has the focus");
    assert!(seq(&focused) > seq(&first), "the next arrow has the focus");
    // An event-log line of a message highlights its arrow.
    select(&root, "[data-control='log-filter']", "messages").await;
    let drawn_seqs: Vec<u64> = drawn(&root, ".arrow").iter().map(seq).collect();
    let entry = all(&root, "[data-event]")
        .into_iter()
        .find(|e| {
            e.get_attribute("data-event")
                .and_then(|s| s.parse().ok())
                .is_some_and(|s: u64| drawn_seqs.contains(&s))
        })
        .expect("a logged send that the diagram draws");
    let at = seq_of_event(&entry);
    click(&root, &format!("[data-event='{at}'] button")).await;
    let lit = drawn(&root, ".arrow.hl");
    assert_eq!(lit.len(), 1, "its arrow is highlighted");
    assert_eq!(seq(&lit[0]), at);
    // Once the focused arrow has scrolled out of the span, another is in the tab order.
    click(&root, "[data-action='play']").await;
    wait_for(&root, 8_000, |_| false).await;
    click(&root, "[data-action='pause-sim']").await;
    assert!(drawn(&root, &format!(".arrow[data-seq='{}']", seq(&focused))).is_empty());
    assert_eq!(drawn(&root, ".arrow[tabindex='0']").len(), 1);
}

fn seq_of_event(e: &Element) -> u64 {
    e.get_attribute("data-event")
        .and_then(|s| s.parse().ok())
        .expect("a data-event")
}

/// Catches what the page hands the browser to download: the Blob given to
/// `URL.createObjectURL`, and the name of the link clicked to save it (whose click then does
/// nothing, so no file lands on the test machine's disk).
fn catch_downloads() {
    js_sys::eval(
        "(() => {
            const create = URL.createObjectURL.bind(URL);
            URL.createObjectURL = (blob) => { window.zooscopeSaved = { blob }; return create(blob); };
            HTMLAnchorElement.prototype.click = function () {
                if (window.zooscopeSaved) { window.zooscopeSaved.name = this.download; }
            };
        })()",
    )
    .expect("the download catcher installs");
}

/// The file caught by [`catch_downloads`]: its name, type and text.
async fn saved_file() -> (String, String, String) {
    let window = web_sys::window().expect("a window");
    let saved = js_sys::Reflect::get(&window, &"zooscopeSaved".into()).expect("read");
    assert!(
        !saved.is_undefined(),
        "the export handed the browser no file"
    );
    let get = |key: &str| js_sys::Reflect::get(&saved, &key.into()).expect("read");
    let blob: web_sys::Blob = get("blob").dyn_into().expect("a Blob");
    let text = wasm_bindgen_futures::JsFuture::from(blob.text())
        .await
        .expect("the Blob reads");
    (
        get("name").as_string().unwrap_or_default(),
        blob.type_(),
        text.as_string().unwrap_or_default(),
    )
}

#[wasm_bindgen_test]
async fn the_svg_export_is_a_valid_svg_file_with_the_visible_arrows() {
    let root = started().await;
    click(&root, "[data-action='pause-sim']").await;
    open(&root).await;
    catch_downloads();
    click(&root, "[data-action='spacetime-export']").await;
    let saved = one(&root, "[data-exported]")
        .text_content()
        .unwrap_or_default();
    // The file itself, as the browser got it (not the drawing's markup read again).
    let (name, mime, file) = saved_file().await;
    assert!(
        name.starts_with("zooscope-diagram-") && name.ends_with("ms.svg") && saved.contains(&name),
        "saved as {name:?}; the page says {saved:?}"
    );
    assert_eq!(mime, "image/svg+xml");
    let parsed = web_sys::DomParser::new()
        .expect("a parser")
        .parse_from_string(&file, web_sys::SupportedType::ImageSvgXml)
        .expect("parsed");
    assert_eq!(
        parsed.get_elements_by_tag_name("parsererror").length(),
        0,
        "well-formed XML"
    );
    let top = parsed.document_element().expect("a root element");
    assert_eq!(top.tag_name(), "svg");
    assert_eq!(
        top.namespace_uri().as_deref(),
        Some("http://www.w3.org/2000/svg")
    );
    let kinds = |arrows: Vec<Element>| -> Vec<String> {
        arrows
            .iter()
            .filter_map(|a| a.get_attribute("data-kind"))
            .collect()
    };
    let in_file = parsed.query_selector_all(".arrow").expect("selector");
    let in_file: Vec<Element> = (0..in_file.length())
        .filter_map(|i| in_file.item(i)?.dyn_into().ok())
        .collect();
    let visible = drawn(&root, ".arrow");
    assert!(!visible.is_empty());
    assert_eq!(kinds(in_file), kinds(visible));
    // Its styles travel with it.
    assert!(file.contains("<style>") && file.contains(".k-vote"));
}
