//! The help overlay (`?`): every keyboard shortcut.
//!
//! Imports from the page `components`.

use crate::components::overlay::Overlay;
use yew::prelude::*;

/// The shortcuts: key, what it does.
pub const SHORTCUTS: [(&str, &str); 17] = [
    ("space", "play / pause"),
    ("→", "next event"),
    ("←", "one event back"),
    ("r", "reset"),
    ("+ / −", "faster / slower"),
    ("a", "add a process"),
    ("d", "remove the newest process"),
    ("k", "kill the leader"),
    ("h", "switch recipe (successor / herd)"),
    ("p", "plots"),
    ("s", "space-time diagram: every message in order"),
    (
        "↑ ↓ (in the diagram)",
        "move the moment shown, or from arrow to arrow",
    ),
    ("f", "presenter mode (larger text)"),
    ("t", "guided tours"),
    ("→ ← space (in a tour)", "next / previous step"),
    ("?", "this help"),
    ("Esc", "close this help or the plots"),
];

/// Props of [`Help`].
#[derive(Properties, PartialEq)]
pub struct HelpProps {
    /// Closes the overlay.
    pub on_close: Callback<()>,
}

/// The overlay.
#[function_component(Help)]
pub fn help(props: &HelpProps) -> Html {
    html! {
        <Overlay title="Keyboard shortcuts" marker="data-help" close_action="close-help"
                 on_close={props.on_close.clone()}>
            <dl class="shortcuts">
                { for SHORTCUTS.iter().map(|(key, what)| html! {
                    <><dt><kbd>{ *key }</kbd></dt><dd>{ *what }</dd></>
                }) }
            </dl>
            <p class="hint">{ "Each process and server card has its own buttons: kill (crash), \
                               stop (graceful), pause (a GC pause), restart, cut off." }</p>
        </Overlay>
    }
}
