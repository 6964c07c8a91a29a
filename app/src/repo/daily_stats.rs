//! The dashboards' figures (SQL only): read per China-time day straight from orders, after-sales,
//! shoppers and the ledger, and the daily aggregate tables they are stored in for days that are
//! over (`daily_stats`, `daily_product_stats`). The rules of what counts are
//! `domain::dashboard`; when days are closed and what is read live, `services::dashboards`.

use std::collections::BTreeMap;

use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;
use sqlx::{Any, AnyConnection};

use crate::domain::after_sale::AfterSaleStatus;
use crate::domain::dashboard::Figures;
use crate::domain::ledger::AccountKind;
use crate::error::AppResult;
use crate::infra::db::WriteTx;
use crate::repo::value_rows;

/// The China-time day number of an epoch-ms column, in SQL (UTC+8; both databases divide
/// integers towards zero, and every stored time is after 1970).
fn day_of(col: &str) -> String {
    format!("(({col} + 28800000) / 86400000)")
}

/// `AND <col> = $n` when reading one shop; nothing for the platform.
fn shop_filter(col: &str, merchant: Option<i64>, n: usize) -> String {
    merchant.map_or(String::new(), |_| format!(" AND {col} = ${n}"))
}

/// Binds the shop of [`shop_filter`] when there is one (PostgreSQL refuses an unused parameter).
trait BindShop: Sized {
    fn bind_shop(self, merchant: Option<i64>) -> Self;
}

impl<'q, O> BindShop for QueryAs<'q, Any, O, AnyArguments<'q>> {
    fn bind_shop(self, merchant: Option<i64>) -> Self {
        match merchant {
            Some(m) => self.bind(m),
            None => self,
        }
    }
}

/// One product's sales on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct ProductDay {
    pub day: i64,
    pub product_id: i64,
    pub merchant_id: i64,
    pub category_id: i64,
    pub units: i64,
    pub gmv: i64,
}

/// What the sources hold for some days: per (merchant, day) — merchant 0 the whole platform —
/// and per product and day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DayBook {
    pub figures: BTreeMap<(i64, i64), Figures>,
    pub products: Vec<ProductDay>,
}

/// Reads `[from, to)` (epoch ms) from the sources: every shop and the platform (`merchant`
/// None), or one shop. Days without any activity have no entry.
pub async fn from_sources(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    merchant: Option<i64>,
) -> AppResult<DayBook> {
    let mut book = DayBook::default();
    // orders paid, per shop; and per platform with its own distinct payers
    let paid = day_of("o.paid_at");
    let per_shop: Vec<(i64, i64, i64, i64, i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT {paid}, o.merchant_id, CAST(COUNT(*) AS BIGINT), CAST(SUM(o.pay_amount) AS BIGINT), \
         CAST(COUNT(DISTINCT o.shopper_id) AS BIGINT), CAST(SUM(o.merchant_discount) AS BIGINT), \
         CAST(SUM(o.platform_discount) AS BIGINT) FROM orders o \
         WHERE o.paid_at >= $1 AND o.paid_at < $2{} GROUP BY {paid}, o.merchant_id",
        shop_filter("o.merchant_id", merchant, 3)
    ))
    .bind(from)
    .bind(to)
    .bind_shop(merchant)
    .fetch_all(&mut *conn)
    .await?;
    for (day, shop, orders, gmv, payers, md, pd) in per_shop {
        let f = book.figures.entry((shop, day)).or_default();
        f.paid_orders = orders;
        f.gmv = gmv;
        f.payers = payers;
        f.merchant_discount = md;
        f.platform_discount = pd;
        if merchant.is_none() {
            let p = book.figures.entry((0, day)).or_default();
            p.paid_orders += orders;
            p.gmv += gmv;
            p.merchant_discount += md;
            p.platform_discount += pd;
        }
    }
    if merchant.is_none() {
        let payers: Vec<(i64, i64)> = sqlx::query_as(&format!(
            "SELECT {paid}, CAST(COUNT(DISTINCT o.shopper_id) AS BIGINT) FROM orders o \
             WHERE o.paid_at >= $1 AND o.paid_at < $2 GROUP BY {paid}"
        ))
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await?;
        for (day, n) in payers {
            book.figures.entry((0, day)).or_default().payers = n;
        }
    }
    // first-time buyers: no paid order (in this shop / anywhere) before the day of this one
    let day_start = "o.paid_at - ((o.paid_at + 28800000) % 86400000)";
    for platform in [false, true] {
        if platform && merchant.is_some() {
            continue;
        }
        let same_shop = if platform {
            ""
        } else {
            " AND p.merchant_id = o.merchant_id"
        };
        let (shop, group) = if platform {
            ("CAST(0 AS BIGINT)", String::new())
        } else {
            ("o.merchant_id", ", o.merchant_id".to_string())
        };
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
            "SELECT {paid}, {shop}, CAST(COUNT(DISTINCT o.shopper_id) AS BIGINT) FROM orders o \
             WHERE o.paid_at >= $1 AND o.paid_at < $2{} AND NOT EXISTS (SELECT 1 FROM orders p \
             WHERE p.shopper_id = o.shopper_id{same_shop} AND p.paid_at < {day_start}) \
             GROUP BY {paid}{group}",
            shop_filter("o.merchant_id", merchant, 3)
        ))
        .bind(from)
        .bind(to)
        .bind_shop(merchant)
        .fetch_all(&mut *conn)
        .await?;
        for (day, shop, n) in rows {
            book.figures.entry((shop, day)).or_default().new_buyers = n;
        }
    }
    // lines sold, per product (the product's category as it is now)
    book.products = sqlx::query_as(&format!(
        "SELECT {paid} AS day, i.product_id, i.merchant_id, p.category_id, \
         CAST(SUM(i.qty) AS BIGINT) AS units, CAST(SUM(i.pay_amount) AS BIGINT) AS gmv \
         FROM order_items i JOIN orders o ON o.id = i.order_id \
         JOIN products p ON p.id = i.product_id \
         WHERE o.paid_at >= $1 AND o.paid_at < $2{} \
         GROUP BY {paid}, i.product_id, i.merchant_id, p.category_id",
        shop_filter("o.merchant_id", merchant, 3)
    ))
    .bind(from)
    .bind(to)
    .bind_shop(merchant)
    .fetch_all(&mut *conn)
    .await?;
    for p in &book.products {
        book.figures
            .entry((p.merchant_id, p.day))
            .or_default()
            .units += p.units;
        if merchant.is_none() {
            book.figures.entry((0, p.day)).or_default().units += p.units;
        }
    }
    // refunds, on the day the provider confirmed them
    let refunded = day_of("a.refunded_at");
    let refunds: Vec<(i64, i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT {refunded}, a.merchant_id, CAST(COUNT(*) AS BIGINT), CAST(SUM(a.amount) AS BIGINT) \
         FROM after_sales a WHERE a.refunded_at >= $1 AND a.refunded_at < $2 AND a.status = $3{} \
         GROUP BY {refunded}, a.merchant_id",
        shop_filter("a.merchant_id", merchant, 4)
    ))
    .bind(from)
    .bind(to)
    .bind(AfterSaleStatus::Refunded)
    .bind_shop(merchant)
    .fetch_all(&mut *conn)
    .await?;
    for (day, shop, n, amount) in refunds {
        for key in [(shop, day), (0, day)] {
            if key.0 == 0 && merchant.is_some() {
                continue;
            }
            let f = book.figures.entry(key).or_default();
            f.refund_count += n;
            f.refunds += amount;
        }
    }
    // commission income booked (a credit account: its lines are negative)
    let booked = day_of("l.created_at");
    let commission: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT {booked}, o.merchant_id, CAST(SUM(l.amount) AS BIGINT) FROM ledger_lines l \
         JOIN ledger_accounts a ON a.id = l.account_id JOIN orders o ON o.id = l.order_id \
         WHERE l.created_at >= $1 AND l.created_at < $2 AND a.kind = $3{} \
         GROUP BY {booked}, o.merchant_id",
        shop_filter("o.merchant_id", merchant, 4)
    ))
    .bind(from)
    .bind(to)
    .bind(AccountKind::CommissionIncome)
    .bind_shop(merchant)
    .fetch_all(&mut *conn)
    .await?;
    for (day, shop, sum) in commission {
        let v = AccountKind::CommissionIncome.sign() * sum;
        book.figures.entry((shop, day)).or_default().commission += v;
        if merchant.is_none() {
            book.figures.entry((0, day)).or_default().commission += v;
        }
    }
    if merchant.is_none() {
        let joined = day_of("created_at");
        let signups: Vec<(i64, i64)> = sqlx::query_as(&format!(
            "SELECT {joined}, CAST(COUNT(*) AS BIGINT) FROM shoppers \
             WHERE created_at >= $1 AND created_at < $2 GROUP BY {joined}"
        ))
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await?;
        for (day, n) in signups {
            book.figures.entry((0, day)).or_default().new_shoppers = n;
        }
    }
    Ok(book)
}

/// Distinct shoppers who paid in `[from, to)`: the platform's or one shop's.
pub async fn payers(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    merchant: Option<i64>,
) -> AppResult<i64> {
    distinct_shoppers(conn, "paid_at", from, to, merchant).await
}

/// Distinct shoppers who placed an order (paid or not) in `[from, to)`: the funnel's 下单 step.
pub async fn ordering_shoppers(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    merchant: Option<i64>,
) -> AppResult<i64> {
    distinct_shoppers(conn, "created_at", from, to, merchant).await
}

/// Distinct shoppers of orders whose time column `at` falls in `[from, to)`.
async fn distinct_shoppers(
    conn: &mut AnyConnection,
    at: &str,
    from: i64,
    to: i64,
    merchant: Option<i64>,
) -> AppResult<i64> {
    let (n,): (i64,) = sqlx::query_as(&format!(
        "SELECT CAST(COUNT(DISTINCT shopper_id) AS BIGINT) FROM orders \
         WHERE {at} >= $1 AND {at} < $2{}",
        shop_filter("merchant_id", merchant, 3)
    ))
    .bind(from)
    .bind(to)
    .bind_shop(merchant)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n)
}

/// A shop's buyers in `[from, to)` who paid it at least twice in the period (复购), and those
/// who had paid it before the period.
pub async fn repeat_and_returning(
    conn: &mut AnyConnection,
    merchant_id: i64,
    from: i64,
    to: i64,
) -> AppResult<(i64, i64)> {
    let (repeat,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT shopper_id FROM orders \
         WHERE merchant_id = $1 AND paid_at >= $2 AND paid_at < $3 \
         GROUP BY shopper_id HAVING COUNT(*) >= 2) r",
    )
    .bind(merchant_id)
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await?;
    let (returning,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(DISTINCT o.shopper_id) AS BIGINT) FROM orders o \
         WHERE o.merchant_id = $1 AND o.paid_at >= $2 AND o.paid_at < $3 AND EXISTS \
         (SELECT 1 FROM orders p WHERE p.shopper_id = o.shopper_id \
         AND p.merchant_id = o.merchant_id AND p.paid_at < $2)",
    )
    .bind(merchant_id)
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await?;
    Ok((repeat, returning))
}

/// GMV per China-time hour (hours since 1970 in China) in `[from, to)`, in fen.
pub async fn hourly_gmv(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    merchant: Option<i64>,
) -> AppResult<Vec<(i64, i64)>> {
    let hour = "((paid_at + 28800000) / 3600000)";
    Ok(sqlx::query_as(&format!(
        "SELECT {hour}, CAST(SUM(pay_amount) AS BIGINT) FROM orders \
         WHERE paid_at >= $1 AND paid_at < $2{} GROUP BY {hour}",
        shop_filter("merchant_id", merchant, 3)
    ))
    .bind(from)
    .bind(to)
    .bind_shop(merchant)
    .fetch_all(&mut *conn)
    .await?)
}

/// Replaces the stored figures of the days `from_day ..= to_day` with `book`, and writes a
/// platform row for each of those days even when nothing happened (the mark that a day is
/// closed).
pub async fn replace_days(
    tx: &mut WriteTx,
    from_day: i64,
    to_day: i64,
    book: &DayBook,
) -> AppResult<()> {
    for table in ["daily_stats", "daily_product_stats"] {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE day >= $1 AND day <= $2"
        ))
        .bind(from_day)
        .bind(to_day)
        .execute(&mut **tx)
        .await?;
    }
    let mut rows: Vec<((i64, i64), Figures)> = book
        .figures
        .iter()
        .filter(|((m, d), _)| *m != 0 && (from_day..=to_day).contains(d))
        .map(|(k, f)| (*k, *f))
        .collect();
    for day in from_day..=to_day {
        rows.push((
            (0, day),
            book.figures.get(&(0, day)).copied().unwrap_or_default(),
        ));
    }
    const COLS: usize = 13;
    for chunk in rows.chunks(40) {
        let sql = format!(
            "INSERT INTO daily_stats (day, merchant_id, gmv, paid_orders, payers, new_buyers, \
             units, refunds, refund_count, merchant_discount, platform_discount, commission, \
             new_shoppers) VALUES {}",
            value_rows(chunk.len(), COLS)
        );
        let mut q = sqlx::query(&sql);
        for ((m, d), f) in chunk {
            q = q
                .bind(*d)
                .bind(*m)
                .bind(f.gmv)
                .bind(f.paid_orders)
                .bind(f.payers)
                .bind(f.new_buyers)
                .bind(f.units)
                .bind(f.refunds)
                .bind(f.refund_count)
                .bind(f.merchant_discount)
                .bind(f.platform_discount)
                .bind(f.commission)
                .bind(f.new_shoppers);
        }
        q.execute(&mut **tx).await?;
    }
    let products: Vec<&ProductDay> = book
        .products
        .iter()
        .filter(|p| (from_day..=to_day).contains(&p.day))
        .collect();
    for chunk in products.chunks(80) {
        let sql = format!(
            "INSERT INTO daily_product_stats (day, product_id, merchant_id, category_id, units, \
             gmv) VALUES {}",
            value_rows(chunk.len(), 6)
        );
        let mut q = sqlx::query(&sql);
        for p in chunk {
            q = q
                .bind(p.day)
                .bind(p.product_id)
                .bind(p.merchant_id)
                .bind(p.category_id)
                .bind(p.units)
                .bind(p.gmv);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// The last closed day (the newest platform row), if any.
pub async fn last_closed_day(conn: &mut AnyConnection) -> AppResult<Option<i64>> {
    let (d,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(day) FROM daily_stats WHERE merchant_id = 0")
            .fetch_one(&mut *conn)
            .await?;
    Ok(d)
}

/// The first moment anything the dashboards count happened (a sign-up or a payment), epoch ms.
pub async fn first_activity(conn: &mut AnyConnection) -> AppResult<Option<i64>> {
    let (s,): (Option<i64>,) = sqlx::query_as("SELECT MIN(created_at) FROM shoppers")
        .fetch_one(&mut *conn)
        .await?;
    let (p,): (Option<i64>,) = sqlx::query_as("SELECT MIN(paid_at) FROM orders")
        .fetch_one(&mut *conn)
        .await?;
    Ok(s.into_iter().chain(p).min())
}

const FIGURE_COLS: &str = "day, gmv, paid_orders, payers, new_buyers, units, refunds, \
    refund_count, merchant_discount, platform_discount, commission, new_shoppers";

#[derive(sqlx::FromRow)]
struct StoredDay {
    day: i64,
    gmv: i64,
    paid_orders: i64,
    payers: i64,
    new_buyers: i64,
    units: i64,
    refunds: i64,
    refund_count: i64,
    merchant_discount: i64,
    platform_discount: i64,
    commission: i64,
    new_shoppers: i64,
}

/// The stored days `from_day ..= to_day` of a shop (or the platform, merchant 0), by day.
pub async fn stored_days(
    conn: &mut AnyConnection,
    merchant_id: i64,
    from_day: i64,
    to_day: i64,
) -> AppResult<Vec<(i64, Figures)>> {
    let rows: Vec<StoredDay> = sqlx::query_as(&format!(
        "SELECT {FIGURE_COLS} FROM daily_stats WHERE merchant_id = $1 AND day >= $2 AND day <= $3 \
         ORDER BY day"
    ))
    .bind(merchant_id)
    .bind(from_day)
    .bind(to_day)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.day,
                Figures {
                    gmv: r.gmv,
                    paid_orders: r.paid_orders,
                    payers: r.payers,
                    new_buyers: r.new_buyers,
                    units: r.units,
                    refunds: r.refunds,
                    refund_count: r.refund_count,
                    merchant_discount: r.merchant_discount,
                    platform_discount: r.platform_discount,
                    commission: r.commission,
                    new_shoppers: r.new_shoppers,
                    // visits are not stored with the day's sales (`repo::visits`)
                    visitors: 0,
                },
            )
        })
        .collect())
}

/// Stored sales per shop over `from_day ..= to_day`: (merchant, gmv, units).
pub async fn stored_shops(
    conn: &mut AnyConnection,
    from_day: i64,
    to_day: i64,
) -> AppResult<Vec<(i64, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT merchant_id, CAST(SUM(gmv) AS BIGINT), CAST(SUM(units) AS BIGINT) \
         FROM daily_stats WHERE merchant_id > 0 AND day >= $1 AND day <= $2 GROUP BY merchant_id",
    )
    .bind(from_day)
    .bind(to_day)
    .fetch_all(&mut *conn)
    .await?)
}

/// Stored sales per product over `from_day ..= to_day` (one shop's, or all): each as a
/// [`ProductDay`] whose `day` is `to_day`.
pub async fn stored_products(
    conn: &mut AnyConnection,
    from_day: i64,
    to_day: i64,
    merchant: Option<i64>,
) -> AppResult<Vec<ProductDay>> {
    Ok(sqlx::query_as(&format!(
        "SELECT CAST($2 AS BIGINT) AS day, product_id, MAX(merchant_id) AS merchant_id, \
         MAX(category_id) AS category_id, CAST(SUM(units) AS BIGINT) AS units, \
         CAST(SUM(gmv) AS BIGINT) AS gmv FROM daily_product_stats \
         WHERE day >= $1 AND day <= $2{} GROUP BY product_id",
        shop_filter("merchant_id", merchant, 3)
    ))
    .bind(from_day)
    .bind(to_day)
    .bind_shop(merchant)
    .fetch_all(&mut *conn)
    .await?)
}

/// Forgets every stored day (before a rebuild).
pub async fn clear(tx: &mut WriteTx) -> AppResult<()> {
    for table in ["daily_stats", "daily_product_stats"] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
