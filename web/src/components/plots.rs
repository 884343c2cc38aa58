//! The plots (plotters on canvases): notifications per leader failure against cluster size
//! for both recipes (measured by running the core), failover time per failure, the leader
//! timeline, and messages per second — axes labelled, sized for a projector, redrawn as the
//! run goes on.
//!
//! Imports from the page `components`, `model`; from the core `ids`, `picture`.

use crate::components::overlay::Overlay;
use crate::model::Sweep;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor;
use plotters_canvas::CanvasBackend;
use std::ops::Range;
use std::rc::Rc;
use yew::prelude::*;
use zooscope_core::ids::SimTime;
use zooscope_core::picture::{History, Reign};

/// The plots' canvases and what each shows, for screen readers.
const PLOTS: [(&str, &str); 4] = [
    (
        "plot-notifications",
        "Processes woken per leader failure, by cluster size, for the successor and herd recipes",
    ),
    (
        "plot-failovers",
        "Seconds without a leader after each failure",
    ),
    ("plot-leaders", "Leader timeline"),
    ("plot-messages", "Messages per second"),
];

const SUCCESSOR: RGBColor = RGBColor(11, 92, 173);
const HERD: RGBColor = RGBColor(176, 120, 0);
/// The family as a value, not its name: plotters lower-cases a name through Unicode's case
/// tables, which the page would then carry for this one word.
const FONT: (FontFamily, u32) = (FontFamily::SansSerif, 18);

/// Props of [`Plots`].
#[derive(Properties, PartialEq)]
pub struct PlotsProps {
    /// The run so far.
    pub history: Rc<History>,
    /// Processes woken per leader failure by cluster size, for the successor and the herd
    /// recipes.
    pub sweep: Rc<Sweep>,
    /// Closes the panel.
    pub on_close: Callback<()>,
}

type Chart<'a> = ChartContext<'a, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A whole number, or nothing between whole numbers (ticks of counted things).
fn whole(v: &f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        String::new()
    }
}

/// What a chart shows: its caption, its axes' ranges, names and tick labels.
struct Frame<'f> {
    caption: &'f str,
    x: Range<f64>,
    y: Range<f64>,
    x_desc: &'f str,
    y_desc: &'f str,
    x_ticks: &'f dyn Fn(&f64) -> String,
    y_ticks: &'f dyn Fn(&f64) -> String,
}

/// Why a plot could not be drawn, in words for the panel.
type Drawn = Result<usize, String>;

/// A drawing error in words (plotters' errors carry the backend's reason).
fn failed<E: std::fmt::Display>(what: &str) -> impl Fn(E) -> String + '_ {
    move |e| format!("{what}: {e}")
}

/// The canvas `id` as plotters' backend; an error if the page has no such canvas.
fn canvas(id: &str) -> Result<DrawingArea<CanvasBackend, Shift>, String> {
    CanvasBackend::new(id)
        .map(IntoDrawingArea::into_drawing_area)
        .ok_or_else(|| format!("no canvas #{id} on the page"))
}

/// A chart on `root` with its caption, labelled axes and grid.
fn chart<'a>(
    root: &'a DrawingArea<CanvasBackend, Shift>,
    frame: Frame<'_>,
) -> Result<Chart<'a>, String> {
    root.fill(&WHITE).map_err(failed("clearing the canvas"))?;
    let mut chart = ChartBuilder::on(root)
        .caption(frame.caption, FONT)
        .margin(12)
        .x_label_area_size(58)
        .y_label_area_size(78)
        .build_cartesian_2d(frame.x, frame.y)
        .map_err(failed("laying out the chart"))?;
    chart
        .configure_mesh()
        .x_desc(frame.x_desc)
        .y_desc(frame.y_desc)
        .x_label_formatter(frame.x_ticks)
        .y_label_formatter(frame.y_ticks)
        .label_style(FONT)
        .axis_desc_style(FONT)
        .draw()
        .map_err(failed("drawing the axes"))?;
    Ok(chart)
}

/// The key in the plot's upper left corner: a line in each series' colour and its name, on a
/// white box. Drawn here rather than by plotters' series labels, which build their default
/// font from a family name and so bring Unicode's case tables into the page (11 KB gzipped).
fn key(
    area: &DrawingArea<CanvasBackend, Shift>,
    entries: &[(&str, RGBColor)],
) -> Result<(), String> {
    const PAD: i32 = 10;
    const ROW: i32 = 28;
    const LINE: i32 = 24;
    let style = TextStyle::from(FONT.into_font()).pos(text_anchor::Pos::new(
        text_anchor::HPos::Left,
        text_anchor::VPos::Center,
    ));
    let mut text_width = 0;
    for (name, _) in entries {
        let (w, _) = area
            .estimate_text_size(name, &style)
            .map_err(failed("measuring the key"))?;
        text_width = text_width.max(i32::try_from(w).unwrap_or(i32::MAX / 2));
    }
    let rows = i32::try_from(entries.len()).unwrap_or(0);
    let corner = (PAD, PAD);
    let far = (
        corner.0 + 3 * PAD + LINE + text_width,
        corner.1 + 2 * PAD + rows * ROW - (ROW - LINE),
    );
    area.draw(&Rectangle::new([corner, far], WHITE.mix(0.8).filled()))
        .and_then(|()| area.draw(&Rectangle::new([corner, far], BLACK)))
        .map_err(failed("drawing the key"))?;
    for ((name, colour), row) in entries.iter().zip(0..) {
        let y = corner.1 + PAD + row * ROW + LINE / 2;
        let x = corner.0 + PAD;
        area.draw(&PathElement::new(
            vec![(x, y), (x + LINE, y)],
            colour.stroke_width(3),
        ))
        .and_then(|()| area.draw(&Text::new(*name, (x + LINE + PAD, y), style.clone())))
        .map_err(failed("drawing the key"))?;
    }
    Ok(())
}

/// A line in the middle of an empty chart saying why it is empty.
fn empty_note(root: &DrawingArea<CanvasBackend, Shift>, note: &str) -> Result<(), String> {
    let (w, h) = root.dim_in_pixel();
    let style = TextStyle::from(FONT.into_font())
        .color(&RGBColor(91, 97, 104))
        .pos(text_anchor::Pos::new(
            text_anchor::HPos::Center,
            text_anchor::VPos::Center,
        ));
    let x = i32::try_from(w / 2 + 30).unwrap_or(i32::MAX);
    let y = i32::try_from(h / 2).unwrap_or(i32::MAX);
    root.draw(&Text::new(note, (x, y), style))
        .map_err(failed("writing the note"))
}

fn notifications(id: &str, sweep: &Sweep) -> Drawn {
    let root = canvas(id)?;
    let y_max = sweep.1.iter().map(|p| p.1).fold(2.0, f64::max) * 1.1;
    let mut chart = chart(
        &root,
        Frame {
            caption: "Processes woken per leader failure",
            x: 0f64..42f64,
            y: 0f64..y_max,
            x_desc: "processes in the cluster",
            y_desc: "processes notified",
            x_ticks: &whole,
            y_ticks: &whole,
        },
    )?;
    let points = |s: &[(u32, f64)]| {
        s.iter()
            .map(|(n, v)| (f64::from(*n), *v))
            .collect::<Vec<_>>()
    };
    chart
        .draw_series(LineSeries::new(points(&sweep.0), SUCCESSOR.stroke_width(3)))
        .map_err(failed("drawing the series"))?;
    chart
        .draw_series(
            points(&sweep.0)
                .into_iter()
                .map(|p| Circle::new(p, 5, SUCCESSOR.filled())),
        )
        .map_err(failed("drawing the series"))?;
    chart
        .draw_series(LineSeries::new(points(&sweep.1), HERD.stroke_width(3)))
        .map_err(failed("drawing the series"))?;
    chart
        .draw_series(points(&sweep.1).into_iter().map(|(x, y)| {
            Rectangle::new(
                [(x - 0.5, y - y_max * 0.015), (x + 0.5, y + y_max * 0.015)],
                HERD.filled(),
            )
        }))
        .map_err(failed("drawing the series"))?;
    key(
        &chart.plotting_area().strip_coord_spec(),
        &[("successor (circles)", SUCCESSOR), ("herd (squares)", HERD)],
    )?;
    root.present().map_err(failed("showing the chart"))?;
    Ok(sweep.0.len() + sweep.1.len())
}

fn failover_times(id: &str, gaps: &[(SimTime, u64)]) -> Drawn {
    let root = canvas(id)?;
    let y_max = gaps.iter().map(|g| g.1 as f64 / 1000.0).fold(4.0, f64::max) * 1.15;
    let n = gaps.len().max(1) as f64;
    let mut chart = chart(
        &root,
        Frame {
            caption: "Failover time per leader failure",
            x: 0.5..n + 0.5,
            y: 0f64..y_max,
            x_desc: "failure (1st, 2nd, …)",
            y_desc: "seconds without a leader",
            x_ticks: &whole,
            y_ticks: &|v| format!("{v:.1}"),
        },
    )?;
    if gaps.is_empty() {
        empty_note(&root, "No leader has failed yet: kill the leader (k)")?;
    }
    chart
        .draw_series(gaps.iter().enumerate().map(|(i, (_, ms))| {
            let x = i as f64 + 1.0;
            Rectangle::new(
                [(x - 0.3, 0.0), (x + 0.3, *ms as f64 / 1000.0)],
                SUCCESSOR.filled(),
            )
        }))
        .map_err(failed("drawing the series"))?;
    root.present().map_err(failed("showing the chart"))?;
    Ok(gaps.len())
}

fn leader_timeline(id: &str, reigns: &[Reign], now: SimTime) -> Drawn {
    let root = canvas(id)?;
    let end = now.secs().max(1.0);
    let rows = f64::from(reigns.iter().map(|r| r.process.0).max().unwrap_or(1));
    let process = |v: &f64| {
        let n = whole(v);
        if n.is_empty() || *v < 1.0 {
            String::new()
        } else {
            format!("p{n}")
        }
    };
    let mut chart = chart(
        &root,
        Frame {
            caption: "Who led when (gaps: no leader)",
            x: 0f64..end,
            y: 0.5..rows + 0.5,
            x_desc: "seconds",
            y_desc: "leader",
            x_ticks: &whole,
            y_ticks: &process,
        },
    )?;
    if reigns.is_empty() {
        empty_note(&root, "No leader yet")?;
    }
    chart
        .draw_series(reigns.iter().map(|r| {
            let y = f64::from(r.process.0);
            let until = r.until.map_or(end, SimTime::secs);
            Rectangle::new([(r.from.secs(), y - 0.3), (until, y + 0.3)], HERD.filled())
        }))
        .map_err(failed("drawing the series"))?;
    root.present().map_err(failed("showing the chart"))?;
    Ok(reigns.len())
}

fn messages(id: &str, per_second: &[u64]) -> Drawn {
    let root = canvas(id)?;
    let y_max = per_second.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.15;
    let x_max = per_second.len().max(2) as f64;
    let mut chart = chart(
        &root,
        Frame {
            caption: "Messages per second",
            x: 0f64..x_max,
            y: 0f64..y_max,
            x_desc: "second of the run",
            y_desc: "messages sent",
            x_ticks: &whole,
            y_ticks: &whole,
        },
    )?;
    chart
        .draw_series(LineSeries::new(
            per_second
                .iter()
                .enumerate()
                .map(|(i, c)| (i as f64, *c as f64)),
            SUCCESSOR.stroke_width(2),
        ))
        .map_err(failed("drawing the series"))?;
    root.present().map_err(failed("showing the chart"))?;
    Ok(per_second.len())
}

/// The plots panel.
#[function_component(Plots)]
pub fn plots(props: &PlotsProps) -> Html {
    // What each plot drew (its number of points) or why it could not: shown on the canvas
    // (`data-points`) and, for a failure, in words under it.
    let drawn = use_state_eq(|| None::<[Drawn; 4]>);
    {
        let drawn = drawn.clone();
        use_effect_with(
            (props.history.clone(), props.sweep.clone()),
            move |(history, sweep)| {
                let History {
                    reigns,
                    messages_per_second,
                    now,
                } = &**history;
                let outcome = [
                    notifications(PLOTS[0].0, sweep),
                    failover_times(PLOTS[1].0, &history.failovers()),
                    leader_timeline(PLOTS[2].0, reigns, *now),
                    messages(PLOTS[3].0, messages_per_second),
                ];
                for error in outcome.iter().filter_map(|o| o.as_ref().err()) {
                    web_sys::console::error_1(&format!("Zooscope plots: {error}").into());
                }
                drawn.set(Some(outcome));
            },
        );
    }
    html! {
        <Overlay title="Plots" marker="data-plots" close_action="close-plots" class="plots"
                 on_close={props.on_close.clone()}>
            <div class="plot-grid">
                { for PLOTS.iter().enumerate().map(|(i, (id, label))| {
                    let outcome = drawn.as_ref().map(|d| &d[i]);
                    let points = outcome.and_then(|o| o.as_ref().ok()).map(ToString::to_string);
                    let error = outcome.and_then(|o| o.as_ref().err());
                    html! {
                        <figure class="plot">
                            <canvas id={*id} width="640" height="340" aria-label={*label}
                                    data-points={points} />
                            if let Some(error) = error {
                                <figcaption class="plot-error" role="alert" data-plot-error={*id}>
                                    { format!("This plot could not be drawn ({error}).") }
                                </figcaption>
                            }
                        </figure>
                    }
                }) }
            </div>
        </Overlay>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_plot_that_cannot_be_drawn_says_why() {
        assert_eq!(
            failover_times("no-such-canvas", &[]),
            Err("no canvas #no-such-canvas on the page".to_owned())
        );
    }
}
