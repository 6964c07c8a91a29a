//! 预售: the list of presales selling now (each leading to its product), and the strip a
//! product page shows while the product is in a presale: the presale price per SKU, the ship
//! promise and 立即预订; for a 定金 presale each SKU's deposit and what it counts for, the
//! balance window and what a missed balance does to the deposit, and 付定金.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{H5Layout, TopBar};
use crate::api::presales::{fetch_presales, product_presale};
use crate::domain::money::price_text;
use crate::domain::presale::{DepositPlanView, PresaleView};
use crate::domain::storefront::image_url;
use crate::ui::common::href_with;
use crate::ui::kit::{Loaded, Place};

/// The checkout of one unit of `sku` in presale `presale`.
fn buy_link(presale: i64, sku: i64) -> String {
    href_with("/checkout", &[("items", format!("p{presale}:{sku}x1"))])
}

/// `定金 ¥10.00 抵 ¥30.00` (or `定金 ¥10.00`) for one SKU of a deposit presale.
fn deposit_text(plan: &DepositPlanView, sku_id: i64) -> Option<String> {
    let d = plan.skus.iter().find(|d| d.sku_id == sku_id)?;
    Some(if d.deposit_value > d.deposit {
        format!(
            "定金 {} 抵 {}",
            price_text(d.deposit),
            price_text(d.deposit_value)
        )
    } else {
        format!("定金 {}", price_text(d.deposit))
    })
}

#[component]
pub fn PresalePage() -> impl IntoView {
    let list = Resource::new(|| (), |_| fetch_presales());
    view! {
        <Title text="预售" />
        <H5Layout>
            <TopBar title="预售" />
            <Loaded resource=list place=Place::Shop let:rows>
                {if rows.is_empty() {
                    view! { <p class="px-6 py-16 text-center text-sm text-gray-400" data-test="no-presale">"暂无预售活动"</p> }.into_any()
                } else {
                    view! {
                        <ul class="flex flex-col gap-2 p-3" data-test="presale-items">
                            {rows.into_iter().map(|p| view! { <PresaleCard p /> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Loaded>
        </H5Layout>
    }
}

#[component]
fn PresaleCard(p: PresaleView) -> impl IntoView {
    let href = format!("/product/{}", p.product_id);
    let deposit = p.deposit.as_ref().and_then(|plan| {
        let first = p.skus.iter().min_by_key(|s| s.price)?;
        deposit_text(plan, first.sku_id)
    });
    view! {
        <li data-test="presale-item">
            <a href=href class="flex gap-3 rounded-xl bg-white p-3">
                <img src=image_url(&p.image, 240) alt="" width="96" height="96" loading="lazy" class="h-24 w-24 shrink-0 rounded-lg bg-page object-cover" />
                <div class="flex min-w-0 flex-1 flex-col">
                    <p class="line-clamp-2 text-sm font-medium">{p.title.clone()}</p>
                    <p class="truncate text-xs text-gray-400">{p.shop_name.clone()} " · " {p.product_title.clone()}</p>
                    <div class="mt-auto flex items-end justify-between gap-2">
                        <div class="min-w-0">
                            <p class="text-xs text-promo" data-test="presale-ship">{p.ship_text.clone()}</p>
                            {deposit.map(|d| view! { <p class="text-xs text-promo" data-test="presale-deposit">{d}</p> })}
                            <p>
                                <b class="text-lg text-promo" data-test="presale-price">{price_text(p.from_price)}</b>
                                {(p.from_normal_price > p.from_price).then(|| view! { <del class="ml-1 text-xs text-gray-400">{price_text(p.from_normal_price)}</del> })}
                            </p>
                        </div>
                        <span class="shrink-0 whitespace-nowrap rounded-full bg-promo px-4 py-1.5 text-sm font-medium text-white">{if p.deposit.is_some() { "付定金" } else { "去预订" }}</span>
                    </div>
                </div>
            </a>
        </li>
    }
}

/// On a product page: its presale selling now, with the ship promise and 立即预订 per SKU.
/// Nothing when the product is in no presale.
#[component]
pub fn PresaleStrip(product_id: i64) -> impl IntoView {
    let data = Resource::new(move || product_id, product_presale);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(Some(p)) = data.await else { return ().into_any() };
                view! {
                    <section class="mt-2 bg-white px-4 py-3" data-test="presale-strip">
                        <h2 class="flex items-baseline justify-between text-sm">
                            <span class="font-bold text-promo">"预售"</span>
                            <span class="text-xs text-gray-400">{format!("每人限购 {} 件", p.per_user_limit)}</span>
                        </h2>
                        <p class="mt-1 text-xs text-gray-600" data-test="presale-ship">
                            {match &p.deposit {
                                None => format!("预售时间 {} · {}", p.window, p.ship_text),
                                Some(_) => format!("付定金 {} · {}", p.window, p.ship_text),
                            }}
                        </p>
                        {p.deposit.as_ref().map(|plan| view! {
                            <p class="text-xs text-gray-600" data-test="presale-balance-window">{format!("付尾款 {}", plan.balance_window)}</p>
                            <p class="text-xs text-gray-400" data-test="presale-missed">{plan.missed_label.clone()}</p>
                        })}
                        <p class="text-xs text-gray-400">"商家未按约定时间发货，可申请全额退款"</p>
                        <ul class="mt-2 flex flex-col gap-2">
                            {p.skus.iter().map(|s| view! {
                                <li class="flex items-center justify-between gap-2">
                                    <div class="min-w-0">
                                        <p class="truncate text-sm">
                                            {(!s.spec_label.is_empty()).then(|| view! { <span class="mr-1 text-gray-500">{s.spec_label.clone()}</span> })}
                                            <b class="text-promo">{price_text(s.price)}</b>
                                            {(s.normal_price > s.price).then(|| view! { <del class="ml-1 text-xs text-gray-400">{price_text(s.normal_price)}</del> })}
                                        </p>
                                        {p.deposit.as_ref().and_then(|plan| deposit_text(plan, s.sku_id)).map(|d| view! {
                                            <p class="text-xs text-promo" data-test="presale-deposit">{d}</p>
                                        })}
                                    </div>
                                    {if s.sold >= s.quantity {
                                        view! { <span class="text-sm text-gray-400">"已售罄"</span> }.into_any()
                                    } else {
                                        view! {
                                            <a href=buy_link(p.id, s.sku_id) class="shrink-0 whitespace-nowrap rounded-full bg-promo px-3 py-1 text-sm text-white" data-test="presale-buy">{if p.deposit.is_some() { "付定金" } else { "立即预订" }}</a>
                                        }.into_any()
                                    }}
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                }.into_any()
            })}
        </Transition>
    }
}
