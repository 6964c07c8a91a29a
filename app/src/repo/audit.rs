//! The audit log: every admin and merchant action (and every sign-in) leaves a row.

use sqlx::{Any, Executor};

use crate::domain::audit::AuditTarget;
use crate::error::AppResult;
use crate::infra::clock::wall_ms;

/// One action to record. The scopes' `entry` helpers fill who and where; the action names its
/// row with [`on`](Self::on) and what it changed with [`change`](Self::change).
pub struct AuditEntry<'a> {
    pub realm: &'a str,
    pub actor_id: Option<i64>,
    pub merchant_id: Option<i64>,
    pub action: &'a str,
    pub detail: &'a str,
    pub ip: &'a str,
    /// the row the action concerns (kind, id); `None` only for sign-ins
    pub target: Option<(AuditTarget, i64)>,
    /// the state or value before and after (labels people read: `正常`, `已停用`)
    pub before: &'a str,
    pub after: &'a str,
}

impl<'a> AuditEntry<'a> {
    /// The entry of an action on row `id` of `kind`.
    pub fn on(self, kind: AuditTarget, id: i64) -> Self {
        Self {
            target: Some((kind, id)),
            ..self
        }
    }

    /// The entry of an action that moved its row from `before` to `after` (`before` empty when
    /// the row is new).
    pub fn change(self, before: &'a str, after: &'a str) -> Self {
        Self {
            before,
            after,
            ..self
        }
    }
}

/// Writes one row through `ex`: a pool, or the action's own transaction (`&mut *tx`) so the row
/// exists exactly when the action happened.
pub async fn record<'c, E: Executor<'c, Database = Any>>(
    ex: E,
    e: &AuditEntry<'_>,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (realm, actor_id, merchant_id, action, detail, ip, created_at, \
         target_kind, target_id, before_value, after_value) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(e.realm)
    .bind(e.actor_id)
    .bind(e.merchant_id)
    .bind(e.action)
    .bind(e.detail)
    .bind(e.ip)
    .bind(wall_ms())
    .bind(e.target.map_or("", |(kind, _)| kind.as_str()))
    .bind(e.target.map_or(0, |(_, id)| id))
    .bind(e.before)
    .bind(e.after)
    .execute(ex)
    .await?;
    Ok(())
}

/// One page of entries, newest first, with who acted and which shop, and how many match.
/// `merchant_id` 0 reads every shop's and the platform's entries; otherwise that shop's only.
/// Days are epoch ms bounds `[from, until)`; `q` is matched inside the detail. `kind` empty
/// reads every kind of row; `row` 0 every row of the kind.
pub struct AuditQuery<'a> {
    pub merchant_id: i64,
    pub realm: &'a str,
    pub action: &'a str,
    pub kind: &'a str,
    pub row: i64,
    pub q: &'a str,
    pub from: i64,
    pub until: i64,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, sqlx::FromRow)]
pub struct AuditListRow {
    pub id: i64,
    pub created_at: i64,
    pub realm: String,
    pub actor_name: Option<String>,
    pub actor_login: Option<String>,
    pub shop: Option<String>,
    pub action: String,
    pub detail: String,
    pub ip: String,
    pub target_kind: String,
    pub target_id: i64,
    pub before_value: String,
    pub after_value: String,
}

const FILTER: &str = "FROM audit_log a \
     WHERE ($1 = 0 OR a.merchant_id = $1) AND ($2 = '' OR a.realm = $2) \
     AND ($3 = '' OR a.action = $3) AND ($4 = '' OR a.detail LIKE $4 ESCAPE '\\') \
     AND a.created_at >= $5 AND a.created_at < $6 \
     AND ($7 = '' OR a.target_kind = $7) AND ($8 = 0 OR a.target_id = $8)";

pub async fn list(pool: &sqlx::AnyPool, q: &AuditQuery<'_>) -> AppResult<(Vec<AuditListRow>, i64)> {
    let like = super::contains_pattern(q.q);
    let count_sql = format!("SELECT COUNT(*) {FILTER}");
    let (total,): (i64,) = bind_filter(sqlx::query_as(&count_sql), q, &like)
        .fetch_one(pool)
        .await?;
    let rows_sql = format!(
        "SELECT a.id, a.created_at, a.realm, \
         COALESCE(ad.display_name, ms.display_name, sh.nickname) AS actor_name, \
         COALESCE(ad.username, ms.username) AS actor_login, m.name AS shop, \
         a.action, a.detail, a.ip, a.target_kind, a.target_id, a.before_value, a.after_value \
         FROM audit_log a \
         LEFT JOIN admins ad ON a.realm = 'admin' AND ad.id = a.actor_id \
         LEFT JOIN merchant_staff ms ON a.realm = 'merchant' AND ms.id = a.actor_id \
         LEFT JOIN shoppers sh ON a.realm = 'shopper' AND sh.id = a.actor_id \
         LEFT JOIN merchants m ON m.id = a.merchant_id \
         WHERE a.id IN (SELECT a.id {FILTER} ORDER BY a.id DESC LIMIT $9 OFFSET $10) \
         ORDER BY a.id DESC"
    );
    let rows = bind_filter(sqlx::query_as(&rows_sql), q, &like)
        .bind(q.limit)
        .bind(q.offset)
        .fetch_all(pool)
        .await?;
    Ok((rows, total))
}

/// Binds `FILTER`'s eight values ($1–$8), in its order.
fn bind_filter<'q, O>(
    query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    q: &AuditQuery<'q>,
    like: &'q str,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    query
        .bind(q.merchant_id)
        .bind(q.realm)
        .bind(q.action)
        .bind(like)
        .bind(q.from)
        .bind(q.until)
        .bind(q.kind)
        .bind(q.row)
}
