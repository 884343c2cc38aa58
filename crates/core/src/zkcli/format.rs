//! How zkCli prints things: `StatPrinter`, `java.util.Date.toString()` in UTC, `WatchedEvent`.
//!
//! Imports [`crate::ids`], [`crate::zk`].

use crate::ids::Millis;
use crate::zk::stat::Stat;
use std::fmt::Write;

/// `StatPrinter.print`: the eleven `name = value` lines, each ending in a newline.
pub fn stat(s: &Stat) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "cZxid = 0x{:x}\nctime = {}\nmZxid = 0x{:x}\nmtime = {}\npZxid = 0x{:x}\n\
         cversion = {}\ndataVersion = {}\naclVersion = {}\nephemeralOwner = 0x{:x}\n\
         dataLength = {}\nnumChildren = {}\n",
        s.czxid.0,
        java_date(s.ctime),
        s.mzxid.0,
        java_date(s.mtime),
        s.pzxid.0,
        s.cversion,
        s.version,
        s.aversion,
        s.ephemeral_owner,
        s.data_length,
        s.num_children
    );
    out
}

/// `new Date(ms).toString()` with the JVM in UTC: `Tue Nov 24 00:32:50 UTC 2026`.
pub fn java_date(t: Millis) -> String {
    let secs = t.0.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let weekday = WEEKDAYS[days.rem_euclid(7) as usize];
    let month = MONTHS[(m - 1) as usize];
    format!(
        "{weekday} {month} {d:02} {:02}:{:02}:{:02} UTC {y}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to (year, month 1–12, day 1–31), proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `ZooKeeperMain.printMessage` of a watch event, as the default watcher prints it:
/// `\nWATCHER::\n\nWatchedEvent state:… type:… path:…\n`.
pub fn watcher_lines(state: &str, kind: &str, path: Option<&str>) -> String {
    format!(
        "\nWATCHER::\n\nWatchedEvent state:{state} type:{kind} path:{}\n",
        path.unwrap_or("null")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_print_like_java_in_utc() {
        assert_eq!(java_date(Millis(0)), "Thu Jan 01 00:00:00 UTC 1970");
        // 2026-11-24T00:32:50Z, from the reference recording.
        assert_eq!(
            java_date(Millis(1_795_480_370_000)),
            "Tue Nov 24 00:32:50 UTC 2026"
        );
        assert_eq!(
            java_date(Millis(951_782_400_000)),
            "Tue Feb 29 00:00:00 UTC 2000"
        );
    }
}
