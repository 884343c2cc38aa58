//! Lecture mode: pick a tour, then follow its steps with → / ← / space; each step sets the
//! simulation to exactly the state its narration describes.
//!
//! Imports from the page `state`'s lecture (where the lecture is, and the tours it moves through).

use crate::state::lecture::{LectureAction, LectureState};
use yew::prelude::*;

/// Props of [`TourPanel`].
#[derive(Properties, PartialEq)]
pub struct TourPanelProps {
    /// The lecture.
    pub state: LectureState,
    /// Moves it.
    pub dispatch: Callback<LectureAction>,
}

/// The tour picker or the narration panel.
#[function_component(TourPanel)]
pub fn tour_panel(props: &TourPanelProps) -> Html {
    let act = |action: LectureAction| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(action))
    };
    let lecture = props.state.lecture;
    if lecture.picking {
        return html! {
            <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="tours-title" data-tours="">
                <div class="overlay-box">
                    <h2 id="tours-title">{ "Guided tours" }</h2>
                    <ol class="tour-list">
                        { for props.state.tours.iter().enumerate().map(|(i, tour)| html! {
                            <li>
                                <button type="button" data-tour={i.to_string()}
                                        onclick={act(LectureAction::Open(i, 0))}>{ tour.title }</button>
                            </li>
                        }) }
                    </ol>
                    <button type="button" data-action="tour-close" onclick={act(LectureAction::Close)}>{ "close" }</button>
                </div>
            </div>
        };
    }
    let Some((t, s)) = lecture.at else {
        return html! {};
    };
    let Some(tour) = props.state.tours.get(t) else {
        return html! {};
    };
    let Some(step) = tour.steps.get(s) else {
        return html! {};
    };
    html! {
        <aside class="tour" aria-labelledby="tour-title" data-tour-step={format!("{t}.{s}")}>
            <p class="tour-name">{ format!("{} — step {} of {}", tour.title, s + 1, tour.steps.len()) }</p>
            <h2 id="tour-title">{ step.title }</h2>
            <p class="tour-text" aria-live="polite">{ step.text }</p>
            <div class="tour-nav">
                <button type="button" data-action="tour-prev" onclick={act(LectureAction::Prev)}
                        disabled={s == 0} title="Previous step (←)">{ "◀ back" }</button>
                if s + 1 < tour.steps.len() {
                    <button type="button" data-action="tour-next" onclick={act(LectureAction::Next)}
                            title="Next step (→ or space)">{ "next ▶" }</button>
                } else if let Some(next) = props.state.tours.get(t + 1) {
                    // The last step leads on to the next tour.
                    <button type="button" data-action="tour-next-tour" onclick={act(LectureAction::Open(t + 1, 0))}
                            title="The next tour">{ format!("next tour: {} ▶", next.title) }</button>
                }
                <button type="button" data-action="tour-close" onclick={act(LectureAction::Close)}
                        title="Leave the tour (Esc)">{ "close" }</button>
            </div>
        </aside>
    }
}
