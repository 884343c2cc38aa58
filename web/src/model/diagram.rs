//! What the space-time diagram panel shows: the viewer's choices — lifelines, families of
//! message, timers, collapsed pings, the span of time — and what is highlighted, turned into
//! the core's [`View`] of the moment the run is at. The diagram always ends at that moment, so
//! seeking the run scrolls it.
//!
//! Imports from the core `ids`, `picture`, `spacetime`.

use zooscope_core::ids::{Endpoint, SimTime};
use zooscope_core::picture::Picture;
use zooscope_core::spacetime::family::{kind_id, Family};
use zooscope_core::spacetime::{default_lifelines, Arrow, Diagram, Mark, View};

/// The spans of time the diagram zooms between, in ms: from a quarter second (one vote's
/// round trip) to a minute (several failovers).
pub const SPANS_MS: [u64; 8] = [250, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 60_000];

/// The span a diagram opens with: five seconds hold a failure from the kill to the successor.
const DEFAULT_ZOOM: usize = 4;

/// At most this many arrows are drawn, the newest: more are a grey wall, and a frame slow.
pub const MAX_ARROWS: usize = 600;

/// The arrows drawn of `diagram`: the newest [`MAX_ARROWS`].
pub fn drawn(diagram: &Diagram) -> &[Arrow] {
    let skip = diagram.arrows.len().saturating_sub(MAX_ARROWS);
    &diagram.arrows[skip..]
}

/// The viewer's choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lens {
    /// The lifelines chosen, in the order drawn; `None`: the servers, the resource and the
    /// processes the latest failure is about ([`default_lifelines`]), following the run.
    pub lifelines: Option<Vec<Endpoint>>,
    /// The families of message hidden.
    pub hidden: Vec<Family>,
    /// Whether timers are marked.
    pub timers: bool,
    /// Whether each run of pings on a link is one arrow.
    pub collapse_pings: bool,
    /// Which of [`SPANS_MS`] is shown.
    pub zoom: usize,
}

impl Default for Lens {
    /// Every family, pings collapsed (a steady cluster sends little else), no timers, five
    /// seconds.
    fn default() -> Lens {
        Lens {
            lifelines: None,
            hidden: Vec::new(),
            timers: false,
            collapse_pings: true,
            zoom: DEFAULT_ZOOM,
        }
    }
}

impl Lens {
    /// The span of time shown, in ms.
    pub fn span(&self) -> u64 {
        SPANS_MS[self.zoom.min(SPANS_MS.len() - 1)]
    }

    /// The same choices, `steps` spans longer (negative: shorter), within [`SPANS_MS`].
    pub fn zoomed(&self, steps: isize) -> Lens {
        let zoom = self
            .zoom
            .saturating_add_signed(steps)
            .min(SPANS_MS.len() - 1);
        Lens {
            zoom,
            ..self.clone()
        }
    }

    /// The same choices with `family` shown if it was hidden and hidden if it was shown.
    pub fn toggled(&self, family: Family) -> Lens {
        let mut hidden = self.hidden.clone();
        match hidden.iter().position(|&f| f == family) {
            Some(i) => {
                hidden.remove(i);
            }
            None => hidden.push(family),
        }
        Lens {
            hidden,
            ..self.clone()
        }
    }

    /// The lifelines drawn in `picture`: the chosen ones that still exist, or the defaults.
    pub fn lifelines(&self, picture: &Picture) -> Vec<Endpoint> {
        match &self.lifelines {
            Some(chosen) => chosen
                .iter()
                .copied()
                .filter(|&a| exists(picture, a))
                .collect(),
            None => default_lifelines(picture),
        }
    }

    /// The same choices with `actor`'s lifeline added (at the end) or, if it was drawn,
    /// removed.
    pub fn with_or_without(&self, picture: &Picture, actor: Endpoint) -> Lens {
        let mut lifelines = self.lifelines(picture);
        match lifelines.iter().position(|&a| a == actor) {
            Some(i) => {
                lifelines.remove(i);
            }
            None if exists(picture, actor) => lifelines.push(actor),
            None => {}
        }
        Lens {
            lifelines: Some(lifelines),
            ..self.clone()
        }
    }

    /// The core's view of the span that ends at `now`.
    pub fn view(&self, picture: &Picture, now: SimTime) -> View {
        View {
            lifelines: self.lifelines(picture),
            hidden: self.hidden.clone(),
            timers: self.timers,
            collapse_pings: self.collapse_pings,
            from: SimTime(now.ms().saturating_sub(self.span())),
            to: now,
        }
    }
}

/// Whether `picture` has an actor `actor`.
fn exists(picture: &Picture, actor: Endpoint) -> bool {
    match actor {
        Endpoint::Server(id) => picture.servers.iter().any(|s| s.id == id),
        Endpoint::Process(id) => picture.processes.iter().any(|p| p.id == id),
        Endpoint::Resource => picture.resource.is_some(),
    }
}

/// The actor of `picture` named `name` as the page writes it (`p3`, `zk1`, `resource`).
pub fn actor_named(picture: &Picture, name: &str) -> Option<Endpoint> {
    let name = name.trim();
    let servers = picture.servers.iter().map(|s| Endpoint::Server(s.id));
    let processes = picture.processes.iter().map(|p| Endpoint::Process(p.id));
    let resource = picture.resource.as_ref().map(|_| Endpoint::Resource);
    servers
        .chain(processes)
        .chain(resource)
        .find(|a| a.to_string() == name)
}

/// What the diagram highlights: the arrows and marks of one event of the log (its send or
/// arrival), or every arrow and mark of some kinds (a tour step's subject).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spot {
    /// The event at this trace position.
    Event(u64),
    /// Arrows and marks of these `data-kind`s sent (or made) from this moment on: what a
    /// tour's step is about, not an earlier message of the same kind arriving in its span.
    Kinds(&'static [&'static str], SimTime),
}

impl Spot {
    /// Whether `arrow` is highlighted.
    pub fn arrow(&self, arrow: &Arrow) -> bool {
        match self {
            Spot::Event(seq) => arrow.seq == *seq || arrow.arrival_seq == Some(*seq),
            Spot::Kinds(kinds, from) => arrow.sent >= *from && kinds.contains(&kind_id(arrow.kind)),
        }
    }

    /// Whether `mark` is highlighted.
    pub fn mark(&self, mark: &Mark) -> bool {
        match self {
            Spot::Event(seq) => mark.seq == *seq,
            Spot::Kinds(kinds, from) => mark.at >= *from && kinds.contains(&mark.kind.id()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{default_config, Run};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;
    use zooscope_core::ids::{ProcessId, ServerId};
    use zooscope_core::picture::EventFilter;

    fn picture() -> Picture {
        let mut run = Run::new(default_config());
        run.run_until(3_000, |_| false);
        run.picture(&EventFilter::default())
    }

    #[test]
    fn the_span_ends_now_and_zoom_stays_within_its_steps() {
        let lens = Lens::default();
        let view = lens.view(&picture(), SimTime(7_000));
        assert_eq!((view.from, view.to), (SimTime(2_000), SimTime(7_000)));
        assert_eq!(lens.view(&picture(), SimTime(1_000)).from, SimTime(0));
        assert_eq!(lens.zoomed(100).span(), 60_000);
        assert_eq!(lens.zoomed(-100).span(), 250);
        assert_eq!(lens.zoomed(-1).span(), 2_000);
    }

    #[test]
    fn families_toggle_and_lifelines_come_and_go() {
        let picture = picture();
        let lens = Lens::default().toggled(Family::Ping);
        assert_eq!(lens.hidden, vec![Family::Ping]);
        assert!(lens.toggled(Family::Ping).hidden.is_empty());
        // Five processes: the three servers, all of them and the resource by default.
        let all = Lens::default().lifelines(&picture);
        assert_eq!(all.len(), 9, "{all:?}");
        let p3 = Endpoint::Process(ProcessId(3));
        let without = Lens::default().with_or_without(&picture, p3);
        assert_eq!(without.lifelines(&picture).len(), 8);
        let back = without.with_or_without(&picture, p3);
        assert_eq!(back.lifelines(&picture).last(), Some(&p3));
        // An actor the run does not have is not added.
        let ghost = Endpoint::Server(ServerId(9));
        assert_eq!(without.with_or_without(&picture, ghost), without);
    }

    #[test]
    fn actors_are_found_by_the_names_the_page_writes() {
        let picture = picture();
        assert_eq!(
            actor_named(&picture, " zk2 "),
            Some(Endpoint::Server(ServerId(2)))
        );
        assert_eq!(
            actor_named(&picture, "p5"),
            Some(Endpoint::Process(ProcessId(5)))
        );
        assert_eq!(actor_named(&picture, "p99"), None);
        assert_eq!(actor_named(&picture, ""), None);
    }
}
