//! Headless-browser tests: mount the app in Chromium and read what it rendered from the DOM.

#![allow(clippy::expect_used)] // a test that cannot reach the DOM should fail loudly

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use zooscope_web::app::App;

wasm_bindgen_test_configure!(run_in_browser);

/// Renders the app into a fresh `<div>` and waits for Yew to finish rendering.
async fn mount() -> Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser document");
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("append");
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    root
}

fn znode_paths(root: &Element) -> Vec<String> {
    let nodes = root.query_selector_all("[data-znode]").expect("selector");
    (0..nodes.length())
        .filter_map(|i| nodes.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .filter_map(|e| e.get_attribute("data-znode"))
        .collect()
}

fn text(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .expect("selector")
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn page_shows_the_election_znodes_the_core_created() {
    let root = mount().await;
    assert_eq!(
        znode_paths(&root),
        [
            "/",
            "/election",
            "/election/c_0000000000",
            "/election/c_0000000001",
            "/election/c_0000000002",
            "/zookeeper",
            "/zookeeper/config",
            "/zookeeper/quota",
        ]
    );
    // The candidate's data is the process that volunteered, its badge says ephemeral.
    let first = text(&root, "[data-znode='/election/c_0000000000']");
    assert!(first.contains("E") && first.contains("p1"), "{first}");
}

#[wasm_bindgen_test]
async fn clicking_a_znode_shows_its_stat() {
    let root = mount().await;
    // /election is selected first: created by the first session's create (zxid 0x2), and
    // its last child by the fourth create (sessions and creates alternate: 0x8).
    assert_eq!(text(&root, "[data-stat='cZxid']"), "0x2");
    assert_eq!(text(&root, "[data-stat='pZxid']"), "0x8");
    assert_eq!(text(&root, "[data-stat='numChildren']"), "3");
    root.query_selector("[data-znode='/election/c_0000000001']")
        .expect("selector")
        .expect("the second candidate")
        .dyn_into::<HtmlElement>()
        .expect("a button")
        .click();
    yew::scheduler::flush().await;
    assert_eq!(text(&root, "[data-stat-path]"), "/election/c_0000000001");
    assert_eq!(text(&root, "[data-stat='cZxid']"), "0x6");
    assert_eq!(text(&root, "[data-stat='dataLength']"), "2");
    assert_ne!(text(&root, "[data-stat='ephemeralOwner']"), "0x0");
}

#[wasm_bindgen_test]
fn panic_banner_is_visible_and_announced() {
    zooscope_web::panic_banner::show("boom");
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser document");
    let banner = document
        .get_element_by_id(zooscope_web::panic_banner::BANNER_ID)
        .expect("the banner");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    assert!(banner.text_content().unwrap_or_default().contains("boom"));
}
