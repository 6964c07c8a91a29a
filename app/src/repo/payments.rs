//! Payment and refund notifications, recorded once by their id.

use sqlx::AnyConnection;

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
