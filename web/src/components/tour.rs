//! Lecture mode: pick a tour, then follow its steps with → / ← / space; each step sets the
//! simulation to exactly the state its narration describes.
//!
//! Imports from the page `tours`.

use crate::tours::Tour;
use std::rc::Rc;
use yew::prelude::*;

/// Where the lecture is: which tour and step, or the picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lecture {
    /// The tour and step shown, if any.
    pub at: Option<(usize, usize)>,
    /// Whether the list of tours is open.
    pub picking: bool,
}

/// What moves the lecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LectureAction {
    /// Open the list of tours.
    Pick,
    /// Start tour `n` at step `step`.
    Open(usize, usize),
    /// Next step.
    Next,
    /// Previous step.
    Prev,
    /// Leave lecture mode.
    Close,
}

/// The lecture's state with the tours it moves through.
#[derive(Debug, Clone, PartialEq)]
pub struct LectureState {
    /// Where it is.
    pub lecture: Lecture,
    /// The tours.
    pub tours: Rc<Vec<Tour>>,
}

impl Reducible for LectureState {
    type Action = LectureAction;

    fn reduce(self: Rc<Self>, action: LectureAction) -> Rc<Self> {
        let steps = |t: usize| self.tours.get(t).map_or(0, |tour| tour.steps.len());
        let lecture = match (action, self.lecture.at) {
            (LectureAction::Pick, _) => Lecture {
                at: None,
                picking: true,
            },
            (LectureAction::Open(t, s), _) if s < steps(t) => Lecture {
                at: Some((t, s)),
                picking: false,
            },
            (LectureAction::Next, Some((t, s))) if s + 1 < steps(t) => Lecture {
                at: Some((t, s + 1)),
                picking: false,
            },
            (LectureAction::Prev, Some((t, s))) if s > 0 => Lecture {
                at: Some((t, s - 1)),
                picking: false,
            },
            (LectureAction::Close, _) => Lecture::default(),
            _ => return self,
        };
        Rc::new(LectureState {
            lecture,
            tours: self.tours.clone(),
        })
    }
}

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
