//! The console on a live page: what the bridge's zkCli has printed, and its prompt.
//!
//! Imports nothing from the rest of the page.

use std::rc::Rc;
use yew::Reducible;

/// The console on a live page: what the bridge's zkCli has printed, and its prompt.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveConsole {
    /// Everything printed, the newest [`KEPT_CONSOLE`] bytes.
    pub transcript: Rc<str>,
    /// The prompt before the next line.
    pub prompt: String,
}

/// How much of the live console's output the page keeps, in bytes.
pub const KEPT_CONSOLE: usize = 20_000;

impl Default for LiveConsole {
    fn default() -> Self {
        LiveConsole {
            transcript: Rc::from(""),
            prompt: "[zk: live(CONNECTING) 0] ".to_owned(),
        }
    }
}

/// What the bridge's zkCli printed for a line (and its next prompt), or why nothing came.
pub enum Printed {
    /// The output and the next prompt.
    Output(String, String),
    /// The line could not be run.
    Failed(String),
}

impl Reducible for LiveConsole {
    type Action = Printed;

    fn reduce(self: Rc<Self>, printed: Printed) -> Rc<Self> {
        let (text, prompt) = match printed {
            Printed::Output(text, prompt) => (text, prompt),
            Printed::Failed(why) => (format!("--- {why} ---\n"), self.prompt.clone()),
        };
        let mut out = String::with_capacity(self.transcript.len() + text.len());
        out.push_str(&self.transcript);
        out.push_str(&text);
        if out.len() > KEPT_CONSOLE {
            let cut = (out.len() - KEPT_CONSOLE..out.len())
                .find(|i| out.is_char_boundary(*i))
                .unwrap_or(0);
            out.drain(..cut);
        }
        Rc::new(LiveConsole {
            transcript: out.into(),
            prompt,
        })
    }
}
