//! The plots (plotters on canvases): notifications per leader failure against cluster size
//! for both recipes (measured by running the core), failover time per failure, the leader
//! timeline, and messages per second — axes labelled, sized for a projector, redrawn as the
//! run goes on.

use crate::state::RunHandle;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use yew::prelude::*;
use zooscope_core::metrics::{self, Reign};
use zooscope_core::recipe::RecipeKind;

/// Cluster sizes the notification plot measures.
const SIZES: [u32; 5] = [3, 5, 10, 20, 40];
const SUCCESSOR: RGBColor = RGBColor(11, 92, 173);
const HERD: RGBColor = RGBColor(176, 120, 0);
const FONT: (&str, u32) = ("sans-serif", 18);

/// Props of [`Plots`].
#[derive(Properties, PartialEq)]
pub struct PlotsProps {
    /// The run.
    pub run: RunHandle,
    /// Closes the panel.
    pub on_close: Callback<()>,
}

type Sweep = (Vec<(u32, f64)>, Vec<(u32, f64)>);

fn notifications(canvas: &str, sweep: &Sweep) -> Option<()> {
    let root = CanvasBackend::new(canvas)?.into_drawing_area();
    root.fill(&WHITE).ok()?;
    let y_max = sweep.1.iter().map(|p| p.1).fold(2.0, f64::max) * 1.1;
    let mut chart = ChartBuilder::on(&root)
        .caption("Processes woken per leader failure", FONT)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0f64..42f64, 0f64..y_max)
        .ok()?;
    chart
        .configure_mesh()
        .x_desc("processes in the cluster")
        .y_desc("notified")
        .label_style(FONT)
        .draw()
        .ok()?;
    let points = |s: &[(u32, f64)]| {
        s.iter()
            .map(|(n, v)| (f64::from(*n), *v))
            .collect::<Vec<_>>()
    };
    chart
        .draw_series(LineSeries::new(points(&sweep.0), SUCCESSOR.stroke_width(3)))
        .ok()?
        .label("successor (circles)")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], SUCCESSOR.stroke_width(3)));
    chart
        .draw_series(
            points(&sweep.0)
                .into_iter()
                .map(|p| Circle::new(p, 5, SUCCESSOR.filled())),
        )
        .ok()?;
    chart
        .draw_series(LineSeries::new(points(&sweep.1), HERD.stroke_width(3)))
        .ok()?
        .label("herd (squares)")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], HERD.stroke_width(3)));
    chart
        .draw_series(points(&sweep.1).into_iter().map(|(x, y)| {
            Rectangle::new(
                [(x - 0.5, y - y_max * 0.015), (x + 0.5, y + y_max * 0.015)],
                HERD.filled(),
            )
        }))
        .ok()?;
    chart
        .configure_series_labels()
        .label_font(FONT)
        .border_style(BLACK)
        .background_style(WHITE.mix(0.8))
        .draw()
        .ok()?;
    root.present().ok()
}

fn failover_times(canvas: &str, gaps: &[(u64, u64)]) -> Option<()> {
    let root = CanvasBackend::new(canvas)?.into_drawing_area();
    root.fill(&WHITE).ok()?;
    let y_max = gaps.iter().map(|g| g.1 as f64 / 1000.0).fold(4.0, f64::max) * 1.15;
    let n = gaps.len().max(1);
    let mut chart = ChartBuilder::on(&root)
        .caption("Failover time per leader failure", FONT)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0f64..n as f64 + 1.0, 0f64..y_max)
        .ok()?;
    chart
        .configure_mesh()
        .x_desc("failure")
        .y_desc("seconds without a leader")
        .label_style(FONT)
        .draw()
        .ok()?;
    chart
        .draw_series(gaps.iter().enumerate().map(|(i, (_, ms))| {
            let x = i as f64 + 1.0;
            Rectangle::new(
                [(x - 0.3, 0.0), (x + 0.3, *ms as f64 / 1000.0)],
                SUCCESSOR.filled(),
            )
        }))
        .ok()?;
    root.present().ok()
}

fn leader_timeline(canvas: &str, reigns: &[Reign], now: u64) -> Option<()> {
    let root = CanvasBackend::new(canvas)?.into_drawing_area();
    root.fill(&WHITE).ok()?;
    let end = (now as f64 / 1000.0).max(1.0);
    let rows = reigns.iter().map(|r| r.process.0).max().unwrap_or(1) as f64 + 1.0;
    let mut chart = ChartBuilder::on(&root)
        .caption("Who led when (gaps: no leader)", FONT)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0f64..end, 0f64..rows)
        .ok()?;
    chart
        .configure_mesh()
        .x_desc("seconds")
        .y_desc("process")
        .label_style(FONT)
        .draw()
        .ok()?;
    chart
        .draw_series(reigns.iter().map(|r| {
            let y = f64::from(r.process.0);
            let until = r.until.map_or(end, |u| u as f64 / 1000.0);
            Rectangle::new(
                [(r.from as f64 / 1000.0, y - 0.3), (until, y + 0.3)],
                HERD.filled(),
            )
        }))
        .ok()?;
    root.present().ok()
}

fn messages(canvas: &str, per_second: &[u64]) -> Option<()> {
    let root = CanvasBackend::new(canvas)?.into_drawing_area();
    root.fill(&WHITE).ok()?;
    let y_max = per_second.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.15;
    let x_max = per_second.len().max(2) as f64;
    let mut chart = ChartBuilder::on(&root)
        .caption("Messages per second", FONT)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0f64..x_max, 0f64..y_max)
        .ok()?;
    chart
        .configure_mesh()
        .x_desc("second")
        .y_desc("messages")
        .label_style(FONT)
        .draw()
        .ok()?;
    chart
        .draw_series(LineSeries::new(
            per_second
                .iter()
                .enumerate()
                .map(|(i, c)| (i as f64, *c as f64)),
            SUCCESSOR.stroke_width(2),
        ))
        .ok()?;
    root.present().ok()
}

/// The plots panel.
#[function_component(Plots)]
pub fn plots(props: &PlotsProps) -> Html {
    // Measured once per panel: a few small clusters of each recipe, the leader killed twice.
    let sweep = use_memo((), |_| {
        (
            metrics::notifications_by_size(RecipeKind::Successor, &SIZES, 2),
            metrics::notifications_by_size(RecipeKind::Herd, &SIZES, 2),
        )
    });
    // Redrawn twice a simulated second.
    let tick = props.run.with(|r| r.sim().now() / 500);
    {
        let run = props.run.clone();
        let sweep = sweep.clone();
        use_effect_with(tick, move |_| {
            let (reigns, per_second, now) = run.with(|r| {
                let trace = r.sim().trace();
                (
                    metrics::leader_timeline(trace),
                    metrics::messages_per_second(trace),
                    r.sim().now(),
                )
            });
            let _ = notifications("plot-notifications", &sweep);
            let _ = failover_times("plot-failovers", &metrics::failovers(&reigns));
            let _ = leader_timeline("plot-leaders", &reigns, now);
            let _ = messages("plot-messages", &per_second);
        });
    }
    let close = {
        let cb = props.on_close.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="plots-title" data-plots="">
            <div class="overlay-box plots">
                <div class="panel-head">
                    <h2 id="plots-title">{ "Plots" }</h2>
                    <button type="button" data-action="close-plots" onclick={close}>{ "close" }</button>
                </div>
                <div class="plot-grid">
                    <canvas id="plot-notifications" width="640" height="340"
                            aria-label="Processes woken per leader failure, by cluster size, for the successor and herd recipes" />
                    <canvas id="plot-failovers" width="640" height="340"
                            aria-label="Seconds without a leader after each failure" />
                    <canvas id="plot-leaders" width="640" height="340"
                            aria-label="Leader timeline" />
                    <canvas id="plot-messages" width="640" height="340"
                            aria-label="Messages per second" />
                </div>
            </div>
        </div>
    }
}
