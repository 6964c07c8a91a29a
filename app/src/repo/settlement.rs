//! Settlement bills (one per merchant and run, listing the orders it settles) and withdrawals.

use sqlx::{AnyConnection, FromRow};

use crate::domain::after_sale::AfterSaleStatus;
use crate::domain::ledger::SettlementAmounts;
use crate::domain::order::OrderStatus;
use crate::domain::settlement::{BillAction, BillStatus, WithdrawalAction, WithdrawalStatus};
use crate::domain::state_machine::{sql_list, Actor, StateMachine};
use crate::error::AppResult;
use crate::repo::{placeholders, BindAll};

/// Completed orders that may be settled at `cutoff`: their after-sale window closed before it,
/// no after-sale of theirs is still open, and no bill holds them yet; and 预售 orders whose
/// missed balance left the deposit with the shop that long ago. (merchant, order) pairs.
pub async fn settleable_orders(
    conn: &mut AnyConnection,
    completed_before: i64,
    merchant_id: Option<i64>,
) -> AppResult<Vec<(i64, i64)>> {
    let rows = sqlx::query_as(&format!(
        "SELECT o.merchant_id, o.id FROM orders o \
         WHERE ((o.status = $3 AND o.completed_at < $1) \
             OR EXISTS (SELECT 1 FROM presale_balances pb WHERE pb.order_id = o.id \
                 AND pb.status = 'kept' AND pb.missed_at < $1)) \
         AND ($2 < 0 OR o.merchant_id = $2) \
         AND NOT EXISTS (SELECT 1 FROM settlement_bill_orders b WHERE b.order_id = o.id) \
         AND NOT EXISTS (SELECT 1 FROM after_sales s WHERE s.order_id = o.id \
             AND s.status IN ({})) \
         ORDER BY o.merchant_id, o.id",
        sql_list(AfterSaleStatus::open())
    ))
    .bind(completed_before)
    .bind(merchant_id.unwrap_or(-1))
    .bind(OrderStatus::SETTLEABLE)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows)
}

/// Takes the orders' rows for this transaction (PostgreSQL locks them; SQLite's writer holds
/// everything): after-sale requests and appeals take the same lock, so a request and the bill
/// that would settle its order cannot pass each other.
pub async fn lock_orders(conn: &mut AnyConnection, ids: &[i64]) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE orders SET updated_at = updated_at WHERE id IN ({})",
        placeholders(1, ids.len())
    );
    sqlx::query(&sql)
        .bind_all(ids.iter().copied())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Whether a bill holds this order.
pub async fn is_settled(conn: &mut AnyConnection, order_id: i64) -> AppResult<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT bill_id FROM settlement_bill_orders WHERE order_id = $1")
            .bind(order_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.is_some())
}

pub struct NewBill<'a> {
    pub bill_no: &'a str,
    pub merchant_id: i64,
    pub period_start: i64,
    pub period_end: i64,
    pub order_count: i64,
    pub amounts: SettlementAmounts,
    pub now: i64,
}

/// Inserts a bill; None when this merchant has a bill for this period end already.
pub async fn insert_bill(conn: &mut AnyConnection, b: &NewBill<'_>) -> AppResult<Option<i64>> {
    let a = &b.amounts;
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO settlement_bills (bill_no, merchant_id, period_start, period_end, status, \
         order_count, gross, merchant_discount, platform_subsidy, shipping, commission, refunds, \
         net, created_at) VALUES ($1, $2, $3, $4, $14, $5, $6, $7, $8, $9, $10, $11, $12, \
         $13) ON CONFLICT (merchant_id, period_end) DO NOTHING RETURNING id",
    )
    .bind(b.bill_no)
    .bind(b.merchant_id)
    .bind(b.period_start)
    .bind(b.period_end)
    .bind(b.order_count)
    .bind(a.gross)
    .bind(a.merchant_discount)
    .bind(a.platform_subsidy)
    .bind(a.shipping)
    .bind(a.commission)
    .bind(a.refunds)
    .bind(a.net)
    .bind(b.now)
    .bind(BillStatus::INITIAL)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.0))
}

pub async fn insert_bill_order(
    conn: &mut AnyConnection,
    bill_id: i64,
    line: &BillOrderRow,
) -> AppResult<()> {
    let a = &line.amounts();
    sqlx::query(
        "INSERT INTO settlement_bill_orders (bill_id, order_id, order_no, completed_at, gross, \
         merchant_discount, platform_subsidy, shipping, commission, refunds, net) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(bill_id)
    .bind(line.order_id)
    .bind(&line.order_no)
    .bind(line.completed_at)
    .bind(a.gross)
    .bind(a.merchant_discount)
    .bind(a.platform_subsidy)
    .bind(a.shipping)
    .bind(a.commission)
    .bind(a.refunds)
    .bind(a.net)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct BillRow {
    pub id: i64,
    pub bill_no: String,
    pub merchant_id: i64,
    pub shop_name: String,
    pub period_start: i64,
    pub period_end: i64,
    pub status: BillStatus,
    pub order_count: i64,
    pub gross: i64,
    pub merchant_discount: i64,
    pub platform_subsidy: i64,
    pub shipping: i64,
    pub commission: i64,
    pub refunds: i64,
    pub net: i64,
    pub objection: String,
    pub confirmed_by: String,
    pub confirmed_at: Option<i64>,
    pub created_at: i64,
}

impl BillRow {
    pub fn amounts(&self) -> SettlementAmounts {
        SettlementAmounts {
            gross: self.gross,
            merchant_discount: self.merchant_discount,
            platform_subsidy: self.platform_subsidy,
            shipping: self.shipping,
            commission: self.commission,
            refunds: self.refunds,
            net: self.net,
        }
    }
}

const BILL_COLS: &str = "b.id, b.bill_no, b.merchant_id, m.name AS shop_name, b.period_start, \
    b.period_end, b.status, b.order_count, b.gross, b.merchant_discount, b.platform_subsidy, \
    b.shipping, b.commission, b.refunds, b.net, b.objection, b.confirmed_by, b.confirmed_at, \
    b.created_at";

/// Bills newest first; `merchant_id` Some = that merchant's only; `status` None = any.
pub async fn bills(
    conn: &mut AnyConnection,
    merchant_id: Option<i64>,
    status: Option<BillStatus>,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<BillRow>> {
    let sql = format!(
        "SELECT {BILL_COLS} FROM settlement_bills b JOIN merchants m ON m.id = b.merchant_id \
         WHERE ($1 < 0 OR b.merchant_id = $1) AND ($2 = '' OR b.status = $2) \
         ORDER BY b.id DESC LIMIT $3 OFFSET $4"
    );
    Ok(sqlx::query_as::<_, BillRow>(&sql)
        .bind(merchant_id.unwrap_or(-1))
        .bind(status.map_or("", |s| s.as_str()))
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *conn)
        .await?)
}

pub async fn bill(conn: &mut AnyConnection, id: i64) -> AppResult<Option<BillRow>> {
    let sql = format!(
        "SELECT {BILL_COLS} FROM settlement_bills b JOIN merchants m ON m.id = b.merchant_id \
         WHERE b.id = $1"
    );
    Ok(sqlx::query_as::<_, BillRow>(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct BillOrderRow {
    pub order_id: i64,
    pub order_no: String,
    pub completed_at: i64,
    pub gross: i64,
    pub merchant_discount: i64,
    pub platform_subsidy: i64,
    pub shipping: i64,
    pub commission: i64,
    pub refunds: i64,
    pub net: i64,
}

impl BillOrderRow {
    pub fn new(order_id: i64, order_no: String, completed_at: i64, a: SettlementAmounts) -> Self {
        Self {
            order_id,
            order_no,
            completed_at,
            gross: a.gross,
            merchant_discount: a.merchant_discount,
            platform_subsidy: a.platform_subsidy,
            shipping: a.shipping,
            commission: a.commission,
            refunds: a.refunds,
            net: a.net,
        }
    }

    pub fn amounts(&self) -> SettlementAmounts {
        SettlementAmounts {
            gross: self.gross,
            merchant_discount: self.merchant_discount,
            platform_subsidy: self.platform_subsidy,
            shipping: self.shipping,
            commission: self.commission,
            refunds: self.refunds,
            net: self.net,
        }
    }
}

pub async fn bill_orders(conn: &mut AnyConnection, bill_id: i64) -> AppResult<Vec<BillOrderRow>> {
    Ok(sqlx::query_as::<_, BillOrderRow>(
        "SELECT order_id, order_no, completed_at, gross, merchant_discount, platform_subsidy, \
         shipping, commission, refunds, net FROM settlement_bill_orders WHERE bill_id = $1 \
         ORDER BY order_id",
    )
    .bind(bill_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Makes the move `action` by `by` to `to`, once, from any state the bill table allows it
/// from; false when the bill was in none of them. A confirmation records who (`who`) and when.
pub async fn set_bill_status(
    conn: &mut AnyConnection,
    id: i64,
    (action, by, to): (BillAction, Actor, BillStatus),
    who: &str,
    objection: Option<&str>,
    now: i64,
) -> AppResult<bool> {
    let from = BillStatus::sources(action, by, to);
    if from.is_empty() {
        return Ok(false);
    }
    let confirmed = to == BillStatus::Confirmed;
    let sql = format!(
        "UPDATE settlement_bills SET status = $1, \
         confirmed_by = CASE WHEN $6 THEN $2 ELSE confirmed_by END, \
         confirmed_at = CASE WHEN $6 THEN $3 ELSE confirmed_at END, \
         objection = COALESCE($4, objection) \
         WHERE id = $5 AND status IN ({})",
        sql_list(from)
    );
    let done = sqlx::query(&sql)
        .bind(to)
        .bind(who)
        .bind(now)
        .bind(objection)
        .bind(id)
        .bind(confirmed)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub struct NewWithdrawal<'a> {
    pub withdrawal_no: &'a str,
    pub merchant_id: i64,
    pub amount: i64,
    pub account_name: &'a str,
    pub bank_name: &'a str,
    pub account_no: &'a str,
    pub requested_by: &'a str,
    pub now: i64,
}

pub async fn insert_withdrawal(conn: &mut AnyConnection, w: &NewWithdrawal<'_>) -> AppResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO withdrawals (withdrawal_no, merchant_id, amount, status, account_name, \
         bank_name, account_no, requested_by, created_at) \
         VALUES ($1, $2, $3, $9, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(w.withdrawal_no)
    .bind(w.merchant_id)
    .bind(w.amount)
    .bind(w.account_name)
    .bind(w.bank_name)
    .bind(w.account_no)
    .bind(w.requested_by)
    .bind(w.now)
    .bind(WithdrawalStatus::INITIAL)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone, FromRow)]
pub struct WithdrawalRow {
    pub id: i64,
    pub withdrawal_no: String,
    pub merchant_id: i64,
    pub shop_name: String,
    pub amount: i64,
    pub status: WithdrawalStatus,
    pub account_name: String,
    pub bank_name: String,
    pub account_no: String,
    pub requested_by: String,
    pub reviewed_by: String,
    pub transfer_ref: String,
    pub reject_reason: String,
    pub reviewed_at: Option<i64>,
    pub created_at: i64,
}

const WITHDRAWAL_COLS: &str = "w.id, w.withdrawal_no, w.merchant_id, m.name AS shop_name, \
    w.amount, w.status, w.account_name, w.bank_name, w.account_no, w.requested_by, \
    w.reviewed_by, w.transfer_ref, w.reject_reason, w.reviewed_at, w.created_at";

pub async fn withdrawals(
    conn: &mut AnyConnection,
    merchant_id: Option<i64>,
    status: Option<WithdrawalStatus>,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<WithdrawalRow>> {
    let sql = format!(
        "SELECT {WITHDRAWAL_COLS} FROM withdrawals w JOIN merchants m ON m.id = w.merchant_id \
         WHERE ($1 < 0 OR w.merchant_id = $1) AND ($2 = '' OR w.status = $2) \
         ORDER BY w.id DESC LIMIT $3 OFFSET $4"
    );
    Ok(sqlx::query_as::<_, WithdrawalRow>(&sql)
        .bind(merchant_id.unwrap_or(-1))
        .bind(status.map_or("", |s| s.as_str()))
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *conn)
        .await?)
}

pub async fn withdrawal(conn: &mut AnyConnection, id: i64) -> AppResult<Option<WithdrawalRow>> {
    let sql = format!(
        "SELECT {WITHDRAWAL_COLS} FROM withdrawals w JOIN merchants m ON m.id = w.merchant_id \
         WHERE w.id = $1"
    );
    Ok(sqlx::query_as::<_, WithdrawalRow>(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// Decides a withdrawal (`action` by finance, to `to`) from any state the withdrawal table
/// allows: false when it was decided already.
pub async fn review_withdrawal(
    conn: &mut AnyConnection,
    id: i64,
    (action, to): (WithdrawalAction, WithdrawalStatus),
    who: &str,
    transfer_ref: &str,
    reject_reason: &str,
    now: i64,
) -> AppResult<bool> {
    let from = WithdrawalStatus::sources(action, Actor::Platform, to);
    let done = sqlx::query(&format!(
        "UPDATE withdrawals SET status = $1, reviewed_by = $2, transfer_ref = $3, \
         reject_reason = $4, reviewed_at = $5 WHERE id = $6 AND status IN ({})",
        sql_list(from)
    ))
    .bind(to)
    .bind(who)
    .bind(transfer_ref)
    .bind(reject_reason)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
