//! 拼团: the list of activities selling now (each leading to its product), a group's share page
//! (its members and free seats, the time left, 参团 per SKU, the viewer's own order), and the
//! strip a product page shows while the product is in an activity: 发起拼团 per SKU and the
//! open groups to join. Countdowns are [`Countdown`], written by the server from its clock.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::flash_sale::Countdown;
use super::{H5Layout, TopBar};
use crate::api::group_buys::{fetch_group, fetch_group_buys, product_group_buy};
use crate::domain::group_buy::{
    ActivitySkuView, ActivityView, GroupPage as GroupData, GroupStatus, GroupView, MemberFace,
    MemberStatus,
};
use crate::domain::money::price_text;
use crate::domain::storefront::image_url;
use crate::ui::common::href_with;
use crate::ui::kit::{Loaded, Place};

/// The checkout of one unit of `sku` in the activity: opening a group, or joining `group`.
fn buy_link(activity: i64, group: Option<i64>, sku: i64) -> String {
    let target = match group {
        Some(g) => format!("g{activity}.{g}:{sku}x1"),
        None => format!("g{activity}:{sku}x1"),
    };
    href_with("/checkout", &[("items", target)])
}

/// A SKU's name on a button: its spec when the activity has several SKUs.
fn sku_name(a: &ActivityView, s: &ActivitySkuView) -> String {
    if a.skus.len() > 1 && !s.spec_label.is_empty() {
        format!("{} ", s.spec_label)
    } else {
        String::new()
    }
}

/// Members still needed to fill the group.
fn short_of(g: &GroupView) -> i64 {
    (g.size - g.paid).max(0)
}

#[component]
pub fn GroupBuyPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| fetch_group_buys());
    view! {
        <Title text="拼团" />
        <H5Layout>
            <TopBar title="拼团" />
            <Loaded resource=list place=Place::Shop let:rows>
                {if rows.is_empty() {
                    view! { <p class="px-6 py-16 text-center text-sm text-gray-400" data-test="no-group-buy">"暂无拼团活动"</p> }.into_any()
                } else {
                    view! {
                        <ul class="flex flex-col gap-2 p-3" data-test="group-buy-items">
                            {rows.into_iter().map(|a| view! { <ActivityCard a /> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Loaded>
        </H5Layout>
    }
}

#[component]
fn ActivityCard(a: ActivityView) -> impl IntoView {
    let href = format!("/product/{}", a.product_id);
    view! {
        <li data-test="group-buy-item">
            <a href=href class="flex gap-3 rounded-xl bg-white p-3">
                <img src=image_url(&a.image, 240) alt="" width="96" height="96" loading="lazy" class="h-24 w-24 shrink-0 rounded-lg bg-page object-cover" />
                <div class="flex min-w-0 flex-1 flex-col">
                    <p class="line-clamp-2 text-sm font-medium">{a.title.clone()}</p>
                    <p class="truncate text-xs text-gray-400">{a.shop_name.clone()} " · " {a.product_title.clone()}</p>
                    <div class="mt-auto flex items-end justify-between gap-2">
                        <div class="min-w-0">
                            <p class="text-xs text-promo">{format!("{}人团", a.group_size)}</p>
                            <p>
                                <b class="text-lg text-promo" data-test="group-price">{price_text(a.from_price)}</b>
                                <del class="ml-1 text-xs text-gray-400">{price_text(a.from_normal_price)}</del>
                            </p>
                            {(a.open_groups > 0).then(|| view! { <p class="text-xs text-gray-500">{format!("{} 个团正在拼", a.open_groups)}</p> })}
                        </div>
                        <span class="rounded-full bg-promo px-4 py-1.5 text-sm font-medium text-white">"去拼团"</span>
                    </div>
                </div>
            </a>
        </li>
    }
}

/// The address to share this page by: the host the shopper reached the mall by, and `path`.
fn shared_url(path: &str) -> String {
    #[cfg(feature = "ssr")]
    if let Some(parts) = use_context::<http::request::Parts>() {
        let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let host = header(http::header::HOST.as_str()).filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        });
        if let Some(host) = host {
            let scheme = match header("x-forwarded-proto") {
                Some("https") => "https",
                _ => "http",
            };
            return format!("{scheme}://{host}{path}");
        }
    }
    path.to_string()
}

#[component]
pub fn GroupPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let page = Resource::new(id, fetch_group);
    view! {
        <Title text="拼团" />
        <H5Layout>
            <TopBar title="拼团" />
            <Loaded resource=page place=Place::Shop not_found=true let:p>
                {view! { <GroupBody p /> }.into_any()}
            </Loaded>
        </H5Layout>
    }
}

#[component]
fn GroupBody(p: GroupData) -> impl IntoView {
    let (g, a, now) = (p.group.clone(), p.activity.clone(), p.now);
    let status = GroupStatus::parse(&g.status);
    let open = status == Some(GroupStatus::Open);
    view! {
        <a href=format!("/product/{}", a.product_id) class="m-3 flex gap-3 rounded-xl bg-white p-3" data-test="group-product">
            <img src=image_url(&a.image, 240) alt="" width="80" height="80" class="h-20 w-20 shrink-0 rounded-lg bg-page object-cover" />
            <div class="flex min-w-0 flex-1 flex-col">
                <p class="line-clamp-2 text-sm font-medium">{a.product_title.clone()}</p>
                <p class="truncate text-xs text-gray-400">{a.shop_name.clone()}</p>
                <p class="mt-auto">
                    <span class="mr-1 rounded bg-red-50 px-1 text-xs text-promo">{format!("{}人团", g.size)}</span>
                    <b class="text-lg text-promo">{price_text(a.from_price)}</b>
                    <del class="ml-1 text-xs text-gray-400">{price_text(a.from_normal_price)}</del>
                </p>
            </div>
        </a>
        <section class="mx-3 rounded-xl bg-white p-4 text-center" data-test="group-state">
            <GroupState g=g.clone() now />
            <Seats g=g.clone() open />
        </section>
        <section class="mx-3 mt-3 flex flex-col gap-2 rounded-xl bg-white p-4">
            {if p.cannot_join.is_empty() {
                a.skus.iter().map(|s| {
                    let name = sku_name(&a, s);
                    if s.sold >= s.quantity {
                        view! { <span class="btn-outline opacity-50">{format!("{name}已售罄")}</span> }.into_any()
                    } else {
                        view! {
                            <a href=buy_link(a.id, Some(g.id), s.sku_id) class="btn-primary" data-test="group-join">
                                {format!("{}{} 参团", name, price_text(s.price))}
                            </a>
                        }.into_any()
                    }
                }).collect_view().into_any()
            } else {
                view! { <p class="text-center text-sm text-gray-500" data-test="group-cannot-join">{p.cannot_join.clone()}</p> }.into_any()
            }}
            {p.my_order_id.map(|order| view! {
                <p class="flex items-center justify-between text-sm">
                    <span class="text-gray-500">
                        "我的状态："
                        {p.my_status.as_deref().and_then(MemberStatus::parse).map(|s| s.label())}
                    </span>
                    <a href=format!("/orders/{order}") class="text-promo" data-test="group-my-order">"我的订单 ›"</a>
                </p>
            })}
            {(p.my_status.is_some() && open).then(|| view! {
                <label class="field mt-1" data-test="group-share">
                    <span>"分享此页邀请好友参团"</span>
                    <input class="input text-sm" readonly value=shared_url(&format!("/group/{}", g.id)) aria-label="拼团链接" />
                </label>
            })}
        </section>
        <p class="px-4 py-3 text-xs leading-5 text-gray-400">
            {format!(
                "拼团规则：{}人成团，开团后 {} 小时内未成团将自动退款；每人限购 {} 件。",
                g.size, a.lifetime_hours, a.per_user_limit
            )}
        </p>
    }
}

/// What the group is at: seats short and the time left, or how it ended.
#[component]
fn GroupState(g: GroupView, now: i64) -> impl IntoView {
    match GroupStatus::parse(&g.status) {
        Some(GroupStatus::Open) => view! {
            <p class="text-base font-bold">
                "还差 " <b class="text-promo" data-test="group-short">{short_of(&g)}</b> " 人成团"
            </p>
            {if g.expires_at > now {
                view! { <p class="mt-1 text-sm text-gray-500">"剩余 " <Countdown until=g.expires_at now /></p> }.into_any()
            } else {
                view! { <p class="mt-1 text-sm text-gray-500">"已到期，正在结算拼团结果"</p> }.into_any()
            }}
        }
        .into_any(),
        Some(GroupStatus::Succeeded) => view! {
            <p class="text-base font-bold text-green-700" data-test="group-succeeded">"拼团成功"</p>
            {(g.virtual_count > 0).then(|| view! {
                <p class="mt-1 text-xs text-gray-400" data-test="group-virtual">{format!("另有 {} 个名额由系统补位", g.virtual_count)}</p>
            })}
        }
        .into_any(),
        Some(GroupStatus::Failed) => view! {
            <p class="text-base font-bold text-gray-500" data-test="group-failed">"拼团失败"</p>
            <p class="mt-1 text-xs text-gray-400">"已付款的订单将全额原路退回"</p>
        }
        .into_any(),
        Some(GroupStatus::Pending) => view! {
            <p class="text-base font-bold">"团长付款后开团"</p>
        }
        .into_any(),
        _ => view! { <p class="text-base font-bold text-gray-500">{g.status_label.clone()}</p> }.into_any(),
    }
}

/// The paid members as faces (the leader marked), then, while the group is open, the seats
/// held by orders being paid and the free seats. Virtual members are never drawn.
#[component]
fn Seats(g: GroupView, open: bool) -> impl IntoView {
    let paying = if open {
        (g.size - g.paid - g.seats_left).max(0)
    } else {
        0
    };
    let free = if open { g.seats_left.max(0) } else { 0 };
    view! {
        <ul class="mt-4 flex flex-wrap justify-center gap-3" aria-label="团员">
            {g.members.into_iter().map(|m| view! { <Face m /> }).collect_view()}
            {(0..paying).map(|_| view! {
                <li class="flex w-14 flex-col items-center gap-1" data-test="group-seat">
                    <span class="flex h-12 w-12 items-center justify-center rounded-full border border-dashed border-amber-400 text-xs text-amber-600">"…"</span>
                    <span class="text-xs text-gray-400">"待付款"</span>
                </li>
            }).collect_view()}
            {(0..free).map(|_| view! {
                <li class="flex w-14 flex-col items-center gap-1" data-test="group-seat">
                    <span class="flex h-12 w-12 items-center justify-center rounded-full border border-dashed border-gray-300 text-lg text-gray-300">"?"</span>
                    <span class="text-xs text-gray-400">"待参团"</span>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// A member's avatar (or a circle with the name's first character) and masked name.
#[component]
fn Face(m: MemberFace) -> impl IntoView {
    let initial: String = m.name.chars().take(1).collect();
    view! {
        <li class="relative flex w-14 flex-col items-center gap-1" data-test="group-member">
            {if m.avatar.is_empty() {
                view! { <span class="flex h-12 w-12 items-center justify-center rounded-full bg-red-100 text-base text-promo" aria-hidden="true">{initial}</span> }.into_any()
            } else {
                view! { <img src=m.avatar.clone() alt="" width="48" height="48" loading="lazy" class="h-12 w-12 rounded-full bg-page object-cover" /> }.into_any()
            }}
            {m.leader.then(|| view! { <span class="absolute -top-1 rounded-full bg-promo px-1.5 text-[10px] leading-4 text-white" data-test="group-leader">"团长"</span> })}
            <span class="w-full truncate text-center text-xs text-gray-500">{m.name.clone()}</span>
        </li>
    }
}

/// On a product page: its running activity with 发起拼团 per SKU and up to five open groups to
/// join. Nothing when the product is in no activity.
#[component]
pub fn GroupBuyStrip(product_id: i64) -> impl IntoView {
    let data = Resource::new(move || product_id, product_group_buy);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(Some(d)) = data.await else { return ().into_any() };
                let (a, now) = (d.activity, d.now);
                view! {
                    <section class="mt-2 bg-white px-4 py-3" data-test="group-strip">
                        <h2 class="flex items-baseline justify-between text-sm">
                            <span class="font-bold text-promo">{format!("{}人拼团", a.group_size)}</span>
                            <span class="text-xs text-gray-400">{format!("每人限购 {} 件", a.per_user_limit)}</span>
                        </h2>
                        <ul class="mt-2 flex flex-col gap-2">
                            {a.skus.iter().map(|s| view! {
                                <li class="flex items-center justify-between gap-2">
                                    <p class="min-w-0 truncate text-sm">
                                        {(!s.spec_label.is_empty()).then(|| view! { <span class="mr-1 text-gray-500">{s.spec_label.clone()}</span> })}
                                        <b class="text-promo">{price_text(s.price)}</b>
                                        <del class="ml-1 text-xs text-gray-400">{price_text(s.normal_price)}</del>
                                    </p>
                                    {if s.sold >= s.quantity {
                                        view! { <span class="text-sm text-gray-400">"已售罄"</span> }.into_any()
                                    } else {
                                        view! {
                                            <a href=buy_link(a.id, None, s.sku_id) class="shrink-0 rounded-full bg-promo px-3 py-1 text-sm text-white" data-test="group-open">
                                                {format!("{}发起拼团", sku_name(&a, s))}
                                            </a>
                                        }.into_any()
                                    }}
                                </li>
                            }).collect_view()}
                        </ul>
                        {(!d.groups.is_empty()).then(|| view! {
                            <h3 class="mt-3 text-xs text-gray-500">"以下小伙伴正在拼团，可直接参团"</h3>
                            <ul class="mt-1 divide-y divide-gray-100" data-test="group-list">
                                {d.groups.iter().take(5).map(|g| view! { <OpenGroup g=g.clone() now /> }).collect_view()}
                            </ul>
                        })}
                    </section>
                }.into_any()
            })}
        </Transition>
    }
}

/// One open group on the product page: its leader, seats short and time left, 去参团.
#[component]
fn OpenGroup(g: GroupView, now: i64) -> impl IntoView {
    let leader = g.members.iter().find(|m| m.leader).cloned();
    view! {
        <li class="flex items-center gap-2 py-2" data-test="group-open-row">
            {leader.map(|m| view! { <span class="truncate text-sm">{m.name}</span> })}
            <span class="ml-auto text-xs text-gray-500">
                {format!("还差 {} 人", short_of(&g))}
                {(g.expires_at > now).then(|| view! { " · 剩余 " <Countdown until=g.expires_at now /> })}
            </span>
            <a href=format!("/group/{}", g.id) class="shrink-0 rounded-full border border-promo px-3 py-1 text-xs text-promo" data-test="group-join">"去参团"</a>
        </li>
    }
}
