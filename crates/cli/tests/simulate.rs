//! `zooscope simulate`: the report, the trace file, and bad flags.

#![allow(clippy::expect_used)]

mod common;

use common::zooscope;

#[test]
fn kills_leaders_and_reports_each_failover() {
    let out = zooscope(&[
        "simulate",
        "--processes",
        "20",
        "--servers",
        "5",
        "--recipe",
        "herd",
        "--seed",
        "4",
        "--kill-leaders",
        "3",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let leaders = report["leaders"].as_array().expect("leaders");
    assert_eq!(leaders.len(), 4);
    let notified: Vec<u64> = report["failovers"]
        .as_array()
        .expect("failovers")
        .iter()
        .map(|f| f["notified"].as_u64().expect("notified"))
        .collect();
    assert_eq!(
        notified,
        [19, 18, 17],
        "the herd wakes every remaining candidate"
    );
    for key in ["events", "messages", "wall_ms"] {
        assert!(report[key].is_number(), "{key}");
    }
}

#[test]
fn writes_the_trace_as_json_lines_with_narrations() {
    let path = std::env::temp_dir().join(format!("zooscope-trace-{}.jsonl", std::process::id()));
    let path_str = path.to_str().expect("a UTF-8 temp path");
    let out = zooscope(&["simulate", "--kill-leaders", "1", "--trace", path_str]);
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(&path).expect("the trace file");
    let _ = std::fs::remove_file(&path);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert!(lines.len() > 100);
    assert!(lines.iter().any(|l| l["narration"]
        .as_str()
        .is_some_and(|n| n.ends_with("which watched it, is notified"))));
}

#[test]
fn bad_flags_get_usage_and_exit_2() {
    for args in [
        vec!["simulate", "--servers", "4"],
        vec!["simulate", "--recipe", "lottery"],
        vec!["simulate", "--processes", "0"],
        vec!["simulate", "--seed", "-1"],
        vec!["simulate", "--bogus"],
    ] {
        let out = zooscope(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("Usage: zooscope simulate"), "{args:?}: {err}");
    }
}
