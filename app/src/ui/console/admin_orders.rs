//! 平台管理 › 订单管理 (every shop's orders, read-only) and 售后仲裁 (appealed refusals).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::orders::{OrderDetailBlock, OrderTable, OrderTabs};
use super::ConsoleShell;
use crate::api::admin_orders::{admin_after_sales, admin_order, admin_orders, ArbitrateAfterSale};
use crate::domain::account::Realm;
use crate::domain::money::price_text;
use crate::domain::order_view::OrderTab;
use crate::ui::common::{datetime_text, ErrorBanner};
use crate::ui::kit::{form_error, Loaded};

#[component]
pub fn AdminOrdersPage() -> impl IntoView {
    let query = use_query_map();
    let tab = move || OrderTab::parse(&query.read().get("tab").unwrap_or_default());
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
    };
    let orders = Resource::new(
        move || (tab(), page()),
        |(t, p)| admin_orders(Some(t.as_str().to_string()), Some(p)),
    );
    view! {
        <Title text="订单管理" />
        <ConsoleShell realm=Realm::Admin>
            <h1 class="text-xl font-bold">"订单管理"</h1>
            {move || view! { <OrderTabs base="/admin/orders" current=tab() /> }}
            <Loaded resource=orders let:page>
                {view! { <OrderTable page detail="/admin/orders" tab=tab() show_shop=true /> }.into_any()}
            </Loaded>
        </ConsoleShell>
    }
}

#[component]
pub fn AdminOrderPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new(id, admin_order);
    view! {
        <Title text="订单详情" />
        <ConsoleShell realm=Realm::Admin>
            <a href="/admin/orders" class="text-sm text-gray-500">"‹ 订单管理"</a>
            <Loaded resource=data let:d>
                {view! {
                    <OrderDetailBlock o=d.order after_sales=d.after_sales>
                        <p class="rounded-lg bg-white p-5 text-xs text-gray-500">"平台只读：收货人手机号已脱敏，详细地址不显示。"</p>
                    </OrderDetailBlock>
                }.into_any()}
            </Loaded>
        </ConsoleShell>
    }
}

#[component]
pub fn AdminAfterSalesPage() -> impl IntoView {
    let arbitrate = ServerAction::<ArbitrateAfterSale>::new();
    let list = Resource::new(move || arbitrate.version().get(), |_| admin_after_sales());
    let error = form_error(move || arbitrate.value().get());
    view! {
        <Title text="售后仲裁" />
        <ConsoleShell realm=Realm::Admin>
            <h1 class="text-xl font-bold">"售后仲裁"</h1>
            <p class="mt-1 text-sm text-gray-500">"买家对商家拒绝的售后申请了平台介入。支持买家则按原申请退款（退货退款需买家先寄回），支持商家则关闭售后。"</p>
            <div class="mt-3"><ErrorBanner message=error /></div>
            <Loaded resource=list let:rows>
                {match rows {
                    rows if rows.is_empty() => view! { <p class="mt-6 rounded-lg bg-white p-8 text-center text-gray-400">"没有待仲裁的售后"</p> }.into_any(),
                    rows => view! {
                        <div class="mt-4 flex flex-col gap-3">
                            {rows.into_iter().map(|a| view! {
                                <article class="rounded-lg bg-white p-5 text-sm" data-test="arbitration">
                                    <div class="flex justify-between">
                                        <p class="font-bold">{format!("{} · {} · {}", a.shop_name, a.kind.label(), price_text(a.amount))}</p>
                                        <a href=format!("/admin/orders/{}", a.order_id) class="text-promo">{a.order_no.clone()}</a>
                                    </div>
                                    <p class="mt-1 text-gray-600">{format!("买家原因：{}", a.reason)}</p>
                                    <p class="text-gray-600">{format!("商家拒绝：{}", a.reject_reason)}</p>
                                    <p class="text-xs text-gray-400">{datetime_text(a.created_at)}</p>
                                    <ActionForm action=arbitrate>
                                        <input type="hidden" name="id" value=a.id.to_string() />
                                        <div class="mt-3 flex items-center gap-3">
                                            <input name="note" required placeholder="处理意见（双方可见）" class="input h-9 flex-1 text-sm" />
                                            <label class="flex items-center gap-1"><input type="radio" name="decision" value="refund" required class="accent-promo" />"支持买家"</label>
                                            <label class="flex items-center gap-1"><input type="radio" name="decision" value="close" class="accent-promo" />"支持商家"</label>
                                            <button type="submit" class="btn-primary h-9 px-5 text-sm">"提交"</button>
                                        </div>
                                    </ActionForm>
                                </article>
                            }).collect_view()}
                        </div>
                    }.into_any(),
                }}
            </Loaded>
        </ConsoleShell>
    }
}
