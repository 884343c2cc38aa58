//! The root component.

use crate::components::stat_panel::StatPanel;
use crate::components::znode_tree::ZnodeTree;
use crate::scene;
use yew::prelude::*;
use zooscope_core::Znode;

/// The page: the znode tree the core computed, and the stat of the selected znode.
#[function_component(App)]
pub fn app() -> Html {
    let server = use_memo((), |_| scene::election_after_volunteering());
    let selected = use_state(|| Some("/election".to_owned()));
    let on_select = {
        let selected = selected.clone();
        Callback::from(move |path: String| selected.set(Some(path)))
    };
    let body = match &*server {
        Ok(server) => {
            let tree = server.tree().clone();
            let stat = (*selected)
                .as_deref()
                .and_then(|p| tree.get(p).map(|n| (p.to_owned(), Znode::stat(n))));
            html! {
                <main class="layout">
                    <section class="panel" aria-labelledby="tree-title">
                        <h2 id="tree-title">{ "Znode tree" }</h2>
                        <p class="hint">
                            { format!("{} processes have each created an ephemeral sequential \
                                       candidate under /election — step 1 of the election. \
                                       The smallest one leads.", scene::PROCESSES) }
                        </p>
                        <ZnodeTree {tree} selected={(*selected).clone()} {on_select} />
                    </section>
                    if let Some((path, stat)) = stat {
                        <StatPanel {path} {stat} />
                    }
                </main>
            }
        }
        Err(e) => html! { <p class="error" role="alert">{ e.to_string() }</p> },
    };
    html! {
        <>
            <header class="top">
                <h1>{ "Zooscope" }</h1>
                <p class="tagline">{ "ZooKeeper coordination you can watch, break and replay" }</p>
            </header>
            { body }
        </>
    }
}
