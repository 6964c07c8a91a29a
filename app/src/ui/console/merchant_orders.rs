//! 商家后台 › 订单管理 (tabs, batch shipping), 订单详情 (ship one), 配货单 (printable) and
//! 售后处理.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::orders::{OrderDetailBlock, OrderTable, OrderTabs};
use super::ConsoleShell;
use crate::api::merchant_orders::{
    merchant_after_sales, merchant_order, merchant_orders, DecideAfterSale, ShipOrder, ShipOrders,
};
use crate::domain::account::Realm;
use crate::domain::after_sale::AfterSaleAction;
use crate::domain::money::price_text;
use crate::domain::order::{Delivery, OrderAction};
use crate::domain::order_view::{OrderTab, CARRIERS};
use crate::ui::common::{datetime_text, ErrorBanner};
use crate::ui::kit::{form_error, Col, DataTable, Loaded};

#[component]
pub fn MerchantOrdersPage() -> impl IntoView {
    let query = use_query_map();
    let tab = move || OrderTab::parse(&query.read().get("tab").unwrap_or_default());
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
    };
    let ship = ServerAction::<ShipOrders>::new();
    let orders = Resource::new(
        move || (tab(), page(), ship.version().get()),
        |(t, p, _)| merchant_orders(Some(t.as_str().to_string()), Some(p)),
    );
    let error = Signal::derive(form_error(move || ship.value().get()));
    view! {
        <Title text="订单管理" />
        <ConsoleShell realm=Realm::Merchant>
            <h1 class="text-xl font-bold">"订单管理"</h1>
            {move || view! { <OrderTabs base="/merchant/orders" current=tab() /> }}
            <Loaded resource=orders let:page>
                {{
                    let express: Vec<_> = page.orders.iter().filter(|o| o.actions.contains(&OrderAction::Ship) && o.delivery == Delivery::Express).cloned().collect();
                    let batch = (tab() == OrderTab::ToShip && !express.is_empty()).then(|| view! {
                        <ActionForm action=ship>
                            <section class="mt-4 rounded-lg bg-white p-4" data-test="batch-ship">
                                <div class="flex items-center gap-3">
                                    <h2 class="font-bold">"批量发货"</h2>
                                    <select name="carrier" class="input h-9 w-40 text-sm" aria-label="快递公司">
                                        {CARRIERS.map(|c| view! { <option value=c>{c}</option> }).collect_view()}
                                    </select>
                                    <span class="text-sm text-gray-500">"填写了单号的订单将一起发货"</span>
                                    <button type="submit" class="btn-primary ml-auto h-9 px-6 text-sm">"批量发货"</button>
                                </div>
                                <ErrorBanner message=move || error.get() />
                                {move || ship.value().get().and_then(Result::ok).map(|failed| if failed.is_empty() {
                                    view! { <p role="status" class="mt-2 text-sm text-green-700">"已发货"</p> }.into_any()
                                } else {
                                    view! { <ul role="alert" class="mt-2 text-sm text-promo">{failed.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul> }.into_any()
                                })}
                                <div class="mt-3 grid grid-cols-2 gap-2">
                                    {express.iter().enumerate().map(|(n, o)| view! {
                                        <label class="flex items-center gap-2 text-sm">
                                            <input type="hidden" name=format!("rows[{n}][order_id]") value=o.id.to_string() />
                                            <span class="w-56 truncate">{format!("{} · {}", o.order_no, price_text(o.pay_amount))}</span>
                                            <input name=format!("rows[{n}][tracking_no]") placeholder="快递单号" class="input h-8 flex-1 text-sm" />
                                        </label>
                                    }).collect_view()}
                                </div>
                            </section>
                        </ActionForm>
                    });
                    view! { {batch} <OrderTable page detail="/merchant/orders" tab=tab() show_shop=false /> }.into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}

#[component]
pub fn MerchantOrderPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let ship = ServerAction::<ShipOrder>::new();
    let data = Resource::new(
        move || (id(), ship.version().get()),
        |(id, _)| merchant_order(id),
    );
    let error = Signal::derive(form_error(move || ship.value().get()));
    view! {
        <Title text="订单详情" />
        <ConsoleShell realm=Realm::Merchant>
            <a href="/merchant/orders" class="text-sm text-gray-500">"‹ 订单管理"</a>
            <Loaded resource=data let:d>
                {{
                    let s = d.order.summary.clone();
                    let pickup = s.delivery == Delivery::Pickup;
                    view! {
                        <OrderDetailBlock o=d.order after_sales=d.after_sales>
                            <section class="rounded-lg bg-white p-5 text-sm">
                                <a href=format!("/merchant/orders/{}/packing", s.id) target="_blank" class="text-promo">"打印配货单"</a>
                                {s.actions.contains(&OrderAction::Ship).then(|| view! {
                                    <ActionForm action=ship>
                                        <input type="hidden" name="order_id" value=s.id.to_string() />
                                        <div class="mt-3 flex flex-col gap-2" data-test="ship-form">
                                            <ErrorBanner message=move || error.get() />
                                            {if pickup {
                                                view! { <p class="text-gray-500">"买家到店自提：备好货后点击下方按钮通知买家。"</p> }.into_any()
                                            } else {
                                                view! {
                                                    <select name="carrier" class="input h-9 text-sm" aria-label="快递公司">
                                                        {CARRIERS.map(|c| view! { <option value=c>{c}</option> }).collect_view()}
                                                    </select>
                                                    <input name="tracking_no" required placeholder="快递单号" class="input h-9 text-sm" />
                                                }.into_any()
                                            }}
                                            <button type="submit" class="btn-primary h-9 text-sm">{if pickup { "已备货，通知自提" } else { "发货" }}</button>
                                        </div>
                                    </ActionForm>
                                })}
                            </section>
                        </OrderDetailBlock>
                    }.into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}

/// A printable sheet for the packer: receiver, items and the buyer's remark.
#[component]
pub fn PackingListPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let data = Resource::new(id, merchant_order);
    view! {
        <Title text="配货单" />
        <main class="mx-auto max-w-2xl bg-white p-8 text-sm text-black">
            <Suspense fallback=|| view! { <p>"加载中…"</p> }>
                {move || Suspend::new(async move {
                    let d = match data.await {
                        Ok(d) => d,
                        Err(e) => return view! { <p>{e.to_string()}</p> }.into_any(),
                    };
                    let (o, s) = (d.order.clone(), d.order.summary);
                    view! {
                        <h1 class="text-center text-xl font-bold">{format!("{} 配货单", s.shop_name)}</h1>
                        <p class="mt-4">{format!("订单号：{}　下单时间：{}", s.order_no, datetime_text(s.created_at))}</p>
                        <p class="mt-1">{if o.pickup_address.is_empty() {
                            format!("收货人：{} {}　地址：{}", o.receiver, o.phone, o.address)
                        } else {
                            format!("到店自提：{}", o.pickup_address)
                        }}</p>
                        <table class="mt-4 w-full border-collapse text-left" data-test="packing-list">
                            <thead><tr><th class="border p-2">"商品"</th><th class="border p-2">"规格"</th><th class="border p-2 text-right">"数量"</th><th class="border p-2">"核对"</th></tr></thead>
                            <tbody>
                                {s.items.iter().map(|i| view! {
                                    <tr><td class="border p-2">{i.title.clone()}</td><td class="border p-2">{i.spec_label.clone()}</td><td class="border p-2 text-right">{i.qty}</td><td class="border p-2">"□"</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        {(!o.remark.is_empty()).then(|| view! { <p class="mt-3">{format!("买家备注：{}", o.remark)}</p> })}
                        <p class="mt-8 text-gray-500 print:hidden">"用浏览器的打印功能（Ctrl+P）打印本页。"</p>
                    }.into_any()
                })}
            </Suspense>
        </main>
    }
}

#[component]
pub fn MerchantAfterSalesPage() -> impl IntoView {
    let decide = ServerAction::<DecideAfterSale>::new();
    let list = Resource::new(
        move || decide.version().get(),
        |_| merchant_after_sales(None),
    );
    let error = form_error(move || decide.value().get());
    view! {
        <Title text="售后处理" />
        <ConsoleShell realm=Realm::Merchant>
            <h1 class="text-xl font-bold">"售后处理"</h1>
            <p class="mt-1 text-sm text-gray-500">"同意仅退款后立即原路退款；退货退款在收到退货后退款。拒绝需写明原因，买家可申请平台介入。"</p>
            <div class="mt-3"><ErrorBanner message=error /></div>
            <Loaded resource=list let:rows>
                {view! {
                        <DataTable columns=vec![Col::text("售后单"), Col::text("商品"), Col::text("原因"), Col::num("退款金额"), Col::text("状态"), Col::text("操作")] rows test="after-sale-table" empty="暂无售后申请" let:a>
                            {
                                view! {
                                    <tr class="align-top" data-test="after-sale-row">
                                        <td><p>{a.kind.label()}</p><a href=format!("/merchant/orders/{}", a.order_id) class="text-xs text-promo">{a.order_no.clone()}</a>
                                            <p class="text-xs text-gray-400">{datetime_text(a.created_at)}</p></td>
                                        <td>{a.items.iter().map(|i| view! { <p>{format!("{}（{}）×{}", i.title, i.spec_label, i.qty)}</p> }).collect_view()}</td>
                                        <td>{a.reason.clone()}
                                            {(!a.return_tracking.is_empty()).then(|| view! { <p class="text-xs text-gray-500">{format!("退货：{} {}", a.return_carrier, a.return_tracking)}</p> })}</td>
                                        <td class="num">{price_text(a.amount)}</td>
                                        <td>{a.status.label()}</td>
                                        <td>
                                            <div class="flex flex-col gap-2">
                                                {a.actions.clone().into_iter().map(|act| match act {
                                                    AfterSaleAction::Reject => view! {
                                                        <ActionForm action=decide>
                                                            <input type="hidden" name="id" value=a.id.to_string() />
                                                            <input type="hidden" name="action" value=act.as_str() />
                                                            <div class="flex gap-1"><input name="reason" required placeholder="拒绝原因" class="input h-8 w-32 text-sm" /><button type="submit" class="text-gray-600">{act.label()}</button></div>
                                                        </ActionForm>
                                                    }.into_any(),
                                                    _ => view! {
                                                        <ActionForm action=decide>
                                                            <input type="hidden" name="id" value=a.id.to_string() />
                                                            <input type="hidden" name="action" value=act.as_str() />
                                                            <button type="submit" class="text-promo" data-test=format!("{}-after-sale", act.as_str())>{act.label()}</button>
                                                        </ActionForm>
                                                    }.into_any(),
                                                }).collect_view()}
                                                {a.actions.is_empty().then(|| view! { <span class="text-gray-400">"—"</span> })}
                                            </div>
                                        </td>
                                    </tr>
                                }
                            }
                        </DataTable>
                }}
            </Loaded>
        </ConsoleShell>
    }
}
