//! Order views shared by the merchant and platform consoles: the tab bar, the order table and
//! the order detail (items with their fixed commission rate, money, address, timeline).

use leptos::prelude::*;

use crate::domain::after_sale::AfterSaleView;
use crate::domain::category::CommissionRate;
use crate::domain::money::price_text;
use crate::domain::order_view::{OrderDetail, OrderPage, OrderTab};
use crate::domain::storefront::image_url;
use crate::ui::common::datetime_text;
use crate::ui::kit::{Col, DataTable, Pager, Tabs};

/// `550` basis points → `5.50%`.
fn rate_text(bps: i64) -> String {
    match CommissionRate::from_bps(bps) {
        Ok(r) => format!("{}%", r.percent_text()),
        Err(_) => "—".into(),
    }
}

#[component]
pub fn OrderTabs(base: &'static str, current: OrderTab) -> impl IntoView {
    let value = |t: OrderTab| {
        if t == OrderTab::All {
            String::new()
        } else {
            t.as_str().into()
        }
    };
    let items = OrderTab::CONSOLE
        .map(|t| (value(t), t.console_label().to_string()))
        .to_vec();
    view! { <Tabs base param="tab" items current=value(current) label="订单状态" /> }
}

/// The order rows of a page; `detail` is the detail path prefix (`/merchant/orders`).
#[component]
pub fn OrderTable(
    page: OrderPage,
    detail: &'static str,
    tab: OrderTab,
    show_shop: bool,
) -> impl IntoView {
    let has_more = page.has_more();
    let caption = format!("共 {} 单，第 {}/{} 页", page.total, page.page, page.pages());
    view! {
        <DataTable columns=vec![Col::text("订单号"), Col::text("店铺").only_if(show_shop), Col::text("商品"), Col::num("实付"), Col::text("配送"), Col::text("下单时间"), Col::text("状态")] rows=page.orders test="order-table" empty="暂无订单" let:o>
            {
                let goods: Vec<String> = o.items.iter().map(|i| format!("{}（{}）×{}", i.title, i.spec_label, i.qty)).collect();
                view! {
                    <tr class="align-top" data-test="order-row">
                        <td><a href=format!("{detail}/{}", o.id) class="text-promo">{o.order_no.clone()}</a></td>
                        {show_shop.then(|| view! { <td>{o.shop_name.clone()}</td> })}
                        <td class="max-w-md">{goods.into_iter().map(|g| view! { <p class="truncate">{g}</p> }).collect_view()}</td>
                        <td class="num">{price_text(o.pay_amount)}
                            {(o.refunded_amount > 0).then(|| view! { <p class="text-xs text-promo">{format!("已退 {}", price_text(o.refunded_amount))}</p> })}
                        </td>
                        <td>{o.delivery.label()}</td>
                        <td class="text-gray-500">{datetime_text(o.created_at)}</td>
                        <td>{o.status.label()}{o.after_sale_open.then_some(" · 售后中")}</td>
                    </tr>
                }
            }
        </DataTable>
        {(page.total > 0).then(|| view! { <Pager base=detail params=tab_param(tab) page=page.page has_more caption /> })}
    }.into_any()
}

/// The `tab` parameter a pager keeps (none for 全部).
fn tab_param(tab: OrderTab) -> Vec<(&'static str, String)> {
    match tab {
        OrderTab::All => vec![],
        t => vec![("tab", t.as_str().to_string())],
    }
}

/// Everything about one order; `extra` is shown under the status (actions).
#[component]
pub fn OrderDetailBlock(
    o: OrderDetail,
    after_sales: Vec<AfterSaleView>,
    children: Children,
) -> impl IntoView {
    let s = o.summary.clone();
    view! {
        <div class="mt-4 grid grid-cols-3 gap-4">
            <section class="col-span-2 rounded-lg bg-white p-5">
                <div class="flex items-center justify-between">
                    <h2 class="font-bold">{format!("订单 {}", s.order_no)}</h2>
                    <span class="rounded bg-red-50 px-2 py-0.5 text-sm text-promo" data-test="console-order-status">{s.status.label()}</span>
                </div>
                <p class="mt-1 text-xs text-gray-400">{format!("支付单号 {} · 下单 {}", s.trade_no, datetime_text(s.created_at))}</p>
                {s.ship_promise.clone().map(|p| view! {
                    <p class=if p.late { "mt-1 text-sm text-promo" } else { "mt-1 text-sm text-gray-600" } data-test="console-ship-promise">
                        {format!("预售订单 · 约定 {}{}", p.text, if p.late { "（已逾期，买家可直接全额退款）" } else { "" })}
                    </p>
                })}
                <table class="mt-4 w-full text-left text-sm">
                    <thead class="text-gray-500"><tr><th class="py-2">"商品"</th><th class="py-2 text-right">"单价"</th><th class="py-2 text-right">"数量"</th><th class="py-2 text-right">"实付"</th><th class="py-2 text-right">"佣金"</th><th class="py-2 text-right">"售后"</th></tr></thead>
                    <tbody>
                        {s.items.iter().map(|i| view! {
                            <tr class="border-t border-gray-100">
                                <td class="py-2"><div class="flex items-center gap-2">
                                    <img src=image_url(&i.image, 240) alt="" class="h-10 w-10 rounded object-cover" />
                                    <div><p>{i.title.clone()}</p><p class="text-xs text-gray-400">{i.spec_label.clone()}</p></div>
                                </div></td>
                                <td class="py-2 text-right">{price_text(i.unit_price)}</td>
                                <td class="py-2 text-right">{i.qty}</td>
                                <td class="py-2 text-right" data-test="item-paid">{price_text(i.pay_amount)}</td>
                                <td class="py-2 text-right">
                                    <span data-test="commission-rate">{rate_text(i.commission_bps.unwrap_or_default())}</span>
                                    <span class="ml-1 text-gray-500" data-test="commission-amount">{price_text(i.commission.unwrap_or_default())}</span>
                                </td>
                                <td class="py-2 text-right">{if i.refund_qty > 0 { format!("{} 件 {}", i.refund_qty, price_text(i.refund_amount)) } else { "—".into() }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <div class="mt-3 flex flex-col items-end gap-1 border-t border-gray-100 pt-3 text-sm">
                    <p>{format!("商品金额 {}", price_text(s.goods_amount))}</p>
                    <p data-test="order-shipping">{format!("运费 {}", price_text(s.shipping_fee))}</p>
                    {o.discounts.iter().map(|d| view! {
                        <p data-test="order-discount">{format!("{} {}（{}）-{}", d.source.label(), d.name, d.funder.label(), price_text(d.amount))}</p>
                    }).collect_view()}
                    <p class="font-bold">"实付 " <span class="text-promo">{price_text(s.pay_amount)}</span></p>
                    {(s.refunded_amount > 0).then(|| view! { <p class="text-promo">{format!("已退款 {}", price_text(s.refunded_amount))}</p> })}
                </div>
                {(!after_sales.is_empty()).then(|| view! {
                    <h3 class="mt-5 font-bold">"售后"</h3>
                    <ul class="mt-2 text-sm">
                        {after_sales.into_iter().map(|a| view! {
                            <li class="flex justify-between border-t border-gray-100 py-2">
                                <span>{format!("{} · {} · {}", a.after_sale_no, a.kind.label(), a.reason)}</span>
                                <span>{price_text(a.amount)} " " <b class="text-promo">{a.status.label()}</b></span>
                            </li>
                        }).collect_view()}
                    </ul>
                })}
            </section>
            <aside class="flex flex-col gap-4">
                <section class="rounded-lg bg-white p-5 text-sm">
                    <h3 class="mb-2 font-bold">{s.delivery.label()}</h3>
                    {if o.pickup_address.is_empty() {
                        view! {
                            <p>{o.receiver.clone()} " " {o.phone.clone()}</p>
                            <p class="mt-1 text-gray-600">{o.address.clone()}</p>
                        }.into_any()
                    } else {
                        view! { <p class="text-gray-600">{format!("自提点：{}", o.pickup_address)}</p> }.into_any()
                    }}
                    {(!o.remark.is_empty()).then(|| view! { <p class="mt-2 rounded bg-amber-50 px-2 py-1">{format!("买家备注：{}", o.remark)}</p> })}
                    {(!o.carrier.is_empty()).then(|| view! { <p class="mt-2 text-gray-600">{format!("物流：{} {}", o.carrier, o.tracking_no)}</p> })}
                </section>
                {children()}
                <section class="rounded-lg bg-white p-5 text-sm">
                    <h3 class="mb-2 font-bold">"订单进度"</h3>
                    <ol class="border-l border-gray-200 pl-3" data-test="console-timeline">
                        {o.timeline.into_iter().map(|e| view! {
                            <li class="mb-2"><p>{e.label} {(!e.note.is_empty()).then(|| format!("（{}）", e.note))}</p><p class="text-xs text-gray-400">{datetime_text(e.at)}</p></li>
                        }).collect_view()}
                    </ol>
                </section>
            </aside>
        </div>
    }
}
