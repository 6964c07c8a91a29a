//! The audit log: every admin and merchant action (and every sign-in) leaves a row.

use sqlx::{Any, Executor};

use crate::error::AppResult;
use crate::infra::clock::wall_ms;

pub struct AuditEntry<'a> {
    pub realm: &'a str,
    pub actor_id: Option<i64>,
    pub merchant_id: Option<i64>,
    pub action: &'a str,
    pub detail: &'a str,
    pub ip: &'a str,
}

/// Writes one row through `ex`: a pool, or the action's own transaction (`&mut *tx`) so the row
/// exists exactly when the action happened.
pub async fn record<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    e: &AuditEntry<'_>,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (realm, actor_id, merchant_id, action, detail, ip, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(e.realm)
    .bind(e.actor_id)
    .bind(e.merchant_id)
    .bind(e.action)
    .bind(e.detail)
    .bind(e.ip)
    .bind(wall_ms())
    .execute(ex)
    .await?;
    Ok(())
}
