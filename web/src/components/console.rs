//! The zkCli console: the core's shell, bound to a session of the simulated cluster — the
//! user's own client, or any process's. History on the arrow keys, completion on Tab; its
//! writes show in the view at once.

use crate::console::{self, SimConsole, HOST};
use crate::state::{Action, RunHandle};
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;
use zooscope_core::ids::ProcessId;
use zooscope_core::recipe::RecipeKind;
use zooscope_core::zkcli::Shell;

/// How much output the console keeps.
const KEEP_CHARS: usize = 20_000;

/// Props of [`Console`].
#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    /// The run.
    pub run: RunHandle,
    /// Where actions go.
    pub dispatch: Callback<Action>,
}

/// Whose session the console speaks through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Binding {
    Own,
    Process(ProcessId),
}

/// The console.
#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    let shell = use_mut_ref(|| None::<Shell<SimConsole>>);
    let output = use_state(String::new);
    let input = use_state(String::new);
    let binding = use_state(|| Binding::Own);
    let history = use_mut_ref(Vec::<String>::new);
    let cursor = use_mut_ref(|| 0usize);

    let run_cell: Rc<RefCell<crate::model::Run>> = props.run.shared();
    // Keep the newest output in sight.
    let output_ref = use_node_ref();
    {
        let output_ref = output_ref.clone();
        use_effect_with((*output).len(), move |_| {
            if let Some(el) = output_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let wall = props.run.with(|r| r.sim().wall());

    // A new run (reset, a link, a tour's step) has none of the old sessions: start over with
    // its own transcript (a tour's), or say that the next command opens a new session.
    {
        let (shell, output, binding) = (shell.clone(), output.clone(), binding.clone());
        let transcript = props.run.transcript();
        use_effect_with(props.run.epoch(), move |epoch| {
            let had_session = shell.borrow_mut().take().is_some();
            binding.set(Binding::Own);
            if !transcript.is_empty() {
                output.set(transcript.to_string());
            } else if *epoch > 0 && (had_session || !output.is_empty()) {
                let mut out = (*output).clone();
                out.push_str("--- a new run: the next command opens a new session ---\n");
                output.set(out);
            }
        });
    }

    let on_input = {
        let input = input.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(el) = e.target_dyn_into::<HtmlInputElement>() {
                input.set(el.value());
            }
        })
    };

    let on_keydown = {
        let (shell, output, input, binding, history, cursor) = (
            shell.clone(),
            output.clone(),
            input.clone(),
            binding.clone(),
            history.clone(),
            cursor.clone(),
        );
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            let line = (*input).clone();
            let mut shell = shell.borrow_mut();
            // What this key prints, added to the output once at the end.
            let mut printed = String::new();
            // The shell connects when first used, as zkCli connects when it starts.
            let connect = || {
                let backend = match *binding {
                    Binding::Own => SimConsole::own(run_cell.clone()),
                    Binding::Process(p) => SimConsole::as_process(run_cell.clone(), p),
                };
                Shell::new(HOST, backend, wall)
            };
            // A shell whose session does not exist at this moment of the run (time went back,
            // the process restarted) is replaced by one that connects afresh. A shell the user
            // closed stays closed, as zkCli's does.
            let gone = shell.as_ref().is_some_and(|sh| {
                sh.session()
                    .is_some_and(|session| !sh.backend().holds(session))
            });
            if gone && matches!(e.key().as_str(), "Enter" | "Tab") {
                *shell = None;
                printed.push_str(
                    "--- the console's session does not exist at this moment: a new one opens ---\n",
                );
            }
            match e.key().as_str() {
                "Enter" => {
                    e.prevent_default();
                    let sh = shell.get_or_insert_with(connect);
                    let text = console::enter(sh, &line, wall);
                    if sh.exit_status().is_some() {
                        *shell = None;
                    }
                    printed.push_str(&text);
                    if !line.trim().is_empty() {
                        history.borrow_mut().push(line);
                    }
                    *cursor.borrow_mut() = history.borrow().len();
                    input.set(String::new());
                    dispatch.emit(Action::Refresh);
                }
                "ArrowUp" | "ArrowDown" => {
                    e.prevent_default();
                    let h = history.borrow();
                    let mut c = cursor.borrow_mut();
                    if e.key() == "ArrowUp" {
                        *c = c.saturating_sub(1);
                    } else {
                        *c = (*c + 1).min(h.len());
                    }
                    input.set(h.get(*c).cloned().unwrap_or_default());
                }
                "Tab" => {
                    e.prevent_default();
                    let sh = shell.get_or_insert_with(connect);
                    let completion = sh.complete(&line, line.len());
                    dispatch.emit(Action::Refresh);
                    match completion.candidates.as_slice() {
                        [] => {}
                        [one] => input.set(format!("{}{one} ", &line[..completion.start])),
                        many => {
                            let common = common_prefix(many);
                            printed.push_str(&format!("{}\n", many.join("  ")));
                            input.set(format!("{}{common}", &line[..completion.start]));
                        }
                    }
                }
                _ => {}
            }
            if !printed.is_empty() {
                let mut out = (*output).clone();
                out.push_str(&printed);
                if out.len() > KEEP_CHARS {
                    let cut = out.len() - KEEP_CHARS;
                    let cut = (cut..out.len())
                        .find(|i| out.is_char_boundary(*i))
                        .unwrap_or(0);
                    out.drain(..cut);
                }
                output.set(out);
            }
        })
    };

    let on_binding = {
        let (binding, shell, output) = (binding.clone(), shell.clone(), output.clone());
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                let value = select.value();
                let next = value
                    .strip_prefix('p')
                    .and_then(|n| n.parse::<u32>().ok())
                    .map_or(Binding::Own, |n| Binding::Process(ProcessId(n)));
                binding.set(next);
                *shell.borrow_mut() = None;
                let mut out = (*output).clone();
                let whose = match next {
                    Binding::Own => "the console's own session".to_owned(),
                    Binding::Process(p) => format!("{p}'s session"),
                };
                out.push_str(&format!("--- now speaking through {whose} ---\n"));
                output.set(out);
            }
        })
    };

    let processes: Vec<ProcessId> = props.run.with(|r| {
        r.sim()
            .processes()
            .filter(|p| p.recipe().kind() != RecipeKind::Console)
            .map(|p| p.id())
            .collect()
    });
    let prompt = shell
        .borrow()
        .as_ref()
        .map_or_else(|| format!("[zk: {HOST}(CONNECTING) 0] "), Shell::prompt);
    html! {
        <section class="panel console" aria-labelledby="console-title">
            <div class="panel-head">
                <h2 id="console-title">{ "zkCli" }</h2>
                <select data-control="console-session" onchange={on_binding}
                        aria-label="Whose session the console uses">
                    <option value="own" selected={*binding == Binding::Own}>{ "own session" }</option>
                    { for processes.iter().map(|p| html! {
                        <option value={p.to_string()} selected={*binding == Binding::Process(*p)}>
                            { format!("as {p}") }
                        </option>
                    }) }
                </select>
            </div>
            if output.is_empty() {
                <p class="console-hint">
                    { "Type a zkCli command and press Enter — try " }<code>{ "ls /election" }</code>
                    { ", " }<code>{ "get -s /election" }</code>{ " or " }<code>{ "help" }</code>
                    { ". The console opens its own session on the first command, or speaks through a process's." }
                </p>
            }
            <pre class="console-output" data-console-output="" aria-live="polite" ref={output_ref}>{ (*output).clone() }</pre>
            <label class="console-line">
                <span class="prompt">{ prompt }</span>
                <input type="text" data-control="console" value={(*input).clone()}
                       oninput={on_input} onkeydown={on_keydown} spellcheck="false"
                       autocomplete="off" placeholder="ls /election" aria-label="zkCli command (Enter runs it, ↑↓ history, Tab completes)" />
            </label>
        </section>
    }
}

/// The longest prefix all candidates share.
fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut end = first.len();
    for w in &words[1..] {
        end = end.min(
            first
                .char_indices()
                .zip(w.chars())
                .find(|((_, a), b)| a != b)
                .map_or(end.min(w.len()), |((i, _), _)| i),
        );
    }
    first[..end].to_owned()
}
