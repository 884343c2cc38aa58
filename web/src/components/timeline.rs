//! The timeline under the picture: drag to any moment of the run so far and the whole view
//! shows the cluster then.

use crate::state::{Action, RunHandle};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`Timeline`].
#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// The run.
    pub run: RunHandle,
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
                    dispatch.emit(Action::Seek(t));
                }
            }
        })
    };
    props.run.with(|run| {
        let (now, horizon) = (run.sim().now(), run.horizon());
        html! {
            <div class="timeline">
                <span class="time" data-time={now.to_string()}>{ format!("{:.3} s", now as f64 / 1000.0) }</span>
                <input type="range" data-control="timeline" min="0" max={horizon.max(1).to_string()}
                       step="1" value={now.to_string()} oninput={on_input}
                       aria-label="Time: drag to any moment of the run" />
                <span class="time">{ format!("{:.3} s", horizon as f64 / 1000.0) }</span>
            </div>
        }
    })
}
