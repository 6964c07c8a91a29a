//! The ledger's tables: accounts with their balances, postings (one per event and source) and
//! their lines. Lines and postings are only ever inserted (the database refuses the rest).

use sqlx::{AnyConnection, FromRow};

use crate::domain::ledger::{AccountKind, LedgerEvent};
use crate::error::{AppError, AppResult};
use crate::repo::{placeholders, BindAll};

/// One line to post: `amount` debit-positive, on `kind` of `merchant_id` (0 = platform).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewLine {
    pub kind: AccountKind,
    pub merchant_id: i64,
    pub order_id: Option<i64>,
    pub amount: i64,
}

/// The account of `kind` owned by `merchant_id`, made on first use.
pub async fn account_id(
    conn: &mut AnyConnection,
    kind: AccountKind,
    merchant_id: i64,
) -> AppResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO ledger_accounts (kind, merchant_id, balance) VALUES ($1, $2, 0) \
         ON CONFLICT (kind, merchant_id) DO UPDATE SET kind = excluded.kind RETURNING id",
    )
    .bind(kind.as_str())
    .bind(merchant_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Posts `lines` as the posting of `event` for `source_id`, once: false (and nothing written)
/// when that posting exists already. Lines of zero are left out; the rest must sum to zero.
pub async fn post(
    conn: &mut AnyConnection,
    event: LedgerEvent,
    source_id: i64,
    merchant_id: i64,
    memo: &str,
    lines: &[NewLine],
    now: i64,
) -> AppResult<bool> {
    if lines.iter().map(|l| l.amount).sum::<i64>() != 0 {
        return Err(AppError::internal(format!(
            "unbalanced posting {} {source_id}: {lines:?}",
            event.as_str()
        )));
    }
    let posting: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO ledger_postings (event, source_id, merchant_id, memo, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event, source_id) DO NOTHING RETURNING id",
    )
    .bind(event.as_str())
    .bind(source_id)
    .bind(merchant_id)
    .bind(memo)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((posting_id,)) = posting else {
        return Ok(false);
    };
    let mut resolved = Vec::new();
    for l in lines.iter().filter(|l| l.amount != 0) {
        resolved.push((account_id(conn, l.kind, l.merchant_id).await?, l));
    }
    if resolved.is_empty() {
        return Ok(true);
    }
    let rows: Vec<String> = (0..resolved.len())
        .map(|i| {
            let b = i * 5 + 2;
            format!("($1, ${b}, ${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4)
        })
        .collect();
    let sql = format!(
        "INSERT INTO ledger_lines (posting_id, account_id, merchant_id, order_id, amount, \
         created_at) VALUES {}",
        rows.join(", ")
    );
    let mut q = sqlx::query(&sql).bind(posting_id);
    for (account, l) in &resolved {
        q = q
            .bind(*account)
            .bind(l.merchant_id)
            .bind(l.order_id)
            .bind(l.amount)
            .bind(now);
    }
    q.execute(&mut *conn).await?;
    // one lock order for every posting: accounts by id
    resolved.sort_by_key(|(account, _)| *account);
    for (account, l) in resolved {
        sqlx::query("UPDATE ledger_accounts SET balance = balance + $1 WHERE id = $2")
            .bind(l.kind.sign() * l.amount)
            .bind(account)
            .execute(&mut *conn)
            .await?;
    }
    Ok(true)
}

/// Holds the account while the caller posts from it: true when its balance is at least
/// `amount` (and, on PostgreSQL, the row stays locked to the end of the transaction, so two
/// withdrawals cannot both spend the same money).
pub async fn hold_if_at_least(
    conn: &mut AnyConnection,
    kind: AccountKind,
    merchant_id: i64,
    amount: i64,
) -> AppResult<bool> {
    let id = account_id(conn, kind, merchant_id).await?;
    let done =
        sqlx::query("UPDATE ledger_accounts SET balance = balance WHERE id = $1 AND balance >= $2")
            .bind(id)
            .bind(amount)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// What the ledger holds for one order, per account kind (debit-positive sums).
pub async fn order_holdings(
    conn: &mut AnyConnection,
    order_id: i64,
) -> AppResult<Vec<(AccountKind, i64)>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT a.kind, CAST(SUM(l.amount) AS BIGINT) FROM ledger_lines l \
         JOIN ledger_accounts a ON a.id = l.account_id WHERE l.order_id = $1 GROUP BY a.kind",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(k, sum)| Some((AccountKind::parse(&k)?, sum)))
        .collect())
}

/// Every order's holdings (the reconciliation check): (order, kind, debit-positive sum).
pub async fn all_order_holdings(
    conn: &mut AnyConnection,
) -> AppResult<Vec<(i64, AccountKind, i64)>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT l.order_id, a.kind, CAST(SUM(l.amount) AS BIGINT) FROM ledger_lines l \
         JOIN ledger_accounts a ON a.id = l.account_id WHERE l.order_id IS NOT NULL \
         GROUP BY l.order_id, a.kind",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(o, k, sum)| Some((o, AccountKind::parse(&k)?, sum)))
        .collect())
}

#[derive(Debug, Clone, FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub kind: String,
    pub merchant_id: i64,
    pub balance: i64,
    /// debit-positive sum of its lines
    pub lines_sum: i64,
}

/// Accounts with their stored balance and the sum of their lines; `merchant_id` None = all.
pub async fn accounts(
    conn: &mut AnyConnection,
    merchant_id: Option<i64>,
) -> AppResult<Vec<AccountRow>> {
    let rows = sqlx::query_as::<_, AccountRow>(
        "SELECT a.id, a.kind, a.merchant_id, a.balance, \
         CAST(COALESCE((SELECT SUM(l.amount) FROM ledger_lines l WHERE l.account_id = a.id), 0) \
         AS BIGINT) AS lines_sum \
         FROM ledger_accounts a WHERE ($1 < 0 OR a.merchant_id = $1) ORDER BY a.id",
    )
    .bind(merchant_id.unwrap_or(-1))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows)
}

/// A merchant's balances by kind (normal side), without summing lines.
pub async fn balances(
    conn: &mut AnyConnection,
    merchant_id: i64,
) -> AppResult<Vec<(AccountKind, i64)>> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT kind, balance FROM ledger_accounts WHERE merchant_id = $1")
            .bind(merchant_id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(k, b)| Some((AccountKind::parse(&k)?, b)))
        .collect())
}

/// Postings whose lines do not sum to zero: (posting id, event, sum). Empty when all balance.
pub async fn unbalanced_postings(conn: &mut AnyConnection) -> AppResult<Vec<(i64, String, i64)>> {
    let rows = sqlx::query_as(
        "SELECT p.id, p.event, CAST(SUM(l.amount) AS BIGINT) FROM ledger_postings p \
         JOIN ledger_lines l ON l.posting_id = p.id GROUP BY p.id, p.event \
         HAVING SUM(l.amount) <> 0",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows)
}

pub async fn posting_count(conn: &mut AnyConnection) -> AppResult<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM ledger_postings")
        .fetch_one(&mut *conn)
        .await?;
    Ok(n)
}

#[derive(Debug, Clone, FromRow)]
pub struct LineRow {
    pub id: i64,
    pub created_at: i64,
    pub event: String,
    pub kind: String,
    pub merchant_id: i64,
    pub order_no: Option<String>,
    pub amount: i64,
    pub memo: String,
}

/// Ledger lines, newest first; `merchant_id` Some = only that merchant's accounts.
pub async fn lines(
    conn: &mut AnyConnection,
    merchant_id: Option<i64>,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<LineRow>> {
    let rows = sqlx::query_as::<_, LineRow>(
        "SELECT l.id, l.created_at, p.event, a.kind, l.merchant_id, o.order_no, l.amount, p.memo \
         FROM ledger_lines l JOIN ledger_postings p ON p.id = l.posting_id \
         JOIN ledger_accounts a ON a.id = l.account_id \
         LEFT JOIN orders o ON o.id = l.order_id \
         WHERE ($1 < 0 OR l.merchant_id = $1) ORDER BY l.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(merchant_id.unwrap_or(-1))
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows)
}

/// Movements in `[from, to)` summed by the merchant whose order (or account) they concern, the
/// event and the account kind: (merchant, event, kind, debit-positive sum).
pub async fn movements(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
) -> AppResult<Vec<(i64, String, String, i64)>> {
    let rows = sqlx::query_as(
        "SELECT COALESCE(o.merchant_id, l.merchant_id), p.event, a.kind, \
         CAST(SUM(l.amount) AS BIGINT) FROM ledger_lines l \
         JOIN ledger_postings p ON p.id = l.posting_id \
         JOIN ledger_accounts a ON a.id = l.account_id \
         LEFT JOIN orders o ON o.id = l.order_id \
         WHERE l.created_at >= $1 AND l.created_at < $2 \
         GROUP BY COALESCE(o.merchant_id, l.merchant_id), p.event, a.kind",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows)
}

/// Merchant balances (normal side) at the end of `to`: (merchant, kind, balance).
pub async fn merchant_balances_before(
    conn: &mut AnyConnection,
    to: i64,
) -> AppResult<Vec<(i64, String, i64)>> {
    let rows = sqlx::query_as(
        "SELECT l.merchant_id, a.kind, CAST(SUM(l.amount) AS BIGINT) FROM ledger_lines l \
         JOIN ledger_accounts a ON a.id = l.account_id \
         WHERE l.merchant_id > 0 AND l.created_at < $1 GROUP BY l.merchant_id, a.kind",
    )
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows)
}

/// Refunded after-sale amounts per order item (only refunds the provider confirmed):
/// (order item, units, fen).
pub async fn refunded_items(
    conn: &mut AnyConnection,
    order_ids: &[i64],
) -> AppResult<Vec<(i64, i64, i64)>> {
    if order_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT ai.order_item_id, CAST(SUM(ai.qty) AS BIGINT), CAST(SUM(ai.amount) AS BIGINT) \
         FROM after_sale_items ai JOIN after_sales s ON s.id = ai.after_sale_id \
         WHERE s.status = $1 AND s.order_id IN ({}) GROUP BY ai.order_item_id",
        placeholders(2, order_ids.len())
    );
    let rows = sqlx::query_as(&sql)
        .bind(crate::domain::after_sale::AfterSaleStatus::Refunded)
        .bind_all(order_ids.iter().copied())
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows)
}

/// Shipping refunded per order (after-sales the provider confirmed): (order, fen).
pub async fn refunded_shipping(
    conn: &mut AnyConnection,
    order_ids: &[i64],
) -> AppResult<Vec<(i64, i64)>> {
    if order_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT order_id, CAST(SUM(shipping_amount) AS BIGINT) FROM after_sales \
         WHERE status = $1 AND order_id IN ({}) GROUP BY order_id",
        placeholders(2, order_ids.len())
    );
    let rows = sqlx::query_as(&sql)
        .bind(crate::domain::after_sale::AfterSaleStatus::Refunded)
        .bind_all(order_ids.iter().copied())
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows)
}
