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
use crate::ui::kit::{Col, DataTable, Pager, StatusBadge, Tabs};

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
    let columns = vec![
        Col::text("结算单号"),
        Col::text("店铺").only_if(show_shop),
        Col::text("结算周期"),
        Col::num("订单数"),
        Col::num("结算金额"),
        Col::text("状态"),
        Col::text("出账时间"),
    ];
    view! {
        <DataTable columns rows=bills test="bill-table" empty="暂无结算单" let:b>
            <tr data-test="bill-row">
                <td><a href=format!("{detail}/{}", b.id) class="text-promo">{b.bill_no.clone()}</a></td>
                {show_shop.then(|| view! { <td>{b.shop_name.clone()}</td> })}
                <td>{period_text(b.period_start, b.period_end)}</td>
                <td class="num">{b.order_count}</td>
                <td class="num font-medium" data-test="bill-net">{price_text(b.amounts.net)}</td>
                <td><StatusBadge status=b.status test="bill-status" /></td>
                <td class="text-gray-500">{datetime_text(b.created_at)}</td>
            </tr>
        </DataTable>
    }
}

/// The money columns of a bill row (and of its totals row); the last, the net, stands out.
fn amount_cells(a: &SettlementAmounts) -> impl IntoView {
    let last = SettlementAmounts::HEADINGS.len() - 1;
    a.columns()
        .into_iter()
        .enumerate()
        .map(
            |(i, fen)| view! { <td class="num" class:font-medium=i == last>{price_text(fen)}</td> },
        )
        .collect_view()
}

/// The bill's header: number, shop, period, status and totals. `children` holds the actions.
#[component]
pub fn BillHeader(bill: BillSummary, children: Children) -> impl IntoView {
    let a = bill.amounts;
    // the net follows in its own red box
    let totals = SettlementAmounts::HEADINGS
        .into_iter()
        .zip(a.columns())
        .take(6);
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
                }).collect_view()}
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
    let columns = SettlementAmounts::HEADINGS.map(Col::num);
    let columns = [Col::text("订单号"), Col::text("完成时间")]
        .into_iter()
        .chain(columns)
        .collect();
    let foot = move || {
        view! {
            <tr class="border-t-2 border-gray-200 bg-gray-50 font-bold" data-test="bill-total-row">
                <td colspan="2">"合计"</td>
                {amount_cells(&total)}
            </tr>
        }
    };
    view! {
        <DataTable columns rows=detail.orders test="bill-orders" dense=true foot let:o>
            <tr data-test="bill-order-row">
                <td><a href=format!("{order_link}/{}", o.order_id) class="text-promo">{o.order_no.clone()}</a></td>
                <td class="text-gray-500">{datetime_text(o.completed_at)}</td>
                {amount_cells(&o.amounts)}
            </tr>
        </DataTable>
    }
}

/// A shop's withdrawals (merchant view; the platform's has its review forms).
#[component]
pub fn WithdrawalTable(rows: Vec<WithdrawalView>) -> impl IntoView {
    let columns = vec![
        Col::text("提现单号"),
        Col::num("金额"),
        Col::text("收款账户"),
        Col::text("申请"),
        Col::text("状态"),
        Col::text("处理结果"),
    ];
    view! {
        <DataTable columns rows test="withdrawal-table" empty="暂无提现记录" class="mt-3" let:w>
            <tr class="align-top" data-test="withdrawal-row">
                <td class="text-xs">{w.withdrawal_no.clone()}</td>
                <td class="num whitespace-nowrap font-medium">{price_text(w.amount)}</td>
                <td>{w.account_name.clone()}<br /><span class="text-xs text-gray-500">{format!("{} {}", w.bank_name, w.account_no)}</span></td>
                <td class="text-gray-500">{w.requested_by.clone()}<br /><span class="whitespace-nowrap">{datetime_text(w.created_at)}</span></td>
                <td class="whitespace-nowrap"><StatusBadge status=w.status test="withdrawal-status" /></td>
                <td class="text-gray-500">{review_text(&w)}</td>
            </tr>
        </DataTable>
    }
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
    let (n, more) = (page.page, page.has_more);
    let columns = vec![
        Col::text("时间"),
        Col::text("业务"),
        Col::text("账户"),
        Col::text("商家").only_if(show_merchant),
        Col::text("订单号"),
        Col::num("金额"),
        Col::text("凭证"),
    ];
    view! {
        <DataTable columns rows=page.lines test="ledger-table" empty="暂无资金流水" dense=true let:l>
            {
                let plus = l.amount >= 0;
                view! {
                    <tr data-test="ledger-row">
                        <td class="text-gray-500">{datetime_text(l.created_at)}</td>
                        <td>{l.event_label.clone()}</td>
                        <td>{l.account.label()}</td>
                        {show_merchant.then(|| view! {
                            <td>{if l.merchant_id == 0 { "平台".to_string() } else { format!("商家 #{}", l.merchant_id) }}</td>
                        })}
                        <td>{if l.order_no.is_empty() { "—".to_string() } else { l.order_no.clone() }}</td>
                        <td class="num font-medium" class:text-green-700=plus class:text-promo=!plus data-test="ledger-amount">{signed_price(l.amount)}</td>
                        <td class="text-gray-500">{l.memo.clone()}</td>
                    </tr>
                }
            }
        </DataTable>
        <Pager base page=n has_more=more />
    }
}
