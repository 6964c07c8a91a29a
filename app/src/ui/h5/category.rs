//! 分类: first-level categories on the left, their children on the right. Each first-level
//! category is a link (`?c=<id>`), so the page needs no script.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{H5Layout, TopBar};
use crate::api::overview::category_tree;
use crate::ui::kit::{Loaded, Place};

#[component]
pub fn CategoryPage() -> impl IntoView {
    let tree = Resource::new(|| (), |_| category_tree());
    let query = use_query_map();
    view! {
        <Title text="分类" />
        <H5Layout>
            <TopBar title="分类" />
            <Loaded resource=tree place=Place::Shop let:tree>
                {{
                    let from_query = query.read_untracked().get("c").and_then(|c| c.parse::<i64>().ok());
                    let first = tree.first().map(|c| c.id);
                    let current = move || from_query.or(first);
                    let tree = StoredValue::new(tree);
                    view! {
                        <div class="flex min-h-[calc(100vh-7rem)]">
                            <ul class="w-24 shrink-0 bg-page" role="tablist" aria-label="一级分类">
                                {tree
                                    .get_value()
                                    .into_iter()
                                    .map(|c| {
                                        let id = c.id;
                                        let active = move || current() == Some(id);
                                        view! {
                                            <li>
                                                <a
                                                    href=format!("/category?c={id}")
                                                    role="tab"
                                                    aria-selected=move || active().to_string()
                                                    class="block w-full border-l-4 px-2 py-4 text-center text-sm"
                                                    class:border-promo=active
                                                    class:bg-white=active
                                                    class:font-bold=active
                                                    class:border-transparent=move || !active()
                                                >
                                                    {c.name}
                                                </a>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                            <div class="flex-1 bg-white p-3" role="tabpanel">
                                {move || {
                                    let parent = tree.get_value().into_iter().find(|c| Some(c.id) == current());
                                    parent.map(|p| {
                                        view! {
                                            <h2 class="mb-3 flex items-baseline justify-between text-sm font-bold">
                                                {p.name.clone()}
                                                <a href=format!("/search?category={}", p.id) class="text-xs font-normal text-gray-400">"查看全部 ›"</a>
                                            </h2>
                                            <div class="grid grid-cols-3 gap-3">
                                                {p.children
                                                    .into_iter()
                                                    .map(|c| {
                                                        view! {
                                                            <a href=format!("/search?category={}", c.id) class="flex flex-col items-center gap-1 text-xs">
                                                                <span class="flex h-14 w-14 items-center justify-center rounded-lg bg-page text-xl">{p.icon.clone()}</span>
                                                                {c.name}
                                                            </a>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </div>
                                        }
                                    })
                                }}
                            </div>
                        </div>
                    }
                }}
            </Loaded>
        </H5Layout>
    }
}
