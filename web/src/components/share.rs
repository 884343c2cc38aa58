//! Export the run as a JSON file, import one. (The link is always in the address bar: every
//! change of the run updates it — unless the run is too big for a link, which is said here.)
//!
//! Imports from the page `state`; from the core `sim`.

use crate::state::Action;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use zooscope_core::sim::share;

/// Props of [`Share`].
#[derive(Properties, PartialEq)]
pub struct ShareProps {
    /// The current run as a file's text.
    pub export: Callback<(), String>,
    /// Where actions go.
    pub dispatch: Callback<Action>,
    /// Reports what went wrong.
    pub on_error: Callback<String>,
    /// The run's link would be this long (compressed, in characters), past what a link may
    /// hold: it is shared as a file instead.
    pub link_too_big: Option<usize>,
}

/// Starts a download of `text` as a file `name` of type `mime`.
pub fn download(name: &str, mime: &str, text: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url).ok()
}

/// The export and import controls.
#[function_component(Share)]
pub fn share(props: &ShareProps) -> Html {
    let on_export = {
        let (export, on_error) = (props.export.clone(), props.on_error.clone());
        Callback::from(move |_: MouseEvent| {
            let text = export.emit(());
            if download("zooscope-run.json", "application/json", &text).is_none() {
                on_error.emit("The run could not be exported from this browser.".into());
            }
        })
    };
    let on_import = {
        let (dispatch, on_error) = (props.dispatch.clone(), props.on_error.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            if file.size() > share::MAX_FILE_BYTES as f64 {
                on_error.emit(format!(
                    "The file could not be imported: it is too large ({} bytes, at most {}). The current run is unchanged.",
                    file.size(),
                    share::MAX_FILE_BYTES
                ));
                return;
            }
            let (dispatch, on_error) = (dispatch.clone(), on_error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                match share::from_file(text.as_bytes()) {
                    Ok(recording) => dispatch.emit(Action::Load(recording)),
                    Err(e) => on_error.emit(format!(
                        "The file could not be imported: {e}. The current run is unchanged."
                    )),
                }
            });
        })
    };
    let too_big = props.link_too_big.map(|n| {
        html! {
            <span class="link-too-big" role="status" data-link-too-big={n.to_string()}>
                { format!(
                    "This run is too big for a link ({} KB, at most {} KB): export it to share it.",
                    n.div_ceil(1024),
                    share::MAX_LINK_CHARS / 1024
                ) }
            </span>
        }
    });
    html! {
        <span class="share">
            { for too_big }
            <button type="button" data-action="export" onclick={on_export}
                    title="Save this run as a JSON file">{ "export" }</button>
            <label class="import" title="Open a run saved as JSON">
                { "import " }
                <input type="file" accept=".json,application/json" data-control="import"
                       onchange={on_import} aria-label="Import a run from a JSON file" />
            </label>
        </span>
    }
}
