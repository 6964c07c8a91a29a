//! Settlement: the durable job that cuts one bill per merchant per cycle, the merchant's
//! confirmation (or objection), and withdrawals of what was settled.
//!
//! The job keeps no state of its own: an order is in at most one bill (the database says so),
//! each merchant's bill is written in one transaction with its orders, and a bill's period is
//! fixed by the clock, so running it twice, or again after a crash halfway, finds the orders
//! already billed and cuts exactly the bills that are missing.

use crate::domain::account::Identity;
use crate::domain::audit::AuditTarget;
use crate::domain::ledger::{settlement_amounts, AccountKind, LedgerEvent, SettlementAmounts};
use crate::domain::merchant::check_text;
use crate::domain::money::parse_yuan;
use crate::domain::permission::Permission;
use crate::domain::reader::Reader;
use crate::domain::settlement::{
    Balances, BillAction, BillDetail, BillOrderLine, BillStatus, BillSummary, WithdrawalAction,
    WithdrawalForm, WithdrawalStatus, WithdrawalView,
};
use crate::domain::state_machine::{Actor, StateMachine};
use crate::domain::time::ChinaTime;
use crate::error::{AppError, AppResult};
use crate::repo::audit::{self, AuditEntry};
use crate::repo::ledger as ledger_repo;
use crate::repo::orders::{self as order_repo};
use crate::repo::settlement::{self as repo, BillOrderRow, BillRow, NewBill, NewWithdrawal};
use crate::services::admins::AdminScope;
use crate::services::ledger::{merchant_line, order_money};
use crate::services::merchants::MerchantScope;
use crate::state::AppState;

pub const PAGE_SIZE: i64 = 20;

/// Cuts the bills due now (the state's clock): for every merchant, the orders that became
/// settleable before the current cycle period began. Returns how many bills were made.
pub async fn run(st: &AppState) -> AppResult<usize> {
    run_for(st, None).await
}

/// [`run`] for one merchant (or all): what a run that stopped halfway had done.
pub async fn run_for(st: &AppState, merchant_id: Option<i64>) -> AppResult<usize> {
    let cycle = st.config.settlement.cycle;
    let end = cycle.period_start(st.clock.now_ms());
    cut_bills(st, cycle.previous_start(end), end, merchant_id, None).await
}

/// 立即出账 by a platform admin (finance): cuts bills now for what is settleable up to this
/// moment (one merchant, or all). Each bill's audit row is written in the bill's transaction.
/// Errors: 403 unless the admin may handle finance.
pub async fn settle_now(
    st: &AppState,
    admin: &AdminScope,
    merchant_id: Option<i64>,
    ip: &str,
) -> AppResult<usize> {
    admin.require(Permission::HandleFinance)?;
    let now = st.clock.now_ms();
    let start = st.config.settlement.cycle.period_start(now);
    cut_bills(st, start, now, merchant_id, Some((admin, ip))).await
}

/// Who cut a bill by hand, for its audit row (none for the scheduled run).
type CutBy<'a> = Option<(&'a AdminScope, &'a str)>;

async fn cut_bills(
    st: &AppState,
    period_start: i64,
    period_end: i64,
    merchant_id: Option<i64>,
    by: CutBy<'_>,
) -> AppResult<usize> {
    let completed_before = period_end - st.config.orders.after_sale_days * 86_400_000;
    let due = {
        let mut conn = st.db.pool.acquire().await?;
        repo::settleable_orders(&mut conn, completed_before, merchant_id).await?
    };
    let mut merchants: Vec<i64> = due.iter().map(|d| d.0).collect();
    merchants.dedup();
    let mut made = 0;
    for m in merchants {
        let period = (period_start, period_end, completed_before);
        if cut_bill(st, m, period, by).await? {
            made += 1;
        }
    }
    Ok(made)
}

/// One merchant's bill, in one transaction with the orders it settles.
/// `period`: (start, end, completed before), milliseconds since the epoch.
async fn cut_bill(
    st: &AppState,
    merchant_id: i64,
    (period_start, period_end, completed_before): (i64, i64, i64),
    by: CutBy<'_>,
) -> AppResult<bool> {
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    let first: Vec<i64> = repo::settleable_orders(&mut tx, completed_before, Some(merchant_id))
        .await?
        .into_iter()
        .map(|d| d.1)
        .collect();
    repo::lock_orders(&mut tx, &first).await?;
    // again under the lock: an after-sale may have opened meanwhile
    let ids: Vec<i64> = repo::settleable_orders(&mut tx, completed_before, Some(merchant_id))
        .await?
        .into_iter()
        .map(|d| d.1)
        .filter(|id| first.contains(id))
        .collect();
    if ids.is_empty() {
        tx.rollback().await?;
        return Ok(false);
    }
    let mut orders = Vec::new();
    for id in &ids {
        if let Some(o) = order_repo::order(&mut tx, Reader::Platform, *id).await? {
            orders.push(o);
        }
    }
    let money = order_money(&mut tx, &orders).await?;
    let mut total = SettlementAmounts::default();
    let lines: Vec<BillOrderRow> = orders
        .iter()
        .zip(&money)
        .map(|(o, m)| {
            let a = settlement_amounts(m);
            total.add(&a);
            // a kept 预售 deposit's order ended when its balance was missed
            let ended = o.completed_at.or(o.cancelled_at).unwrap_or(0);
            BillOrderRow::new(o.id, o.order_no.clone(), ended, a)
        })
        .collect();
    // the period's end names the bill: one bill per merchant and period end
    let bill_no = format!(
        "JS{}{:03}{:06}",
        ChinaTime::of_ms(period_end).compact(),
        period_end.rem_euclid(1000),
        merchant_id
    );
    let bill = NewBill {
        bill_no: &bill_no,
        merchant_id,
        period_start,
        period_end,
        order_count: lines.len() as i64,
        amounts: total,
        now,
    };
    let Some(bill_id) = repo::insert_bill(&mut tx, &bill).await? else {
        // this period's bill is out already; the rest waits for the next one
        tx.rollback().await?;
        return Ok(false);
    };
    for l in &lines {
        repo::insert_bill_order(&mut tx, bill_id, l).await?;
    }
    if let Some((admin, ip)) = by {
        let detail = format!("{bill_no}：{} 笔订单", lines.len());
        let entry = AuditEntry {
            merchant_id: Some(merchant_id),
            ..admin.entry("settle_now", &detail, ip)
        }
        .on(AuditTarget::Bill, bill_id);
        audit::record(&mut *tx, &entry).await?;
    }
    tx.commit().await?;
    tracing::info!(
        merchant_id,
        bill_no,
        orders = lines.len(),
        "settlement bill cut"
    );
    Ok(true)
}

/// Who reads a list scoped to `merchant_id`: that merchant, or (None) the platform.
fn reader(merchant_id: Option<i64>) -> Actor {
    match merchant_id {
        Some(_) => Actor::Merchant,
        None => Actor::Platform,
    }
}

fn summary(r: BillRow, reader: Actor) -> BillSummary {
    BillSummary {
        amounts: r.amounts(),
        id: r.id,
        bill_no: r.bill_no,
        merchant_id: r.merchant_id,
        shop_name: r.shop_name,
        period_start: r.period_start,
        period_end: r.period_end,
        status: r.status,
        actions: r.status.actions_for(reader),
        order_count: r.order_count,
        objection: r.objection,
        confirmed_by: r.confirmed_by,
        confirmed_at: r.confirmed_at,
        created_at: r.created_at,
    }
}

/// Bills: a merchant's own (`merchant_id` Some) or everyone's.
pub async fn bills(
    st: &AppState,
    merchant_id: Option<i64>,
    status: Option<BillStatus>,
    page: u32,
) -> AppResult<Vec<BillSummary>> {
    let mut conn = st.db.pool.acquire().await?;
    let offset = i64::from(page.max(1) - 1) * PAGE_SIZE;
    let rows = repo::bills(&mut conn, merchant_id, status, PAGE_SIZE, offset).await?;
    let reader = reader(merchant_id);
    Ok(rows.into_iter().map(|r| summary(r, reader)).collect())
}

/// One bill with its orders; a merchant asking for another's bill finds nothing.
pub async fn bill(st: &AppState, merchant_id: Option<i64>, id: i64) -> AppResult<BillDetail> {
    let mut conn = st.db.pool.acquire().await?;
    let row = repo::bill(&mut conn, id)
        .await?
        .filter(|b| merchant_id.is_none_or(|m| m == b.merchant_id))
        .ok_or_else(|| AppError::not_found("结算单不存在"))?;
    let orders = repo::bill_orders(&mut conn, row.id)
        .await?
        .into_iter()
        .map(|o| BillOrderLine {
            amounts: o.amounts(),
            order_id: o.order_id,
            order_no: o.order_no,
            completed_at: o.completed_at,
        })
        .collect();
    Ok(BillDetail {
        bill: summary(row, reader(merchant_id)),
        orders,
    })
}

/// The merchant confirms its bill: each order's net moves from pending to available.
pub async fn confirm(
    st: &AppState,
    scope: &MerchantScope,
    me: &Identity,
    id: i64,
    ip: &str,
) -> AppResult<()> {
    let b = bill(st, Some(scope.merchant_id), id).await?.bill;
    let who = format!("商家：{}", me.display_name);
    let to = BillStatus::Confirmed;
    b.status.check(BillAction::Confirm, Actor::Merchant, to)?;
    let entry = scope
        .entry("bill_confirm", &b.bill_no, ip)
        .on(AuditTarget::Bill, id)
        .change(b.status.label(), to.label());
    settle(
        st,
        id,
        (BillAction::Confirm, Actor::Merchant, to),
        &who,
        Some(entry),
    )
    .await
}

/// The platform confirms a bill the merchant objected to, once the objection is resolved.
pub async fn confirm_disputed(
    st: &AppState,
    admin: &AdminScope,
    id: i64,
    ip: &str,
) -> AppResult<()> {
    admin.require(Permission::HandleFinance)?;
    let b = bill(st, None, id).await?.bill;
    let who = format!("平台：{}", admin.display_name);
    let to = BillStatus::Confirmed;
    b.status.check(BillAction::Confirm, Actor::Platform, to)?;
    let entry = AuditEntry {
        merchant_id: Some(b.merchant_id),
        ..admin.entry("bill_confirm_disputed", &b.bill_no, ip)
    }
    .on(AuditTarget::Bill, id)
    .change(b.status.label(), to.label());
    let step = (BillAction::Confirm, Actor::Platform, to);
    settle(st, id, step, &who, Some(entry)).await
}

/// Confirms a bill (its money becomes available) with the audit row, in one transaction.
async fn settle(
    st: &AppState,
    id: i64,
    step: (BillAction, Actor, BillStatus),
    who: &str,
    entry: Option<AuditEntry<'_>>,
) -> AppResult<()> {
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    if !repo::set_bill_status(&mut tx, id, step, who, None, now).await? {
        tx.rollback().await?;
        return Err(AppError::Conflict("结算单状态已变化，请刷新后重试".into()));
    }
    let row = repo::bill(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::internal("confirmed bill vanished"))?;
    let m = row.merchant_id;
    let mut lines = Vec::new();
    for o in repo::bill_orders(&mut tx, id).await? {
        lines.push(merchant_line(
            AccountKind::MerchantPending,
            m,
            Some(o.order_id),
            o.net,
        ));
        lines.push(merchant_line(
            AccountKind::MerchantAvailable,
            m,
            Some(o.order_id),
            -o.net,
        ));
    }
    ledger_repo::post(
        &mut tx,
        LedgerEvent::Settlement,
        id,
        m,
        &row.bill_no,
        &lines,
        now,
    )
    .await?;
    if let Some(entry) = entry {
        audit::record(&mut *tx, &entry).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The merchant objects to a bill (with a note for the platform); its money waits.
pub async fn object(
    st: &AppState,
    scope: &MerchantScope,
    id: i64,
    note: &str,
    ip: &str,
) -> AppResult<()> {
    let note = check_text("note", "异议说明", note, 2, 500)?;
    let b = bill(st, Some(scope.merchant_id), id).await?.bill;
    let step = (BillAction::Dispute, Actor::Merchant, BillStatus::Disputed);
    b.status.check(step.0, step.1, step.2)?;
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    if !repo::set_bill_status(&mut tx, id, step, "", Some(&note), now).await? {
        tx.rollback().await?;
        return Err(AppError::Conflict("结算单状态已变化，请刷新后重试".into()));
    }
    let detail = format!("{} {note}", b.bill_no);
    let entry = scope
        .entry("bill_object", &detail, ip)
        .on(AuditTarget::Bill, id)
        .change(b.status.label(), step.2.label());
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn balances(st: &AppState, merchant_id: i64) -> AppResult<Balances> {
    let mut conn = st.db.pool.acquire().await?;
    let mut b = Balances::default();
    for (kind, balance) in ledger_repo::balances(&mut conn, merchant_id).await? {
        match kind {
            AccountKind::MerchantPending => b.pending = balance,
            AccountKind::MerchantAvailable => b.available = balance,
            AccountKind::MerchantWithdrawing => b.withdrawing = balance,
            AccountKind::MerchantWithdrawn => b.withdrawn = balance,
            _ => {}
        }
    }
    Ok(b)
}

/// Keeps the last four digits of a bank account number.
fn mask_account_no(input: &str) -> AppResult<String> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if !(8..=30).contains(&digits.len()) || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(AppError::invalid(
            "account_no",
            "请输入正确的银行账号（8-30位数字）",
        ));
    }
    Ok(format!("**** {}", &digits[digits.len() - 4..]))
}

/// The shop owner asks to withdraw part of the available balance.
pub async fn request_withdrawal(
    st: &AppState,
    scope: &MerchantScope,
    me: &Identity,
    form: &WithdrawalForm,
    ip: &str,
) -> AppResult<i64> {
    if scope.role != crate::domain::account::StaffRole::Owner {
        return Err(AppError::Forbidden("只有店主可以申请提现".into()));
    }
    let amount = parse_yuan("amount", &form.amount)?;
    if amount < 100 {
        return Err(AppError::invalid("amount", "单次提现至少 1 元"));
    }
    let account_name = check_text("account_name", "开户名", &form.account_name, 2, 50)?;
    let bank_name = check_text("bank_name", "开户银行", &form.bank_name, 2, 50)?;
    let account_no = mask_account_no(&form.account_no)?;
    let now = st.clock.now_ms();
    let m = scope.merchant_id;
    let mut tx = st.db.begin_write().await?;
    if !ledger_repo::hold_if_at_least(&mut tx, AccountKind::MerchantAvailable, m, amount).await? {
        tx.rollback().await?;
        return Err(AppError::bad_request("可提现余额不足"));
    }
    let no = format!("W{}", crate::infra::numbers::new_number());
    let id = repo::insert_withdrawal(
        &mut tx,
        &NewWithdrawal {
            withdrawal_no: &no,
            merchant_id: m,
            amount,
            account_name: &account_name,
            bank_name: &bank_name,
            account_no: &account_no,
            requested_by: &me.display_name,
            now,
        },
    )
    .await?;
    let lines = [
        merchant_line(AccountKind::MerchantAvailable, m, None, amount),
        merchant_line(AccountKind::MerchantWithdrawing, m, None, -amount),
    ];
    ledger_repo::post(
        &mut tx,
        LedgerEvent::WithdrawalRequested,
        id,
        m,
        &no,
        &lines,
        now,
    )
    .await?;
    let detail = format!("{no} ¥{}", crate::domain::money::yuan_text(amount));
    let entry = scope
        .entry("withdrawal_request", &detail, ip)
        .on(AuditTarget::Withdrawal, id);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Finance has paid a withdrawal (recording the bank transfer's reference) or refuses it; the
/// audit row is written in the same transaction.
pub async fn review_withdrawal(
    st: &AppState,
    admin: &AdminScope,
    id: i64,
    approve: bool,
    text: &str,
    ip: &str,
) -> AppResult<()> {
    admin.require(Permission::HandleFinance)?;
    let text = if approve {
        check_text("transfer_ref", "转账流水号", text, 4, 64)?
    } else {
        check_text("reason", "驳回原因", text, 2, 200)?
    };
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    let w = repo::withdrawal(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::not_found("提现申请不存在"))?;
    let (action, to) = if approve {
        (WithdrawalAction::Pay, WithdrawalStatus::Paid)
    } else {
        (WithdrawalAction::Reject, WithdrawalStatus::Rejected)
    };
    w.status.check(action, Actor::Platform, to)?;
    let (event, back_to, transfer_ref, reason) = if approve {
        (
            LedgerEvent::WithdrawalPaid,
            AccountKind::MerchantWithdrawn,
            text.as_str(),
            "",
        )
    } else {
        (
            LedgerEvent::WithdrawalRejected,
            AccountKind::MerchantAvailable,
            "",
            text.as_str(),
        )
    };
    let who = &admin.display_name;
    if !repo::review_withdrawal(&mut tx, id, (action, to), who, transfer_ref, reason, now).await? {
        tx.rollback().await?;
        return Err(AppError::Conflict("该提现申请已处理".into()));
    }
    let m = w.merchant_id;
    let lines = [
        merchant_line(AccountKind::MerchantWithdrawing, m, None, w.amount),
        merchant_line(back_to, m, None, -w.amount),
    ];
    ledger_repo::post(&mut tx, event, id, m, &w.withdrawal_no, &lines, now).await?;
    let detail = format!("{} {text}", w.withdrawal_no);
    let entry = AuditEntry {
        merchant_id: Some(m),
        ..admin.entry(
            if approve {
                "withdrawal_paid"
            } else {
                "withdrawal_rejected"
            },
            detail.trim_end(),
            ip,
        )
    }
    .on(AuditTarget::Withdrawal, id)
    .change(w.status.label(), to.label());
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn withdrawals(
    st: &AppState,
    merchant_id: Option<i64>,
    status: Option<WithdrawalStatus>,
    page: u32,
) -> AppResult<Vec<WithdrawalView>> {
    let mut conn = st.db.pool.acquire().await?;
    let offset = i64::from(page.max(1) - 1) * PAGE_SIZE;
    let rows = repo::withdrawals(&mut conn, merchant_id, status, PAGE_SIZE, offset).await?;
    let reader = reader(merchant_id);
    Ok(rows
        .into_iter()
        .map(|w| WithdrawalView {
            status: w.status,
            actions: w.status.actions_for(reader),
            id: w.id,
            withdrawal_no: w.withdrawal_no,
            merchant_id: w.merchant_id,
            shop_name: w.shop_name,
            amount: w.amount,
            account_name: w.account_name,
            bank_name: w.bank_name,
            account_no: w.account_no,
            requested_by: w.requested_by,
            reviewed_by: w.reviewed_by,
            transfer_ref: w.transfer_ref,
            reject_reason: w.reject_reason,
            reviewed_at: w.reviewed_at,
            created_at: w.created_at,
        })
        .collect())
}
