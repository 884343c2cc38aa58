//! The timeline under the picture: drag to any moment of the run so far and the whole view
//! shows the cluster then.
//!
//! Imports from the page `model`, `state`; from the core `ids`.

use crate::model::Playback;
use crate::state::Action;
use web_sys::HtmlInputElement;
use yew::prelude::*;
use zooscope_core::ids::SimTime;

/// Props of [`Timeline`].
#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// How the run is being played.
    pub playback: Playback,
    /// Where actions go.
    pub dispatch: Callback<Action>,
}

/// The timeline.
#[function_component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let on_input = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                if let Ok(t) = input.value().parse::<u64>() {
                    dispatch.emit(Action::Seek(SimTime(t)));
                }
            }
        })
    };
    let on_cancel = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::CancelSeek))
    };
    let Playback {
        now,
        horizon,
        seeking,
        ..
    } = props.playback;
    // A far seek goes on frame by frame: where it is, and a way to stop it.
    let progress = seeking.map(|(at, to)| {
        html! {
            <>
                <label data-seeking={to.ms().to_string()}>
                    { format!("Replaying to {:.0} s… ", to.secs()) }
                    <progress max={to.ms().max(1).to_string()} value={at.ms().to_string()} />
                </label>
                <button type="button" data-action="cancel-seek" onclick={on_cancel.clone()}>
                    { "stop here" }
                </button>
            </>
        }
    });
    html! {
        <div class="timeline">
            <span class="time" data-time={now.ms().to_string()}>{ now.to_string() }</span>
            <input type="range" data-control="timeline" min="0" max={horizon.ms().max(1).to_string()}
                   step="1" value={seeking.map_or(now, |(_, to)| to).ms().to_string()} oninput={on_input}
                   aria-label="Time: drag to any moment of the run" />
            <span class="time">{ horizon.to_string() }</span>
            // Always there (so the slider beside it is never re-created mid-drag).
            <div class="seeking" role="status">{ for progress }</div>
        </div>
    }
}
