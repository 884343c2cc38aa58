//! The stat panel: the full `Stat` of the selected znode, field names as zkCli prints them.
//!
//! Imports from the core `Stat`, `zkcli`.

use yew::prelude::*;
use zooscope_core::zkcli::format::java_date;
use zooscope_core::Stat;

/// Props of [`StatPanel`].
#[derive(Properties, PartialEq)]
pub struct StatPanelProps {
    /// The znode's path.
    pub path: String,
    /// Its stat.
    pub stat: Stat,
}

/// A definition list of every `Stat` field.
#[function_component(StatPanel)]
pub fn stat_panel(props: &StatPanelProps) -> Html {
    let s = &props.stat;
    let rows: [(&str, String); 11] = [
        ("cZxid", s.czxid.to_string()),
        ("ctime", java_date(s.ctime)),
        ("mZxid", s.mzxid.to_string()),
        ("mtime", java_date(s.mtime)),
        ("pZxid", s.pzxid.to_string()),
        ("cversion", s.cversion.to_string()),
        ("dataVersion", s.version.to_string()),
        ("aclVersion", s.aversion.to_string()),
        ("ephemeralOwner", format!("0x{:x}", s.ephemeral_owner)),
        ("dataLength", s.data_length.to_string()),
        ("numChildren", s.num_children.to_string()),
    ];
    html! {
        <section class="stat-panel" aria-label={format!("Stat of {}", props.path)}>
            <h2 data-stat-path={props.path.clone()}>{ &props.path }</h2>
            <dl>
                { for rows.into_iter().map(|(k, v)| html! {
                    <><dt>{ k }</dt><dd data-stat={k}>{ v }</dd></>
                }) }
            </dl>
        </section>
    }
}
