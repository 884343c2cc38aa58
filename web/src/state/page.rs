//! The page's own state around the run: which overlays are open, the space-time diagram,
//! presenter mode.
//!
//! Imports nothing from the rest of the page.

use std::rc::Rc;
use yew::Reducible;

/// What changes the page around the run (a shortcut, a button, a tour's step).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageAction {
    /// Show the keyboard shortcuts.
    Help,
    /// Show the plots.
    Plots,
    /// Presenter mode on or off.
    Presenter,
    /// The space-time diagram open or closed.
    Diagram,
    /// Open the space-time diagram (a tour's step shows it).
    ShowDiagram,
    /// Close the space-time diagram.
    HideDiagram,
    /// Close the overlays.
    Close,
}

/// The page's own state around the run: which overlays are open, the space-time diagram,
/// presenter mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Page {
    /// The keyboard shortcuts are shown.
    pub help: bool,
    /// The plots are shown.
    pub plots: bool,
    /// The space-time diagram is open.
    pub diagram: bool,
    /// Presenter mode: text a room can read.
    pub presenter: bool,
}

impl Reducible for Page {
    type Action = PageAction;

    fn reduce(self: Rc<Self>, action: PageAction) -> Rc<Self> {
        let mut page = *self;
        match action {
            PageAction::Help => page.help = true,
            PageAction::Plots => page.plots = true,
            PageAction::Presenter => page.presenter = !page.presenter,
            PageAction::Diagram => page.diagram = !page.diagram,
            PageAction::ShowDiagram => page.diagram = true,
            PageAction::HideDiagram => page.diagram = false,
            PageAction::Close => {
                page.help = false;
                page.plots = false;
            }
        }
        Rc::new(page)
    }
}
