//! The zkCli console: the core's shell, bound to a session of the simulated cluster — the
//! user's own client, or any process's. History on the arrow keys, completion on Tab; its
//! writes show in the view at once.
//!
//! Imports from the page `model`, `state`; from the core `ids`, `picture`, `zkcli`.

use crate::model::console::Binding;
use crate::state::Action;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;
use zooscope_core::ids::ProcessId;
use zooscope_core::picture::{Picture, ProcessKind};
use zooscope_core::zkcli::complete::complete;

/// Props of [`Console`].
#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    /// What the console has printed.
    pub output: Rc<str>,
    /// The prompt before the next line.
    pub prompt: AttrValue,
    /// Whose session it speaks through.
    pub binding: Binding,
    /// The picture: the processes it may speak as, the tree Tab completes from.
    pub picture: Rc<Picture>,
    /// Where actions go.
    pub dispatch: Callback<Action>,
    /// Whether it may speak through a process's session (not on a live page: the real
    /// processes' sessions are theirs).
    #[prop_or(true)]
    pub bindable: bool,
}

/// The console.
#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    let input = use_state(String::new);
    // What Tab listed, until the next key: completion is the line editor's, not zkCli's.
    let listed = use_state(String::new);
    let history = use_mut_ref(LineHistory::default);

    // Keep the newest output in sight.
    let output_ref = use_node_ref();
    {
        let output_ref = output_ref.clone();
        use_effect_with((props.output.len(), listed.len()), move |_| {
            if let Some(el) = output_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
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
        let (input, listed, history) = (input.clone(), listed.clone(), history.clone());
        let dispatch = props.dispatch.clone();
        let picture = props.picture.clone();
        Callback::from(move |e: KeyboardEvent| {
            let line = (*input).clone();
            match e.key().as_str() {
                "Enter" => {
                    e.prevent_default();
                    listed.set(String::new());
                    dispatch.emit(Action::ConsoleLine(line.clone()));
                    history.borrow_mut().push(line);
                    input.set(String::new());
                }
                "ArrowUp" => {
                    e.prevent_default();
                    input.set(history.borrow_mut().back());
                }
                "ArrowDown" => {
                    e.prevent_default();
                    input.set(history.borrow_mut().forward());
                }
                "Tab" => {
                    e.prevent_default();
                    let (completed, list) = complete_line(&picture, &line);
                    input.set(completed);
                    if let Some(list) = list {
                        listed.set(list);
                    }
                }
                _ => {}
            }
        })
    };

    let on_binding = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                let value = select.value();
                let binding = value
                    .strip_prefix('p')
                    .and_then(|n| n.parse::<u32>().ok())
                    .map_or(Binding::Own, |n| Binding::Process(ProcessId(n)));
                dispatch.emit(Action::ConsoleBind(binding));
            }
        })
    };

    let processes: Vec<ProcessId> = props
        .picture
        .processes
        .iter()
        .filter(|p| p.kind == ProcessKind::Candidate)
        .map(|p| p.id)
        .collect();
    let binding = props.binding;
    let empty = props.output.is_empty() && listed.is_empty();
    html! {
        <section class="panel console" aria-labelledby="console-title">
            <div class="panel-head">
                <h2 id="console-title">{ "zkCli" }</h2>
                if props.bindable {
                    <select data-control="console-session" onchange={on_binding}
                            aria-label="Whose session the console uses">
                        <option value="own" selected={binding == Binding::Own}>{ "own session" }</option>
                        { for processes.iter().map(|p| html! {
                            <option value={p.to_string()} selected={binding == Binding::Process(*p)}>
                                { format!("as {p}") }
                            </option>
                        }) }
                    </select>
                }
            </div>
            if empty {
                <p class="console-hint">
                    { "Type a zkCli command and press Enter — try " }<code>{ "ls /election" }</code>
                    { ", " }<code>{ "get -s /election" }</code>{ " or " }<code>{ "help" }</code>
                    if props.bindable {
                        { ". The console opens its own session on the first command, or speaks through a process's." }
                    } else {
                        { ". The real ensemble answers: the console opens its own session on the first command." }
                    }
                </p>
            }
            <pre class="console-output" data-console-output="" aria-live="polite" ref={output_ref}>
                { props.output.to_string() }{ (*listed).clone() }
            </pre>
            <label class="console-line">
                <span class="prompt">{ props.prompt.clone() }</span>
                <input type="text" data-control="console" value={(*input).clone()}
                       oninput={on_input} onkeydown={on_keydown} spellcheck="false"
                       autocomplete="off" placeholder="ls /election" aria-label="zkCli command (Enter runs it, ↑↓ history, Tab completes)" />
            </label>
        </section>
    }
}

/// The lines typed so far, for the arrow keys, as a terminal's line editor keeps them.
#[derive(Debug, Default)]
struct LineHistory {
    lines: Vec<String>,
    /// Where the arrows are: `lines.len()` is the new, empty line.
    cursor: usize,
}

impl LineHistory {
    /// Remembers a line typed (blank lines are not worth recalling).
    fn push(&mut self, line: String) {
        if !line.trim().is_empty() {
            self.lines.push(line);
        }
        self.cursor = self.lines.len();
    }

    /// The line before (↑).
    fn back(&mut self) -> String {
        self.cursor = self.cursor.saturating_sub(1);
        self.lines.get(self.cursor).cloned().unwrap_or_default()
    }

    /// The line after (↓); past the last one, an empty line.
    fn forward(&mut self) -> String {
        self.cursor = (self.cursor + 1).min(self.lines.len());
        self.lines.get(self.cursor).cloned().unwrap_or_default()
    }
}

/// Tab on `line`: the line completed as far as it is unambiguous (a command's name, or a path
/// of the picture's tree), and, when several completions remain, their list.
fn complete_line(picture: &Picture, line: &str) -> (String, Option<String>) {
    let children = |path: &str| picture.tree.get(path).map(|n| n.children.clone());
    let completion = complete(children, line, line.len());
    let before = line.get(..completion.start).unwrap_or(line);
    match completion.candidates.as_slice() {
        [] => (line.to_owned(), None),
        [one] => (format!("{before}{one} "), None),
        many => (
            format!("{before}{}", common_prefix(many)),
            Some(format!("{}\n", many.join("  "))),
        ),
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

#[cfg(test)]
mod tests {
    use super::*;
    // Plain logic: tested natively by `cargo test`, and in the browser by the browser tests.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_arrows_walk_the_lines_typed_and_come_back_to_an_empty_one() {
        let mut history = LineHistory::default();
        history.push("ls /".into());
        history.push("   ".into());
        history.push("get /election".into());
        assert_eq!(history.back(), "get /election");
        assert_eq!(history.back(), "ls /");
        assert_eq!(history.back(), "ls /", "the first line stays");
        assert_eq!(history.forward(), "get /election");
        assert_eq!(history.forward(), "");
        assert_eq!(history.forward(), "");
    }

    #[test]
    fn several_completions_share_their_common_prefix() {
        let words = ["/election/c_01".to_owned(), "/election/c_02".to_owned()];
        assert_eq!(common_prefix(&words), "/election/c_0");
        assert_eq!(common_prefix(&[]), "");
    }
}
