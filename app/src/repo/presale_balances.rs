//! The balances of 预售 deposit orders (`domain::presale_deposit`): one row per order, the
//! balance's trade once the shopper starts paying it, and its state moves as conditional
//! updates guarded by the state table.

use sqlx::{AnyConnection, FromRow};

use crate::domain::order::OrderStatus;
use crate::domain::presale_deposit::{BalanceAction, BalanceStatus, DepositTerms, MissedBalance};
use crate::domain::state_machine::{sql_list, Actor, StateMachine};
use crate::error::AppResult;
use crate::infra::db::WriteTx;
use crate::repo::{placeholders, BindAll};

/// A deposit order's balance as the checkout records it (fen).
#[derive(Debug, Clone, Copy)]
pub struct NewBalance {
    pub order_id: i64,
    pub activity_id: i64,
    pub shopper_id: i64,
    pub deposit: i64,
    pub inflation: i64,
    pub balance: i64,
    pub terms: DepositTerms,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct BalanceRow {
    pub order_id: i64,
    pub activity_id: i64,
    pub shopper_id: i64,
    /// fen
    pub deposit: i64,
    pub inflation: i64,
    pub balance: i64,
    /// the balance window, epoch ms
    pub starts_at: i64,
    pub ends_at: i64,
    pub missed: MissedBalance,
    pub status: BalanceStatus,
    /// the balance's trade, once the shopper started paying it
    pub trade_id: Option<i64>,
    pub paid_at: Option<i64>,
    pub missed_at: Option<i64>,
}

const COLS: &str = "order_id, activity_id, shopper_id, deposit, inflation, balance, starts_at, \
     ends_at, missed, status, trade_id, paid_at, missed_at";

pub async fn insert(tx: &mut WriteTx, b: &NewBalance) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO presale_balances (order_id, activity_id, shopper_id, deposit, inflation, \
         balance, starts_at, ends_at, missed, status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(b.order_id)
    .bind(b.activity_id)
    .bind(b.shopper_id)
    .bind(b.deposit)
    .bind(b.inflation)
    .bind(b.balance)
    .bind(b.terms.balance_starts_at)
    .bind(b.terms.balance_ends_at)
    .bind(b.terms.missed)
    .bind(BalanceStatus::INITIAL)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn of_order(conn: &mut AnyConnection, order_id: i64) -> AppResult<Option<BalanceRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM presale_balances WHERE order_id = $1"
    ))
    .bind(order_id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The balance a trade pays, if the trade is a balance's.
pub async fn of_trade(conn: &mut AnyConnection, trade_id: i64) -> AppResult<Option<BalanceRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM presale_balances WHERE trade_id = $1"
    ))
    .bind(trade_id)
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn of_orders(conn: &mut AnyConnection, ids: &[i64]) -> AppResult<Vec<BalanceRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM presale_balances WHERE order_id IN ({})",
        placeholders(1, ids.len())
    ))
    .bind_all(ids.iter().copied())
    .fetch_all(&mut *conn)
    .await?)
}

/// Names the trade that pays a due balance, once: false when it has one already or is no
/// longer due.
pub async fn set_trade(tx: &mut WriteTx, order_id: i64, trade_id: i64) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE presale_balances SET trade_id = $1 WHERE order_id = $2 AND trade_id IS NULL \
         AND status = $3",
    )
    .bind(trade_id)
    .bind(order_id)
    .bind(BalanceStatus::Due)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Makes the move `action` by `by` to `to`, once; stamps `paid_at` or `missed_at`. False when
/// the balance was in no state the table moves from.
pub async fn transition(
    tx: &mut WriteTx,
    order_id: i64,
    (action, by, to): (BalanceAction, Actor, BalanceStatus),
    now: i64,
) -> AppResult<bool> {
    let from = BalanceStatus::sources(action, by, to);
    if from.is_empty() {
        return Ok(false);
    }
    let stamp = if to == BalanceStatus::Paid {
        "paid_at"
    } else {
        "missed_at"
    };
    let done = sqlx::query(&format!(
        "UPDATE presale_balances SET status = $1, {stamp} = $2 WHERE order_id = $3 \
         AND status IN ({})",
        sql_list(from)
    ))
    .bind(to)
    .bind(now)
    .bind(order_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Balances still due whose window closed by `now`, of orders whose deposit was paid (an
/// order closed before its deposit came owes no balance), the oldest first.
pub async fn missed_by(
    conn: &mut AnyConnection,
    now: i64,
    limit: i64,
) -> AppResult<Vec<BalanceRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM presale_balances \
         WHERE status = $1 AND ends_at <= $2 \
         AND EXISTS (SELECT 1 FROM orders o WHERE o.id = presale_balances.order_id AND o.status = $4) \
         ORDER BY ends_at, order_id LIMIT $3"
    ))
    .bind(BalanceStatus::Due)
    .bind(now)
    .bind(limit)
    .bind(OrderStatus::AwaitingBalance)
    .fetch_all(&mut *conn)
    .await?)
}

/// Balances due whose window is open at `now` and whose shopper was not told yet (尾款支付提醒),
/// of orders awaiting them, the earliest window first.
pub async fn to_remind(
    conn: &mut AnyConnection,
    now: i64,
    limit: i64,
) -> AppResult<Vec<BalanceRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM presale_balances \
         WHERE status = $1 AND reminded_at IS NULL AND starts_at <= $2 AND ends_at > $2 \
         AND EXISTS (SELECT 1 FROM orders o WHERE o.id = presale_balances.order_id AND o.status = $3) \
         ORDER BY starts_at, order_id LIMIT $4"
    ))
    .bind(BalanceStatus::Due)
    .bind(now)
    .bind(OrderStatus::AwaitingBalance)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// Marks a balance's shopper told that its window opened. False when told already (another
/// runner got there first), so the reminder is owed once.
pub async fn mark_reminded(tx: &mut WriteTx, order_id: i64, now: i64) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE presale_balances SET reminded_at = $1 WHERE order_id = $2 AND reminded_at IS NULL",
    )
    .bind(now)
    .bind(order_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Σ balances never paid (due, or missed) of orders whose deposit was paid, fen: money those
/// paid orders' figures count that never came in.
pub async fn unpaid_total(conn: &mut AnyConnection) -> AppResult<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(b.balance), 0) AS BIGINT) FROM presale_balances b \
         JOIN orders o ON o.id = b.order_id WHERE b.status <> $1 AND o.paid_at IS NOT NULL",
    )
    .bind(BalanceStatus::Paid)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n)
}

/// Each paid balance trade with the balance it was to pay: (trade no, trade amount, balance).
pub async fn paid_trade_totals(conn: &mut AnyConnection) -> AppResult<Vec<(String, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT t.trade_no, t.amount, b.balance FROM presale_balances b \
         JOIN trades t ON t.id = b.trade_id WHERE t.status = 'paid'",
    )
    .fetch_all(&mut *conn)
    .await?)
}
