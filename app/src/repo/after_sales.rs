//! After-sale requests (refund only, or return and refund) and their items.

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::domain::after_sale::{AfterSaleAction, AfterSaleKind, AfterSaleStatus};
use crate::domain::reader::Reader;
use crate::domain::state_machine::{sql_list, Actor, StateMachine};
use crate::error::AppResult;
use crate::repo::{placeholders, BindAll};

#[derive(Debug, Clone, FromRow)]
pub struct AfterSaleRow {
    pub id: i64,
    pub after_sale_no: String,
    pub order_id: i64,
    pub merchant_id: i64,
    pub shopper_id: i64,
    pub kind: AfterSaleKind,
    pub status: AfterSaleStatus,
    pub reason: String,
    pub photos: String,
    pub amount: i64,
    pub shipping_amount: i64,
    pub reject_reason: String,
    pub return_carrier: String,
    pub return_tracking: String,
    pub refund_no: String,
    pub refunded_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub coupon_note: String,
    /// a 预售 deposit order paid in two payments: the part of `amount` sent back through the
    /// balance's trade, under its own refund number (`None`: one part, all through the order's
    /// own trade under `refund_no`)
    pub balance_refund_no: Option<String>,
    pub balance_amount: i64,
    /// when each of two parts was confirmed (the after-sale is refunded when both are)
    pub balance_refunded_at: Option<i64>,
    pub trade_refunded_at: Option<i64>,
}

const COLS: &str = "id, after_sale_no, order_id, merchant_id, shopper_id, kind, status, reason, \
    photos, amount, shipping_amount, reject_reason, return_carrier, return_tracking, refund_no, \
    refunded_at, created_at, updated_at, coupon_note, balance_refund_no, balance_amount, \
    balance_refunded_at, trade_refunded_at";

#[derive(Debug, Clone, FromRow)]
pub struct AfterSaleItemRow {
    pub after_sale_id: i64,
    pub order_item_id: i64,
    pub qty: i64,
    pub amount: i64,
}

pub struct NewAfterSale<'a> {
    pub after_sale_no: &'a str,
    pub order_id: i64,
    pub merchant_id: i64,
    pub shopper_id: i64,
    pub kind: AfterSaleKind,
    pub reason: &'a str,
    pub photos: &'a str,
    pub amount: i64,
    pub shipping_amount: i64,
    pub refund_no: &'a str,
    /// pending for a shopper's request; refunding for one the system makes (a failed group)
    pub status: AfterSaleStatus,
    pub now: i64,
}

pub async fn insert(conn: &mut AnyConnection, a: &NewAfterSale<'_>) -> AppResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO after_sales (after_sale_no, order_id, merchant_id, shopper_id, kind, status, \
         reason, photos, amount, shipping_amount, refund_no, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $12, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(a.after_sale_no)
    .bind(a.order_id)
    .bind(a.merchant_id)
    .bind(a.shopper_id)
    .bind(a.kind)
    .bind(a.reason)
    .bind(a.photos)
    .bind(a.amount)
    .bind(a.shipping_amount)
    .bind(a.refund_no)
    .bind(a.now)
    .bind(a.status)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn insert_item(
    conn: &mut AnyConnection,
    after_sale_id: i64,
    order_item_id: i64,
    qty: i64,
    amount: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO after_sale_items (after_sale_id, order_item_id, qty, amount) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(after_sale_id)
    .bind(order_item_id)
    .bind(qty)
    .bind(amount)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Claims units of an order item for an after-sale, only if nobody changed its claims since
/// they were read (`seen_qty`, `seen_amount`); false otherwise.
pub async fn claim(
    conn: &mut AnyConnection,
    order_item_id: i64,
    seen_qty: i64,
    seen_amount: i64,
    qty: i64,
    amount: i64,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE order_items SET refund_qty = refund_qty + $1, refund_amount = refund_amount + $2 \
         WHERE id = $3 AND refund_qty = $4 AND refund_amount = $5 AND refund_qty + $1 <= qty \
         AND refund_amount + $2 <= pay_amount",
    )
    .bind(qty)
    .bind(amount)
    .bind(order_item_id)
    .bind(seen_qty)
    .bind(seen_amount)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives an after-sale's claimed units back to its items (rejected or closed).
pub async fn release(conn: &mut AnyConnection, after_sale_id: i64) -> AppResult<()> {
    for i in items(conn, after_sale_id).await? {
        sqlx::query(
            "UPDATE order_items SET refund_qty = refund_qty - $1, \
             refund_amount = refund_amount - $2 WHERE id = $3",
        )
        .bind(i.qty)
        .bind(i.amount)
        .bind(i.order_item_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn items(
    conn: &mut AnyConnection,
    after_sale_id: i64,
) -> AppResult<Vec<AfterSaleItemRow>> {
    Ok(sqlx::query_as(
        "SELECT after_sale_id, order_item_id, qty, amount FROM after_sale_items \
         WHERE after_sale_id = $1 ORDER BY order_item_id",
    )
    .bind(after_sale_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn by_id(conn: &mut AnyConnection, id: i64) -> AppResult<Option<AfterSaleRow>> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLS} FROM after_sales WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

pub async fn by_refund_no(
    conn: &mut AnyConnection,
    refund_no: &str,
) -> AppResult<Option<AfterSaleRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM after_sales WHERE refund_no = $1 OR balance_refund_no = $1"
    ))
    .bind(refund_no)
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn of_order(conn: &mut AnyConnection, order_id: i64) -> AppResult<Vec<AfterSaleRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM after_sales WHERE order_id = $1 ORDER BY id DESC"
    ))
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// A page of after-sales, newest first, optionally in some statuses.
pub async fn list(
    pool: &AnyPool,
    scope: Reader,
    statuses: &[AfterSaleStatus],
    limit: i64,
    offset: i64,
) -> AppResult<Vec<AfterSaleRow>> {
    let (cond, bind) = match scope {
        Reader::Shopper(id) => ("shopper_id = $1", Some(id)),
        Reader::Merchant(id) => ("merchant_id = $1", Some(id)),
        Reader::Platform => ("1 = 1", None),
    };
    let first = if bind.is_some() { 2 } else { 1 };
    let status_cond = if statuses.is_empty() {
        String::new()
    } else {
        format!(" AND status IN ({})", placeholders(first, statuses.len()))
    };
    let next = first + statuses.len();
    let sql = format!(
        "SELECT {COLS} FROM after_sales WHERE {cond}{status_cond} ORDER BY id DESC \
         LIMIT ${next} OFFSET ${}",
        next + 1
    );
    let mut q = sqlx::query_as(&sql);
    if let Some(b) = bind {
        q = q.bind(b);
    }
    q = q.bind_all(statuses.iter().copied());
    Ok(q.bind(limit).bind(offset).fetch_all(pool).await?)
}

/// Makes the move `action` by `by` to `to`, once, from any state the after-sale table allows it
/// from; false when the after-sale was in none of them (it changed meanwhile, or never could).
/// A move to refunded stamps `refunded_at`.
pub async fn transition(
    conn: &mut AnyConnection,
    id: i64,
    action: AfterSaleAction,
    by: Actor,
    to: AfterSaleStatus,
    now: i64,
) -> AppResult<bool> {
    let from = AfterSaleStatus::sources(action, by, to);
    if from.is_empty() {
        return Ok(false);
    }
    let stamp = if to == AfterSaleStatus::Refunded {
        ", refunded_at = $2"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE after_sales SET status = $1, updated_at = $2{stamp} WHERE id = $3 \
         AND status IN ({})",
        sql_list(from)
    );
    let q = sqlx::query(&sql).bind(to).bind(now).bind(id);
    Ok(q.execute(&mut *conn).await?.rows_affected() == 1)
}

pub async fn set_reject_reason(conn: &mut AnyConnection, id: i64, reason: &str) -> AppResult<()> {
    sqlx::query("UPDATE after_sales SET reject_reason = $1 WHERE id = $2")
        .bind(reason)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn set_return_tracking(
    conn: &mut AnyConnection,
    id: i64,
    carrier: &str,
    tracking: &str,
) -> AppResult<()> {
    sqlx::query("UPDATE after_sales SET return_carrier = $1, return_tracking = $2 WHERE id = $3")
        .bind(carrier)
        .bind(tracking)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn add_refunded_to_order(
    conn: &mut AnyConnection,
    order_id: i64,
    amount: i64,
) -> AppResult<()> {
    sqlx::query("UPDATE orders SET refunded_amount = refunded_amount + $1 WHERE id = $2")
        .bind(amount)
        .bind(order_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Refunds asked of the provider but not confirmed since `before`, marked as asked again `now`
/// (so each is asked at most once per wait, however often the timers run).
pub async fn take_stuck_refunds(pool: &AnyPool, before: i64, now: i64) -> AppResult<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "UPDATE after_sales SET updated_at = $1 \
         WHERE status = $3 AND updated_at <= $2 RETURNING id",
    )
    .bind(now)
    .bind(before)
    .bind(AfterSaleStatus::Refunding)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Sends `amount` of an after-sale back through the balance's trade, under `refund_no`.
pub async fn set_balance_part(
    conn: &mut AnyConnection,
    id: i64,
    refund_no: &str,
    amount: i64,
) -> AppResult<()> {
    sqlx::query("UPDATE after_sales SET balance_refund_no = $1, balance_amount = $2 WHERE id = $3")
        .bind(refund_no)
        .bind(amount)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Σ the balance parts of the order's after-sales that hold their claim (open or refunded),
/// but `except`, fen.
pub async fn balance_parts_of_order(
    conn: &mut AnyConnection,
    order_id: i64,
    except: i64,
) -> AppResult<i64> {
    let holding = AfterSaleStatus::ALL
        .iter()
        .copied()
        .filter(|s| s.holds_claim());
    let (n,): (i64,) = sqlx::query_as(&format!(
        "SELECT CAST(COALESCE(SUM(balance_amount), 0) AS BIGINT) FROM after_sales \
         WHERE order_id = $1 AND id <> $2 AND status IN ({})",
        sql_list(holding)
    ))
    .bind(order_id)
    .bind(except)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n)
}

/// Stamps one part of a two-part refund confirmed (`balance`: the balance's part, else the
/// order trade's), once. False when it was confirmed before.
pub async fn confirm_part(
    conn: &mut AnyConnection,
    id: i64,
    balance: bool,
    now: i64,
) -> AppResult<bool> {
    let column = if balance {
        "balance_refunded_at"
    } else {
        "trade_refunded_at"
    };
    let done = sqlx::query(&format!(
        "UPDATE after_sales SET {column} = $1 WHERE id = $2 AND {column} IS NULL"
    ))
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records what became of the order's coupons when this after-sale refunded.
pub async fn set_coupon_note(conn: &mut AnyConnection, id: i64, note: &str) -> AppResult<()> {
    sqlx::query("UPDATE after_sales SET coupon_note = $1 WHERE id = $2")
        .bind(note)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
