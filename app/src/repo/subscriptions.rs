//! Subscription-message credits and the notices owed to shoppers (SQL only).

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::error::AppResult;

/// Most credits one shopper keeps of a template: each acceptance allows one message, and a
/// shopper who taps 「允许」 on every payment for a year does not need more in reserve.
pub const MAX_CREDITS: i64 = 50;

/// One credit more for each of `template_ids` (an acceptance each), up to [`MAX_CREDITS`].
pub async fn add_credits(
    conn: &mut AnyConnection,
    shopper_id: i64,
    template_ids: &[String],
    now: i64,
) -> AppResult<()> {
    for id in template_ids {
        sqlx::query(
            "INSERT INTO subscription_credits (shopper_id, template_id, credits, updated_at) \
             VALUES ($1, $2, 1, $3) \
             ON CONFLICT (shopper_id, template_id) DO UPDATE SET \
             credits = CASE WHEN subscription_credits.credits < $4 \
                       THEN subscription_credits.credits + 1 ELSE subscription_credits.credits END, \
             updated_at = $3",
        )
        .bind(shopper_id)
        .bind(id)
        .bind(now)
        .bind(MAX_CREDITS)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Spends one credit; `false` when there is none (the shopper did not accept, or it is spent).
pub async fn take_credit(
    pool: &AnyPool,
    shopper_id: i64,
    template_id: &str,
    now: i64,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE subscription_credits SET credits = credits - 1, updated_at = $3 \
         WHERE shopper_id = $1 AND template_id = $2 AND credits > 0",
    )
    .bind(shopper_id)
    .bind(template_id)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives back a credit a send did not use (WeChat did not take the message).
pub async fn give_back_credit(
    pool: &AnyPool,
    shopper_id: i64,
    template_id: &str,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE subscription_credits SET credits = credits + 1, updated_at = $3 \
         WHERE shopper_id = $1 AND template_id = $2",
    )
    .bind(shopper_id)
    .bind(template_id)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// WeChat says the shopper has no subscription left (errcode 43101): our count was wrong.
pub async fn clear_credits(
    pool: &AnyPool,
    shopper_id: i64,
    template_id: &str,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE subscription_credits SET credits = 0, updated_at = $3 \
         WHERE shopper_id = $1 AND template_id = $2",
    )
    .bind(shopper_id)
    .bind(template_id)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// Credits of one shopper, template id → count.
pub async fn credits_of(pool: &AnyPool, shopper_id: i64) -> AppResult<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT template_id, credits FROM subscription_credits WHERE shopper_id = $1 ORDER BY template_id",
    )
    .bind(shopper_id)
    .fetch_all(pool)
    .await?)
}

/// Owes `shopper_id` a message about `event` (in the caller's transaction).
pub async fn enqueue(
    conn: &mut AnyConnection,
    shopper_id: i64,
    event: &str,
    order_id: i64,
    notice_json: &str,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO subscription_notices \
         (shopper_id, event, order_id, notice, status, next_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5, $5, $5)",
    )
    .bind(shopper_id)
    .bind(event)
    .bind(order_id)
    .bind(notice_json)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct NoticeRow {
    pub id: i64,
    pub shopper_id: i64,
    pub event: String,
    pub order_id: i64,
    pub notice: String,
    pub attempts: i64,
    pub openid: Option<String>,
}

/// Notices due at `now`: pending ones whose time has come, and ones a sender claimed before
/// `stale` and never finished (its instance stopped mid-send).
pub async fn due(pool: &AnyPool, now: i64, stale: i64, limit: i64) -> AppResult<Vec<NoticeRow>> {
    Ok(sqlx::query_as(
        "SELECT n.id, n.shopper_id, n.event, n.order_id, n.notice, n.attempts, s.wx_openid AS openid \
         FROM subscription_notices n JOIN shoppers s ON s.id = n.shopper_id \
         WHERE (n.status = 'pending' AND n.next_at <= $1) OR (n.status = 'sending' AND n.updated_at < $2) \
         ORDER BY n.id LIMIT $3",
    )
    .bind(now)
    .bind(stale)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Takes a due notice for this sender; `false` when another sender has it.
pub async fn claim(pool: &AnyPool, id: i64, now: i64, stale: i64) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE subscription_notices SET status = 'sending', attempts = attempts + 1, updated_at = $2 \
         WHERE id = $1 AND (status = 'pending' OR (status = 'sending' AND updated_at < $3))",
    )
    .bind(id)
    .bind(now)
    .bind(stale)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends a claimed notice: `sent`, `skipped` or `failed`, or back to `pending` at `next_at`.
pub async fn finish(
    pool: &AnyPool,
    id: i64,
    status: &str,
    outcome: &str,
    next_at: i64,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE subscription_notices SET status = $2, outcome = $3, next_at = $4, updated_at = $5 \
         WHERE id = $1 AND status = 'sending'",
    )
    .bind(id)
    .bind(status)
    .bind(outcome)
    .bind(next_at)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}
