//! 店铺: the shop's banner, logo, introduction, featured products and everything on sale.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::product_grid::ProductGrid;
use crate::api::storefront::fetch_shop;
use crate::domain::storefront::{image_url, ShopPage};
use crate::ui::common::href_with;
use crate::ui::kit::{Loaded, Place};

#[component]
pub fn ShopFrontPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let id = params.read().get("id").and_then(|v| v.parse::<i64>().ok());
        let q = query.read();
        (
            id,
            q.get("page").and_then(|p| p.parse::<u32>().ok()),
            q.get("sort"),
        )
    };
    let shop = Resource::new(key, |(id, page, sort)| async move {
        match id {
            Some(id) => fetch_shop(id, page, sort).await,
            None => Err(crate::error::AppError::not_found("店铺不存在")),
        }
    });
    view! {
        <Loaded resource=shop place=Place::Shop not_found=true let:s>
            {view! { <ShopView s /> }.into_any()}
        </Loaded>
    }
}

#[component]
fn ShopView(s: ShopPage) -> impl IntoView {
    let id = s.shop.id;
    let page = s.products.page;
    let more = s.products.has_more();
    let banner = s.banners.first().cloned();
    view! {
        <Title text=s.shop.name.clone() />
        <div class="mx-auto min-h-screen max-w-[480px] bg-page pb-8">
            <header class="relative h-40 bg-gradient-to-br from-orange-400 to-promo">
                {banner.map(|b| view! { <img src=image_url(&b, 750) alt="" width="750" height="300" fetchpriority="high" class="h-full w-full object-cover" /> })}
                <a href="/" aria-label="返回首页" class="absolute left-3 top-3 flex h-8 w-8 items-center justify-center rounded-full bg-black/40 text-lg text-white">"‹"</a>
            </header>
            <section class="relative mx-3 -mt-8 rounded-xl bg-white p-4 shadow-sm">
                <div class="flex items-center gap-3">
                    <img src=image_url(&s.shop.logo, 240) alt="" width="56" height="56" class="h-14 w-14 rounded-lg border border-white bg-page object-cover shadow" />
                    <div class="min-w-0">
                        <h1 class="truncate text-lg font-bold" data-test="shop-title">{s.shop.name.clone()}</h1>
                        <p class="text-xs text-gray-400">{format!("{} · {} · {} 件在售", s.shop.region, s.kind_label, s.shop.product_count)}</p>
                    </div>
                </div>
                <p class="mt-3 text-sm leading-6 text-gray-600">{s.intro.clone()}</p>
            </section>
            <crate::ui::h5::coupons::ShopOffersStrip shop_id=id />
            <crate::ui::h5::review::ShopScoresStrip shop_id=id />
            {(!s.featured.is_empty()).then(|| view! {
                <section class="mx-3 mt-3">
                    <h2 class="mb-2 text-base font-bold">"掌柜推荐"</h2>
                    <ProductGrid products=s.featured.clone() />
                </section>
            })}
            <section class="mx-3 mt-4">
                <h2 class="mb-2 text-base font-bold">"全部商品"</h2>
                <ProductGrid products=s.products.items.clone() />
                <nav class="mt-4 flex justify-center gap-3 text-sm" aria-label="翻页">
                    {(page > 1).then(|| view! { <a class="btn-outline h-9 px-5" href=href_with(&format!("/shop/{id}"), &[("page", (page - 1).to_string())])>"上一页"</a> })}
                    {more.then(|| view! { <a class="btn-outline h-9 px-5" href=href_with(&format!("/shop/{id}"), &[("page", (page + 1).to_string())])>"下一页"</a> })}
                </nav>
            </section>
        </div>
    }
}
