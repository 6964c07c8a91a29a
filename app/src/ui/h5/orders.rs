//! 我的订单 (tabs 全部 / 待付款 / 待发货 / 待收货 / 待评价 / 售后) and 订单详情 with its timeline
//! (for a 拼团 order, its group and, while it waits for the group, 退出拼团; for a 定金 预售
//! order, its deposit and balance and, in the balance window, 支付尾款).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::TopBar;
use crate::api::group_buys::LeaveGroup;
use crate::api::orders::{fetch_my_order, fetch_my_orders, CancelOrder, ConfirmOrder};
use crate::api::presales::{PayBalance, RefundLate};
use crate::domain::money::price_text;
use crate::domain::order::{Delivery, OrderAction, OrderStatus};
use crate::domain::order_view::{OrderItemView, OrderSummary, OrderTab};
use crate::domain::presale::ShipPromiseView;
use crate::domain::presale_deposit::BalanceView;
use crate::domain::storefront::image_url;
use crate::ui::common::{datetime_text, href_with, ErrorBanner};
use crate::ui::kit::{form_error, Loaded, Place};

#[component]
pub fn OrdersPage() -> impl IntoView {
    let query = use_query_map();
    let tab = move || OrderTab::parse(&query.read().get("tab").unwrap_or_default());
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
    };
    let cancel = ServerAction::<CancelOrder>::new();
    let confirm = ServerAction::<ConfirmOrder>::new();
    let pay_balance = ServerAction::<PayBalance>::new();
    let orders = Resource::new(
        move || {
            (
                tab(),
                page(),
                cancel.version().get(),
                confirm.version().get(),
            )
        },
        |(tab, page, ..)| fetch_my_orders(Some(tab.as_str().to_string()), Some(page)),
    );
    let action_error = form_error(move || cancel.value().get().or(confirm.value().get()));
    let balance_error = form_error(move || pay_balance.value().get());
    let error = move || action_error().or_else(balance_error);
    view! {
        <Title text="我的订单" />
        <div class="mx-auto min-h-screen max-w-[480px] bg-page pb-6">
            <TopBar title="我的订单" />
            <nav class="sticky top-12 z-10 grid grid-cols-6 bg-white text-center text-sm" aria-label="订单状态">
                {OrderTab::SHOPPER.map(|t| view! {
                    <a href=href_with("/orders", &[("tab", if t == OrderTab::All { String::new() } else { t.as_str().into() })])
                        class="border-b-2 py-2.5"
                        class:border-promo=move || tab() == t class:text-promo=move || tab() == t
                        class:border-transparent=move || tab() != t
                        aria-current=move || (tab() == t).then_some("page")>{t.label()}</a>
                }).collect_view()}
            </nav>
            <div class="p-3"><ErrorBanner message=error /></div>
            <Loaded resource=orders place=Place::Shop sign_in_to="查看订单" let:p>
                {match p {
                    p if p.orders.is_empty() => view! { <p class="py-20 text-center text-gray-400" data-test="no-orders">"暂无订单"</p> }.into_any(),
                    p => {
                        let more = (p.page as i64) * (p.page_size as i64) < p.total;
                        let next = href_with("/orders", &[("tab", tab().as_str().into()), ("page", (p.page + 1).to_string())]);
                        view! {
                            <div class="flex flex-col gap-3 px-3">
                                {p.orders.into_iter().map(|o| view! { <OrderCard o cancel confirm pay_balance /> }).collect_view()}
                                {more.then(|| view! { <a href=next class="py-3 text-center text-sm text-gray-500">"加载更多"</a> })}
                            </div>
                        }.into_any()
                    },
                }}
            </Loaded>
        </div>
    }
}

#[component]
fn OrderCard(
    o: OrderSummary,
    cancel: ServerAction<CancelOrder>,
    confirm: ServerAction<ConfirmOrder>,
    pay_balance: ServerAction<PayBalance>,
) -> impl IntoView {
    let qty: i64 = o.items.iter().map(|i| i.qty).sum();
    let status = o.status;
    let stages = o
        .balance
        .clone()
        .filter(|_| matches!(status, OrderStatus::Unpaid | OrderStatus::AwaitingBalance));
    let payable_now =
        status == OrderStatus::AwaitingBalance && stages.as_ref().is_some_and(|b| b.payable_now);
    view! {
        <article class="rounded-xl bg-white p-3" data-test="order-card">
            <div class="mb-2 flex items-center justify-between text-sm">
                <a href=format!("/shop/{}", o.shop_id) class="font-bold">{o.shop_name.clone()} " ›"</a>
                <span class="text-promo" data-test="order-status">{status_text(&o)}</span>
            </div>
            <a href=format!("/orders/{}", o.id) class="block">
                {o.items.iter().map(|i| view! { <ItemRow i=i.clone() /> }).collect_view()}
                <p class="mt-1 text-right text-sm">{format!("共 {qty} 件 实付 ")}<b>{price_text(o.pay_amount)}</b></p>
            </a>
            {o.ship_promise.clone().filter(|_| o.status == OrderStatus::ToShip).map(|p| view! {
                <p class="mt-1 text-xs text-gray-500" data-test="card-promise">{format!("预售 · 预计 {}", p.text)}</p>
            })}
            {stages.map(|b| view! {
                <p class="mt-1 text-right text-xs text-gray-500" data-test="card-balance">
                    {format!(
                        "{} {} · 尾款 {} · {} 支付",
                        if status == OrderStatus::Unpaid { "待付定金" } else { "已付定金" },
                        price_text(b.deposit),
                        price_text(b.balance),
                        b.window
                    )}
                </p>
            })}
            <div class="mt-2 flex justify-end gap-2">
                {o.actions.contains(&OrderAction::Cancel).then(|| view! { <CancelButton action=cancel id=o.id /> })}
                {o.actions.contains(&OrderAction::Pay).then(|| view! { <PayLink trade_no=o.trade_no.clone() /> })}
                {o.actions.contains(&OrderAction::ConfirmReceipt).then(|| view! { <ConfirmButton action=confirm id=o.id /> })}
                {payable_now.then(|| view! { <PayBalanceButton action=pay_balance id=o.id /> })}
                {o.to_review.then(|| view! { <ReviewLink id=o.id /> })}
                {(!o.to_review && !payable_now && !o.actions.iter().any(|a| matches!(a, OrderAction::Cancel | OrderAction::Pay | OrderAction::ConfirmReceipt))).then(|| view! {
                    <a href=format!("/orders/{}", o.id) class="flex h-8 items-center rounded-full border border-gray-300 px-4 text-sm">"查看详情"</a>
                })}
            </div>
        </article>
    }
}

/// 取消订单: the order state machine offered `Cancel`.
#[component]
fn CancelButton(action: ServerAction<CancelOrder>, id: i64) -> impl IntoView {
    view! {
        <ActionForm action>
            <input type="hidden" name="id" value=id.to_string() />
            <button type="submit" class="h-8 rounded-full border border-gray-300 px-4 text-sm">{OrderAction::Cancel.label()}</button>
        </ActionForm>
    }
}

/// 去支付: the order state machine offered `Pay`.
#[component]
fn PayLink(trade_no: String) -> impl IntoView {
    view! { <a href=format!("/pay/{trade_no}") class="flex h-8 items-center rounded-full bg-promo px-4 text-sm text-white">"去支付"</a> }
}

/// 支付尾款: a 定金 预售 order in its balance window; to the balance's pay page.
#[component]
fn PayBalanceButton(action: ServerAction<PayBalance>, id: i64) -> impl IntoView {
    view! {
        <ActionForm action>
            <input type="hidden" name="order_id" value=id.to_string() />
            <button type="submit" class="h-8 whitespace-nowrap rounded-full bg-promo px-4 text-sm text-white" data-test="pay-balance">{OrderAction::PayBalance.label()}</button>
        </ActionForm>
    }
}

/// 确认收货: the order state machine offered `ConfirmReceipt`.
#[component]
fn ConfirmButton(action: ServerAction<ConfirmOrder>, id: i64) -> impl IntoView {
    view! {
        <ActionForm action>
            <input type="hidden" name="id" value=id.to_string() />
            <button type="submit" class="h-8 rounded-full bg-promo px-4 text-sm text-white" data-test="confirm-receipt">{OrderAction::ConfirmReceipt.label()}</button>
        </ActionForm>
    }
}

fn status_text(o: &OrderSummary) -> String {
    let base = if o.status == OrderStatus::ToShip && o.delivery == Delivery::Pickup {
        "待自提"
    } else {
        o.status.label()
    };
    if o.after_sale_open {
        format!("{base} · 售后中")
    } else if o.refunded_amount > 0 {
        format!("{base} · 已退款 {}", price_text(o.refunded_amount))
    } else {
        base.to_string()
    }
}

#[component]
fn ItemRow(i: OrderItemView) -> impl IntoView {
    view! {
        <div class="flex gap-3 py-1.5">
            <img src=image_url(&i.image, 240) alt="" width="64" height="64" loading="lazy" class="h-16 w-16 rounded-lg bg-page object-cover" />
            <div class="min-w-0 flex-1">
                <p class="line-clamp-2 text-sm">{i.title.clone()}</p>
                <p class="mt-1 text-xs text-gray-400">{i.spec_label.clone()}</p>
                {(i.refund_qty > 0).then(|| view! { <p class="mt-1 text-xs text-promo">{format!("售后 {} 件 · {}", i.refund_qty, price_text(i.refund_amount))}</p> })}
            </div>
            <div class="text-right text-sm">
                <p>{price_text(i.unit_price)}</p>
                <p class="text-xs text-gray-400">{format!("×{}", i.qty)}</p>
            </div>
        </div>
    }
}

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let cancel = ServerAction::<CancelOrder>::new();
    let confirm = ServerAction::<ConfirmOrder>::new();
    let leave = ServerAction::<LeaveGroup>::new();
    let refund_late = ServerAction::<RefundLate>::new();
    let pay_balance = ServerAction::<PayBalance>::new();
    let data = Resource::new(
        move || {
            (
                id(),
                cancel.version().get(),
                confirm.version().get(),
                leave.version().get(),
                refund_late.version().get(),
            )
        },
        |(id, ..)| fetch_my_order(id),
    );
    let cancel_error = form_error(move || cancel.value().get().or(confirm.value().get()));
    let leave_error = form_error(move || leave.value().get());
    let late_error = form_error(move || refund_late.value().get());
    let balance_error = form_error(move || pay_balance.value().get());
    let error = move || {
        cancel_error()
            .or_else(leave_error)
            .or_else(late_error)
            .or_else(balance_error)
    };
    view! {
        <Title text="订单详情" />
        <div class="mx-auto min-h-screen max-w-[480px] bg-page pb-20">
            <TopBar title="订单详情" />
            <div class="p-3 empty:hidden"><ErrorBanner message=error /></div>
            <Loaded resource=data place=Place::Shop sign_in_to="查看订单" not_found=true let:d>
                {{
                    let o = d.order;
                    let s = o.summary.clone();
                    let can_after_sale = s.actions.contains(&OrderAction::RequestAfterSale)
                        && s.items.iter().any(|i| i.refund_qty < i.qty);
                    view! {
                        <section class="bg-promo px-5 py-6 text-white">
                            <p class="text-lg font-bold" data-test="detail-status">{status_text(&s)}</p>
                            {s.pay_deadline.map(|t| view! { <p class="mt-1 text-sm opacity-90">{format!("请在 {} 前支付", datetime_text(t))}</p> })}
                            {(!o.cancel_reason.is_empty()).then(|| view! { <p class="mt-1 text-sm opacity-90">{o.cancel_reason.clone()}</p> })}
                        </section>
                        <div class="flex flex-col gap-3 p-3">
                            {s.ship_promise.clone().filter(|_| s.status == OrderStatus::ToShip).map(|p| view! { <PromiseCard p order=s.id refund_late /> })}
                            {s.balance.clone().map(|b| view! { <BalanceCard b order=s.id awaiting=s.status == OrderStatus::AwaitingBalance pay_balance /> })}
                            {d.group_id.map(|g| view! { <GroupCard group=g order=s.id grouping=s.status == OrderStatus::Grouping && !s.after_sale_open leave /> })}
                            {if s.delivery == Delivery::Pickup {
                                view! { <section class="rounded-xl bg-white p-4 text-sm"><p class="font-bold">"到店自提"</p><p class="mt-1 text-gray-600">{o.pickup_address.clone()}</p></section> }.into_any()
                            } else {
                                view! {
                                    <section class="rounded-xl bg-white p-4 text-sm">
                                        <p class="font-bold">{o.receiver.clone()} <span class="ml-2 font-normal text-gray-500">{o.phone.clone()}</span></p>
                                        <p class="mt-1 text-gray-600">{o.address.clone()}</p>
                                        {(!o.tracking_no.is_empty()).then(|| view! { <p class="mt-2 text-gray-500">{format!("{} {}", o.carrier, o.tracking_no)}</p> })}
                                    </section>
                                }.into_any()
                            }}
                            <section class="rounded-xl bg-white p-4">
                                <a href=format!("/shop/{}", s.shop_id) class="mb-2 block text-sm font-bold">{s.shop_name.clone()} " ›"</a>
                                {s.items.iter().map(|i| view! { <ItemRow i=i.clone() /> }).collect_view()}
                                <div class="mt-3 flex flex-col gap-1.5 border-t border-gray-100 pt-3 text-sm">
                                    <p class="flex justify-between"><span>"商品金额"</span><span>{price_text(s.goods_amount)}</span></p>
                                    <p class="flex justify-between"><span>"运费"</span><span>{price_text(s.shipping_fee)}</span></p>
                                    {o.discounts.iter().map(|d| view! {
                                        <p class="flex justify-between" data-test="order-discount">
                                            <span>{d.source.label()} <span class="ml-1 text-gray-400">{d.name.clone()}</span></span>
                                            <span class="text-promo">{format!("-{}", price_text(d.amount))}</span>
                                        </p>
                                    }).collect_view()}
                                    <p class="flex justify-between font-bold"><span>{if s.balance.as_ref().is_some_and(|b| b.status != crate::domain::presale_deposit::BalanceStatus::Paid) { "订单金额" } else { "实付款" }}</span><span class="text-promo" data-test="detail-paid">{price_text(s.pay_amount)}</span></p>
                                    {(s.refunded_amount > 0).then(|| view! { <p class="flex justify-between"><span>"已退款"</span><span class="text-promo" data-test="detail-refunded">{price_text(s.refunded_amount)}</span></p> })}
                                </div>
                            </section>
                            {(!d.after_sales.is_empty()).then(|| view! {
                                <section class="rounded-xl bg-white p-4 text-sm">
                                    <h2 class="mb-2 font-bold">"售后记录"</h2>
                                    {d.after_sales.iter().map(|a| view! {
                                        <a href=format!("/after-sales/{}", a.id) class="flex justify-between py-1.5" data-test="after-sale-link">
                                            <span>{format!("{} {}", a.kind.label(), price_text(a.amount))}</span>
                                            <span class="text-promo">{a.status.label()} " ›"</span>
                                        </a>
                                    }).collect_view()}
                                </section>
                            })}
                            <section class="rounded-xl bg-white p-4 text-xs text-gray-500">
                                <p>{format!("订单编号：{}", s.order_no)}</p>
                                <p class="mt-1">{format!("下单时间：{}", datetime_text(s.created_at))}</p>
                                {(!o.remark.is_empty()).then(|| view! { <p class="mt-1">{format!("订单备注：{}", o.remark)}</p> })}
                                <ol class="mt-3 border-l border-gray-200 pl-3" data-test="timeline">
                                    {o.timeline.iter().rev().map(|e| view! {
                                        <li class="mb-2"><p class="text-ink">{e.label.clone()} {(!e.note.is_empty()).then(|| format!("（{}）", e.note))}</p><p>{datetime_text(e.at)}</p></li>
                                    }).collect_view()}
                                </ol>
                            </section>
                        </div>
                        <div class="fixed inset-x-0 bottom-0 z-10 mx-auto flex h-14 max-w-[480px] items-center justify-end gap-2 border-t border-gray-100 bg-white px-4">
                            {can_after_sale.then(|| view! {
                                <a href=format!("/orders/{}/after-sale", s.id) class="flex h-8 items-center rounded-full border border-gray-300 px-4 text-sm" data-test="ask-after-sale">"申请售后"</a>
                            })}
                            {s.actions.contains(&OrderAction::Cancel).then(|| view! { <CancelButton action=cancel id=s.id /> })}
                            {s.actions.contains(&OrderAction::Pay).then(|| view! { <PayLink trade_no=s.trade_no.clone() /> })}
                            {s.actions.contains(&OrderAction::ConfirmReceipt).then(|| view! { <ConfirmButton action=confirm id=s.id /> })}
                            {s.to_review.then(|| view! { <ReviewLink id=s.id /> })}
                        </div>
                    }.into_any()
                }}
            </Loaded>
        </div>
    }
}

/// A 拼团 order's group: its share page, and 退出拼团 while the order waits for the group (not
/// once it left: its refund is under way).
#[component]
fn GroupCard(
    group: i64,
    order: i64,
    grouping: bool,
    leave: ServerAction<LeaveGroup>,
) -> impl IntoView {
    view! {
        <section class="rounded-xl bg-white p-4 text-sm" data-test="order-group">
            <a href=format!("/group/{group}") class="flex items-center justify-between" data-test="view-group">
                <span class="font-bold">"拼团订单"</span>
                <span class="text-promo">"查看拼团 ›"</span>
            </a>
            {grouping.then(|| view! {
                <ActionForm action=leave attr:class="mt-3 flex items-center justify-between gap-3 border-t border-gray-100 pt-3">
                    <input type="hidden" name="order_id" value=order.to_string() />
                    <span class="text-xs text-gray-500">"成团前可退出，退出后全额退款"</span>
                    <button type="submit" class="h-8 shrink-0 rounded-full border border-gray-300 px-4 text-sm" data-test="leave-group">"退出拼团"</button>
                </ActionForm>
            })}
        </section>
    }
}

/// A 定金 预售 order's deposit and balance, the balance window, what a missed balance does to
/// the deposit, and 支付尾款 while the window is open.
#[component]
fn BalanceCard(
    b: BalanceView,
    order: i64,
    awaiting: bool,
    pay_balance: ServerAction<PayBalance>,
) -> impl IntoView {
    view! {
        <section class="rounded-xl bg-white p-4 text-sm" data-test="order-balance">
            <p class="flex items-center justify-between">
                <span class="font-bold">"定金预售"</span>
                <span class="text-gray-600" data-test="balance-status">{b.status_label.clone()}</span>
            </p>
            <p class="mt-2 flex justify-between"><span>"定金"</span><span>{price_text(b.deposit)}</span></p>
            <p class="flex justify-between"><span>"尾款"</span><b class="text-promo" data-test="balance-amount">{price_text(b.balance)}</b></p>
            <p class="mt-1 text-xs text-gray-500">{format!("尾款支付时间 {}", b.window)}</p>
            <p class="text-xs text-gray-400">{b.missed_policy_label.clone()}</p>
            {(awaiting && b.payable_now).then(|| view! {
                <div class="mt-3 flex justify-end border-t border-gray-100 pt-3">
                    <PayBalanceButton action=pay_balance id=order />
                </div>
            })}
        </section>
    }
}

/// A 预售 order's ship promise, and, once the shop broke it, 全额退款 at the shopper's word.
#[component]
fn PromiseCard(
    p: ShipPromiseView,
    order: i64,
    refund_late: ServerAction<RefundLate>,
) -> impl IntoView {
    view! {
        <section class="rounded-xl bg-white p-4 text-sm" data-test="order-promise">
            <p class="flex items-center justify-between">
                <span class="font-bold">"预售订单"</span>
                <span class=if p.late { "text-promo" } else { "text-gray-600" } data-test="promise-text">
                    {if p.late { format!("已超过约定发货时间（{}）", p.text) } else { format!("预计 {}", p.text) }}
                </span>
            </p>
            {p.late.then(|| view! {
                <ActionForm action=refund_late attr:class="mt-3 flex items-center justify-between gap-3 border-t border-gray-100 pt-3">
                    <input type="hidden" name="order_id" value=order.to_string() />
                    <span class="text-xs text-gray-500">"商家逾期未发货，可直接全额退款"</span>
                    <button type="submit" class="h-8 shrink-0 rounded-full border border-promo px-4 text-sm text-promo" data-test="refund-late">"全额退款"</button>
                </ActionForm>
            })}
        </section>
    }
}

/// 评价 of a completed order with lines waiting for the shopper's review.
#[component]
fn ReviewLink(id: i64) -> impl IntoView {
    view! {
        <a href=format!("/orders/{id}/review") class="flex h-8 items-center rounded-full border border-promo px-4 text-sm text-promo" data-test="review-order">"评价"</a>
    }
}
