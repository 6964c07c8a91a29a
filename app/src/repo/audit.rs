//! The audit log: every admin and merchant action (and every sign-in) leaves a row.

use sqlx::AnyPool;

use crate::error::AppResult;
use crate::infra::clock::now_ms;

pub struct AuditEntry<'a> {
    pub realm: &'a str,
    pub actor_id: Option<i64>,
    pub merchant_id: Option<i64>,
    pub action: &'a str,
    pub detail: &'a str,
    pub ip: &'a str,
}

pub async fn record(pool: &AnyPool, e: &AuditEntry<'_>) -> AppResult<()> {
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
    .bind(now_ms())
    .execute(pool)
    .await?;
    Ok(())
}

/// Number of entries for an action, newest first; used by the consoles and tests.
pub async fn count_action(pool: &AnyPool, action: &str) -> AppResult<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(pool)
        .await?;
    Ok(n)
}
