//! Every stock movement: a checkout takes stock, a closed trade or a refund of unshipped goods
//! gives it back, a merchant adjusts it by hand (logged with a reason). Each movement records
//! the SKU's new stock on its write transaction, for the shop front.

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::error::{AppError, AppResult};
use crate::infra::clock::wall_ms;
use crate::infra::db::WriteTx;

/// One SKU's share of a stock movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StockLine {
    pub product_id: i64,
    pub sku_id: i64,
    pub qty: i64,
}

/// What taking stock did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StockTaken {
    /// (product, SKU, stock left) for every SKU, for the read model.
    Done(Vec<(i64, i64, i64)>),
    /// This SKU has less than was asked, is retired, or no longer sells at the price the buyer
    /// was shown (nothing is undone here: the caller rolls back).
    Refused { sku_id: i64 },
}

/// Takes stock for a checkout: each line only while its SKU is active, has the quantity and
/// still sells at `unit_price`, so a checkout priced before its transaction began can never
/// sell at a stale price or below zero. See [`move_stock`] for the lock order.
pub async fn take_stock(tx: &mut WriteTx, lines: &[(StockLine, i64)]) -> AppResult<StockTaken> {
    if tx.is_sole_writer() {
        return take_at_once(tx, lines).await;
    }
    let lines = lines.iter().map(|&(l, price)| (l, Some(price))).collect();
    move_stock(tx, lines).await
}

/// [`take_stock`] in one statement, for a transaction that is the only writer (SQLite): it
/// needs no lock order, and every statement inside the one writer's turn makes every other
/// checkout wait (each is a hop to SQLite's thread and back). Same conditions per line.
async fn take_at_once(tx: &mut WriteTx, lines: &[(StockLine, i64)]) -> AppResult<StockTaken> {
    let mut lines: Vec<(StockLine, i64)> = lines.to_vec();
    lines.sort_by_key(|(l, _)| l.sku_id);
    if lines.windows(2).any(|w| w[0].0.sku_id == w[1].0.sku_id) {
        // a SKU twice would take only its first line: row by row instead
        let lines = lines.iter().map(|&(l, price)| (l, Some(price))).collect();
        return move_stock(tx, lines).await;
    }
    let n = lines.len();
    // $1..$3n: (SKU, quantity, price) per line; each CASE picks the line's value by SKU
    let case = |col: usize| -> String {
        let arms: String = (0..n)
            .map(|i| format!(" WHEN ${} THEN ${}", 3 * i + 1, 3 * i + 1 + col))
            .collect();
        format!("CASE id{arms} END")
    };
    let ids: Vec<String> = (0..n).map(|i| format!("${}", 3 * i + 1)).collect();
    let sql = format!(
        "UPDATE skus SET stock = stock - {qty} WHERE id IN ({}) AND active = 1 \
         AND stock >= {qty} AND price = {price} RETURNING id, product_id, stock",
        ids.join(", "),
        qty = case(1),
        price = case(2),
    );
    let mut q = sqlx::query_as::<_, (i64, i64, i64)>(&sql);
    for (line, price) in &lines {
        q = q.bind(line.sku_id).bind(line.qty).bind(*price);
    }
    let taken = q.fetch_all(&mut **tx).await?;
    if let Some((line, _)) = lines
        .iter()
        .find(|(l, _)| !taken.iter().any(|t| t.0 == l.sku_id))
    {
        return Ok(StockTaken::Refused {
            sku_id: line.sku_id,
        });
    }
    let mut left = Vec::with_capacity(n);
    for (line, _) in &lines {
        let stock = taken.iter().find(|t| t.0 == line.sku_id).map_or(0, |t| t.2);
        tx.changes().stock(line.product_id, line.sku_id, stock);
        left.push((line.product_id, line.sku_id, stock));
    }
    Ok(StockTaken::Done(left))
}

/// Gives stock back (a closed trade, a refund of unshipped goods).
pub async fn return_stock(tx: &mut WriteTx, lines: &[StockLine]) -> AppResult<()> {
    let lines = lines.iter().map(|&l| (l, None)).collect();
    match move_stock(tx, lines).await? {
        StockTaken::Done(_) => Ok(()),
        StockTaken::Refused { sku_id } => Err(AppError::internal(format!(
            "stock return refused for SKU {sku_id}"
        ))),
    }
}

/// Moves the stock of several SKUs, always in one lock order (by SKU id). Checkouts, closing
/// trades and refunds all come through here, so two of them over the same SKUs wait for each
/// other instead of deadlocking. A line with a price takes at that price; one without gives
/// back. (A product's total stock is summed from its SKUs when read, so no product row is
/// locked here: the hot rows are the SKUs alone.)
async fn move_stock(
    tx: &mut WriteTx,
    mut lines: Vec<(StockLine, Option<i64>)>,
) -> AppResult<StockTaken> {
    lines.sort_by_key(|(l, _)| l.sku_id);
    let mut left = Vec::with_capacity(lines.len());
    for (line, take_at) in &lines {
        let stock = match take_at {
            Some(price) => match take_sku_stock(tx, line.sku_id, line.qty, *price).await? {
                Some(s) => s,
                None => {
                    return Ok(StockTaken::Refused {
                        sku_id: line.sku_id,
                    })
                }
            },
            None => return_sku_stock(tx, line.sku_id, line.qty).await?,
        };
        tx.changes().stock(line.product_id, line.sku_id, stock);
        left.push((line.product_id, line.sku_id, stock));
    }
    Ok(StockTaken::Done(left))
}

/// Takes `qty` from a SKU's stock if that much is there at this price. Returns the stock left.
async fn take_sku_stock(
    conn: &mut AnyConnection,
    sku_id: i64,
    qty: i64,
    price: i64,
) -> AppResult<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE skus SET stock = stock - $1 WHERE id = $2 AND active = 1 AND stock >= $1 \
         AND price = $3 RETURNING stock",
    )
    .bind(qty)
    .bind(sku_id)
    .bind(price)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(s,)| s))
}

/// Gives stock back. Returns the stock now.
async fn return_sku_stock(conn: &mut AnyConnection, sku_id: i64, qty: i64) -> AppResult<i64> {
    let (stock,): (i64,) =
        sqlx::query_as("UPDATE skus SET stock = stock + $1 WHERE id = $2 RETURNING stock")
            .bind(qty)
            .bind(sku_id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(stock)
}

/// Adds `delta` to a SKU's stock unless that would go below zero. Returns the new stock, or
/// `None` when refused (or the SKU is not the merchant's). One statement: safe under concurrency.
pub async fn adjust_stock(
    tx: &mut WriteTx,
    merchant_id: i64,
    sku_id: i64,
    delta: i64,
) -> AppResult<Option<i64>> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "UPDATE skus SET stock = stock + $1 WHERE id = $2 AND merchant_id = $3 \
         AND stock + $1 >= 0 RETURNING product_id, stock",
    )
    .bind(delta)
    .bind(sku_id)
    .bind(merchant_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(product_id, stock)| {
        tx.changes().stock(product_id, sku_id, stock);
        stock
    }))
}

pub struct StockEntry<'a> {
    pub merchant_id: i64,
    pub product_id: i64,
    pub sku_id: i64,
    pub delta: i64,
    pub stock_after: i64,
    pub reason: &'a str,
    pub actor_realm: &'a str,
    pub actor_id: Option<i64>,
}

pub async fn log_stock(conn: &mut AnyConnection, e: &StockEntry<'_>) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO stock_adjustments (merchant_id, product_id, sku_id, delta, stock_after, \
         reason, actor_realm, actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(e.merchant_id)
    .bind(e.product_id)
    .bind(e.sku_id)
    .bind(e.delta)
    .bind(e.stock_after)
    .bind(e.reason)
    .bind(e.actor_realm)
    .bind(e.actor_id)
    .bind(wall_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct StockLogRow {
    pub sku_id: i64,
    pub spec_values: String,
    pub delta: i64,
    pub stock_after: i64,
    pub reason: String,
    pub actor_realm: String,
    pub actor_id: Option<i64>,
    pub created_at: i64,
}

pub async fn stock_log(
    pool: &AnyPool,
    merchant_id: i64,
    product_id: i64,
) -> AppResult<Vec<StockLogRow>> {
    Ok(sqlx::query_as(
        "SELECT a.sku_id, s.spec_values, a.delta, a.stock_after, a.reason, a.actor_realm, \
         a.actor_id, a.created_at FROM stock_adjustments a JOIN skus s ON s.id = a.sku_id \
         WHERE a.merchant_id = $1 AND a.product_id = $2 ORDER BY a.id DESC LIMIT 200",
    )
    .bind(merchant_id)
    .bind(product_id)
    .fetch_all(pool)
    .await?)
}
