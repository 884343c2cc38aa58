//! The page's hooks: each ties one browser facility to the app state — the animation clock,
//! the keyboard shortcuts — and holds its listener or timer for as long as the page lives;
//! and the address bar, read and rewritten.
//!
//! Imports from the page `state` (its actions, the lecture's and the page's).

use crate::state::lecture::LectureAction;
use crate::state::page::PageAction;
use crate::state::Action;
use gloo_events::{EventListener, EventListenerOptions};
use gloo_timers::callback::Interval;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Milliseconds between animation frames.
const FRAME_MS: u32 = 33;

/// The animation clock: an [`Action::Frame`] every [`FRAME_MS`] for the page's life (dropping
/// the interval stops it), and playing from the start when `autoplay`.
#[hook]
pub fn use_animation_clock(dispatch: Callback<Action>, autoplay: bool) {
    use_effect_with((), move |_| {
        if autoplay {
            dispatch.emit(Action::Play);
        }
        let interval = Interval::new(FRAME_MS, move || {
            let now = crate::perf::now();
            crate::perf::frame_started(now);
            dispatch.emit(Action::Frame(now));
        });
        move || drop(interval)
    });
}

/// Where the keyboard shortcuts go.
#[derive(Clone, PartialEq)]
pub struct Shortcuts {
    /// Changes to the run.
    pub run: Callback<Action>,
    /// Steps through a tour.
    pub lecture: Callback<LectureAction>,
    /// Overlays and presenter mode.
    pub page: Callback<PageAction>,
    /// Whether a tour's step is shown (its arrows and space then move through its steps).
    pub stepping_a_tour: bool,
}

/// What `key` does, if it is a shortcut (listed in the help overlay).
fn shortcut(key: &str, touring: bool) -> Option<Shortcut> {
    if touring {
        let step = match key {
            "ArrowRight" | " " => Some(LectureAction::Next),
            "ArrowLeft" => Some(LectureAction::Prev),
            "Escape" => Some(LectureAction::Close),
            _ => None,
        };
        if let Some(step) = step {
            return Some(Shortcut::Lecture(step));
        }
    }
    Some(match key {
        " " => Shortcut::Run(Action::TogglePlay),
        "ArrowRight" => Shortcut::Run(Action::Step),
        "ArrowLeft" => Shortcut::Run(Action::StepBack),
        "r" => Shortcut::Run(Action::Reset),
        "+" | "=" => Shortcut::Run(Action::Faster),
        "-" => Shortcut::Run(Action::Slower),
        "a" => Shortcut::Run(Action::AddProcess),
        "d" => Shortcut::Run(Action::RemoveProcess),
        "k" => Shortcut::Run(Action::KillLeader),
        "h" => Shortcut::Run(Action::OtherRecipe),
        "?" => Shortcut::Page(PageAction::Help),
        "p" => Shortcut::Page(PageAction::Plots),
        "f" => Shortcut::Page(PageAction::Presenter),
        "s" => Shortcut::Page(PageAction::Diagram),
        "t" => Shortcut::Lecture(LectureAction::Pick),
        "Escape" => Shortcut::Page(PageAction::Close),
        _ => return None,
    })
}

/// A shortcut's effect.
enum Shortcut {
    Run(Action),
    Lecture(LectureAction),
    Page(PageAction),
}

/// The keyboard shortcuts, on the whole document; typing in a field is not a shortcut.
#[hook]
pub fn use_shortcuts(to: Shortcuts) {
    // Listening again when where the keys go changes (a tour opens or closes).
    use_effect_with(to, move |to| {
        let to = to.clone();
        let listener = web_sys::window()
            .and_then(|w| w.document())
            .map(|document| {
                // Not passive: a shortcut's key must not also scroll the page.
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&document, "keydown", options, move |event| {
                    let Some(key) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    let typing = event
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .is_some_and(|e| {
                            matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
                        });
                    if typing || key.ctrl_key() || key.meta_key() || key.alt_key() {
                        return;
                    }
                    let Some(shortcut) = shortcut(&key.key(), to.stepping_a_tour) else {
                        return;
                    };
                    event.prevent_default();
                    match shortcut {
                        Shortcut::Run(action) => to.run.emit(action),
                        Shortcut::Lecture(action) => to.lecture.emit(action),
                        Shortcut::Page(action) => to.page.emit(action),
                    }
                })
            });
        move || drop(listener)
    });
}

/// The address bar's fragment (empty when there is none).
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Rewrites the address bar to `url` without a new history entry. A browser that refuses to
/// change the address leaves the old one: the page itself is unaffected.
pub fn replace_address(url: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_tour_takes_the_arrows_and_space_but_not_the_other_keys() {
        assert!(matches!(
            shortcut(" ", true),
            Some(Shortcut::Lecture(LectureAction::Next))
        ));
        assert!(matches!(
            shortcut(" ", false),
            Some(Shortcut::Run(Action::TogglePlay))
        ));
        assert!(matches!(
            shortcut("k", true),
            Some(Shortcut::Run(Action::KillLeader))
        ));
        assert!(shortcut("x", false).is_none());
    }
}
