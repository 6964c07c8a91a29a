//! Scale-test history for the dashboards (`jishi seed-orders`, `bench/dashboards.sh`): many
//! shoppers and a year of paid orders, refunds and reviews over the bench shops' products.
//!
//! Written with set-based SQL (`INSERT … SELECT` over a recursive counter) rather than through
//! the checkout and payment services: a million orders through the services would take the
//! better part of an hour, and what this data serves is the read side (aggregates, the live
//! day, the rebuild), which only needs rows shaped like real ones. The marketplace the services
//! make (`seed::demo_history`) is what every other check uses.

use crate::domain::time::DAY_MS;
use crate::error::{AppError, AppResult};
use crate::infra::db::Backend;
use crate::state::AppState;

/// Rows written per statement and transaction.
const CHUNK: i64 = 50_000;
/// Every this many orders one is refunded in full, three days after payment.
const REFUND_EVERY: i64 = 33;
/// Every this many orders one line is reviewed, five days after payment.
const REVIEW_EVERY: i64 = 4;

/// What was written.
#[derive(Debug, Default)]
pub struct Written {
    pub shoppers: i64,
    pub orders: i64,
    pub refunds: i64,
    pub reviews: i64,
}

/// Adds `shoppers` shoppers signing up over the last `days` days and `orders` paid orders (one
/// line each, of the bench products on sale) spread evenly over the same days, up to now. The
/// orders are completed without a completion time, so the timers leave them alone: a year of
/// settlement bills and 默认好评 written at the first sweep would hold the writer for minutes
/// and measure that instead of the dashboards.
/// `progress` is told the orders written so far. Needs `seed-bench` first (its products).
pub async fn seed(
    st: &AppState,
    orders: i64,
    shoppers: i64,
    days: i64,
    progress: impl Fn(i64),
) -> AppResult<Written> {
    if orders < 1 || shoppers < 1 || days < 1 {
        return Err(AppError::bad_request(
            "orders, shoppers and days must be positive",
        ));
    }
    let pool = &st.db.pool;
    let now = st.clock.now_ms();
    let span = days * DAY_MS;
    let start = now - span;
    exec(st, "DROP TABLE IF EXISTS bench_skus", &[]).await?;
    exec(
        st,
        "CREATE TABLE bench_skus AS SELECT ROW_NUMBER() OVER (ORDER BY s.id) - 1 AS k, \
         s.product_id, s.id AS sku_id, s.merchant_id, s.price FROM skus s \
         JOIN products p ON p.id = s.product_id WHERE p.status = 'on_sale' AND s.active = 1",
        &[],
    )
    .await?;
    exec(st, "CREATE INDEX bench_skus_k ON bench_skus (k)", &[]).await?;
    let (skus,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM bench_skus")
        .fetch_one(pool)
        .await?;
    if skus == 0 {
        return Err(AppError::bad_request(
            "no products on sale: run seed-bench first",
        ));
    }
    let next = |table: &'static str| async move {
        let (id,): (i64,) = sqlx::query_as(&format!(
            "SELECT CAST(COALESCE(MAX(id), 0) + 1 AS BIGINT) FROM {table}"
        ))
        .fetch_one(pool)
        .await?;
        AppResult::Ok(id)
    };
    let (s0, t0, o0, i0) = (
        next("shoppers").await?,
        next("trades").await?,
        next("orders").await?,
        next("order_items").await?,
    );
    let (a0, r0) = (next("after_sales").await?, next("reviews").await?);
    // n counts from 0; $1, $2 bound the chunk
    let counter = "WITH RECURSIVE seq(n) AS (SELECT CAST($1 AS BIGINT) UNION ALL \
                   SELECT n + 1 FROM seq WHERE n + 1 < $2)";
    for lo in (0..shoppers).step_by(CHUNK as usize) {
        let hi = (lo + CHUNK).min(shoppers);
        exec(
            st,
            &format!(
                "INSERT INTO shoppers (id, nickname, status, created_at, updated_at) {counter} \
                 SELECT $3 + n, '压测买家' || n, 'active', $4 + n * $5 / $6, $4 + n * $5 / $6 \
                 FROM seq"
            ),
            &[lo, hi, s0, start, span, shoppers],
        )
        .await?;
    }
    // each order's time, shopper and SKU, from its number
    let picked = format!(
        "{counter} SELECT g.n, g.t, g.shopper, b.product_id, b.sku_id, b.merchant_id, \
         b.price * (1 + g.n % 3) AS amount, 1 + g.n % 3 AS qty, b.price FROM \
         (SELECT n, $3 + n * $4 / $5 AS t, $6 + (n * 7919) % $7 AS shopper, (n * 31) % $8 AS k \
         FROM seq) g JOIN bench_skus b ON b.k = g.k"
    );
    let mut written = Written {
        shoppers,
        orders,
        ..Written::default()
    };
    for lo in (0..orders).step_by(CHUNK as usize) {
        let hi = (lo + CHUNK).min(orders);
        let binds = [lo, hi, start, span, orders, s0, shoppers, skus];
        let mut tx = st.db.begin_write().await?;
        for sql in [
            format!(
                "INSERT INTO trades (id, trade_no, shopper_id, idempotency_key, status, amount, \
                 pay_deadline, provider, paid_at, created_at) SELECT {t0} + n, 'BT' || n, \
                 shopper, 'bench' || n, 'paid', amount, t + 1800000, 'simulated', t, t \
                 FROM ({picked}) x"
            ),
            format!(
                "INSERT INTO orders (id, order_no, trade_id, merchant_id, shopper_id, status, \
                 goods_amount, shipping_fee, pay_amount, delivery, paid_at, shipped_at, \
                 created_at, updated_at) SELECT {o0} + n, 'BO' || n, {t0} + n, \
                 merchant_id, shopper, 'completed', amount, 0, amount, 'express', t, t, t, t \
                 FROM ({picked}) x"
            ),
            format!(
                "INSERT INTO order_items (id, order_id, merchant_id, product_id, sku_id, title, \
                 spec_label, image, unit_price, qty, gross, pay_amount, commission_bps) \
                 SELECT {i0} + n, {o0} + n, merchant_id, product_id, sku_id, '压测商品', '', '', \
                 price, qty, amount, amount, 500 FROM ({picked}) x"
            ),
            format!(
                "INSERT INTO after_sales (id, after_sale_no, order_id, merchant_id, shopper_id, \
                 kind, status, reason, amount, refund_no, refunded_at, created_at, updated_at) \
                 SELECT {a0} + n, 'BA' || n, {o0} + n, merchant_id, shopper, 'refund_only', \
                 'refunded', '压测退款', amount, 'BR' || n, t + 3 * {DAY_MS}, t, t \
                 FROM ({picked}) x WHERE n % {REFUND_EVERY} = 0 AND t + 3 * {DAY_MS} < {now}"
            ),
            format!(
                "INSERT INTO reviews (id, order_item_id, order_id, merchant_id, product_id, \
                 shopper_id, goods_stars, service_stars, logistics_stars, content, created_at, \
                 updated_at) SELECT {r0} + n, {i0} + n, {o0} + n, merchant_id, product_id, \
                 shopper, 5 - n % 3, 5 - n % 2, 4 + n % 2, '压测评价', t + 5 * {DAY_MS}, \
                 t + 5 * {DAY_MS} FROM ({picked}) x \
                 WHERE n % {REVIEW_EVERY} = 0 AND n % {REFUND_EVERY} <> 0 \
                 AND t + 5 * {DAY_MS} < {now}"
            ),
        ] {
            let mut q = sqlx::query(&sql);
            for b in binds {
                q = q.bind(b);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        progress(hi);
    }
    exec(st, "DROP TABLE bench_skus", &[]).await?;
    if st.db.backend == Backend::Postgres {
        // the rows above chose their ids; later inserts take the next ones
        for table in [
            "shoppers",
            "trades",
            "orders",
            "order_items",
            "after_sales",
            "reviews",
        ] {
            exec(
                st,
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     (SELECT MAX(id) FROM {table}))"
                ),
                &[],
            )
            .await?;
        }
    }
    exec(st, "ANALYZE", &[]).await?;
    let count = |sql: &'static str, from: i64| async move {
        let (n,): (i64,) = sqlx::query_as(sql).bind(from).fetch_one(pool).await?;
        AppResult::Ok(n)
    };
    written.refunds = count("SELECT COUNT(*) FROM after_sales WHERE id >= $1", a0).await?;
    written.reviews = count("SELECT COUNT(*) FROM reviews WHERE id >= $1", r0).await?;
    Ok(written)
}

async fn exec(st: &AppState, sql: &str, binds: &[i64]) -> AppResult<()> {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(&st.db.pool).await?;
    Ok(())
}
