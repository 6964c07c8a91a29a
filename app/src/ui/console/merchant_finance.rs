//! 商家后台 › 结算中心 (balances, the cycle, bills, withdrawals), 结算单 (list and detail: confirm
//! or object) and 资金流水.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::finance::{
    latest_result, page_param, text_param, BillHeader, BillOrders, BillTable, LedgerTable,
    StatusTabs, WithdrawalTable, LIST_PAGE,
};
use super::ConsoleShell;
use crate::api::auth::current_identity;
use crate::api::finance::{
    merchant_bill, merchant_bills, merchant_finance_overview, merchant_ledger, ConfirmBill,
    ObjectToBill, RequestWithdrawal,
};
use crate::domain::account::Realm;
use crate::domain::account::StaffRole;
use crate::domain::money::price_text;
use crate::domain::settlement::{Balances, BillStatus, MerchantFinance};
use crate::ui::common::ErrorBanner;
use crate::ui::kit::{form_error, FieldError, FormBanner, FormError, Loaded, Pager};

const BILL_TABS: &[(&str, &str)] = &[
    ("", "全部"),
    ("pending", "待确认"),
    ("disputed", "有异议"),
    ("confirmed", "已确认"),
];

/// `结算周期：周结，订单完成 7 天后（售后期结束）进入结算`
pub fn cycle_text(cycle: &str, after_sale_days: i64) -> String {
    format!("结算周期：{cycle}，订单完成 {after_sale_days} 天后（售后期结束）进入结算")
}

#[component]
fn BalanceCards(b: Balances) -> impl IntoView {
    let cards = [
        (
            "balance-pending",
            "待结算",
            b.pending,
            "订单完成、售后期结束并确认结算单后转为可提现",
        ),
        (
            "balance-available",
            "可提现",
            b.available,
            "已确认结算，可申请提现",
        ),
        (
            "balance-withdrawing",
            "提现中",
            b.withdrawing,
            "等待平台打款",
        ),
        ("balance-withdrawn", "已提现", b.withdrawn, "累计已打款"),
    ];
    view! {
        <div class="mt-4 grid grid-cols-4 gap-4">
            {cards.map(|(test, label, fen, hint)| view! {
                <div class="rounded-lg bg-white p-5">
                    <p class="text-sm text-gray-500">{label}</p>
                    <p class="mt-2 text-2xl font-bold" class:text-promo={test == "balance-available"} data-test=test>{price_text(fen)}</p>
                    <p class="mt-1 text-xs text-gray-400">{hint}</p>
                </div>
            })}
        </div>
    }
}

/// The owner's 申请提现 form.
#[component]
fn WithdrawForm(available: i64, action: ServerAction<RequestWithdrawal>) -> impl IntoView {
    let form = FormError::new(move || action.value().get());
    let requested = text_param("requested");
    let done = move || {
        matches!(action.value().get(), Some(Ok(_)))
            || (action.value().get().is_none() && requested() == "1")
    };
    view! {
        <ActionForm action=action>
            <div class="flex flex-col gap-3 rounded-lg bg-white p-5" data-test="withdraw-form">
                <h2 class="font-bold">"申请提现"</h2>
                <p class="text-sm text-gray-500">{format!("可提现余额 {}，单次至少 ¥1.00，平台审核后打款到以下账户。", price_text(available))}</p>
                <FormBanner form />
                {move || done().then(|| view! { <p role="status" class="rounded-md bg-green-50 px-3 py-2 text-sm text-green-700">"已提交提现申请，等待平台打款"</p> })}
                <label class="field"><span>"提现金额（元）"</span><input name="amount" required inputmode="decimal" placeholder="例如 100.00" class="input h-10" /><FieldError form field="amount" /></label>
                <label class="field"><span>"开户名"</span><input name="account_name" required maxlength="50" class="input h-10" /><FieldError form field="account_name" /></label>
                <label class="field"><span>"开户银行"</span><input name="bank_name" required maxlength="50" placeholder="例如 中国工商银行杭州分行" class="input h-10" /><FieldError form field="bank_name" /></label>
                <label class="field"><span>"银行账号"</span><input name="account_no" required inputmode="numeric" autocomplete="off" maxlength="40" class="input h-10" /><FieldError form field="account_no" /></label>
                <button type="submit" class="btn-primary h-10" disabled=move || action.pending().get()>"提交申请"</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn FinanceOverview(
    f: MerchantFinance,
    is_owner: bool,
    withdraw: ServerAction<RequestWithdrawal>,
) -> impl IntoView {
    let available = f.balances.available;
    let form = if is_owner {
        view! { <WithdrawForm available action=withdraw /> }.into_any()
    } else {
        view! { <p class="rounded-lg bg-white p-5 text-sm text-gray-500">"只有店主可以申请提现。"</p> }.into_any()
    };
    view! {
        <p class="mt-1 text-sm text-gray-500" data-test="settlement-cycle">{cycle_text(&f.cycle, f.after_sale_days)}</p>
        <BalanceCards b=f.balances />
        <div class="mt-8 flex items-center justify-between">
            <h2 class="font-bold">"最近结算单"</h2>
            <a href="/merchant/finance/bills" class="text-sm text-promo">"全部结算单 ›"</a>
        </div>
        <BillTable bills=f.bills detail="/merchant/finance/bills" show_shop=false />
        <div class="mt-8 grid grid-cols-[18rem_1fr] items-start gap-6">
            {form}
            <section class="min-w-0">
                <h2 class="font-bold">"提现记录"</h2>
                <WithdrawalTable rows=f.withdrawals />
            </section>
        </div>
    }
    .into_any()
}

#[component]
pub fn MerchantFinancePage() -> impl IntoView {
    let withdraw = ServerAction::<RequestWithdrawal>::new();
    // the overview and whether the signed-in staff member is the owner (who may withdraw)
    let finance = Resource::new(
        || (),
        |_| async {
            let f = merchant_finance_overview().await?;
            let me = current_identity().await?;
            let is_owner = me.is_some_and(|i| i.staff_role == Some(StaffRole::Owner));
            Ok((f, is_owner))
        },
    );
    view! {
        <Title text="结算中心" />
        <ConsoleShell realm=Realm::Merchant>
            <div class="flex items-center justify-between">
                <h1 class="text-xl font-bold">"结算中心"</h1>
                <div class="flex gap-4 text-sm">
                    <a href="/merchant/finance/ledger" class="text-promo">"资金流水"</a>
                    <a href="/merchant/finance/export/bills.csv" rel="external" download class="text-promo">"导出结算单（CSV）"</a>
                </div>
            </div>
            <Loaded resource=finance let:loaded>
                {
                    let (f, is_owner) = loaded;
                    view! { <FinanceOverview f is_owner withdraw /> }
                }
            </Loaded>
        </ConsoleShell>
    }
}

#[component]
pub fn MerchantBillsPage() -> impl IntoView {
    let status = text_param("status");
    let page = page_param();
    let bills = Resource::new(
        move || (status(), page()),
        |(s, p)| merchant_bills(Some(s), Some(p)),
    );
    view! {
        <Title text="结算单" />
        <ConsoleShell realm=Realm::Merchant>
            <a href="/merchant/finance" class="text-sm text-gray-500">"‹ 结算中心"</a>
            <div class="mt-2 flex items-center justify-between">
                <h1 class="text-xl font-bold">"结算单"</h1>
                <a href="/merchant/finance/export/bills.csv" rel="external" download class="text-sm text-promo">"导出结算单（CSV）"</a>
            </div>
            <StatusTabs base="/merchant/finance/bills" tabs=BILL_TABS current=Signal::derive(status) />
            <Loaded resource=bills let:rows>
                {{
                    let more = rows.len() >= LIST_PAGE;
                    view! {
                        <BillTable bills=rows detail="/merchant/finance/bills" show_shop=false />
                        <Pager base="/merchant/finance/bills" params=vec![("status", status())] page=page() has_more=more />
                    }.into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}

/// 确认结算单 and 提出异议 of a pending bill.
#[component]
fn BillActions(
    id: i64,
    confirm: ServerAction<ConfirmBill>,
    object: ServerAction<ObjectToBill>,
) -> impl IntoView {
    view! {
        <div class="mt-4 grid grid-cols-[auto_1fr] items-start gap-6 border-t border-gray-100 pt-4">
            <ActionForm action=confirm>
                <input type="hidden" name="id" value=id.to_string() />
                <button type="submit" class="btn-primary h-10 px-8" data-test="confirm-bill" disabled=move || confirm.pending().get()>"确认结算单"</button>
                <p class="mt-2 max-w-xs text-xs text-gray-400">"确认后结算金额转入可提现余额。"</p>
            </ActionForm>
            <ActionForm action=object>
                <input type="hidden" name="id" value=id.to_string() />
                <div class="flex flex-col gap-2" data-test="object-form">
                    <textarea name="note" required minlength="2" maxlength="500" rows="2" placeholder="对账单有疑问？写明异议的订单和原因，平台核实后处理" class="input h-auto py-2 text-sm"></textarea>
                    <button type="submit" class="btn-outline h-9 w-32 text-sm" data-test="object-bill">"提出异议"</button>
                </div>
            </ActionForm>
        </div>
    }
}

#[component]
pub fn MerchantBillPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let confirm = ServerAction::<ConfirmBill>::new();
    let object = ServerAction::<ObjectToBill>::new();
    let data = Resource::new(
        move || (id(), confirm.version().get(), object.version().get()),
        |(id, _, _)| merchant_bill(id),
    );
    let last = latest_result(vec![
        Signal::derive(move || confirm.value().get()),
        Signal::derive(move || object.value().get()),
    ]);
    let error = Signal::derive(form_error(move || last.get()));
    view! {
        <Title text="结算单详情" />
        <ConsoleShell realm=Realm::Merchant>
            <a href="/merchant/finance" class="text-sm text-gray-500">"‹ 结算中心"</a>
            <div class="mt-3"><ErrorBanner message=move || error.get() /></div>
            <Loaded resource=data let:d>
                {{
                    let b = d.bill.clone();
                    let actions = if !b.actions.is_empty() {
                        view! { <BillActions id=b.id confirm object /> }.into_any()
                    } else if b.status == BillStatus::Disputed {
                        view! { <p class="mt-3 text-sm text-gray-500">"已提出异议，等待平台复核。"</p> }.into_any()
                    } else {
                        ().into_any()
                    };
                    view! {
                        <BillHeader bill=b.clone()>
                            {actions}
                            <p class="mt-4 text-sm"><a href=format!("/merchant/finance/export/bills/{}.csv", b.id) rel="external" download class="text-promo">"导出本结算单（CSV）"</a></p>
                        </BillHeader>
                        <BillOrders detail=d order_link="/merchant/orders" />
                    }.into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}

#[component]
pub fn MerchantLedgerPage() -> impl IntoView {
    let page = page_param();
    let lines = Resource::new(page, |p| merchant_ledger(Some(p)));
    view! {
        <Title text="资金流水" />
        <ConsoleShell realm=Realm::Merchant>
            <a href="/merchant/finance" class="text-sm text-gray-500">"‹ 结算中心"</a>
            <div class="mt-2 flex items-center justify-between">
                <h1 class="text-xl font-bold">"资金流水"</h1>
                <a href="/merchant/finance/export/ledger.csv" rel="external" download class="text-sm text-promo">"导出流水（CSV）"</a>
            </div>
            <p class="mt-1 text-sm text-gray-500">"每一笔进出都对应订单、退款、结算或提现；+ 表示该账户增加，− 表示减少。"</p>
            <Loaded resource=lines let:p>
                {view! { <LedgerTable page=p base="/merchant/finance/ledger" show_merchant=false /> }.into_any()}
            </Loaded>
        </ConsoleShell>
    }
}
