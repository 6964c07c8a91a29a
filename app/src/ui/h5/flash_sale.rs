//! 限时秒杀: the board of running and upcoming slots (`?slot=<start ms>` picks one; the running
//! slot, else the next, by default), each item with its price against the normal one, a sold
//! share bar and 马上抢 leading to the checkout of that one item; and the strip a product page
//! shows while one of its SKUs is in a slot. Countdowns are written by the server from its
//! clock, so they are right before the wasm loads ([`Countdown`]).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{H5Layout, TopBar};
use crate::api::flash_sales::{fetch_flash_sale_board, product_flash_sales};
use crate::domain::flash_sale::{BoardSlot, ItemView, SlotPhase};
use crate::domain::money::price_text;
use crate::domain::storefront::image_url;
use crate::domain::time::datetime_text;
use crate::ui::common::href_with;
use crate::ui::kit::{Loaded, Place};

/// `01:02:03` of a number of seconds.
fn hms(secs: i64) -> String {
    let s = secs.max(0);
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// Time left until `until` (epoch ms) as the server saw it at `now`: rendered on the server,
/// then ticking in the browser from the page's own start (`performance.now()`), so a phone
/// whose clock is wrong still counts right. At zero the page reloads: the slot has moved on.
#[island]
pub fn Countdown(until: i64, now: i64) -> impl IntoView {
    let left = RwSignal::new((until - now).max(0) / 1000);
    #[cfg(feature = "hydrate")]
    {
        let total = until - now;
        let tick = move || {
            let Some(w) = web_sys::window() else { return };
            let since_start = w.performance().map_or(0.0, |p| p.now()) as i64;
            let secs = ((total - since_start).max(0) + 999) / 1000;
            left.set(secs);
            if secs == 0 {
                let _ = w.location().reload();
            }
        };
        tick();
        if let Ok(handle) = set_interval_with_handle(tick, std::time::Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    }
    view! { <span class="tabular-nums" data-test="countdown">{move || hms(left.get())}</span> }
}

/// The checkout of one unit of an item in its slot.
fn buy_link(i: &ItemView) -> String {
    href_with(
        "/checkout",
        &[("items", format!("f{}:{}x1", i.id, i.sku_id))],
    )
}

#[component]
pub fn FlashSalePage() -> impl IntoView {
    let query = use_query_map();
    let board = Resource::new(|| (), |_| fetch_flash_sale_board());
    let picked = move || query.read().get("slot").and_then(|s| s.parse::<i64>().ok());
    view! {
        <Title text="限时秒杀" />
        <H5Layout>
            <TopBar title="限时秒杀" />
            <Loaded resource=board place=Place::Shop let:b>
                {{
                    let now = b.now;
                    let chosen = picked()
                        .and_then(|p| b.slots.iter().position(|s| s.slot.starts_at == p))
                        .unwrap_or(0);
                    match b.slots.get(chosen).cloned() {
                        None => view! {
                            <p class="px-6 py-16 text-center text-sm text-gray-400" data-test="no-flash-sale">"暂无秒杀场次，敬请期待"</p>
                        }.into_any(),
                        Some(slot) => view! {
                            <nav class="flex gap-1 overflow-x-auto bg-[#1f2430] px-2 py-2" aria-label="秒杀场次" data-test="flash-slots">
                                {b.slots.iter().enumerate().map(|(i, s)| {
                                    let on = i == chosen;
                                    let phase = if s.phase == SlotPhase::Running.as_str() { "抢购中" } else { "即将开始" };
                                    view! {
                                        <a href=href_with("/flash-sale", &[("slot", s.slot.starts_at.to_string())])
                                            class="flex shrink-0 flex-col items-center rounded-lg px-3 py-1 text-white/70"
                                            class:bg-promo=on class:text-white=on
                                            aria-current=on.then_some("page")>
                                            <span class="text-base font-bold">{s.label.clone()}</span>
                                            <span class="text-xs">{phase}</span>
                                        </a>
                                    }
                                }).collect_view()}
                            </nav>
                            <SlotItems current=slot now=now />
                        }.into_any(),
                    }
                }}
            </Loaded>
        </H5Layout>
    }
}

#[component]
fn SlotItems(current: BoardSlot, now: i64) -> impl IntoView {
    let slot = current;
    let running = slot.phase == SlotPhase::Running.as_str();
    let (label, until) = if running {
        ("距本场结束", slot.slot.ends_at)
    } else {
        ("距开抢还有", slot.slot.starts_at)
    };
    view! {
        <p class="flex items-center justify-center gap-2 bg-white py-2 text-sm">
            <span class="text-gray-500">{label}</span>
            <b class="rounded bg-ink px-1.5 text-white"><Countdown until now /></b>
        </p>
        <ul class="flex flex-col gap-2 p-3" data-test="flash-items">
            {slot.items.into_iter().map(|i| {
                let sold_out = i.sold >= i.quantity;
                let action = if !running {
                    view! { <span class="rounded-full border border-promo px-4 py-1.5 text-sm text-promo">"即将开抢"</span> }.into_any()
                } else if sold_out {
                    view! { <span class="rounded-full bg-gray-300 px-4 py-1.5 text-sm text-white" data-test="sold-out">"已抢光"</span> }.into_any()
                } else {
                    view! { <a href=buy_link(&i) class="rounded-full bg-promo px-4 py-1.5 text-sm font-medium text-white" data-test="flash-buy">"马上抢"</a> }.into_any()
                };
                view! {
                    <li class="flex gap-3 rounded-xl bg-white p-3" data-test="flash-item">
                        <a href=format!("/product/{}", i.product_id) class="shrink-0">
                            <img src=image_url(&i.image, 240) alt="" width="96" height="96" loading="lazy" class="h-24 w-24 rounded-lg bg-page object-cover" />
                        </a>
                        <div class="flex min-w-0 flex-1 flex-col">
                            <a href=format!("/product/{}", i.product_id) class="line-clamp-2 text-sm font-medium">{i.title.clone()}</a>
                            <p class="truncate text-xs text-gray-400">{i.shop_name.clone()} " · " {i.spec_label.clone()} " · 每人限购 " {i.per_user_limit} " 件"</p>
                            <div class="mt-auto flex items-end justify-between gap-2">
                                <div class="min-w-0 flex-1">
                                    <p>
                                        <b class="text-lg text-promo" data-test="flash-price">{price_text(i.price)}</b>
                                        <del class="ml-1 text-xs text-gray-400">{price_text(i.normal_price)}</del>
                                    </p>
                                    <div class="mt-1 flex items-center gap-1.5 text-xs text-gray-500">
                                        <progress class="flash-progress h-1.5 w-20" max="100" value=i.sold_percent aria-label="已抢比例"></progress>
                                        {format!("已抢 {}%", i.sold_percent)}
                                    </div>
                                </div>
                                {action}
                            </div>
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// On a product page: its item in the running (or next) slot with the price and 马上抢, or
/// when it starts. Nothing when the product is in no slot.
#[component]
pub fn FlashSaleStrip(product_id: i64) -> impl IntoView {
    let items = Resource::new(move || product_id, product_flash_sales);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(b) = items.await else { return ().into_any() };
                let Some(slot) = b.slots.first().cloned() else { return ().into_any() };
                let running = slot.phase == SlotPhase::Running.as_str();
                let Some(i) = slot.items.first().cloned() else { return ().into_any() };
                let now = b.now;
                view! {
                    <section class="flex items-center gap-3 bg-gradient-to-r from-promo to-orange-500 px-4 py-2 text-white" data-test="flash-strip">
                        <div class="min-w-0 flex-1">
                            <p class="text-xs">"限时秒杀 · " {i.spec_label.clone()}</p>
                            <p><b class="text-xl">{price_text(i.price)}</b> <del class="ml-1 text-xs text-white/70">{price_text(i.normal_price)}</del></p>
                        </div>
                        {if running && i.sold < i.quantity {
                            view! {
                                <div class="text-right text-xs">
                                    <p>"距结束 " <Countdown until=slot.slot.ends_at now /></p>
                                    <a href=buy_link(&i) class="mt-1 inline-block rounded-full bg-white px-3 py-1 text-sm font-medium text-promo" data-test="flash-buy">"马上抢"</a>
                                </div>
                            }.into_any()
                        } else if running {
                            view! { <p class="text-sm">"已抢光"</p> }.into_any()
                        } else {
                            view! { <p class="text-right text-xs">{datetime_text(slot.slot.starts_at)} <br /> "开抢"</p> }.into_any()
                        }}
                    </section>
                }.into_any()
            })}
        </Transition>
    }
}
