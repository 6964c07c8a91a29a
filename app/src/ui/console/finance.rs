//! Finance views shared by the merchant and platform consoles: status tabs, the bill table and
//! bill detail, withdrawal and ledger tables, and the pager of lists without a total.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::domain::ledger::SettlementAmounts;
use crate::domain::money::price_text;
use crate::domain::settlement::{
    period_text, BillDetail, BillSummary, LedgerPage, WithdrawalStatus, WithdrawalView,
};
use crate::error::AppError;
use crate::ui::common::datetime_text;
use crate::ui::kit::{Pager, StatusBadge, Tabs};

/// Rows per page of bills and withdrawals (the services' page size).
pub const LIST_PAGE: usize = 20;

/// `+¥12.50` / `−¥12.50`: a movement on an account.
pub fn signed_price(fen: i64) -> String {
    match fen {
        0 => price_text(0),
        f if f > 0 => format!("+{}", price_text(f)),
        f => format!("−{}", price_text(-f)),
    }
}

/// `?page=` of the current URL (1 when absent).
pub fn page_param() -> impl Fn() -> u32 + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .filter(|p| *p > 0)
            .unwrap_or(1)
    }
}

/// `?<key>=` of the current URL (empty when absent).
pub fn text_param(key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || query.read().get(key).unwrap_or_default()
}

/// The latest result of any of a page's actions (for one error banner over several forms).
pub fn latest_result(
    results: Vec<Signal<Option<Result<(), AppError>>>>,
) -> RwSignal<Option<Result<(), AppError>>> {
    let last = RwSignal::new(None);
    for r in results {
        Effect::new(move |_| {
            if let Some(v) = r.get() {
                last.set(Some(v));
            }
        });
    }
    last
}

/// The status tabs of a finance list (`tabs`: value, label; `""` is 全部).
#[component]
pub fn StatusTabs(
    base: &'static str,
    tabs: &'static [(&'static str, &'static str)],
    #[prop(into)] current: Signal<String>,
) -> impl IntoView {
    let items = tabs
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect();
    view! { <Tabs base param="status" items current label="状态" /> }
}

/// Bills; `detail` is the detail path prefix (`/merchant/finance/bills`).
#[component]
pub fn BillTable(bills: Vec<BillSummary>, detail: &'static str, show_shop: bool) -> impl IntoView {
    if bills.is_empty() {
        return view! { <p class="mt-4 rounded-lg bg-white p-8 text-center text-gray-400">"暂无结算单"</p> }.into_any();
    }
    view! {
        <table class="mt-4 w-full overflow-hidden rounded-lg bg-white text-left text-sm" data-test="bill-table">
            <thead class="bg-gray-50 text-gray-500">
                <tr>
                    <th class="px-4 py-3">"结算单号"</th>
                    {show_shop.then(|| view! { <th class="px-4 py-3">"店铺"</th> })}
                    <th class="px-4 py-3">"结算周期"</th>
                    <th class="px-4 py-3 text-right">"订单数"</th>
                    <th class="px-4 py-3 text-right">"结算金额"</th>
                    <th class="px-4 py-3">"状态"</th>
                    <th class="px-4 py-3">"出账时间"</th>
                </tr>
            </thead>
            <tbody>
                {bills.into_iter().map(|b| view! {
                    <tr class="border-t border-gray-100" data-test="bill-row">
                        <td class="px-4 py-3"><a href=format!("{detail}/{}", b.id) class="text-promo">{b.bill_no.clone()}</a></td>
                        {show_shop.then(|| view! { <td class="px-4 py-3">{b.shop_name.clone()}</td> })}
                        <td class="px-4 py-3">{period_text(b.period_start, b.period_end)}</td>
                        <td class="px-4 py-3 text-right">{b.order_count}</td>
                        <td class="px-4 py-3 text-right font-medium" data-test="bill-net">{price_text(b.amounts.net)}</td>
                        <td class="px-4 py-3"><StatusBadge status=b.status test="bill-status" /></td>
                        <td class="px-4 py-3 text-gray-500">{datetime_text(b.created_at)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The money columns of a bill row (and of its totals row).
fn amount_cells(a: &SettlementAmounts) -> impl IntoView {
    view! {
        <td class="px-4 py-2 text-right">{price_text(a.gross)}</td>
        <td class="px-4 py-2 text-right">{price_text(a.merchant_discount)}</td>
        <td class="px-4 py-2 text-right">{price_text(a.platform_subsidy)}</td>
        <td class="px-4 py-2 text-right">{price_text(a.shipping)}</td>
        <td class="px-4 py-2 text-right">{price_text(a.commission)}</td>
        <td class="px-4 py-2 text-right">{price_text(a.refunds)}</td>
        <td class="px-4 py-2 text-right font-medium">{price_text(a.net)}</td>
    }
}

/// The bill's header: number, shop, period, status and totals. `children` holds the actions.
#[component]
pub fn BillHeader(bill: BillSummary, children: Children) -> impl IntoView {
    let a = bill.amounts;
    let totals = [
        ("商品总额", a.gross),
        ("商家优惠", a.merchant_discount),
        ("平台补贴", a.platform_subsidy),
        ("运费", a.shipping),
        ("佣金", a.commission),
        ("退款", a.refunds),
    ];
    view! {
        <section class="mt-4 rounded-lg bg-white p-5">
            <div class="flex items-center justify-between">
                <h1 class="text-lg font-bold" data-test="bill-no">{format!("结算单 {}", bill.bill_no)}</h1>
                <StatusBadge status=bill.status test="bill-status" />
            </div>
            <p class="mt-1 text-sm text-gray-500">
                {format!("{} · 结算周期 {} · {} 笔订单 · 出账 {}", bill.shop_name, period_text(bill.period_start, bill.period_end), bill.order_count, datetime_text(bill.created_at))}
            </p>
            <div class="mt-4 grid grid-cols-7 gap-3 text-sm">
                {totals.map(|(label, fen)| view! {
                    <div class="rounded bg-gray-50 p-3"><p class="text-gray-500">{label}</p><p class="mt-1 font-medium">{price_text(fen)}</p></div>
                })}
                <div class="rounded bg-red-50 p-3"><p class="text-gray-500">"结算金额"</p><p class="mt-1 font-bold text-promo" data-test="bill-total-net">{price_text(a.net)}</p></div>
            </div>
            <p class="mt-2 text-xs text-gray-400">"结算金额 = 商品总额 − 商家优惠 + 运费 − 佣金 − 退款；平台补贴由平台承担，不减少商家收入。"</p>
            {(!bill.objection.is_empty()).then(|| view! {
                <p class="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-promo" data-test="bill-objection">{format!("商家异议：{}", bill.objection)}</p>
            })}
            {bill.confirmed_at.map(|at| view! {
                <p class="mt-3 text-sm text-green-700">{format!("已确认：{} · {}", bill.confirmed_by, datetime_text(at))}</p>
            })}
            {children()}
        </section>
    }
}

/// The orders of a bill with their money, and the totals row.
#[component]
pub fn BillOrders(detail: BillDetail, order_link: &'static str) -> impl IntoView {
    let total = detail.bill.amounts;
    view! {
        <table class="mt-4 w-full overflow-hidden rounded-lg bg-white text-left text-sm" data-test="bill-orders">
            <thead class="bg-gray-50 text-gray-500">
                <tr>
                    <th class="px-4 py-3">"订单号"</th>
                    <th class="px-4 py-3">"完成时间"</th>
                    <th class="px-4 py-3 text-right">"商品总额"</th>
                    <th class="px-4 py-3 text-right">"商家优惠"</th>
                    <th class="px-4 py-3 text-right">"平台补贴"</th>
                    <th class="px-4 py-3 text-right">"运费"</th>
                    <th class="px-4 py-3 text-right">"佣金"</th>
                    <th class="px-4 py-3 text-right">"退款"</th>
                    <th class="px-4 py-3 text-right">"结算金额"</th>
                </tr>
            </thead>
            <tbody>
                {detail.orders.into_iter().map(|o| view! {
                    <tr class="border-t border-gray-100" data-test="bill-order-row">
                        <td class="px-4 py-2"><a href=format!("{order_link}/{}", o.order_id) class="text-promo">{o.order_no.clone()}</a></td>
                        <td class="px-4 py-2 text-gray-500">{datetime_text(o.completed_at)}</td>
                        {amount_cells(&o.amounts)}
                    </tr>
                }.into_any()).collect_view()}
                <tr class="border-t-2 border-gray-200 bg-gray-50 font-bold" data-test="bill-total-row">
                    <td class="px-4 py-2" colspan="2">"合计"</td>
                    {amount_cells(&total)}
                </tr>
            </tbody>
        </table>
    }
}

/// A shop's withdrawals (merchant view; the platform's has its review forms).
#[component]
pub fn WithdrawalTable(rows: Vec<WithdrawalView>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="mt-3 rounded-lg bg-white p-6 text-center text-sm text-gray-400">"暂无提现记录"</p> }.into_any();
    }
    view! {
        <table class="mt-3 w-full overflow-hidden rounded-lg bg-white text-left text-sm" data-test="withdrawal-table">
            <thead class="bg-gray-50 text-gray-500">
                <tr class="whitespace-nowrap">
                    <th class="px-4 py-3">"提现单号"</th>
                    <th class="px-4 py-3 text-right">"金额"</th>
                    <th class="px-4 py-3">"收款账户"</th>
                    <th class="px-4 py-3">"申请"</th>
                    <th class="px-4 py-3">"状态"</th>
                    <th class="px-4 py-3">"处理结果"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|w| view! {
                    <tr class="border-t border-gray-100 align-top" data-test="withdrawal-row">
                        <td class="px-4 py-3 text-xs">{w.withdrawal_no.clone()}</td>
                        <td class="whitespace-nowrap px-4 py-3 text-right font-medium">{price_text(w.amount)}</td>
                        <td class="px-4 py-3">{w.account_name.clone()}<br /><span class="text-xs text-gray-500">{format!("{} {}", w.bank_name, w.account_no)}</span></td>
                        <td class="px-4 py-3 text-gray-500">{w.requested_by.clone()}<br /><span class="whitespace-nowrap">{datetime_text(w.created_at)}</span></td>
                        <td class="whitespace-nowrap px-4 py-3"><StatusBadge status=w.status test="withdrawal-status" /></td>
                        <td class="px-4 py-3 text-gray-500">{review_text(&w)}</td>
                    </tr>
                }.into_any()).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// What finance did with a withdrawal, in one line.
pub fn review_text(w: &WithdrawalView) -> String {
    let at = w.reviewed_at.map(datetime_text).unwrap_or_default();
    match w.status {
        WithdrawalStatus::Pending => "—".into(),
        WithdrawalStatus::Paid => format!("转账流水号 {} · {at}", w.transfer_ref),
        WithdrawalStatus::Rejected => format!("驳回：{} · {at}", w.reject_reason),
    }
}

/// Ledger lines with their paging; `show_merchant` adds the shop column (platform view).
#[component]
pub fn LedgerTable(page: LedgerPage, base: &'static str, show_merchant: bool) -> impl IntoView {
    if page.lines.is_empty() && page.page <= 1 {
        return view! { <p class="mt-4 rounded-lg bg-white p-8 text-center text-gray-400">"暂无资金流水"</p> }.into_any();
    }
    let (n, more) = (page.page, page.has_more);
    view! {
        <table class="mt-4 w-full overflow-hidden rounded-lg bg-white text-left text-sm" data-test="ledger-table">
            <thead class="bg-gray-50 text-gray-500">
                <tr>
                    <th class="px-4 py-3">"时间"</th>
                    <th class="px-4 py-3">"业务"</th>
                    <th class="px-4 py-3">"账户"</th>
                    {show_merchant.then(|| view! { <th class="px-4 py-3">"商家"</th> })}
                    <th class="px-4 py-3">"订单号"</th>
                    <th class="px-4 py-3 text-right">"金额"</th>
                    <th class="px-4 py-3">"凭证"</th>
                </tr>
            </thead>
            <tbody>
                {page.lines.into_iter().map(|l| {
                    let plus = l.amount >= 0;
                    view! {
                        <tr class="border-t border-gray-100" data-test="ledger-row">
                            <td class="px-4 py-2 text-gray-500">{datetime_text(l.created_at)}</td>
                            <td class="px-4 py-2">{l.event_label.clone()}</td>
                            <td class="px-4 py-2">{l.account.label()}</td>
                            {show_merchant.then(|| view! {
                                <td class="px-4 py-2">{if l.merchant_id == 0 { "平台".to_string() } else { format!("商家 #{}", l.merchant_id) }}</td>
                            })}
                            <td class="px-4 py-2">{if l.order_no.is_empty() { "—".to_string() } else { l.order_no.clone() }}</td>
                            <td class="px-4 py-2 text-right font-medium" class:text-green-700=plus class:text-promo=!plus data-test="ledger-amount">{signed_price(l.amount)}</td>
                            <td class="px-4 py-2 text-gray-500">{l.memo.clone()}</td>
                        </tr>
                    }.into_any()
                }).collect_view()}
            </tbody>
        </table>
        <Pager base page=n has_more=more />
    }
    .into_any()
}
