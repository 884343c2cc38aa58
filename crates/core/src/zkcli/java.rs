//! What zkCli's Java leaks into its output, reproduced: the wording of server errors
//! (`CliWrapperException`), Java's number parsing (`Integer.parseInt`, `Integer.decode`) and
//! the stack trace zkCli 3.8.0 dies with when that parsing fails.
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
