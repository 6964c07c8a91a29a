//! 首页: search, shop banners, category shortcuts and recommended products across shops.

use leptos::prelude::*;
use leptos_meta::Title;

use super::product_grid::ProductGrid;
use super::H5Layout;
use crate::api::storefront::fetch_home;
use crate::domain::storefront::image_url;
use crate::ui::kit::{Loaded, Place};

#[component]
pub fn HomePage() -> impl IntoView {
    let feed = Resource::new(|| (), |_| fetch_home());
    view! {
        <Title text="" />
        <H5Layout>
            <header class="bg-promo px-4 pb-4 pt-3 text-white">
                <div class="flex items-baseline gap-2">
                    <h1 class="text-xl font-bold">"集市"</h1>
                    <span class="text-xs opacity-90">"产地好物 · 一次付款买遍全城"</span>
                </div>
                <form method="get" action="/search" role="search" class="mt-3">
                    <input
                        type="search"
                        name="q"
                        placeholder="搜索 毛尖 / 辣椒酱 / 苹果"
                        aria-label="搜索商品"
                        class="h-9 w-full rounded-full bg-white px-4 text-sm text-ink outline-none"
                    />
                </form>
            </header>
            <Loaded resource=feed place=Place::Shop let:feed>
                {{
                    view! {
                        <section aria-label="店铺活动" class="mx-3 mt-3 flex snap-x snap-mandatory gap-2 overflow-x-auto rounded-xl">
                            {if feed.banners.is_empty() {
                                view! {
                                    <div class="w-full shrink-0 rounded-xl bg-gradient-to-r from-orange-400 to-promo p-5 text-white">
                                        <p class="text-lg font-bold">"乡村好物节"</p>
                                        <p class="mt-1 text-sm opacity-90">"茶农、果农、手艺人的店都在这里，产地直发"</p>
                                    </div>
                                }.into_any()
                            } else {
                                feed.banners
                                    .into_iter()
                                    .enumerate()
                                    // the first banner is the page's largest paint; the others wait
                                    .map(|(i, b)| view! {
                                        <a href=format!("/shop/{}", b.shop_id) class="relative aspect-[5/2] w-full shrink-0 snap-center overflow-hidden rounded-xl">
                                            <img src=image_url(&b.image, 750) alt=b.shop_name.clone() width="750" height="300" loading=if i == 0 { "eager" } else { "lazy" } fetchpriority=if i == 0 { "high" } else { "auto" } class="h-full w-full object-cover" />
                                            <span class="absolute bottom-2 left-3 text-sm font-bold text-white drop-shadow">{b.shop_name}</span>
                                        </a>
                                    })
                                    .collect_view()
                                    .into_any()
                            }}
                        </section>
                        <nav aria-label="商品分类" class="mx-3 mt-3 grid grid-cols-5 gap-y-3 rounded-xl bg-white py-4">
                            {feed.categories
                                .into_iter()
                                .map(|c| view! {
                                    <a href=format!("/search?category={}", c.id) class="flex flex-col items-center gap-1 text-xs">
                                        <span class="flex h-11 w-11 items-center justify-center rounded-full bg-page text-2xl">{c.icon}</span>
                                        {c.name}
                                    </a>
                                })
                                .collect_view()}
                        </nav>
                        <nav aria-label="活动" class="mx-3 mt-3 grid grid-cols-2 gap-2">
                            <a href="/flash-sale" class="rounded-xl bg-white p-3" data-test="home-flash-sale">
                                <p class="font-bold text-promo">"限时秒杀"</p>
                                <p class="mt-0.5 text-xs text-gray-500">"整点开抢 · 产地直发"</p>
                            </a>
                            <a href="/group-buy" class="rounded-xl bg-white p-3" data-test="home-group-buy">
                                <p class="font-bold text-rose-500">"拼团"</p>
                                <p class="mt-0.5 text-xs text-gray-500">"邀好友 · 更低价"</p>
                            </a>
                            <a href="/presale" class="rounded-xl bg-white p-3" data-test="home-presale">
                                <p class="font-bold text-emerald-600">"预售"</p>
                                <p class="mt-0.5 text-xs text-gray-500">"产地预订 · 按期发货"</p>
                            </a>
                            <a href="/coupons" class="rounded-xl bg-white p-3" data-test="home-coupons">
                                <p class="font-bold text-orange-500">"领券中心"</p>
                                <p class="mt-0.5 text-xs text-gray-500">"平台券 · 店铺券"</p>
                            </a>
                        </nav>
                        <section class="mx-3 mt-4">
                            <h2 class="mb-2 flex items-baseline justify-between text-base font-bold">
                                "为你推荐"
                                <a href="/search" class="text-xs font-normal text-gray-400">"全部商品 ›"</a>
                            </h2>
                            <ProductGrid products=feed.recommended />
                        </section>
                    }.into_any()
                }}
            </Loaded>
        </H5Layout>
    }
}
