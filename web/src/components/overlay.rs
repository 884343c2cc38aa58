//! A dialog over the page (the help, the plots): a title, a close button, and its content.
//! Escape closes it too (the keyboard shortcuts hook).
//!
//! Imports nothing of the page or the core.

use yew::prelude::*;
use yew::virtual_dom::VTag;

/// Props of [`Overlay`].
#[derive(Properties, PartialEq)]
pub struct OverlayProps {
    /// Its heading.
    pub title: AttrValue,
    /// The empty `data-…` attribute that names it in the automation contract (`data-help`).
    pub marker: &'static str,
    /// The close button's `data-action`.
    pub close_action: &'static str,
    /// Classes of its box, beside `overlay-box`.
    #[prop_or_default]
    pub class: Classes,
    /// Closes it.
    pub on_close: Callback<()>,
    /// What it shows.
    pub children: Html,
}

/// The overlay.
#[function_component(Overlay)]
pub fn overlay(props: &OverlayProps) -> Html {
    let close = {
        let cb = props.on_close.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let title_id = format!("{}-title", props.marker.trim_start_matches("data-"));
    let content = html! {
        <div class={classes!("overlay-box", props.class.clone())}>
            <div class="panel-head">
                <h2 id={title_id.clone()}>{ props.title.clone() }</h2>
                <button type="button" data-action={props.close_action} onclick={close}>{ "close" }</button>
            </div>
            { props.children.clone() }
        </div>
    };
    // The marker's name is a prop, which `html!` cannot spell as an attribute name.
    let mut dialog = VTag::new("div");
    dialog.add_attribute("class", "overlay");
    dialog.add_attribute("role", "dialog");
    dialog.add_attribute("aria-modal", "true");
    dialog.add_attribute("aria-labelledby", title_id);
    dialog.add_attribute(props.marker, "");
    dialog.add_child(content);
    dialog.into()
}
