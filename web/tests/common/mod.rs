//! What the browser tests share: mounting the app, finding and clicking its elements, and
//! waiting — on the run's simulated clock, or on the page — with limits a busy machine meets.

#![allow(clippy::expect_used)]
// a test that cannot reach the DOM should fail loudly
// Each test binary uses the helpers it needs.
#![allow(dead_code)]

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};
use zooscope_web::app::{App, AppProps};

/// Renders the app (not playing, default run) into a fresh `<div>`, in place of the app
/// mounted before; clears the URL, so that it opens the default run.
pub async fn mount() -> Element {
    set_hash("#");
    mount_from_url().await
}

/// Renders the app (not playing) opening whatever run the URL holds.
pub async fn mount_from_url() -> Element {
    mount_with(None).await
}

thread_local! {
    /// The app the last mount rendered: the next mount removes it, so that earlier tests'
    /// runs do not go on playing beside the current one (a thousand processes need the page
    /// to themselves).
    static MOUNTED: std::cell::RefCell<Option<(Element, yew::AppHandle<App>)>> =
        const { std::cell::RefCell::new(None) };
}

/// Renders the app (not playing) with `processes` (or what the URL holds), in place of the
/// app mounted before.
pub async fn mount_with(processes: Option<u32>) -> Element {
    if let Some((root, app)) = MOUNTED.with(|m| m.borrow_mut().take()) {
        app.destroy();
        root.remove();
    }
    let (root, app) = render(AppProps {
        autoplay: false,
        processes,
    });
    MOUNTED.with(|m| *m.borrow_mut() = Some((root.clone(), app)));
    yew::scheduler::flush().await;
    root
}

/// Renders the app with `props` into a fresh `<div>` of the page: the div, and the app (to
/// destroy it).
pub fn render(props: AppProps) -> (Element, yew::AppHandle<App>) {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser document");
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("append");
    let app = yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    (root, app)
}

/// The default run (five processes), played at 10× until one leader and four followers.
pub async fn started() -> Element {
    let root = mount().await;
    speed(&root, "1").await;
    click(&root, "[data-action='play']").await;
    assert!(
        wait_for(&root, 60_000, |r| with_role(r, "leader").len() == 1
            && with_role(r, "follower").len() == 4)
        .await,
        "one leader and four followers"
    );
    root
}

/// The default run switched to the herd recipe, until one leader leads again and the four
/// other candidates watch all of `/election` (their arrows point at the ensemble).
pub async fn started_herd() -> Element {
    let root = started().await;
    select(&root, "[data-control='recipe']", "herd").await;
    assert!(
        wait_for(&root, 60_000, |r| with_role(r, "leader").len() == 1
            && all(r, "[data-watch-to='election']").len() == 4)
        .await,
        "one leader and four herd watchers"
    );
    root
}

/// Kills the leader with its card's button and waits (at most `sim_ms` of simulated time)
/// until another process leads; returns the killed leader.
pub async fn kill_the_leader_and_wait_for_the_next(root: &Element, sim_ms: u64) -> String {
    let leader = with_role(root, "leader")[0].clone();
    click(
        root,
        &format!("[data-process='{leader}'] [data-action='kill']"),
    )
    .await;
    assert!(
        wait_for(root, sim_ms, |r| {
            let l = with_role(r, "leader");
            l.len() == 1 && l[0] != leader
        })
        .await,
        "a new leader after p{leader}"
    );
    leader
}

/// Presses a key in `target` (an element, or the document), as a keyboard would: a `keydown`
/// that bubbles.
pub async fn press(target: &web_sys::EventTarget, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
        .expect("a key event");
    target.dispatch_event(&event).expect("dispatched");
    yew::scheduler::flush().await;
}

pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let nodes = root.query_selector_all(selector).expect("selector");
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

pub fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .expect("selector")
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

pub async fn click(root: &Element, selector: &str) {
    one(root, selector)
        .dyn_into::<HtmlElement>()
        .expect("an HTML element")
        .click();
    yew::scheduler::flush().await;
}

pub fn fire(element: &Element, event: &str) {
    let event = web_sys::Event::new_with_event_init_dict(event, &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .expect("an event");
    element.dispatch_event(&event).expect("dispatched");
}

/// Sets the speed slider (log scale: 1 is 10×).
pub async fn speed(root: &Element, log10: &str) {
    let input = one(root, "[data-control='speed']")
        .dyn_into::<HtmlInputElement>()
        .expect("an input");
    input.set_value(log10);
    fire(&input, "input");
    yew::scheduler::flush().await;
}

/// Types `value` into the number input `selector` and commits it (its change event).
pub async fn enter_number(root: &Element, selector: &str, value: u32) {
    let input = one(root, selector)
        .dyn_into::<HtmlInputElement>()
        .expect("an input");
    input.set_value(&value.to_string());
    fire(&input, "change");
    yew::scheduler::flush().await;
}

pub async fn select(root: &Element, selector: &str, value: &str) {
    let select = one(root, selector)
        .dyn_into::<HtmlSelectElement>()
        .expect("a select");
    select.set_value(value);
    fire(&select, "change");
    yew::scheduler::flush().await;
}

/// Processes by role: their `data-process` ids.
pub fn with_role(root: &Element, role: &str) -> Vec<String> {
    all(root, &format!("[data-process][data-role='{role}']"))
        .iter()
        .filter_map(|e| e.get_attribute("data-process"))
        .collect()
}

/// The run's simulated time, as the timeline shows it (`data-time`, in ms).
pub fn simulated_ms(root: &Element) -> u64 {
    one_opt(root, "[data-time]")
        .and_then(|e| e.get_attribute("data-time"))
        .and_then(|t| t.parse().ok())
        .unwrap_or(0)
}

/// Wall time after which a wait gives up even if the run's clock has stalled (a paused run, a
/// page that no longer draws): far beyond what any wait needs on a loaded machine.
pub const WALL_LIMIT_MS: u32 = 120_000;

/// Polls `done` every 50 ms of wall time, yielding to the page in between, until it holds or
/// `give_up` says to stop.
pub async fn poll(
    root: &Element,
    done: impl Fn(&Element) -> bool,
    give_up: impl Fn(u32) -> bool,
) -> bool {
    let mut waited = 0;
    while !done(root) {
        if waited >= WALL_LIMIT_MS || give_up(waited) {
            return done(root);
        }
        TimeoutFuture::new(50).await;
        yew::scheduler::flush().await;
        waited += 50;
    }
    true
}

/// Waits, while the run plays, until `done` holds or `sim_ms` of *simulated* time have passed.
/// A busy machine delays the page's frames, not the run's logic: a limit in simulated time
/// neither fails because frames came late nor waits longer than the run needs.
pub async fn wait_for(root: &Element, sim_ms: u64, done: impl Fn(&Element) -> bool) -> bool {
    let start = simulated_ms(root);
    poll(root, done, |_| simulated_ms(root) > start + sim_ms).await
}

/// Waits for the page to show something that does not depend on the run's clock (a file read,
/// a tour's step), for at most `wall_ms`: generous, as a loaded machine may be slow.
pub async fn wait_until_shown(
    root: &Element,
    wall_ms: u32,
    done: impl Fn(&Element) -> bool,
) -> bool {
    poll(root, done, |waited| waited >= wall_ms).await
}

/// The first element matching `selector`, if any.
pub fn one_opt(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

/// Puts `hash` in the address bar (without reloading), as a shared link would.
pub fn set_hash(hash: &str) {
    let history = web_sys::window()
        .and_then(|w| w.history().ok())
        .expect("history");
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(hash))
        .expect("replaceState");
}

/// What the address bar holds after the `#`.
pub fn hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}
