//! Lecture mode's state: which tour and step is shown, or whether the list of tours is open.
//!
//! Imports from the page `tours`.

use crate::tours::Tour;
use std::rc::Rc;
use yew::Reducible;

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
