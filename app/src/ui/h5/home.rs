//! 首页: banner, category shortcuts and the marketplace's shops.

use leptos::prelude::*;
use leptos_meta::Title;

use super::H5Layout;
use crate::api::overview::{category_tree, featured_shops};

#[component]
pub fn HomePage() -> impl IntoView {
    let categories = Resource::new(|| (), |_| category_tree());
    let shops = Resource::new(|| (), |_| featured_shops());
    view! {
        <Title text="" />
        <H5Layout>
            <header class="bg-promo px-4 pb-4 pt-3 text-white">
                <div class="flex items-baseline gap-2">
                    <h1 class="text-xl font-bold">"集市"</h1>
                    <span class="text-xs opacity-90">"产地好物 · 一次付款买遍全城"</span>
                </div>
                <div class="mt-3 flex h-9 items-center rounded-full bg-white px-4 text-sm text-gray-400">
                    "搜索 毛尖 / 辣椒酱 / 苹果"
                </div>
            </header>
            <section class="mx-3 mt-3 overflow-hidden rounded-xl bg-gradient-to-r from-orange-400 to-promo p-5 text-white shadow-sm">
                <p class="text-lg font-bold">"乡村好物节"</p>
                <p class="mt-1 text-sm opacity-90">"茶农、果农、手艺人的店都在这里，产地直发"</p>
            </section>
            <section aria-label="商品分类" class="mx-3 mt-3 grid grid-cols-5 gap-y-3 rounded-xl bg-white py-4">
                <Suspense fallback=|| view! { <p class="col-span-5 text-center text-sm text-gray-400">"加载中…"</p> }>
                    {move || Suspend::new(async move {
                        categories
                            .await
                            .unwrap_or_default()
                            .into_iter()
                            .map(|c| {
                                view! {
                                    <a href=format!("/category?c={}", c.id) class="flex flex-col items-center gap-1 text-xs">
                                        <span class="flex h-11 w-11 items-center justify-center rounded-full bg-page text-2xl">{c.icon}</span>
                                        {c.name}
                                    </a>
                                }
                            })
                            .collect_view()
                    })}
                </Suspense>
            </section>
            <section class="mx-3 mt-4">
                <h2 class="mb-2 text-base font-bold">"本地好店"</h2>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        shops
                            .await
                            .unwrap_or_default()
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <article class="mb-2 flex gap-3 rounded-xl bg-white p-3">
                                        <div class="flex h-12 w-12 shrink-0 items-center justify-center rounded-lg bg-red-50 text-lg font-bold text-promo">
                                            {s.name.chars().next().map(String::from).unwrap_or_default()}
                                        </div>
                                        <div class="min-w-0">
                                            <h3 class="truncate text-sm font-medium">{s.name}</h3>
                                            <p class="text-xs text-gray-400">{s.region}</p>
                                            <p class="mt-0.5 truncate text-xs text-gray-500">{s.intro}</p>
                                        </div>
                                    </article>
                                }
                            })
                            .collect_view()
                    })}
                </Suspense>
            </section>
        </H5Layout>
    }
}
