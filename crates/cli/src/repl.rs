//! The interactive zkCli: zkCli's prompt, line editing, history on the arrow keys and Tab
//! completion of commands and znode paths (the core's completer, as in the page's console).

use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;
use rustyline::{CompletionType, Config, Context, Editor, Helper};
use std::io::Write;
use zooscope_core::zkcli::backend::Backend;
use zooscope_core::zkcli::Shell;
use zooscope_live::wall_clock;

/// Owns the shell, so that completion sees the tree as it is now.
struct ShellHelper<B> {
    shell: Shell<B>,
}

impl<B: Backend> Completer for ShellHelper<B> {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        let completion = self.shell.complete(line, pos);
        Ok((completion.start, completion.candidates))
    }
}

impl<B> Hinter for ShellHelper<B> {
    type Hint = String;
}
impl<B> Highlighter for ShellHelper<B> {}
impl<B> Validator for ShellHelper<B> {}
impl<B: Backend> Helper for ShellHelper<B> {}

/// Runs the REPL until `quit`, end of input (Ctrl-D) or a zkCli crash; returns the exit status.
/// Ctrl-C abandons the line being typed.
pub fn run<B: Backend>(shell: Shell<B>) -> i32 {
    // Tab lists the candidates, as zkCli's JLine completer does.
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        .build();
    let mut editor: Editor<ShellHelper<B>, DefaultHistory> = match Editor::with_config(config) {
        Ok(editor) => editor,
        Err(e) => {
            eprintln!("zooscope: cannot open the terminal: {e}");
            return 1;
        }
    };
    editor.set_helper(Some(ShellHelper { shell }));
    loop {
        let Some(helper) = editor.helper_mut() else {
            return 1;
        };
        print(&helper.shell.advance(wall_clock()));
        let prompt = helper.shell.prompt();
        let line = match editor.readline(&prompt) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => continue,
            Err(_) => return 0,
        };
        if !line.trim().is_empty() {
            let _ = editor.add_history_entry(line.as_str());
        }
        let Some(helper) = editor.helper_mut() else {
            return 1;
        };
        print(&helper.shell.advance(wall_clock()));
        print(&helper.shell.execute(&line));
        if let Some(status) = helper.shell.exit_status() {
            return status;
        }
    }
}

fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
