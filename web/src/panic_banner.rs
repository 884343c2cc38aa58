//! A visible banner for the day the app panics.
//!
//! In WebAssembly a panic aborts the module: the page would stay on screen, frozen, with no
//! sign of why. The hook installed here shows what happened instead. There should be no panics;
//! this is the safety net, not error handling.
//!
//! Imports nothing of the page or the core.

/// The id of the banner element, for styling and tests.
pub const BANNER_ID: &str = "panic-banner";

/// Installs the panic hook, through Yew so that rendering does not replace it with Yew's
/// console-only default (idempotent: a later call replaces the earlier hook).
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| show(&info.to_string())));
}

/// Puts the error banner at the top of the page with `message`. The first panic is the cause;
/// later ones are its consequences (a `RefCell` left borrowed by the first, say): they go to the
/// browser's console and leave the banner naming the first.
pub fn show(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    if document.get_element_by_id(BANNER_ID).is_some() {
        web_sys::console::error_1(&format!("after the first error: {message}").into());
        return;
    }
    let Ok(banner) = document.create_element("div") else {
        return;
    };
    banner.set_id(BANNER_ID);
    let _ = banner.set_attribute("role", "alert");
    banner.set_text_content(Some(&format!(
        "Zooscope stopped because of an internal error, and the page no longer responds. \
         Reload the page to start again. Details: {message}"
    )));
    let _ = body.prepend_with_node_1(&banner);
    web_sys::console::error_1(&message.into());
}
