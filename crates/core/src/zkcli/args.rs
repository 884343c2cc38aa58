//! Splitting a console line into words and parsing a command's flags, the way zkCli 3.8 does.
//!
//! Sources of truth: `ZooKeeperMain.MyCommandOptions.parseCommand` (the `ARGS_PATTERN` and
//! `QUOTED_PATTERN` regular expressions) and Apache Commons CLI's `DefaultParser`, which every
//! zkCli command uses with short, single-letter options and no long options.

/// Splits a line into words: `\s*([^"']\S*|"[^"]*"|'[^']*')\s*` applied with `Matcher.find`,
/// then one pair of matching surrounding quotes stripped from each word.
pub fn split(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut words = Vec::new();
    let mut from = 0;
    while from < chars.len() {
        match match_at_or_after(&chars, from) {
            Some((word, end)) => {
                words.push(strip_quotes(&word));
                from = end;
            }
            None => break,
        }
    }
    words
}

/// Java's `\s`: space, tab, newline, vertical tab, form feed, carriage return.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r')
}

/// The first match of `ARGS_PATTERN` starting at or after `from`: (group 1, end of match).
fn match_at_or_after(chars: &[char], from: usize) -> Option<(String, usize)> {
    (from..chars.len()).find_map(|start| match_at(chars, start))
}

/// Tries the pattern at `start`, backtracking the greedy leading `\s*` as a regex engine would.
fn match_at(chars: &[char], start: usize) -> Option<(String, usize)> {
    let mut ws_end = start;
    while ws_end < chars.len() && is_space(chars[ws_end]) {
        ws_end += 1;
    }
    for k in (start..=ws_end).rev() {
        let Some(&c) = chars.get(k) else { continue };
        let group_end = match c {
            '"' | '\'' => match chars[k + 1..].iter().position(|&d| d == c) {
                Some(i) => k + 1 + i + 1,
                None => continue,
            },
            _ => {
                let mut e = k + 1;
                while e < chars.len() && !is_space(chars[e]) {
                    e += 1;
                }
                e
            }
        };
        let mut end = group_end;
        while end < chars.len() && is_space(chars[end]) {
            end += 1;
        }
        return Some((chars[k..group_end].iter().collect(), end));
    }
    None
}

/// `QUOTED_PATTERN` `^(['"])(.*)(\1)$`: strips one pair of matching surrounding quotes.
fn strip_quotes(word: &str) -> String {
    let mut cs = word.chars();
    match (cs.next(), cs.next_back()) {
        (Some(a), Some(b))
            if a == b
                && (a == '"' || a == '\'')
                && !word[1..word.len() - 1].contains(['\n', '\r']) =>
        {
            word[1..word.len() - 1].to_owned()
        }
        _ => word.to_owned(),
    }
}

/// One option of a command: its letter and whether it takes a value (`-v 3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptSpec {
    /// The option letter.
    pub name: char,
    /// Whether the option takes an argument.
    pub has_arg: bool,
}

/// A parsed command line: the options seen (with their value, if any) and the plain arguments
/// (the first of which is the command's own name, as in zkCli).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Options in the order seen.
    pub options: Vec<(char, Option<String>)>,
    /// Non-option words.
    pub args: Vec<String>,
}

impl Parsed {
    /// `CommandLine.hasOption`.
    pub fn has(&self, name: char) -> bool {
        self.options.iter().any(|(n, _)| *n == name)
    }

    /// `CommandLine.getOptionValue`: the first value given for the option.
    pub fn value(&self, name: char) -> Option<&str> {
        self.options
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.as_deref())
    }
}

/// A Commons CLI `ParseException`; `Display` is the exception's `toString()`, which is what
/// zkCli prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// `UnrecognizedOptionException`.
    Unrecognized(String),
    /// `MissingArgumentException`.
    MissingArgument(char),
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseError::Unrecognized(token) => write!(
                f,
                "org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: {token}"
            ),
            ParseError::MissingArgument(name) => write!(
                f,
                "org.apache.commons.cli.MissingArgumentException: Missing argument for option: {name}"
            ),
        }
    }
}

/// `DefaultParser.parse(options, words)` for options that are all single letters.
pub fn parse(specs: &[OptSpec], words: &[String]) -> Result<Parsed, ParseError> {
    let spec = |c: char| specs.iter().find(|s| s.name == c).copied();
    let mut parsed = Parsed::default();
    // The option still waiting for its value (`currentOption` with a required arg).
    let mut waiting: Option<usize> = None;
    let mut skip_parsing = false;
    for token in words {
        if skip_parsing {
            parsed.args.push(token.clone());
        } else if token == "--" {
            skip_parsing = true;
        } else if waiting.is_some() && is_argument(specs, token) {
            if let Some(i) = waiting.take() {
                parsed.options[i].1 = Some(strip_value_quotes(token));
            }
        } else if token.starts_with("--") {
            // No zkCli command has long options.
            return Err(ParseError::Unrecognized(token.clone()));
        } else if token.starts_with('-') && token != "-" {
            let t = &token[1..];
            if let Some(eq) = t.find('=') {
                // `-v=3`
                let (name, value) = (&t[..eq], &t[eq + 1..]);
                let mut letters = name.chars();
                match (letters.next().and_then(spec), letters.next()) {
                    (Some(s), None) if s.has_arg => {
                        check_required(&parsed, &waiting)?;
                        parsed.options.push((s.name, Some(value.to_owned())));
                        waiting = None;
                    }
                    _ => return Err(ParseError::Unrecognized(token.clone())),
                }
                continue;
            }
            // A single letter, or letters bundled together (`-sw`), or a letter and its
            // value glued on (`-v3`): `handleConcatenatedOptions`.
            for (i, c) in t.char_indices() {
                let Some(s) = spec(c) else {
                    return Err(ParseError::Unrecognized(token.clone()));
                };
                check_required(&parsed, &waiting)?;
                parsed.options.push((s.name, None));
                waiting = s.has_arg.then_some(parsed.options.len() - 1);
                let rest = &t[i + c.len_utf8()..];
                if s.has_arg && !rest.is_empty() {
                    if let Some(w) = waiting.take() {
                        parsed.options[w].1 = Some(rest.to_owned());
                    }
                    break;
                }
            }
        } else {
            check_required(&parsed, &waiting)?;
            parsed.args.push(token.clone());
        }
    }
    check_required(&parsed, &waiting)?;
    Ok(parsed)
}

/// `DefaultParser.checkRequiredArgs`: an option still waiting for its value is an error.
fn check_required(parsed: &Parsed, waiting: &Option<usize>) -> Result<(), ParseError> {
    match waiting.and_then(|i| parsed.options.get(i)) {
        Some((name, _)) => Err(ParseError::MissingArgument(*name)),
        None => Ok(()),
    }
}

/// `DefaultParser.isArgument`: not an option, or a negative number.
fn is_argument(specs: &[OptSpec], token: &str) -> bool {
    !is_short_option(specs, token) || is_negative_number(token)
}

/// `DefaultParser.isShortOption` (long options never match: there are none).
fn is_short_option(specs: &[OptSpec], token: &str) -> bool {
    let Some(body) = token.strip_prefix('-') else {
        return false;
    };
    if body.is_empty() {
        return false;
    }
    let name = body.split('=').next().unwrap_or_default();
    name.chars()
        .next()
        .is_some_and(|c| specs.iter().any(|s| s.name == c))
}

/// `DefaultParser.isNegativeNumber`: a token starting with `-` that `Double.parseDouble` takes.
fn is_negative_number(token: &str) -> bool {
    token.starts_with('-') && super::java::parses_as_double(token)
}

/// Commons CLI 1.5 strips one pair of double quotes around an option value.
fn strip_value_quotes(value: &str) -> String {
    if value.len() > 1
        && value.starts_with('"')
        && value.ends_with('"')
        && !value[1..value.len() - 1].contains('"')
    {
        value[1..value.len() - 1].to_owned()
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        split(line)
    }

    #[test]
    fn split_follows_zkclis_pattern() {
        assert_eq!(words("create /a 'b c'"), ["create", "/a", "b c"]);
        assert_eq!(words("  ls   /  "), ["ls", "/"]);
        assert_eq!(words("create /qe a\"b"), ["create", "/qe", "a\"b"]);
        // An unterminated quote is skipped, as Matcher.find moves past it.
        assert_eq!(
            words("create /qd \"unterminated"),
            ["create", "/qd", "unterminated"]
        );
        // A line of blanks is one blank word: the greedy \s* gives one back.
        assert_eq!(words("   "), [" "]);
        assert_eq!(words("\""), Vec::<String>::new());
    }

    const CREATE: &[OptSpec] = &[
        OptSpec {
            name: 'e',
            has_arg: false,
        },
        OptSpec {
            name: 's',
            has_arg: false,
        },
        OptSpec {
            name: 't',
            has_arg: true,
        },
    ];

    fn parse_line(line: &str) -> Result<Parsed, ParseError> {
        parse(CREATE, &split(line))
    }

    #[test]
    fn options_bundle_glue_and_mix_with_arguments() {
        let p = parse_line("create -es /x data").expect("parses");
        assert!(p.has('e') && p.has('s'));
        assert_eq!(p.args, ["create", "/x", "data"]);
        assert_eq!(
            parse_line("create -t5 /x").map(|p| p.value('t').map(str::to_owned)),
            Ok(Some("5".into()))
        );
        assert_eq!(parse_line("create /x -t 5").map(|p| p.args.len()), Ok(2));
        assert_eq!(
            parse_line("create -t -5 /x").map(|p| p.value('t').map(str::to_owned)),
            Ok(Some("-5".into()))
        );
        assert_eq!(
            parse_line("create -- -e").map(|p| p.args),
            Ok(vec!["create".into(), "-e".into()])
        );
    }

    #[test]
    fn parse_errors_print_like_commons_cli() {
        let unknown = parse_line("create -x /a")
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert_eq!(
            unknown,
            "org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -x"
        );
        let bundle = parse_line("create -ex /a")
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert_eq!(
            bundle,
            "org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -ex"
        );
        let missing = parse_line("create /a -t")
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert_eq!(
            missing,
            "org.apache.commons.cli.MissingArgumentException: Missing argument for option: t"
        );
        assert!(parse_line("create --ephemeral /a").is_err());
    }
}
