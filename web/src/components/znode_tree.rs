//! The znode tree panel: every znode of a server's `DataTree`, nested, with badges for its kind.
//!
//! Imports from the page `components`; from the core `NodeKind`, `picture`, `zk`.

use crate::components::stat_panel::StatPanel;
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::prelude::*;
use zooscope_core::picture::Picture;
use zooscope_core::NodeKind;

/// Znodes created or changed within this many ms of the picture's moment flash.
const FRESH_MS: i64 = 1_000;
/// A znode with more children than this shows the first `SHOWN` of them and a button for
/// the rest (a thousand candidates would bury the rest of the tree, and cost every frame).
const LONG: usize = 40;
/// How many children of a long list are shown until it is expanded.
const SHOWN: usize = 20;

/// Props of [`ZnodeTree`].
#[derive(Properties, PartialEq)]
pub struct ZnodeTreeProps {
    /// The picture whose tree to show.
    pub picture: Rc<Picture>,
    /// The selected path, highlighted.
    pub selected: Option<String>,
    /// Called with a znode's path when it is clicked or activated by keyboard.
    pub on_select: Callback<String>,
    /// Znodes whose long lists of children are shown whole.
    pub expanded: Rc<BTreeSet<String>>,
    /// Called with a znode's path to show all its children.
    pub on_expand: Callback<String>,
}

/// Props of [`ZnodePanel`].
#[derive(Properties, PartialEq)]
pub struct ZnodePanelProps {
    /// The picture whose tree to show.
    pub picture: Rc<Picture>,
}

/// The znode tree's panel: the tree, and the selected znode's stat under it (`/election`
/// until another is chosen).
#[function_component(ZnodePanel)]
pub fn znode_panel(props: &ZnodePanelProps) -> Html {
    let selected = use_state(|| Some("/election".to_owned()));
    let on_select = {
        let selected = selected.clone();
        Callback::from(move |path: String| selected.set(Some(path)))
    };
    let expanded = use_state(|| Rc::new(BTreeSet::new()));
    let on_expand = {
        let expanded = expanded.clone();
        Callback::from(move |path: String| {
            let mut more = (**expanded).clone();
            more.insert(path);
            expanded.set(Rc::new(more));
        })
    };
    let stat = (*selected)
        .as_deref()
        .and_then(|p| props.picture.tree.get(p).map(|n| (p.to_owned(), n.stat)));
    html! {
        <section class="panel" aria-labelledby="tree-title">
            <h2 id="tree-title">{ "Znode tree" }</h2>
            <ZnodeTree picture={props.picture.clone()} selected={(*selected).clone()} {on_select}
                       expanded={(*expanded).clone()} {on_expand} />
            if let Some((path, stat)) = stat {
                <StatPanel {path} {stat} />
            }
        </section>
    }
}

/// The znode tree, rooted at `/`.
#[function_component(ZnodeTree)]
pub fn znode_tree(props: &ZnodeTreeProps) -> Html {
    html! {
        <ul class="znode-tree" role="tree" aria-label="Znode tree">
            { node(props, "/") }
        </ul>
    }
}

fn node(props: &ZnodeTreeProps, path: &str) -> Html {
    let Some(znode) = props.picture.tree.get(path) else {
        return html! {};
    };
    let name = if path == "/" {
        "/"
    } else {
        zooscope_core::zk::path::name(path)
    };
    let (badge, badge_title, badge_class) = match znode.kind {
        NodeKind::Persistent => ("P", "persistent", "persistent"),
        NodeKind::Ephemeral(_) => ("E", "ephemeral", "ephemeral"),
        NodeKind::Container => ("C", "container", "container"),
        NodeKind::Ttl(_) => ("T", "TTL", "ttl"),
    };
    let sequential = is_sequential_name(name);
    // An ephemeral's owner by name where a process of the picture holds its session, so that
    // "c_0000000002 p3" reads as p3's candidate; else its session id.
    let owner = match znode.kind {
        NodeKind::Ephemeral(session) => Some(
            props
                .picture
                .processes
                .iter()
                .find(|p| p.session == Some(session))
                .map_or_else(|| session.to_string(), |p| format!("owner {}", p.id)),
        ),
        _ => None,
    };
    let data = znode.data.as_deref();
    let fresh = props.picture.wall_ms - znode.stat.ctime.0.max(znode.stat.mtime.0) < FRESH_MS;
    let selected = props.selected.as_deref() == Some(path);
    let onclick = {
        let (on_select, path) = (props.on_select.clone(), path.to_owned());
        Callback::from(move |_: MouseEvent| on_select.emit(path.clone()))
    };
    let all = znode.children.len();
    let shown = if all > LONG && !props.expanded.contains(path) {
        SHOWN
    } else {
        all
    };
    let children: Vec<String> = znode
        .children
        .iter()
        .take(shown)
        .map(|c| zooscope_core::zk::path::join(path, c))
        .collect();
    let expand = {
        let (on_expand, path) = (props.on_expand.clone(), path.to_owned());
        Callback::from(move |_: MouseEvent| on_expand.emit(path.clone()))
    };
    html! {
        <li role="treeitem" aria-selected={selected.to_string()}>
            <button class={classes!(
                        "znode",
                        selected.then_some("selected"),
                        fresh.then_some("changed")
                    )}
                    data-znode={path.to_owned()} {onclick}>
                <span class={classes!("badge", badge_class)} title={badge_title}>{ badge }</span>
                if sequential {
                    <span class="badge sequential" title="sequential">{ "S" }</span>
                }
                <span class="znode-name">{ name }</span>
                if let Some(owner) = owner {
                    <span class="znode-owner" title="owner session">{ owner }</span>
                }
                if let Some(data) = data.filter(|d| !d.is_empty()) {
                    <span class="znode-data" title="data">{ format!("data \"{data}\"") }</span>
                }
            </button>
            if !children.is_empty() {
                <ul role="group">
                    { for children.iter().map(|c| node(props, c)) }
                    if shown < all {
                        <li role="none">
                            <button type="button" class="more" data-action="expand-znode"
                                    data-znode-more={path.to_owned()} onclick={expand}>
                                { format!("… {} more of {all} children: show all", all - shown) }
                            </button>
                        </li>
                    }
                </ul>
            }
        </li>
    }
}

/// Whether a znode name ends in the server's ten-digit sequence suffix.
fn is_sequential_name(name: &str) -> bool {
    name.len() >= 10
        && name.as_bytes()[name.len() - 10..]
            .iter()
            .all(u8::is_ascii_digit)
}
