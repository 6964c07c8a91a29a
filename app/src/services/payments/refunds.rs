//! A refund's confirmation from its provider, whichever refund it answers (an after-sale's or a
//! stray payment's): checked against the amount asked and recorded once by its id.

use crate::error::{AppError, AppResult};
use crate::infra::payments::Notification;
use crate::repo::payments as repo;

/// Checks a refund notification's amount against what was asked and records it, once.
/// Returns true the first time this notification is seen.
pub async fn record_refund_notification(
    conn: &mut sqlx::AnyConnection,
    provider: &str,
    n: &Notification,
    asked: i64,
    now: i64,
) -> AppResult<bool> {
    if n.success && n.amount != asked {
        tracing::error!(
            refund_no = %n.reference, refunded = n.amount, expected = asked,
            "refund notification amount does not match"
        );
        return Err(AppError::bad_request("amount mismatch"));
    }
    let first = repo::record_notification(
        conn,
        provider,
        &n.notify_id,
        "refund",
        &n.reference,
        n.amount,
        now,
    )
    .await?;
    if first && !n.success {
        tracing::error!(refund_no = %n.reference, "the provider reports the refund failed");
    }
    Ok(first)
}
