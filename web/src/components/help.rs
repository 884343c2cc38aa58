//! The help overlay (`?`): every keyboard shortcut.

use yew::prelude::*;

/// The shortcuts: key, what it does.
pub const SHORTCUTS: [(&str, &str); 15] = [
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
    let close = {
        let cb = props.on_close.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="help-title" data-help="">
            <div class="overlay-box">
                <h2 id="help-title">{ "Keyboard shortcuts" }</h2>
                <dl class="shortcuts">
                    { for SHORTCUTS.iter().map(|(key, what)| html! {
                        <><dt><kbd>{ *key }</kbd></dt><dd>{ *what }</dd></>
                    }) }
                </dl>
                <p class="hint">{ "Each process and server card has its own buttons: kill (crash), \
                                   stop (graceful), pause (a GC pause), restart, cut off." }</p>
                <button type="button" data-action="close-help" onclick={close}>{ "close" }</button>
            </div>
        </div>
    }
}
