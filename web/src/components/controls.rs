//! The control bar: play, pause, step, step back, reset, speed, seed, recipe, sizes — each a
//! button (with `data-action`) and a keyboard shortcut listed in the help overlay.
//!
//! Imports from the page `model`, `state`; from the core `recipe`.

use crate::model::Playback;
use crate::state::Action;
use web_sys::HtmlInputElement;
use web_sys::HtmlSelectElement;
use yew::prelude::*;
use zooscope_core::recipe::RecipeKind;
use zooscope_core::sim::recording::MAX_PROCESSES;

/// Props of [`Controls`].
#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    /// How the run is being played.
    pub playback: Playback,
    /// The recipe the processes run.
    pub recipe: Option<RecipeKind>,
    /// How many processes there are.
    pub processes: usize,
    /// Where actions go.
    pub dispatch: Callback<Action>,
    /// Opens the help overlay.
    pub on_help: Callback<()>,
    /// How long the pause buttons pause a process, in seconds.
    pub pause_seconds: u32,
    /// Changes it.
    pub on_pause_seconds: Callback<u32>,
    /// The picture is a live ensemble's: the simulation's settings do not apply.
    #[prop_or_default]
    pub live: bool,
}

/// The control bar.
#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    let act = |action: Action| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(action.clone()))
    };
    let on_speed = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                // The slider is logarithmic: -1 … 1 is 0.1× … 10×.
                let v = input.value_as_number();
                if v.is_finite() {
                    dispatch.emit(Action::Speed(10f64.powf(v)));
                }
            }
        })
    };
    let on_seed = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                if let Ok(seed) = input.value().trim().parse::<u64>() {
                    dispatch.emit(Action::Seed(seed));
                }
            }
        })
    };
    let on_recipe = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                let recipe = if select.value() == "herd" {
                    RecipeKind::Herd
                } else {
                    RecipeKind::Successor
                };
                dispatch.emit(Action::Recipe(recipe));
            }
        })
    };
    let on_servers = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                if let Ok(n) = select.value().parse::<u8>() {
                    dispatch.emit(Action::Servers(n));
                }
            }
        })
    };
    let on_processes = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                if let Ok(n) = input.value().trim().parse::<u32>() {
                    dispatch.emit(Action::Processes(n.clamp(1, MAX_PROCESSES)));
                }
            }
        })
    };
    let on_pause_seconds = {
        let cb = props.on_pause_seconds.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                if let Ok(s) = input.value().trim().parse::<u32>() {
                    cb.emit(s.clamp(1, 60));
                }
            }
        })
    };
    let on_help = {
        let cb = props.on_help.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let Playback {
        playing,
        speed,
        seed,
        servers,
        ..
    } = props.playback;
    let (recipe, processes) = (props.recipe, props.processes);
    // Live, the clock is the real one: the view follows it, or stays on a moment seen.
    let clock = if props.live {
        html! {
            if playing {
                <button type="button" data-action="pause-sim" onclick={act(Action::Pause)}
                        title="Stay on this moment (space); the real cluster goes on">{ "❚❚ hold view" }</button>
            } else {
                <button type="button" data-action="play" onclick={act(Action::Play)}
                        title="Follow the real cluster again (space)">{ "▶ follow live" }</button>
            }
        }
    } else {
        html! {
            <>
                if playing {
                    <button type="button" data-action="pause-sim" onclick={act(Action::Pause)}
                            title="Pause the simulation (space)">{ "❚❚ pause" }</button>
                } else {
                    <button type="button" data-action="play" onclick={act(Action::Play)}
                            title="Play (space)">{ "▶ play" }</button>
                }
                <button type="button" data-action="step-back" onclick={act(Action::StepBack)}
                        title="One event back (←)">{ "◀ back" }</button>
                <button type="button" data-action="step" onclick={act(Action::Step)}
                        title="Next event (→)">{ "step ▶" }</button>
                <button type="button" data-action="reset" onclick={act(Action::Reset)}
                        title="Start over (r)">{ "↺ reset" }</button>
                <label class="control">
                    { format!("speed {speed:.1}×") }
                    <input type="range" data-control="speed" min="-1" max="1" step="0.05"
                           value={speed.log10().to_string()} oninput={on_speed}
                           aria-label="Playback speed, 0.1× to 10× (- and +)" />
                </label>
                <label class="control">
                    { "seed " }
                    <input type="number" data-control="seed" min="0" value={seed.to_string()}
                           onchange={on_seed} aria-label="Seed" />
                </label>
                <label class="control">
                    { "recipe " }
                    <select data-control="recipe" onchange={on_recipe} aria-label="Election recipe (h)">
                        <option value="successor" selected={recipe == Some(RecipeKind::Successor)}>{ "successor" }</option>
                        <option value="herd" selected={recipe == Some(RecipeKind::Herd)}>{ "herd" }</option>
                    </select>
                </label>
                <label class="control">
                    { "servers " }
                    <select data-control="servers" onchange={on_servers} aria-label="Servers in the ensemble">
                        { for [1u8, 3, 5, 7].iter().map(|n| html! {
                            <option value={n.to_string()} selected={*n == servers}>{ n.to_string() }</option>
                        }) }
                    </select>
                </label>
            </>
        }
    };
    html! {
        <nav class="controls" aria-label="Simulation controls">
            { clock }
            <span class="control">
                if props.live {
                    { format!("{processes} processes ") }
                } else {
                    <label>
                        { "processes " }
                        <input type="number" data-control="processes" min="1"
                               max={MAX_PROCESSES.to_string()} value={processes.to_string()}
                               onchange={on_processes}
                               aria-label={format!("Processes: start over with this many (1 to {MAX_PROCESSES})")} />
                    </label>
                }
                <button type="button" data-action="add-process" onclick={act(Action::AddProcess)}
                        title="Add a process (a)">{ "+" }</button>
                <button type="button" data-action="remove-process" onclick={act(Action::RemoveProcess)}
                        title="Remove the newest process (d)">{ "−" }</button>
            </span>
            <label class="control">
                { "pause for " }
                <input type="number" data-control="pause-seconds" min="1" max="60"
                       value={props.pause_seconds.to_string()} onchange={on_pause_seconds}
                       aria-label="How long the pause buttons pause a process, in seconds" />
                { " s" }
            </label>
            <button type="button" data-action="help" onclick={on_help} title="Keyboard shortcuts (?)">{ "?" }</button>
        </nav>
    }
}
