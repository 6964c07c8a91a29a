//! 领券中心 (every coupon open for claiming, to visitors too) and 我的优惠券 (可使用 / 已使用 /
//! 已失效). Claiming is a form post that comes back to the page, so it works before the wasm
//! loads; a visitor's 领取 leads to sign-in.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

use super::{H5Layout, TopBar};
use crate::api::coupons::{claimable_coupons, my_coupons, shop_offers, ClaimCoupon};
use crate::domain::coupon::{ClaimableCoupon, CopyStatus, MyCoupon};
use crate::domain::money::price_text;
use crate::domain::time::day_text;
use crate::ui::common::ErrorBanner;
use crate::ui::kit::{form_error, Loaded, Place, Tabs};

/// The big figure of a coupon's face: ¥20 or 8.5折.
fn figure(rule: &crate::domain::coupon::CouponRule) -> String {
    use crate::domain::coupon::{discount_text, CouponKind};
    match rule.kind {
        CouponKind::Percent => discount_text(rule.off_bps),
        _ => price_text(rule.amount_off),
    }
}

/// What a coupon asks: 满¥100.00可用 / 无门槛.
fn condition(rule: &crate::domain::coupon::CouponRule) -> String {
    if rule.threshold > 0 {
        format!("满{}可用", price_text(rule.threshold))
    } else {
        "无门槛".to_string()
    }
}

/// Coupons open for claiming, each with its 领取 button (`claim`: the page keys what it loads
/// on its so a claimed coupon shows 已领取). `back` is where a plain form post
/// returns to.
#[component]
pub fn ClaimList(
    coupons: Vec<ClaimableCoupon>,
    back: String,
    claim: ServerAction<ClaimCoupon>,
) -> impl IntoView {
    let error = Signal::derive(form_error(move || claim.value().get()));
    view! {
        <ErrorBanner message=move || error.get() />
        <ul class="flex flex-col gap-3">
            {coupons.into_iter().map(|c| {
                let full = c.mine >= c.per_user_limit;
                let back = back.clone();
                let owner = if c.shop_name.is_empty() { "平台券".to_string() } else { c.shop_name.clone() };
                view! {
                    <li class="flex overflow-hidden rounded-xl bg-white" data-test="claimable-coupon">
                        <div class="flex w-24 shrink-0 flex-col items-center justify-center bg-promo/10 py-3 text-promo">
                            <span class="text-xl font-bold">{figure(&c.rule)}</span>
                            <span class="text-xs">{condition(&c.rule)}</span>
                        </div>
                        <div class="min-w-0 flex-1 p-3">
                            <p class="truncate text-sm font-bold">{c.name.clone()}</p>
                            <p class="mt-1 text-xs text-gray-500">{format!("{owner} · {}", c.scope_text)}</p>
                            <p class="mt-1 text-xs text-gray-400">{c.validity_text.clone()}</p>
                            <div class="mt-1 h-1 rounded bg-gray-100" aria-label=format!("已领 {}%", c.claimed_percent)>
                                <div class="h-1 rounded bg-promo" style=format!("width:{}%", c.claimed_percent)></div>
                            </div>
                        </div>
                        <div class="flex shrink-0 items-center pr-3">
                            {if full {
                                view! { <span class="rounded-full border border-gray-200 px-3 py-1 text-xs text-gray-400">"已领取"</span> }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=claim>
                                        <input type="hidden" name="template_id" value=c.template_id.to_string() />
                                        <input type="hidden" name="back" value=back />
                                        <button type="submit" class="rounded-full bg-promo px-3 py-1 text-xs text-white" data-test="claim">"领取"</button>
                                    </ActionForm>
                                }.into_any()
                            }}
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn CouponCenterPage() -> impl IntoView {
    let claim = ServerAction::<ClaimCoupon>::new();
    let coupons = Resource::new(|| (), |_| claimable_coupons(None));
    let location = use_location();
    view! {
        <Title text="领券中心" />
        <H5Layout>
            <TopBar title="领券中心" />
            <div class="p-3">
                <a href="/me/coupons" class="mb-3 block text-right text-sm text-gray-500">"我的优惠券 ›"</a>
                <Loaded resource=coupons place=Place::Shop let:list>
                    {if list.is_empty() {
                        view! { <p class="py-16 text-center text-sm text-gray-400">"暂时没有可领取的优惠券"</p> }.into_any()
                    } else {
                        let back = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
                        view! { <ClaimList coupons=list back claim /> }.into_any()
                    }}
                </Loaded>
            </div>
        </H5Layout>
    }
}

#[component]
pub fn MyCouponsPage() -> impl IntoView {
    let query = use_query_map();
    let tab = move || query.read().get("tab").unwrap_or_default();
    let coupons = Resource::new(tab, |t| my_coupons(Some(t)));
    let tabs = vec![
        (String::new(), "可使用".to_string()),
        ("used".to_string(), "已使用".to_string()),
        ("expired".to_string(), "已失效".to_string()),
    ];
    view! {
        <Title text="我的优惠券" />
        <H5Layout>
            <TopBar title="我的优惠券" />
            <div class="bg-white px-3">
                <Tabs base="/me/coupons" param="tab" items=tabs current=Signal::derive(tab) label="优惠券状态" />
            </div>
            <div class="p-3">
                <Loaded resource=coupons place=Place::Shop sign_in_to="查看优惠券" let:list>
                    {if list.is_empty() {
                        view! {
                            <div class="py-16 text-center text-sm text-gray-400">
                                <p>"这里还没有优惠券"</p>
                                <a href="/coupons" class="mt-4 inline-block rounded-full border border-promo px-4 py-1 text-promo">"去领券中心"</a>
                            </div>
                        }.into_any()
                    } else {
                        view! { <ul class="flex flex-col gap-3">{list.into_iter().map(|c| view! { <MyCouponCard c /> }).collect_view()}</ul> }.into_any()
                    }}
                </Loaded>
            </div>
        </H5Layout>
    }
}

#[component]
fn MyCouponCard(c: MyCoupon) -> impl IntoView {
    let usable = c.status == CopyStatus::Available;
    let owner = if c.shop_name.is_empty() {
        "平台券".to_string()
    } else {
        c.shop_name.clone()
    };
    let go = c
        .merchant_id
        .map_or("/".to_string(), |m| format!("/shop/{m}"));
    view! {
        <li class="flex overflow-hidden rounded-xl bg-white" class:opacity-60=!usable data-test="my-coupon">
            <div class="flex w-24 shrink-0 flex-col items-center justify-center py-3"
                class:bg-promo=usable class:text-white=usable class:bg-gray-200=!usable class:text-gray-500=!usable>
                <span class="text-xl font-bold">{figure(&c.rule)}</span>
                <span class="text-xs">{condition(&c.rule)}</span>
            </div>
            <div class="min-w-0 flex-1 p-3">
                <p class="truncate text-sm font-bold">{c.name.clone()}</p>
                <p class="mt-1 text-xs text-gray-500">{format!("{owner} · {}", c.scope_text)}</p>
                <p class="mt-1 text-xs text-gray-400">{format!("{} 至 {}", day_text(c.valid_from), day_text(c.valid_until - 1))}</p>
            </div>
            <div class="flex shrink-0 items-center pr-3 text-xs">
                {if usable {
                    view! { <a href=go class="rounded-full border border-promo px-3 py-1 text-promo">"去使用"</a> }.into_any()
                } else {
                    view! { <span class="text-gray-400">{c.status.label()}</span> }.into_any()
                }}
            </div>
        </li>
    }
}

/// A shop's offers on its page, or on a product's page (`product`: only the full-reduction
/// covering it): 满减 labels and the shop's coupons to claim. Nothing when it offers none.
#[component]
pub fn ShopOffersStrip(shop_id: i64, #[prop(optional)] product: Option<i64>) -> impl IntoView {
    let claim = ServerAction::<ClaimCoupon>::new();
    let offers = Resource::new(move || shop_id, shop_offers);
    let location = use_location();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(o) = offers.await else { return ().into_any() };
                let promotions: Vec<_> = o
                    .promotions
                    .into_iter()
                    .filter(|p| product.is_none_or(|id| p.product_ids.is_empty() || p.product_ids.contains(&id)))
                    .collect();
                if promotions.is_empty() && o.coupons.is_empty() {
                    return ().into_any();
                }
                let back = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
                view! {
                    <section class="mx-3 mt-3 rounded-xl bg-white p-3 text-sm" data-test="shop-offers">
                        {promotions.into_iter().map(|p| view! {
                            <p class="mb-2 flex items-center gap-2" data-test="full-reduction-label">
                                <span class="rounded bg-promo px-1 text-xs text-white">"满减"</span>
                                <span>{p.label}</span>
                            </p>
                        }).collect_view()}
                        {(!o.coupons.is_empty()).then(|| view! { <ClaimList coupons=o.coupons back claim /> })}
                    </section>
                }.into_any()
            })}
        </Transition>
    }
}
