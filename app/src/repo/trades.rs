//! Trades: one payment of a shopper's checkout, covering one order per shop. Created unpaid with
//! a pay deadline; paid once, or closed (by the shopper, by the timer) and then closed at its
//! payment provider too.

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::domain::order::{TradeAction, TradeStatus};
use crate::domain::state_machine::{sql_list, Actor, StateMachine};
use crate::error::AppResult;
use crate::repo::{placeholders, BindAll};

#[derive(Debug, Clone, FromRow)]
pub struct TradeRow {
    pub id: i64,
    pub trade_no: String,
    pub shopper_id: i64,
    pub status: TradeStatus,
    pub amount: i64,
    pub pay_deadline: i64,
    pub provider: String,
    pub provider_txn_id: String,
    pub paid_at: Option<i64>,
    pub created_at: i64,
}

const TRADE_COLS: &str = "id, trade_no, shopper_id, status, amount, pay_deadline, provider, \
                          provider_txn_id, paid_at, created_at";

pub struct NewTrade<'a> {
    pub trade_no: &'a str,
    pub shopper_id: i64,
    pub idempotency_key: &'a str,
    pub amount: i64,
    pub pay_deadline: i64,
    pub now: i64,
}

/// Inserts a trade; `None` when this shopper already has a trade with this idempotency key.
pub async fn insert_trade(conn: &mut AnyConnection, t: &NewTrade<'_>) -> AppResult<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO trades (trade_no, shopper_id, idempotency_key, status, amount, \
         pay_deadline, created_at) VALUES ($1, $2, $3, $7, $4, $5, $6) \
         ON CONFLICT (shopper_id, idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(t.trade_no)
    .bind(t.shopper_id)
    .bind(t.idempotency_key)
    .bind(t.amount)
    .bind(t.pay_deadline)
    .bind(t.now)
    .bind(TradeStatus::INITIAL)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(id,)| id))
}

pub async fn trade_by_key(
    conn: &mut AnyConnection,
    shopper_id: i64,
    key: &str,
) -> AppResult<Option<TradeRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {TRADE_COLS} FROM trades WHERE shopper_id = $1 AND idempotency_key = $2"
    ))
    .bind(shopper_id)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn trade_by_no(conn: &mut AnyConnection, trade_no: &str) -> AppResult<Option<TradeRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {TRADE_COLS} FROM trades WHERE trade_no = $1"
    ))
    .bind(trade_no)
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn trade_by_id(conn: &mut AnyConnection, id: i64) -> AppResult<Option<TradeRow>> {
    Ok(
        sqlx::query_as(&format!("SELECT {TRADE_COLS} FROM trades WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// unpaid → paid, once: false when the trade was not unpaid (paid already, or closed).
pub async fn mark_trade_paid(
    conn: &mut AnyConnection,
    id: i64,
    provider: &str,
    txn_id: &str,
    now: i64,
) -> AppResult<bool> {
    let to = TradeStatus::Paid;
    let done = sqlx::query(&format!(
        "UPDATE trades SET status = $5, provider = $1, provider_txn_id = $2, paid_at = $3 \
         WHERE id = $4 AND status IN ({})",
        sql_list(TradeStatus::sources(TradeAction::Pay, Actor::Shopper, to))
    ))
    .bind(provider)
    .bind(txn_id)
    .bind(now)
    .bind(id)
    .bind(to)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Notes that `provider` was asked to prepare a payment of the trade: its order there is closed
/// when the trade closes.
pub async fn set_prepaid_with(conn: &mut AnyConnection, id: i64, provider: &str) -> AppResult<()> {
    sqlx::query("UPDATE trades SET prepaid_with = $1 WHERE id = $2 AND prepaid_with <> $1")
        .bind(provider)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// unpaid → closed (`action` by `by`: the shopper cancels, the payment times out) for those of
/// `ids` still unpaid (the others were paid or closed meanwhile): their ids. A trade some
/// provider prepared a payment for owes a close there from `now`.
pub async fn close_trades(
    conn: &mut AnyConnection,
    ids: &[i64],
    action: TradeAction,
    by: Actor,
    now: i64,
) -> AppResult<Vec<i64>> {
    let to = TradeStatus::Closed;
    let from = TradeStatus::sources(action, by, to);
    if ids.is_empty() || from.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "UPDATE trades SET status = $2, closed_at = $1, \
         provider_close_due = CASE WHEN prepaid_with <> '' THEN $1 END \
         WHERE status IN ({}) AND id IN ({}) RETURNING id",
        sql_list(from),
        placeholders(3, ids.len())
    );
    let rows: Vec<(i64,)> = sqlx::query_as(&sql)
        .bind(now)
        .bind(to)
        .bind_all(ids.iter().copied())
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Closed trades whose order at a provider is still to close, due before `before`, marked as
/// tried again at `retry_at`: (id, trade_no, provider).
pub async fn take_provider_closes(
    pool: &AnyPool,
    before: i64,
    retry_at: i64,
    limit: i64,
) -> AppResult<Vec<(i64, String, String)>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "UPDATE trades SET provider_close_due = $1 WHERE id IN (SELECT id FROM trades \
         WHERE provider_close_due <= $2 ORDER BY provider_close_due LIMIT $3) \
         AND provider_close_due <= $2 RETURNING id, trade_no, prepaid_with",
    )
    .bind(retry_at)
    .bind(before)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows)
}

/// The trade's order at its provider is closed (or never existed): nothing more is owed.
pub async fn provider_closed(pool: &AnyPool, id: i64) -> AppResult<()> {
    sqlx::query("UPDATE trades SET provider_close_due = NULL WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn due_trades(pool: &AnyPool, now: i64, limit: i64) -> AppResult<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM trades WHERE status = $3 AND pay_deadline <= $1 \
         ORDER BY pay_deadline LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .bind(TradeStatus::Unpaid)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Trade numbers and payment deadlines by trade id.
pub async fn trades_by_ids(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> AppResult<Vec<(i64, String, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, trade_no, pay_deadline FROM trades WHERE id IN ({})",
        placeholders(1, ids.len())
    );
    let q = sqlx::query_as(&sql).bind_all(ids.iter().copied());
    Ok(q.fetch_all(&mut *conn).await?)
}

/// Paid trades with their amount and what their orders owed them: (trade_no, amount,
/// Σ pay_amount less the balances of 预售 deposit orders, which trades of their own pay).
pub async fn paid_trade_totals(conn: &mut AnyConnection) -> AppResult<Vec<(String, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT t.trade_no, t.amount, \
         CAST(SUM(o.pay_amount - COALESCE(b.balance, 0)) AS BIGINT) FROM trades t \
         JOIN orders o ON o.trade_id = t.id \
         LEFT JOIN presale_balances b ON b.order_id = o.id WHERE t.status = $1 \
         GROUP BY t.id, t.trade_no, t.amount",
    )
    .bind(TradeStatus::Paid)
    .fetch_all(&mut *conn)
    .await?)
}
