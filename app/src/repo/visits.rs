//! Page views and visitors per China-time day (`daily_visits`, `daily_visitors`): added to in
//! batches by `services::visits`, read by the dashboards.

use std::collections::HashMap;

use sqlx::{AnyConnection, AnyPool};

use super::{placeholders, value_rows, BindAll};
use crate::domain::visit::{VisitPage, VisitSource};
use crate::error::AppResult;

/// Views of one (day, shop or 0, page, source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewCount {
    pub day: i64,
    pub merchant_id: i64,
    pub page: VisitPage,
    pub source: VisitSource,
    pub views: i64,
}

/// One visitor seen on one (day, shop or 0, page, source).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VisitorSeen {
    pub day: i64,
    pub merchant_id: i64,
    pub page: VisitPage,
    pub source: VisitSource,
    pub visitor: String,
}

/// Rows per INSERT: well under both databases' limits on bound values.
const BATCH: usize = 200;

/// Adds views to the counts and visitors to the sets (a visitor seen again is kept once).
pub async fn add(
    conn: &mut AnyConnection,
    views: &[ViewCount],
    visitors: &[VisitorSeen],
) -> AppResult<()> {
    for chunk in views.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO daily_visits (day, merchant_id, page, source, views) VALUES {} \
             ON CONFLICT (merchant_id, day, page, source) \
             DO UPDATE SET views = daily_visits.views + excluded.views",
            value_rows(chunk.len(), 5)
        );
        let mut q = sqlx::query(&sql);
        for v in chunk {
            q = q
                .bind(v.day)
                .bind(v.merchant_id)
                .bind(v.page)
                .bind(v.source)
                .bind(v.views);
        }
        q.execute(&mut *conn).await?;
    }
    for chunk in visitors.chunks(BATCH) {
        let sql = format!(
            "INSERT INTO daily_visitors (day, merchant_id, page, source, visitor) VALUES {} \
             ON CONFLICT DO NOTHING",
            value_rows(chunk.len(), 5)
        );
        let mut q = sqlx::query(&sql);
        for v in chunk {
            q = q
                .bind(v.day)
                .bind(v.merchant_id)
                .bind(v.page)
                .bind(v.source)
                .bind(v.visitor.as_str());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The shop of each of `product_ids` that exists.
pub async fn shops_of_products(
    pool: &AnyPool,
    product_ids: &[i64],
) -> AppResult<HashMap<i64, i64>> {
    let mut out = HashMap::new();
    for chunk in product_ids.chunks(BATCH) {
        let sql = format!(
            "SELECT id, merchant_id FROM products WHERE id IN ({})",
            placeholders(1, chunk.len())
        );
        let rows: Vec<(i64, i64)> = sqlx::query_as(&sql)
            .bind_all(chunk.iter().copied())
            .fetch_all(pool)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// A period's visits of a shop (or the whole mall, `merchant_id` 0), days inclusive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VisitTotals {
    /// page views (add-to-cart events not included)
    pub views: i64,
    /// distinct visitors of any page
    pub visitors: i64,
    /// distinct visitors of a product page
    pub product_visitors: i64,
    /// distinct visitors who added to the cart
    pub cart_visitors: i64,
}

pub async fn totals(
    pool: &AnyPool,
    merchant_id: i64,
    from_day: i64,
    to_day: i64,
) -> AppResult<VisitTotals> {
    let (views,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT) FROM daily_visits \
         WHERE merchant_id = $1 AND day >= $2 AND day <= $3 AND page <> 'cart'",
    )
    .bind(merchant_id)
    .bind(from_day)
    .bind(to_day)
    .fetch_one(pool)
    .await?;
    let (visitors, product_visitors, cart_visitors): (i64, i64, i64) = sqlx::query_as(
        "SELECT \
           CAST(COUNT(DISTINCT CASE WHEN page <> 'cart' THEN visitor END) AS BIGINT), \
           CAST(COUNT(DISTINCT CASE WHEN page = 'product' THEN visitor END) AS BIGINT), \
           CAST(COUNT(DISTINCT CASE WHEN page = 'cart' THEN visitor END) AS BIGINT) \
         FROM daily_visitors WHERE merchant_id = $1 AND day >= $2 AND day <= $3",
    )
    .bind(merchant_id)
    .bind(from_day)
    .bind(to_day)
    .fetch_one(pool)
    .await?;
    Ok(VisitTotals {
        views,
        visitors,
        product_visitors,
        cart_visitors,
    })
}

/// Visitors and views of each day of the period that had any: (day, visitors, views).
pub async fn by_day(
    pool: &AnyPool,
    merchant_id: i64,
    from_day: i64,
    to_day: i64,
) -> AppResult<Vec<(i64, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT v.day, CAST(COUNT(DISTINCT v.visitor) AS BIGINT), \
           CAST((SELECT COALESCE(SUM(d.views), 0) FROM daily_visits d WHERE d.merchant_id = v.merchant_id \
             AND d.day = v.day AND d.page <> 'cart') AS BIGINT) \
         FROM daily_visitors v WHERE v.merchant_id = $1 AND v.day >= $2 AND v.day <= $3 \
           AND v.page <> 'cart' \
         GROUP BY v.merchant_id, v.day ORDER BY v.day",
    )
    .bind(merchant_id)
    .bind(from_day)
    .bind(to_day)
    .fetch_all(pool)
    .await?)
}

/// Views and distinct visitors by source over the period (add-to-cart not included),
/// most views first: (source, views, visitors).
pub async fn by_source(
    pool: &AnyPool,
    merchant_id: i64,
    from_day: i64,
    to_day: i64,
) -> AppResult<Vec<(VisitSource, i64, i64)>> {
    let views: Vec<(VisitSource, i64)> = sqlx::query_as(
        "SELECT source, CAST(SUM(views) AS BIGINT) FROM daily_visits \
         WHERE merchant_id = $1 AND day >= $2 AND day <= $3 AND page <> 'cart' GROUP BY source",
    )
    .bind(merchant_id)
    .bind(from_day)
    .bind(to_day)
    .fetch_all(pool)
    .await?;
    let visitors: HashMap<VisitSource, i64> = sqlx::query_as::<_, (VisitSource, i64)>(
        "SELECT source, CAST(COUNT(DISTINCT visitor) AS BIGINT) FROM daily_visitors \
         WHERE merchant_id = $1 AND day >= $2 AND day <= $3 AND page <> 'cart' GROUP BY source",
    )
    .bind(merchant_id)
    .bind(from_day)
    .bind(to_day)
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    let mut rows: Vec<(VisitSource, i64, i64)> = views
        .into_iter()
        .map(|(s, v)| (s, v, visitors.get(&s).copied().unwrap_or(0)))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.as_str().cmp(b.0.as_str())));
    Ok(rows)
}

/// Forgets visitor ids of days before `day` (their counts stay in `daily_visits`).
pub async fn forget_visitors_before(pool: &AnyPool, day: i64) -> AppResult<u64> {
    Ok(sqlx::query("DELETE FROM daily_visitors WHERE day < $1")
        .bind(day)
        .execute(pool)
        .await?
        .rows_affected())
}
