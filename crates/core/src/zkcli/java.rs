//! What zkCli's Java leaks into its output, reproduced: the wording of server errors
//! (`CliWrapperException`), Java's number parsing (`Integer.parseInt`, `Integer.decode`, which
//! strings `Double.parseDouble` accepts), `String.toUpperCase` where it matters, and the stack
//! trace zkCli 3.8.0 dies with when that parsing fails.
//!
//! Imports [`crate::zk`].

use crate::zk::error::KeeperError;

/// `CliWrapperException.getMessage`: zkCli's wording of server errors.
pub fn keeper_message(e: &KeeperError) -> String {
    match e {
        KeeperError::NoNode(p) => format!("Node does not exist: {p}"),
        KeeperError::NoChildrenForEphemerals(p) => format!("Ephemerals cannot have children: {p}"),
        KeeperError::NodeExists(p) => format!("Node already exists: {p}"),
        KeeperError::NotEmpty(p) => format!("Node not empty: {p}"),
        KeeperError::BadArguments(p) => format!("Arguments are not valid : {p}"),
        KeeperError::BadVersion(p) => format!("version No is not valid : {p}"),
        other => other.to_string(),
    }
}

/// `Integer.parseInt`: optional sign, decimal digits, within `i32`.
pub(super) fn parse_int(s: &str) -> Option<i32> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i32>().ok()
}

/// `Integer.decode`: optional sign, then `0x`/`0X`/`#` hex, `0` octal, or decimal.
pub(super) fn decode(s: &str) -> Option<i64> {
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (radix, digits) = if let Some(h) = body
        .strip_prefix("0x")
        .or_else(|| body.strip_prefix("0X"))
        .or_else(|| body.strip_prefix('#'))
    {
        (16, h)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    let magnitude = i64::from_str_radix(digits, radix).ok()?;
    let value = if negative { -magnitude } else { magnitude };
    i32::try_from(value).ok().map(i64::from)
}

/// Whether `Double.parseDouble` accepts the string (`FloatingDecimal.readJavaFormatString`):
/// surrounding whitespace, a sign, then `NaN`, `Infinity`, a decimal with an optional exponent,
/// or a hexadecimal with its binary exponent; the last two may end in `d`, `D`, `f` or `F`.
///
/// A grammar rather than Rust's float parser: the two accept different strings (`--5`, `NaNd`
/// and `0x1p3` among them), and the parser would bring its tables into the page for a yes/no.
pub(super) fn parses_as_double(s: &str) -> bool {
    let s = s.trim_matches(|c: char| c <= ' ');
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body == "NaN" || body == "Infinity" {
        return true;
    }
    let body = body.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(body);
    match body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        Some(hex) => hex_float(hex),
        None => decimal_float(body),
    }
}

/// `digits [. digits] [e|E [sign] digits]`, with at least one mantissa digit.
fn decimal_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    fraction(mantissa, |b| b.is_ascii_digit()) && exponent.is_none_or(signed_digits)
}

/// `hexdigits [. hexdigits] (p|P) [sign] digits`, with at least one hex digit: the binary
/// exponent is required.
fn hex_float(s: &str) -> bool {
    s.split_once(['p', 'P'])
        .is_some_and(|(mantissa, exponent)| {
            fraction(mantissa, |b| b.is_ascii_hexdigit()) && signed_digits(exponent)
        })
}

/// Digits with at most one point among them, and at least one digit.
fn fraction(s: &str, digit: fn(&u8) -> bool) -> bool {
    let (whole, part) = s.split_once('.').unwrap_or((s, ""));
    whole.bytes().all(|b| digit(&b))
        && part.bytes().all(|b| digit(&b))
        && whole.len() + part.len() > 0
}

/// An exponent: an optional sign and at least one decimal digit.
fn signed_digits(s: &str) -> bool {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `String.toUpperCase`, for comparing with an ASCII keyword: `None` when some character's
/// upper case is not ASCII, as then the result equals no keyword. Besides ASCII, ten
/// characters upper-case to ASCII (`ß` to `SS`, the dotless `ı` to `I`, the long `ſ` to `S`
/// and the Latin ligatures); the test checks the list against Unicode's full case mapping,
/// whose tables the page then need not carry.
pub(super) fn ascii_upper_case(s: &str) -> Option<String> {
    let mut upper = String::with_capacity(s.len());
    for c in s.chars() {
        let mapped = match c {
            'ß' => "SS",
            'ı' => "I",
            'ſ' => "S",
            'ﬀ' => "FF",
            'ﬁ' => "FI",
            'ﬂ' => "FL",
            'ﬃ' => "FFI",
            'ﬄ' => "FFL",
            'ﬅ' | 'ﬆ' => "ST",
            c if c.is_ascii() => {
                upper.push(c.to_ascii_uppercase());
                continue;
            }
            _ => return None,
        };
        upper.push_str(mapped);
    }
    Some(upper)
}

pub(super) const SET_TRACE: &str = "\tat java.base/java.lang.Integer.parseInt(Integer.java:786)
\tat org.apache.zookeeper.cli.SetCommand.exec(SetCommand.java:69)
\tat org.apache.zookeeper.ZooKeeperMain.processZKCmd(ZooKeeperMain.java:438)
";
pub(super) const DELETE_TRACE: &str = "\tat java.base/java.lang.Integer.parseInt(Integer.java:786)
\tat org.apache.zookeeper.cli.DeleteCommand.exec(DeleteCommand.java:81)
\tat org.apache.zookeeper.ZooKeeperMain.processZKCmd(ZooKeeperMain.java:438)
";
pub(super) const REDO_TRACE: &str = "\tat java.base/java.lang.Integer.valueOf(Integer.java:973)
\tat java.base/java.lang.Integer.decode(Integer.java:1458)
\tat org.apache.zookeeper.ZooKeeperMain.processZKCmd(ZooKeeperMain.java:397)
";

/// The uncaught `NumberFormatException` zkCli 3.8.0 dies of on a non-numeric version or
/// history number, trace included (JDK 17, as recorded).
pub(super) fn number_format_trace(input: &str, site: &str) -> String {
    format!(
        "Exception in thread \"main\" java.lang.NumberFormatException: For input string: \"{input}\"
\tat java.base/java.lang.NumberFormatException.forInputString(NumberFormatException.java:67)
\tat java.base/java.lang.Integer.parseInt(Integer.java:668)
{site}\tat org.apache.zookeeper.ZooKeeperMain.processCmd(ZooKeeperMain.java:367)
\tat org.apache.zookeeper.ZooKeeperMain.executeLine(ZooKeeperMain.java:359)
\tat org.apache.zookeeper.ZooKeeperMain.run(ZooKeeperMain.java:345)
\tat org.apache.zookeeper.ZooKeeperMain.main(ZooKeeperMain.java:293)
"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every token's answer recorded from OpenJDK 17's `Double.parseDouble` (`yes` = accepted).
    const RECORDED: &[(&str, bool)] = &[
        ("-1", true),
        ("-1.5", true),
        ("-.5", true),
        ("-5.", true),
        ("-.", false),
        ("-", false),
        ("--5", false),
        ("-+5", false),
        ("+-5", false),
        ("-1e5", true),
        ("-1E+5", true),
        ("-1e-5", true),
        ("-1e", false),
        ("-1e+", false),
        ("-e5", false),
        ("-1d", true),
        ("-1f", true),
        ("-1D", true),
        ("-1F", true),
        ("-1.5e3f", true),
        ("-1x", false),
        ("-NaN", true),
        ("-NaNd", false),
        ("-Infinity", true),
        ("-Infinityf", false),
        ("-infinity", false),
        ("-nan", false),
        ("-Inf", false),
        ("-0x1p3", true),
        ("-0X1P3", true),
        ("-0x1.8p1", true),
        ("-0x.8p1", true),
        ("-0x1", false),
        ("-0xp1", false),
        ("-0x1p", false),
        ("-0x1p3d", true),
        ("-0x1.p3", true),
        ("-0x.p3", false),
        (" -5", true),
        ("-5 ", true),
        ("-5\t", true),
        ("-1_000", false),
        ("-\u{661}", false),
        ("-1e5.5", false),
        ("-00012", true),
        ("-0.0", true),
        ("-1.5.5", false),
        ("-d", false),
        ("-NaN ", true),
        ("-N", false),
        ("-I", false),
        ("-Infinity5", false),
        ("-0x1p-3", true),
        ("-0x1p+3", true),
        ("-0xgp3", false),
        ("-1ee5", false),
    ];

    #[test]
    fn parses_as_double_accepts_what_java_accepts() {
        for &(token, java) in RECORDED {
            assert_eq!(parses_as_double(token), java, "{token:?}");
        }
    }

    #[test]
    fn ascii_upper_case_is_unicode_upper_case_where_that_is_ascii() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let unicode: String = c.to_uppercase().collect();
            let ours = ascii_upper_case(c.encode_utf8(&mut [0; 4]));
            assert_eq!(ours, unicode.is_ascii().then_some(unicode), "{c:?}");
        }
        assert_eq!(
            ascii_upper_case("persıstent").as_deref(),
            Some("PERSISTENT")
        );
        assert_eq!(ascii_upper_case("Persistent_Récursive"), None);
    }
}
