//! 搜索 / 商品列表: words, sort tabs, filters (price, region) and pages. Everything lives in the
//! URL, so each state can be linked, reloaded and used before the wasm has loaded.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::product_grid::ProductGrid;
use crate::api::storefront::search_products;
use crate::domain::storefront::SortBy;
use crate::ui::common::href_with;
use crate::ui::kit::{Loaded, Place};

const PARAMS: [&str; 8] = [
    "q",
    "category",
    "min_price",
    "max_price",
    "region",
    "shop",
    "sort",
    "page",
];

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        PARAMS.map(|k| q.get(k).unwrap_or_default())
    };
    let results = Resource::new(
        params,
        |[q, category, min, max, region, shop, sort, page]| {
            search_products(
                q,
                category.parse().ok(),
                Some(min),
                Some(max),
                Some(region).filter(|r| !r.is_empty()),
                shop.parse().ok(),
                Some(sort),
                page.parse().ok(),
            )
        },
    );
    // a link to the same search with some parameters changed (and back to page 1)
    let link = move |changes: &[(&str, String)]| {
        let current = params();
        let pairs: Vec<(&str, String)> = PARAMS
            .iter()
            .zip(current)
            .filter(|(k, _)| **k != "page")
            .map(|(k, v)| {
                let v = changes
                    .iter()
                    .find(|(c, _)| c == k)
                    .map(|(_, v)| v.clone())
                    .unwrap_or(v);
                (*k, v)
            })
            .chain(changes.iter().filter(|(k, _)| *k == "page").cloned())
            .collect();
        href_with("/search", &pairs)
    };
    // read now, not as the title renders: the server renders the title after the page, when
    // the query may already be disposed (and every search is a page load of its own)
    let title = match query.with_untracked(|q| q.get("q")).unwrap_or_default() {
        q if q.is_empty() => "全部商品".to_string(),
        q => format!("搜索“{q}”"),
    };
    view! {
        <Title text=title />
        <div class="mx-auto min-h-screen max-w-[480px] bg-page pb-6">
            <header class="sticky top-0 z-10 bg-white">
                <form method="get" action="/search" class="flex items-center gap-2 px-3 py-2" role="search">
                    <a href="/" aria-label="返回首页" class="px-1 text-xl text-gray-500">"‹"</a>
                    <input
                        type="search"
                        name="q"
                        value=move || query.read().get("q").unwrap_or_default()
                        placeholder="搜索 毛尖 / 辣椒酱 / 苹果"
                        aria-label="搜索商品"
                        class="h-9 min-w-0 flex-1 rounded-full bg-page px-4 text-sm outline-none"
                    />
                    <button type="submit" class="h-9 rounded-full bg-promo px-4 text-sm text-white">"搜索"</button>
                </form>
                <SortTabs current=move || SortBy::parse(&query.read().get("sort").unwrap_or_default()) link />
            </header>
            <Loaded resource=results place=Place::Shop let:page>
                {match page {
                    page if page.items.is_empty() => view! {
                        <Filters params link regions=page.regions />
                        <div class="p-10 text-center text-sm text-gray-400" data-test="no-results">
                            <p class="text-4xl">"🔍"</p>
                            <p class="mt-2">"没有找到相关商品，换个词试试"</p>
                        </div>
                    }.into_any(),
                    page => {
                        let more = page.has_more();
                        let next = page.page + 1;
                        let prev = page.page.saturating_sub(1);
                        view! {
                            <Filters params link regions=page.regions.clone() />
                            <p class="px-3 py-2 text-xs text-gray-400" data-test="result-count">{format!("共 {} 件商品", page.total)}</p>
                            <div class="px-2"><ProductGrid products=page.items /></div>
                            <nav class="mt-4 flex items-center justify-center gap-3 text-sm" aria-label="翻页">
                                {(prev >= 1).then(|| view! { <a class="btn-outline h-9 px-5" href=link(&[("page", prev.to_string())])>"上一页"</a> })}
                                <span class="text-gray-400">{format!("第 {} 页", page.page)}</span>
                                {more.then(|| view! { <a class="btn-outline h-9 px-5" href=link(&[("page", next.to_string())])>"下一页"</a> })}
                            </nav>
                        }.into_any()
                    },
                }}
            </Loaded>
        </div>
    }
}

#[component]
fn SortTabs(
    current: impl Fn() -> SortBy + Send + Sync + Copy + 'static,
    link: impl Fn(&[(&str, String)]) -> String + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let tabs = [
        (SortBy::Default, "综合"),
        (SortBy::Sales, "销量"),
        (SortBy::Newest, "新品"),
    ];
    let price_next = move || match current() {
        SortBy::PriceAsc => SortBy::PriceDesc,
        _ => SortBy::PriceAsc,
    };
    let is_price = move || matches!(current(), SortBy::PriceAsc | SortBy::PriceDesc);
    view! {
        <nav class="grid grid-cols-4 border-b border-gray-100 text-center text-sm" aria-label="排序">
            {tabs
                .into_iter()
                .map(|(sort, label)| {
                    let active = move || current() == sort;
                    view! {
                        <a
                            href=move || link(&[("sort", sort.as_str().to_string())])
                            class="py-2.5"
                            class:text-promo=active
                            class:font-bold=active
                            aria-current=move || active().then_some("true")
                        >
                            {label}
                        </a>
                    }
                })
                .collect_view()}
            <a
                href=move || link(&[("sort", price_next().as_str().to_string())])
                class="py-2.5"
                class:text-promo=is_price
                class:font-bold=is_price
                aria-current=move || is_price().then_some("true")
            >
                {move || match current() {
                    SortBy::PriceAsc => "价格 ↑",
                    SortBy::PriceDesc => "价格 ↓",
                    _ => "价格",
                }}
            </a>
        </nav>
    }
}

#[component]
fn Filters(
    params: impl Fn() -> [String; 8] + Send + Sync + Copy + 'static,
    link: impl Fn(&[(&str, String)]) -> String + Send + Sync + Copy + 'static,
    regions: Vec<String>,
) -> impl IntoView {
    view! {
        <details class="bg-white text-sm">
            <summary class="cursor-pointer px-3 py-2 text-gray-600">"筛选：价格 · 产地"</summary>
            <form method="get" action="/search" class="flex flex-col gap-3 px-3 pb-3">
                {move || {
                    let [q, category, min, max, _region, shop, sort, _page] = params();
                    view! {
                        <input type="hidden" name="q" value=q />
                        <input type="hidden" name="category" value=category />
                        <input type="hidden" name="shop" value=shop />
                        <input type="hidden" name="sort" value=sort />
                        <div class="flex items-center gap-2">
                            <span class="w-12 shrink-0 text-gray-500">"价格"</span>
                            <input name="min_price" inputmode="decimal" placeholder="最低价" value=min class="h-9 min-w-0 flex-1 rounded-full bg-page px-3 text-center" />
                            <span>"—"</span>
                            <input name="max_price" inputmode="decimal" placeholder="最高价" value=max class="h-9 min-w-0 flex-1 rounded-full bg-page px-3 text-center" />
                        </div>
                    }
                }}
                <div class="flex flex-wrap items-center gap-2">
                    <span class="w-12 shrink-0 text-gray-500">"产地"</span>
                    {regions
                        .into_iter()
                        .map(|r| {
                            let name = r.clone();
                            let text = r.clone();
                            let active = Signal::derive(move || params()[4] == name);
                            view! {
                                <a
                                    href={
                                        let r = r.clone();
                                        move || link(&[("region", if active.get() { String::new() } else { r.clone() })])
                                    }
                                    class="rounded-full px-3 py-1"
                                    class:bg-red-50=active
                                    class:text-promo=active
                                    class:bg-page=move || !active.get()
                                >
                                    {text}
                                </a>
                            }
                        })
                        .collect_view()}
                </div>
                {move || view! { <input type="hidden" name="region" value=params()[4].clone() /> }}
                <div class="flex gap-2">
                    <a href=move || link(&[("min_price", String::new()), ("max_price", String::new()), ("region", String::new())]) class="btn-outline h-9 flex-1">"重置"</a>
                    <button type="submit" class="btn-primary h-9 flex-1">"确定"</button>
                </div>
            </form>
        </details>
    }
}
