//! 平台管理 › 结算管理 (every bill, 立即出账, 复核确认), 提现审核, 财务报表, 对账 and 资金流水
//! (super admins and finance).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::finance::{
    latest_result, page_param, review_text, text_param, BillHeader, BillOrders, BillTable,
    LedgerTable, StatusTabs, LIST_PAGE,
};
use super::ConsoleShell;
use crate::api::finance::{
    admin_bill, admin_bills, admin_ledger, admin_withdrawals, finance_report, reconcile_ledger,
    ApproveWithdrawal, ConfirmDisputedBill, RejectWithdrawal, SettleBillsNow,
};
use crate::domain::account::Realm;
use crate::domain::money::price_text;
use crate::domain::pricing::Funder;
use crate::domain::settlement::{
    day_text, BillAction, BillStatus, PeriodReport, Reconciliation, ReportRow, WithdrawalView,
};
use crate::ui::common::{datetime_text, href_with, ErrorBanner};
use crate::ui::kit::{form_error, Col, DataTable, Loaded, Pager, StatusBadge};

const BILL_TABS: &[(&str, &str)] = &[
    ("", "全部"),
    ("pending", "待确认"),
    ("disputed", "有异议"),
    ("confirmed", "已确认"),
];

const WITHDRAWAL_TABS: &[(&str, &str)] = &[
    ("pending", "待审核"),
    ("paid", "已打款"),
    ("rejected", "已驳回"),
];

fn loading() -> impl IntoView {
    view! { <p class="mt-6 text-gray-400">"加载中…"</p> }
}

fn failed(e: crate::error::AppError) -> AnyView {
    view! { <p class="mt-6 text-promo">{e.to_string()}</p> }.into_any()
}

/// Links between the finance pages.
#[component]
fn FinanceLinks() -> impl IntoView {
    view! {
        <div class="flex gap-4 text-sm">
            <a href="/admin/finance/ledger" class="text-promo">"资金流水"</a>
            <a href="/admin/finance/report" class="text-promo">"财务报表"</a>
            <a href="/admin/finance/reconcile" class="text-promo">"对账"</a>
        </div>
    }
}

/// 立即出账, with what it does and what it did.
#[component]
fn SettleNow(action: ServerAction<SettleBillsNow>) -> impl IntoView {
    let error = Signal::derive(form_error(move || action.value().get()));
    let settled = text_param("settled");
    let made = move || match action.value().get() {
        Some(Ok(n)) => Some(n.to_string()),
        Some(Err(_)) => None,
        None => Some(settled()).filter(|s| !s.is_empty()),
    };
    view! {
        <ActionForm action=action>
            <section class="mt-4 flex items-center gap-4 rounded-lg bg-white p-4 text-sm" data-test="settle-now">
                <button type="submit" class="btn-primary h-9 shrink-0 px-6 text-sm" disabled=move || action.pending().get()>"立即出账"</button>
                <p class="text-gray-500">"为售后期已结束、尚未出账的已完成订单立即生成结算单（不必等到下个结算日），商家确认后资金转为可提现。"</p>
                <div class="ml-auto shrink-0">
                    <ErrorBanner message=move || error.get() />
                    {move || made().map(|n| view! { <p role="status" class="text-green-700" data-test="settled-count">{format!("已生成 {n} 张结算单")}</p> })}
                </div>
            </section>
        </ActionForm>
    }
}

#[component]
pub fn AdminBillsPage() -> impl IntoView {
    let status = text_param("status");
    let page = page_param();
    let settle = ServerAction::<SettleBillsNow>::new();
    let bills = Resource::new(
        move || (status(), page(), settle.version().get()),
        |(s, p, _)| admin_bills(Some(s), Some(p)),
    );
    view! {
        <Title text="结算管理" />
        <ConsoleShell realm=Realm::Admin>
            <div class="flex items-center justify-between">
                <h1 class="text-xl font-bold">"结算管理"</h1>
                <div class="flex items-center gap-4">
                    <FinanceLinks />
                    <a href="/admin/finance/export/bills.csv" rel="external" download class="text-sm text-promo">"导出结算单（CSV）"</a>
                </div>
            </div>
            <SettleNow action=settle />
            <StatusTabs base="/admin/finance" tabs=BILL_TABS current=Signal::derive(status) />
            <Loaded resource=bills let:rows>
                {{
                    let more = rows.len() >= LIST_PAGE;
                    view! {
                        <BillTable bills=rows detail="/admin/finance/bills" show_shop=true />
                        <Pager base="/admin/finance" params=vec![("status", status())] page=page() has_more=more />
                    }.into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}

#[component]
pub fn AdminBillPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let confirm = ServerAction::<ConfirmDisputedBill>::new();
    let data = Resource::new(
        move || (id(), confirm.version().get()),
        |(id, _)| admin_bill(id),
    );
    let error = Signal::derive(form_error(move || confirm.value().get()));
    view! {
        <Title text="结算单详情" />
        <ConsoleShell realm=Realm::Admin>
            <a href="/admin/finance" class="text-sm text-gray-500">"‹ 结算管理"</a>
            <div class="mt-3"><ErrorBanner message=move || error.get() /></div>
            <Loaded resource=data let:d>
                {{
                    let b = d.bill.clone();
                    let actions = if b.actions.contains(&BillAction::Confirm) {
                        view! {
                            <ActionForm action=confirm>
                                <input type="hidden" name="id" value=b.id.to_string() />
                                <div class="mt-4 flex items-center gap-4 border-t border-gray-100 pt-4">
                                    <button type="submit" class="btn-primary h-10 px-8" data-test="confirm-disputed" disabled=move || confirm.pending().get()>"复核确认"</button>
                                    <p class="text-sm text-gray-500">"已与商家核实异议后确认：结算金额转入商家可提现余额。"</p>
                                </div>
                            </ActionForm>
                        }.into_any()
                    } else if b.status == BillStatus::Pending {
                        view! { <p class="mt-3 text-sm text-gray-500">"等待商家确认。"</p> }.into_any()
                    } else {
                        ().into_any()
                    };
                    view! {
                        <BillHeader bill=b.clone()>
                            {actions}
                            <p class="mt-4 text-sm"><a href=format!("/admin/finance/export/bills/{}.csv", b.id) rel="external" download class="text-promo">"导出本结算单（CSV）"</a></p>
                        </BillHeader>
                        <BillOrders detail=d order_link="/admin/orders" />
                    }.into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}

/// The approve and reject forms of a pending withdrawal.
#[component]
fn ReviewForms(
    id: i64,
    approve: ServerAction<ApproveWithdrawal>,
    reject: ServerAction<RejectWithdrawal>,
) -> impl IntoView {
    view! {
        <div class="flex flex-col gap-2">
            <ActionForm action=approve>
                <input type="hidden" name="id" value=id.to_string() />
                <div class="flex gap-1" data-test="approve-withdrawal">
                    <input name="transfer_ref" required minlength="4" maxlength="64" placeholder="转账流水号" aria-label="转账流水号" class="input h-8 w-40 text-sm" />
                    <button type="submit" class="whitespace-nowrap text-promo">"确认已打款"</button>
                </div>
            </ActionForm>
            <ActionForm action=reject>
                <input type="hidden" name="id" value=id.to_string() />
                <div class="flex gap-1" data-test="reject-withdrawal">
                    <input name="reason" required minlength="2" maxlength="200" placeholder="驳回原因" aria-label="驳回原因" class="input h-8 w-40 text-sm" />
                    <button type="submit" class="whitespace-nowrap text-gray-600">"驳回"</button>
                </div>
            </ActionForm>
        </div>
    }
}

#[component]
fn WithdrawalReviewTable(
    rows: Vec<WithdrawalView>,
    approve: ServerAction<ApproveWithdrawal>,
    reject: ServerAction<RejectWithdrawal>,
) -> impl IntoView {
    view! {
        <DataTable columns=vec![Col::text("提现单号"), Col::text("店铺"), Col::num("金额"), Col::text("收款账户"), Col::text("申请"), Col::text("状态"), Col::text("处理")] rows test="withdrawal-table" empty="没有提现申请" let:w>
            {
                let action = if !w.actions.is_empty() {
                    view! { <ReviewForms id=w.id approve reject /> }.into_any()
                } else {
                    view! { <span class="text-gray-500">{format!("{} · {}", review_text(&w), w.reviewed_by)}</span> }.into_any()
                };
                view! {
                    <tr class="align-top" data-test="withdrawal-row">
                        <td>{w.withdrawal_no.clone()}</td>
                        <td>{w.shop_name.clone()}</td>
                        <td class="num font-medium">{price_text(w.amount)}</td>
                        <td><p>{w.account_name.clone()}</p><p class="text-xs text-gray-500">{format!("{} {}", w.bank_name, w.account_no)}</p></td>
                        <td class="text-gray-500"><p>{w.requested_by.clone()}</p><p class="text-xs">{datetime_text(w.created_at)}</p></td>
                        <td><StatusBadge status=w.status test="withdrawal-status" /></td>
                        <td>{action}</td>
                    </tr>
                }.into_any()
            }
        </DataTable>
    }
    .into_any()
}

#[component]
pub fn AdminWithdrawalsPage() -> impl IntoView {
    let status = text_param("status");
    let status = move || {
        Some(status())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "pending".into())
    };
    let page = page_param();
    let approve = ServerAction::<ApproveWithdrawal>::new();
    let reject = ServerAction::<RejectWithdrawal>::new();
    let list = Resource::new(
        move || {
            (
                status(),
                page(),
                approve.version().get(),
                reject.version().get(),
            )
        },
        |(s, p, _, _)| admin_withdrawals(Some(s), Some(p)),
    );
    let last = latest_result(vec![
        Signal::derive(move || approve.value().get()),
        Signal::derive(move || reject.value().get()),
    ]);
    let error = Signal::derive(form_error(move || last.get()));
    view! {
        <Title text="提现审核" />
        <ConsoleShell realm=Realm::Admin>
            <h1 class="text-xl font-bold">"提现审核"</h1>
            <p class="mt-1 text-sm text-gray-500">"线下转账到商家账户后，填写银行转账流水号确认打款；驳回后金额退回商家可提现余额。"</p>
            <div class="mt-3"><ErrorBanner message=move || error.get() /></div>
            <StatusTabs base="/admin/finance/withdrawals" tabs=WITHDRAWAL_TABS current=Signal::derive(status) />
            <Loaded resource=list let:rows>
                {{
                    let more = rows.len() >= LIST_PAGE;
                    view! {
                        <WithdrawalReviewTable rows approve reject />
                        <Pager base="/admin/finance/withdrawals" params=vec![("status", status())] page=page() has_more=more />
                    }.into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}

/// One merchant's (or the total) line of the report.
fn report_cells(r: &ReportRow) -> impl IntoView {
    view! {
        <td class="px-4 py-2 text-right">{price_text(r.paid)}</td>
        <td class="px-4 py-2 text-right">{price_text(r.refunds)}</td>
        <td class="px-4 py-2 text-right">{price_text(r.commission)}</td>
        <td class="px-4 py-2 text-right">{price_text(r.subsidies)}</td>
        <td class="px-4 py-2 text-right">{price_text(r.merchant_income)}</td>
        <td class="px-4 py-2 text-right">{price_text(r.settled)}</td>
        <td class="px-4 py-2 text-right">{price_text(r.withdrawn)}</td>
        <td class="px-4 py-2 text-right font-medium">{price_text(r.payable_at_end)}</td>
    }
}

#[component]
fn ReportView(r: PeriodReport) -> impl IntoView {
    let t = &r.total;
    let cards = [
        ("report-gmv", "GMV（实付）", r.gmv),
        ("report-refunds", "退款", t.refunds),
        ("report-commission", "佣金收入", t.commission),
        ("report-subsidies", "平台补贴", t.subsidies),
        ("report-merchant-income", "商家收入", t.merchant_income),
        ("report-payable", "期末应付商家", t.payable_at_end),
    ];
    let csv = href_with(
        "/admin/finance/export/report.csv",
        &[("from", day_text(r.from)), ("to", day_text(r.to - 1))],
    );
    let total = r.total.clone();
    let funded = |funder: Funder| -> i64 {
        r.discount_costs
            .iter()
            .filter(|d| d.funder == funder)
            .map(|d| d.amount)
            .sum()
    };
    let (shop_funded, platform_funded) = (funded(Funder::Shop), funded(Funder::Platform));
    let discounts = r.discount_costs.clone();
    view! {
        <div class="mt-4 flex items-center justify-between text-sm">
            <p class="text-gray-500" data-test="report-range">{format!("统计区间：{} 至 {}（含）", day_text(r.from), day_text(r.to - 1))}</p>
            <a href=csv rel="external" download class="text-promo">"导出报表（CSV）"</a>
        </div>
        <div class="mt-3 grid grid-cols-6 gap-4">
            {cards.map(|(test, label, fen)| view! {
                <div class="rounded-lg bg-white p-5">
                    <p class="text-sm text-gray-500">{label}</p>
                    <p class="mt-2 text-xl font-bold" data-test=test>{price_text(fen)}</p>
                </div>
            })}
        </div>
        <p class="mt-2 text-xs text-gray-400">"商家收入 = 实付 − 退款 − 佣金 + 平台补贴；期末应付商家 = 期末待结算 + 可提现 + 提现中。"</p>
        <DataTable columns=vec![Col::text("店铺"), Col::num("实付"), Col::num("退款"), Col::num("佣金"), Col::num("平台补贴"), Col::num("商家收入"), Col::num("已结算"), Col::num("已提现"), Col::num("期末应付")] rows=r.merchants test="report-table" dense=true foot=move || view! { <tr class="border-t-2 border-gray-200 bg-gray-50 font-bold" data-test="report-total">
                    <td>"合计"</td>
                    {report_cells(&total)}
                </tr> } let:m>
            <tr data-test="report-row">
                <td>{if m.shop_name.is_empty() { format!("商家 #{}", m.merchant_id) } else { m.shop_name.clone() }}</td>
                {report_cells(&m)}
            </tr>
        </DataTable>
        <h2 class="mt-8 font-bold">"优惠成本（按承担方）"</h2>
        <p class="mt-1 text-xs text-gray-400">"统计区间内支付的订单上的优惠，退款前金额。商家承担的优惠已从商家的商品收入中扣除；平台承担的部分计入平台补贴。"</p>
        <DataTable columns=vec![Col::text("优惠来源"), Col::text("承担方"), Col::num("订单数"), Col::num("优惠金额")] rows=discounts test="discount-costs" empty="区间内没有使用优惠的订单" dense=true foot=move || view! {
                <tr class="border-t-2 border-gray-200 bg-gray-50 font-bold">
                    <td>"合计"</td>
                    <td class="text-xs font-normal text-gray-500">{format!("商家承担 {} · 平台承担 {}", price_text(shop_funded), price_text(platform_funded))}</td>
                    <td></td>
                    <td class="num" data-test="discount-total">{price_text(shop_funded + platform_funded)}</td>
                </tr> } let:d>
            <tr data-test="discount-cost">
                <td>{d.source.label()}</td>
                <td>{d.funder.label()}</td>
                <td class="num">{d.orders}</td>
                <td class="num">{price_text(d.amount)}</td>
            </tr>
        </DataTable>
    }
    .into_any()
}

#[component]
pub fn FinanceReportPage() -> impl IntoView {
    let from = text_param("from");
    let to = text_param("to");
    let report = Resource::new(
        move || (from(), to()),
        |(f, t)| finance_report(Some(f), Some(t)),
    );
    view! {
        <Title text="财务报表" />
        <ConsoleShell realm=Realm::Admin>
            <div class="flex items-center justify-between">
                <h1 class="text-xl font-bold">"财务报表"</h1>
                <FinanceLinks />
            </div>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    let r = report.await;
                    // the form shows the range the report covers (this month so far by default)
                    let (f, t) = match &r {
                        Ok(r) => (day_text(r.from), day_text(r.to - 1)),
                        Err(_) => (from(), to()),
                    };
                    view! {
                        <form method="get" action="/admin/finance/report" class="mt-4 flex items-end gap-3 rounded-lg bg-white p-4 text-sm" data-test="report-form">
                            <label class="field"><span>"开始日期"</span><input type="date" name="from" value=f class="input h-9 w-44 text-sm" /></label>
                            <label class="field"><span>"结束日期"</span><input type="date" name="to" value=t class="input h-9 w-44 text-sm" /></label>
                            <button type="submit" class="btn-primary h-9 px-6 text-sm">"查询"</button>
                        </form>
                        {match r {
                            Ok(r) => view! { <ReportView r /> }.into_any(),
                            Err(e) => view! { <p role="alert" class="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-promo">{e.to_string()}</p> }.into_any(),
                        }}
                    }.into_any()
                })}
            </Suspense>
        </ConsoleShell>
    }
}

#[component]
fn ReconcileView(r: Reconciliation) -> impl IntoView {
    let facts = [
        ("已核对订单", r.orders_checked.to_string()),
        ("已核对凭证", r.postings_checked.to_string()),
        ("实收合计", price_text(r.paid_total)),
        ("已退款合计", price_text(r.refunded_total)),
        ("平台清算户余额", price_text(r.clearing_balance)),
        ("已打款给商家", price_text(r.withdrawn_total)),
        (
            "平台留存资金",
            price_text(r.clearing_balance - r.withdrawn_total),
        ),
    ];
    let result = if r.drifts.is_empty() {
        view! {
            <p class="mt-4 rounded-lg bg-green-50 px-4 py-3 font-medium text-green-700" role="status" data-test="reconcile-ok">"账实相符，无差异"</p>
        }
        .into_any()
    } else {
        view! {
            <p class="mt-4 rounded-lg bg-red-50 px-4 py-3 font-medium text-promo" role="alert" data-test="reconcile-drifts">{format!("发现 {} 处差异", r.drifts.len())}</p>
            <DataTable columns=vec![Col::text("核对项"), Col::num("应为"), Col::num("实际"), Col::num("差额")] rows=r.drifts test="drift-table" dense=true class="mt-3" let:d>
                <tr data-test="drift-row">
                    <td>{d.subject.clone()}</td>
                    <td class="num">{price_text(d.expected)}</td>
                    <td class="num">{price_text(d.actual)}</td>
                    <td class="num text-promo">{price_text(d.actual - d.expected)}</td>
                </tr>
            </DataTable>
        }
        .into_any()
    };
    view! {
        <p class="mt-4 text-sm text-gray-500">{format!("核对时间 {}", datetime_text(r.checked_at))}</p>
        <div class="mt-3 grid grid-cols-4 gap-4">
            {facts.map(|(label, value)| view! {
                <div class="rounded-lg bg-white p-5">
                    <p class="text-sm text-gray-500">{label}</p>
                    <p class="mt-2 text-xl font-bold">{value}</p>
                </div>
            })}
        </div>
        {result}
    }
    .into_any()
}

#[component]
pub fn ReconcilePage() -> impl IntoView {
    let check = Resource::new(|| (), |_| reconcile_ledger());
    view! {
        <Title text="对账" />
        <ConsoleShell realm=Realm::Admin>
            <div class="flex items-center justify-between">
                <h1 class="text-xl font-bold">"对账"</h1>
                <div class="flex items-center gap-4">
                    <FinanceLinks />
                    <a href="/admin/finance/reconcile" rel="external" class="btn-outline h-9 px-5 text-sm">"重新对账"</a>
                </div>
            </div>
            <p class="mt-1 text-sm text-gray-500">"逐笔核对账本与订单、支付、退款：每张凭证借贷平衡、每个账户余额等于分录合计、每笔订单的资金都在应在的账户，平台清算户 = 实收 − 已退款。"</p>
            <Suspense fallback=|| view! { <p class="mt-6 text-gray-400">"正在对账…"</p> }>
                {move || Suspend::new(async move {
                    match check.await {
                        Ok(r) => view! { <ReconcileView r /> }.into_any(),
                        Err(e) => failed(e),
                    }
                })}
            </Suspense>
        </ConsoleShell>
    }
}

#[component]
pub fn AdminLedgerPage() -> impl IntoView {
    let page = page_param();
    let lines = Resource::new(page, |p| admin_ledger(Some(p)));
    view! {
        <Title text="资金流水" />
        <ConsoleShell realm=Realm::Admin>
            <div class="flex items-center justify-between">
                <h1 class="text-xl font-bold">"资金流水"</h1>
                <div class="flex items-center gap-4">
                    <FinanceLinks />
                    <a href="/admin/finance/export/ledger.csv" rel="external" download class="text-sm text-promo">"导出流水（CSV）"</a>
                </div>
            </div>
            <p class="mt-1 text-sm text-gray-500">"全部记账分录，按时间倒序；+ 表示该账户增加，− 表示减少。"</p>
            <Loaded resource=lines let:p>
                {view! { <LedgerTable page=p base="/admin/finance/ledger" show_merchant=true /> }.into_any()}
            </Loaded>
        </ConsoleShell>
    }
}
