//! The platform console's lists of shoppers, merchant staff and admins, and the status, role
//! and password changes made there (sign-up and sign-in stay in `repo::accounts`).

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::domain::people::AccountStatus;
use crate::error::AppResult;

/// Which shoppers a list page shows. `phone_hash` is the blind index of a whole number,
/// `phone_tail` the last four digits, `nickname` words inside the nickname; empty strings and
/// zero skip a filter.
pub struct ShopperFilter<'a> {
    pub phone_hash: &'a str,
    pub phone_tail: &'a str,
    pub id: i64,
    pub nickname: &'a str,
    /// "" for every status
    pub status: &'a str,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, FromRow)]
pub struct ShopperListRow {
    pub id: i64,
    pub nickname: String,
    pub phone_masked: Option<String>,
    pub via_wechat: i64,
    pub status: AccountStatus,
    pub status_reason: String,
    pub paid_orders: i64,
    pub paid_fen: i64,
    pub created_at: i64,
}

const SHOPPER_FILTER: &str = "FROM shoppers s \
     WHERE ($1 = '' OR s.phone_hash = $1) AND ($2 = '' OR s.phone_masked LIKE $2) \
     AND ($3 = 0 OR s.id = $3) AND ($4 = '' OR s.nickname LIKE $4 ESCAPE '\\') \
     AND ($5 = '' OR s.status = $5)";

/// One page of shoppers, newest first, with their paid orders, and how many match.
pub async fn shoppers(
    pool: &AnyPool,
    f: &ShopperFilter<'_>,
) -> AppResult<(Vec<ShopperListRow>, i64)> {
    let tail = if f.phone_tail.is_empty() {
        String::new()
    } else {
        format!("%{}", f.phone_tail)
    };
    let nickname = super::contains_pattern(f.nickname);
    let count_sql = format!("SELECT COUNT(*) {SHOPPER_FILTER}");
    let (total,): (i64,) = sqlx::query_as(&count_sql)
        .bind(f.phone_hash)
        .bind(&tail)
        .bind(f.id)
        .bind(&nickname)
        .bind(f.status)
        .fetch_one(pool)
        .await?;
    // the order figures are read for the page's rows only
    let rows_sql = format!(
        "SELECT s.id, s.nickname, s.phone_masked, \
         CASE WHEN s.wx_openid IS NULL THEN 0 ELSE 1 END AS via_wechat, \
         s.status, s.status_reason, \
         (SELECT COUNT(*) FROM orders o WHERE o.shopper_id = s.id AND o.paid_at IS NOT NULL) \
           AS paid_orders, \
         CAST((SELECT COALESCE(SUM(o.pay_amount), 0) FROM orders o \
           WHERE o.shopper_id = s.id AND o.paid_at IS NOT NULL) AS BIGINT) AS paid_fen, \
         s.created_at \
         {SHOPPER_FILTER} ORDER BY s.id DESC LIMIT $6 OFFSET $7"
    );
    let rows = sqlx::query_as(&rows_sql)
        .bind(f.phone_hash)
        .bind(&tail)
        .bind(f.id)
        .bind(&nickname)
        .bind(f.status)
        .bind(f.limit)
        .bind(f.offset)
        .fetch_all(pool)
        .await?;
    Ok((rows, total))
}

/// A shopper's encrypted phone: None when there is no such shopper, Some(None) when they
/// have no phone (a mini-program sign-up that never bound one).
pub async fn shopper_phone_enc(pool: &AnyPool, id: i64) -> AppResult<Option<Option<String>>> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT phone_enc FROM shoppers WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(p,)| p))
}

/// A shopper's status, read inside the change's transaction; None when there is none.
pub async fn shopper_status(conn: &mut AnyConnection, id: i64) -> AppResult<Option<AccountStatus>> {
    let row: Option<(AccountStatus,)> = sqlx::query_as("SELECT status FROM shoppers WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|(s,)| s))
}

/// The table of each kind of account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accounts {
    Shoppers,
    Staff,
    Admins,
}

/// Sets an account's status and the reason shown beside it.
pub async fn set_status(
    conn: &mut AnyConnection,
    accounts: Accounts,
    id: i64,
    status: AccountStatus,
    reason: &str,
    now: i64,
) -> AppResult<()> {
    let table = match accounts {
        Accounts::Shoppers => "shoppers",
        Accounts::Staff => "merchant_staff",
        Accounts::Admins => "admins",
    };
    sqlx::query(&format!(
        "UPDATE {table} SET status = $1, status_reason = $2, updated_at = $3 WHERE id = $4"
    ))
    .bind(status)
    .bind(reason)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Revokes every live mini-program token of a shopper; how many there were.
pub async fn revoke_tokens_of(
    conn: &mut AnyConnection,
    shopper_id: i64,
    now: i64,
) -> AppResult<u64> {
    let r = sqlx::query(
        "UPDATE mp_tokens SET revoked_at = $1 WHERE shopper_id = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(shopper_id)
    .execute(conn)
    .await?;
    Ok(r.rows_affected())
}

#[derive(Debug, FromRow)]
pub struct StaffAccountListRow {
    pub id: i64,
    pub merchant_id: i64,
    pub shop: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub status: AccountStatus,
    pub status_reason: String,
    pub created_at: i64,
}

/// Staff accounts whose shop name, username or name contains `words` (every one for ""), by
/// shop then owner first; at most `limit`.
pub async fn staff_accounts(
    pool: &AnyPool,
    words: &str,
    limit: i64,
) -> AppResult<Vec<StaffAccountListRow>> {
    let like = super::contains_pattern(words);
    Ok(sqlx::query_as(
        "SELECT s.id, s.merchant_id, m.name AS shop, s.username, s.display_name, s.role, \
         s.status, s.status_reason, s.created_at \
         FROM merchant_staff s JOIN merchants m ON m.id = s.merchant_id \
         WHERE $1 = '' OR m.name LIKE $1 ESCAPE '\\' OR s.username LIKE $1 ESCAPE '\\' \
            OR s.display_name LIKE $1 ESCAPE '\\' \
         ORDER BY s.merchant_id, s.role, s.id LIMIT $2",
    )
    .bind(&like)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// A staff account's (shop, status), read inside the change's transaction; None when gone.
pub async fn staff_for_change(
    conn: &mut AnyConnection,
    id: i64,
) -> AppResult<Option<(i64, AccountStatus)>> {
    Ok(
        sqlx::query_as("SELECT merchant_id, status FROM merchant_staff WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

#[derive(Debug, FromRow)]
pub struct AdminListRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub status: AccountStatus,
    pub status_reason: String,
    pub created_at: i64,
}

pub async fn admins(pool: &AnyPool) -> AppResult<Vec<AdminListRow>> {
    Ok(sqlx::query_as(
        "SELECT id, username, display_name, role, status, status_reason, created_at \
         FROM admins ORDER BY id",
    )
    .fetch_all(pool)
    .await?)
}

/// An admin account's (role, status), read inside the change's transaction; None when gone.
pub async fn admin_for_change(
    conn: &mut AnyConnection,
    id: i64,
) -> AppResult<Option<(String, AccountStatus)>> {
    Ok(
        sqlx::query_as("SELECT role, status FROM admins WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn set_admin_role(
    conn: &mut AnyConnection,
    id: i64,
    role: &str,
    now: i64,
) -> AppResult<()> {
    sqlx::query("UPDATE admins SET role = $1, updated_at = $2 WHERE id = $3")
        .bind(role)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
