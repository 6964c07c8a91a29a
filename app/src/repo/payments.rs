//! Payment and refund notifications, recorded once by their id, and stray payments (money a
//! trade cannot keep) with their refunds.

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::domain::state_machine::{sql_list, Actor, StateMachine};
use crate::domain::stray_payment::{StrayAction, StrayKind, StrayStatus};
use crate::error::AppResult;

/// Records a notification; false when the same one (provider and id) was recorded before.
pub async fn record_notification(
    conn: &mut AnyConnection,
    provider: &str,
    notify_id: &str,
    kind: &str,
    reference: &str,
    amount: i64,
    now: i64,
) -> AppResult<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO payment_notifications (provider, notify_id, kind, reference, amount, \
         received_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (provider, notify_id) DO NOTHING RETURNING id",
    )
    .bind(provider)
    .bind(notify_id)
    .bind(kind)
    .bind(reference)
    .bind(amount)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
}

/// A payment the trade cannot keep, being sent back (see `services::payments::stray`).
#[derive(Debug, Clone, FromRow)]
pub struct StrayPaymentRow {
    pub id: i64,
    pub trade_id: i64,
    pub kind: StrayKind,
    pub provider: String,
    pub provider_txn_id: String,
    /// fen
    pub amount: i64,
    pub refund_no: String,
    pub status: StrayStatus,
}

const STRAY_COLS: &str = "id, trade_id, kind, provider, provider_txn_id, amount, refund_no, status";

pub struct NewStrayPayment<'a> {
    pub trade_id: i64,
    pub kind: StrayKind,
    pub provider: &'a str,
    pub provider_txn_id: &'a str,
    pub amount: i64,
    pub refund_no: &'a str,
    pub now: i64,
}

/// Records a stray payment, refunding; `None` when this provider transaction was recorded
/// before (a notification delivered again under another id).
pub async fn insert_stray_payment(
    conn: &mut AnyConnection,
    p: &NewStrayPayment<'_>,
) -> AppResult<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO stray_payments (trade_id, kind, provider, provider_txn_id, amount, \
         refund_no, status, asked_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, \
         $8, $8) ON CONFLICT (provider, provider_txn_id) DO NOTHING RETURNING id",
    )
    .bind(p.trade_id)
    .bind(p.kind)
    .bind(p.provider)
    .bind(p.provider_txn_id)
    .bind(p.amount)
    .bind(p.refund_no)
    .bind(StrayStatus::INITIAL)
    .bind(p.now)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(id,)| id))
}

pub async fn stray_payment(
    conn: &mut AnyConnection,
    id: i64,
) -> AppResult<Option<StrayPaymentRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {STRAY_COLS} FROM stray_payments WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn stray_payment_by_refund_no(
    conn: &mut AnyConnection,
    refund_no: &str,
) -> AppResult<Option<StrayPaymentRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {STRAY_COLS} FROM stray_payments WHERE refund_no = $1"
    ))
    .bind(refund_no)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The move `step` (action, by, to) of a stray payment, once: a conditional update from the
/// states the table allows it from (`StrayStatus::sources`). False when it already moved.
pub async fn move_stray(
    conn: &mut AnyConnection,
    id: i64,
    (action, by, to): (StrayAction, Actor, StrayStatus),
    now: i64,
) -> AppResult<bool> {
    let done = sqlx::query(&format!(
        "UPDATE stray_payments SET status = $1, refunded_at = $2 \
         WHERE id = $3 AND status IN ({})",
        sql_list(StrayStatus::sources(action, by, to))
    ))
    .bind(to)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stray refunds last asked for before `before`, marked as asked again `now`.
pub async fn take_stuck_stray_refunds(
    pool: &AnyPool,
    before: i64,
    now: i64,
) -> AppResult<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "UPDATE stray_payments SET asked_at = $1 \
         WHERE status = $2 AND asked_at <= $3 RETURNING id",
    )
    .bind(now)
    .bind(StrayStatus::Refunding)
    .bind(before)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Stray payments not sent back yet (fen): they sit in clearing beside the orders' money.
pub async fn stray_payments_unreturned(conn: &mut AnyConnection) -> AppResult<i64> {
    let (sum,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM stray_payments \
         WHERE status = $1",
    )
    .bind(StrayStatus::Refunding)
    .fetch_one(&mut *conn)
    .await?;
    Ok(sum)
}
