//! Reviews of order lines and the per-product sums read for ratings and scores (SQL only; the
//! rules are `domain::review`, the use cases `services::reviews`).

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::domain::order::OrderStatus;
use crate::domain::review::{grade, Grade, ReviewCounts, ReviewFilter};
use crate::error::AppResult;
use crate::infra::db::WriteTx;
use crate::repo::{placeholders, BindAll};

/// A review with its line and its author's nickname.
#[derive(Debug, Clone, FromRow)]
pub struct ReviewRow {
    pub id: i64,
    pub order_item_id: i64,
    pub order_id: i64,
    pub merchant_id: i64,
    pub product_id: i64,
    pub shopper_id: i64,
    pub goods_stars: i64,
    pub service_stars: i64,
    pub logistics_stars: i64,
    pub content: String,
    pub images: String,
    pub anonymous: i64,
    pub automatic: i64,
    pub reply: String,
    pub replied_at: Option<i64>,
    pub append_content: String,
    pub append_images: String,
    pub appended_at: Option<i64>,
    pub append_reply: String,
    pub append_replied_at: Option<i64>,
    pub hidden: i64,
    pub hidden_reason: String,
    pub created_at: i64,
    pub title: String,
    pub spec_label: String,
    pub image: String,
    pub nickname: String,
    pub shop_name: String,
}

const COLS: &str = "r.id, r.order_item_id, r.order_id, r.merchant_id, r.product_id, r.shopper_id, \
    r.goods_stars, r.service_stars, r.logistics_stars, r.content, r.images, r.anonymous, \
    r.automatic, r.reply, r.replied_at, r.append_content, r.append_images, r.appended_at, \
    r.append_reply, r.append_replied_at, r.hidden, r.hidden_reason, r.created_at, \
    i.title, i.spec_label, i.image, s.nickname, m.name AS shop_name";

const FROM: &str = "FROM reviews r JOIN order_items i ON i.id = r.order_item_id \
    JOIN shoppers s ON s.id = r.shopper_id JOIN merchants m ON m.id = r.merchant_id";

/// A line as reviewing it needs it: whose it is, its order's state, what was refunded, and the
/// product's top-level category (for the category averages).
#[derive(Debug, Clone, FromRow)]
pub struct LineRow {
    pub order_item_id: i64,
    pub order_id: i64,
    pub shopper_id: i64,
    pub merchant_id: i64,
    pub product_id: i64,
    pub status: OrderStatus,
    pub qty: i64,
    pub refund_qty: i64,
    pub category_id: i64,
    pub category_parent: i64,
    pub category_grandparent: i64,
}

impl LineRow {
    /// The product's top-level category: the highest of the category, its parent and theirs.
    pub fn top_category_id(&self) -> i64 {
        [self.category_grandparent, self.category_parent]
            .into_iter()
            .find(|&c| c != 0)
            .unwrap_or(self.category_id)
    }

    /// Every unit refunded or claimed by an after-sale: nothing left to review.
    pub fn fully_refunded(&self) -> bool {
        self.refund_qty >= self.qty
    }
}

/// The lines of an order, as reviewing checks them.
pub async fn lines_of_order(conn: &mut AnyConnection, order_id: i64) -> AppResult<Vec<LineRow>> {
    Ok(sqlx::query_as(
        "SELECT i.id AS order_item_id, i.order_id, o.shopper_id, i.merchant_id, i.product_id, \
         o.status, i.qty, i.refund_qty, p.category_id, COALESCE(c.parent_id, 0) AS category_parent, \
         COALESCE((SELECT g.parent_id FROM categories g WHERE g.id = c.parent_id), 0) \
             AS category_grandparent \
         FROM order_items i JOIN orders o ON o.id = i.order_id \
         JOIN products p ON p.id = i.product_id JOIN categories c ON c.id = p.category_id \
         WHERE i.order_id = $1 ORDER BY i.id",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Ids of the lines of `order_id` that have a review.
pub async fn reviewed_lines(conn: &mut AnyConnection, order_id: i64) -> AppResult<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT order_item_id FROM reviews WHERE order_id = $1")
        .bind(order_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub struct NewReview<'a> {
    pub line: &'a LineRow,
    pub goods_stars: i64,
    pub service_stars: i64,
    pub logistics_stars: i64,
    pub content: &'a str,
    /// image keys separated by spaces
    pub images: &'a str,
    pub anonymous: bool,
    pub automatic: bool,
    pub now: i64,
}

/// Writes a review and adds it to its product's sums. `None` when the line has one already
/// (the unique line id decides between two submits at once).
pub async fn insert(tx: &mut WriteTx, r: &NewReview<'_>) -> AppResult<Option<i64>> {
    let id: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO reviews (order_item_id, order_id, merchant_id, product_id, shopper_id, \
         goods_stars, service_stars, logistics_stars, content, images, anonymous, automatic, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) \
         ON CONFLICT (order_item_id) DO NOTHING RETURNING id",
    )
    .bind(r.line.order_item_id)
    .bind(r.line.order_id)
    .bind(r.line.merchant_id)
    .bind(r.line.product_id)
    .bind(r.line.shopper_id)
    .bind(r.goods_stars)
    .bind(r.service_stars)
    .bind(r.logistics_stars)
    .bind(r.content)
    .bind(r.images)
    .bind(i64::from(r.anonymous))
    .bind(i64::from(r.automatic))
    .bind(r.now)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((id,)) = id else {
        return Ok(None);
    };
    let delta = StatsDelta::of(
        r.goods_stars,
        r.service_stars,
        r.logistics_stars,
        !r.images.is_empty(),
        false,
        r.automatic,
    );
    add_to_stats(
        tx,
        r.line.product_id,
        r.line.merchant_id,
        r.line.top_category_id(),
        &delta,
    )
    .await?;
    Ok(Some(id))
}

/// What one review adds to (or, negated, takes from) its product's sums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatsDelta {
    pub total: i64,
    pub goods_sum: i64,
    pub service_sum: i64,
    pub logistics_sum: i64,
    pub positive: i64,
    pub neutral: i64,
    pub with_photos: i64,
    pub with_append: i64,
    pub automatic: i64,
}

impl StatsDelta {
    pub fn of(
        goods: i64,
        service: i64,
        logistics: i64,
        photos: bool,
        appended: bool,
        automatic: bool,
    ) -> Self {
        let g = grade(goods);
        StatsDelta {
            total: 1,
            goods_sum: goods,
            service_sum: service,
            logistics_sum: logistics,
            positive: i64::from(g == Grade::Positive),
            neutral: i64::from(g == Grade::Neutral),
            with_photos: i64::from(photos && !automatic),
            with_append: i64::from(appended),
            automatic: i64::from(automatic),
        }
    }

    /// The delta of a row as it stands (for hiding and showing it again).
    pub fn of_row(r: &ReviewRow) -> Self {
        StatsDelta::of(
            r.goods_stars,
            r.service_stars,
            r.logistics_stars,
            !r.images.is_empty() || !r.append_images.is_empty(),
            r.appended_at.is_some(),
            r.automatic != 0,
        )
    }

    /// What turning `before` into `after` changes.
    pub fn change(before: StatsDelta, after: StatsDelta) -> Self {
        after.plus(before.negated())
    }

    fn plus(self, o: StatsDelta) -> Self {
        StatsDelta {
            total: self.total + o.total,
            goods_sum: self.goods_sum + o.goods_sum,
            service_sum: self.service_sum + o.service_sum,
            logistics_sum: self.logistics_sum + o.logistics_sum,
            positive: self.positive + o.positive,
            neutral: self.neutral + o.neutral,
            with_photos: self.with_photos + o.with_photos,
            with_append: self.with_append + o.with_append,
            automatic: self.automatic + o.automatic,
        }
    }

    pub fn negated(self) -> Self {
        StatsDelta {
            total: -self.total,
            goods_sum: -self.goods_sum,
            service_sum: -self.service_sum,
            logistics_sum: -self.logistics_sum,
            positive: -self.positive,
            neutral: -self.neutral,
            with_photos: -self.with_photos,
            with_append: -self.with_append,
            automatic: -self.automatic,
        }
    }
}

pub async fn add_to_stats(
    tx: &mut WriteTx,
    product_id: i64,
    merchant_id: i64,
    top_category_id: i64,
    d: &StatsDelta,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO review_stats (product_id, merchant_id, top_category_id, total, goods_sum, \
         service_sum, logistics_sum, positive, neutral, with_photos, with_append, automatic) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (product_id) DO UPDATE SET \
         total = review_stats.total + $4, goods_sum = review_stats.goods_sum + $5, \
         service_sum = review_stats.service_sum + $6, \
         logistics_sum = review_stats.logistics_sum + $7, \
         positive = review_stats.positive + $8, neutral = review_stats.neutral + $9, \
         with_photos = review_stats.with_photos + $10, \
         with_append = review_stats.with_append + $11, automatic = review_stats.automatic + $12",
    )
    .bind(product_id)
    .bind(merchant_id)
    .bind(top_category_id)
    .bind(d.total)
    .bind(d.goods_sum)
    .bind(d.service_sum)
    .bind(d.logistics_sum)
    .bind(d.positive)
    .bind(d.neutral)
    .bind(d.with_photos)
    .bind(d.with_append)
    .bind(d.automatic)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Copy, Default, FromRow)]
struct CountsRow {
    total: i64,
    goods_sum: i64,
    service_sum: i64,
    logistics_sum: i64,
    positive: i64,
    neutral: i64,
    with_photos: i64,
    with_append: i64,
    automatic: i64,
}

impl From<CountsRow> for ReviewCounts {
    fn from(r: CountsRow) -> Self {
        ReviewCounts {
            total: r.total,
            goods_sum: r.goods_sum,
            service_sum: r.service_sum,
            logistics_sum: r.logistics_sum,
            positive: r.positive,
            neutral: r.neutral,
            with_photos: r.with_photos,
            with_append: r.with_append,
            automatic: r.automatic,
        }
    }
}

const SUMS: &str = "CAST(COALESCE(SUM(total), 0) AS BIGINT) AS total, \
    CAST(COALESCE(SUM(goods_sum), 0) AS BIGINT) AS goods_sum, \
    CAST(COALESCE(SUM(service_sum), 0) AS BIGINT) AS service_sum, \
    CAST(COALESCE(SUM(logistics_sum), 0) AS BIGINT) AS logistics_sum, \
    CAST(COALESCE(SUM(positive), 0) AS BIGINT) AS positive, \
    CAST(COALESCE(SUM(neutral), 0) AS BIGINT) AS neutral, \
    CAST(COALESCE(SUM(with_photos), 0) AS BIGINT) AS with_photos, \
    CAST(COALESCE(SUM(with_append), 0) AS BIGINT) AS with_append, \
    CAST(COALESCE(SUM(automatic), 0) AS BIGINT) AS automatic";

/// A product's sums (zeros without reviews).
pub async fn counts_of_product(
    conn: &mut AnyConnection,
    product_id: i64,
) -> AppResult<ReviewCounts> {
    let row: CountsRow = sqlx::query_as(&format!(
        "SELECT {SUMS} FROM review_stats WHERE product_id = $1"
    ))
    .bind(product_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.into())
}

/// A shop's sums over its products, and its main category: the top-level category most of its
/// reviews are in (0 without reviews).
pub async fn counts_of_shop(
    conn: &mut AnyConnection,
    merchant_id: i64,
) -> AppResult<(ReviewCounts, i64)> {
    let row: CountsRow = sqlx::query_as(&format!(
        "SELECT {SUMS} FROM review_stats WHERE merchant_id = $1"
    ))
    .bind(merchant_id)
    .fetch_one(&mut *conn)
    .await?;
    let main: Option<(i64,)> = sqlx::query_as(
        "SELECT top_category_id FROM review_stats WHERE merchant_id = $1 \
         GROUP BY top_category_id ORDER BY SUM(total) DESC, top_category_id LIMIT 1",
    )
    .bind(merchant_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok((row.into(), main.map_or(0, |(c,)| c)))
}

/// The sums of every product in a top-level category.
pub async fn counts_of_category(
    conn: &mut AnyConnection,
    top_category_id: i64,
) -> AppResult<ReviewCounts> {
    let row: CountsRow = sqlx::query_as(&format!(
        "SELECT {SUMS} FROM review_stats WHERE top_category_id = $1"
    ))
    .bind(top_category_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(row.into())
}

pub async fn get(conn: &mut AnyConnection, id: i64) -> AppResult<Option<ReviewRow>> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLS} {FROM} WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// The SQL condition of a product-list filter (over `r`).
fn filter_sql(filter: ReviewFilter) -> &'static str {
    match filter {
        ReviewFilter::All => "",
        ReviewFilter::Photos => " AND (r.images <> '' OR r.append_images <> '')",
        ReviewFilter::Positive => " AND r.goods_stars >= 4",
        ReviewFilter::Neutral => " AND r.goods_stars = 3",
        ReviewFilter::Negative => " AND r.goods_stars <= 2",
        ReviewFilter::Appended => " AND r.appended_at IS NOT NULL",
    }
}

/// One page of a product's visible reviews written by shoppers (automatic ones are counted, not
/// listed), newest first, and how many match.
pub async fn of_product(
    conn: &mut AnyConnection,
    product_id: i64,
    filter: ReviewFilter,
    limit: i64,
    offset: i64,
) -> AppResult<(Vec<ReviewRow>, i64)> {
    let cond = format!(
        "r.product_id = $1 AND r.hidden = 0 AND r.automatic = 0{}",
        filter_sql(filter)
    );
    let (matching,): (i64,) =
        sqlx::query_as(&format!("SELECT COUNT(*) FROM reviews r WHERE {cond}"))
            .bind(product_id)
            .fetch_one(&mut *conn)
            .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT {COLS} {FROM} WHERE {cond} ORDER BY r.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(product_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    Ok((rows, matching))
}

/// The condition (on `reviews r`, starting with AND) of a review waiting for the shop's reply:
/// the review, or its append, not replied to.
pub const UNREPLIED: &str =
    " AND (r.replied_at IS NULL OR (r.appended_at IS NOT NULL AND r.append_replied_at IS NULL))";

/// Which reviews a console lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsoleFilter {
    All,
    /// not replied to (the review, or its append)
    Unreplied,
    /// goods 1–2 stars
    Negative,
    /// hidden by the platform
    Hidden,
}

/// One page of reviews for a console, newest first: a shop's (`merchant_id` Some) or every
/// shop's, and how many match. Automatic reviews are left out (nothing to reply to).
pub async fn for_console(
    conn: &mut AnyConnection,
    merchant_id: Option<i64>,
    filter: ConsoleFilter,
    limit: i64,
    offset: i64,
) -> AppResult<(Vec<ReviewRow>, i64)> {
    let shop = if merchant_id.is_some() {
        "r.merchant_id = $1"
    } else {
        "$1 = 0"
    };
    let cond = format!(
        "{shop} AND r.automatic = 0{}",
        match filter {
            ConsoleFilter::All => "",
            ConsoleFilter::Unreplied => UNREPLIED,
            ConsoleFilter::Negative => " AND r.goods_stars <= 2",
            ConsoleFilter::Hidden => " AND r.hidden = 1",
        }
    );
    let m = merchant_id.unwrap_or(0);
    let (matching,): (i64,) =
        sqlx::query_as(&format!("SELECT COUNT(*) FROM reviews r WHERE {cond}"))
            .bind(m)
            .fetch_one(&mut *conn)
            .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT {COLS} {FROM} WHERE {cond} ORDER BY r.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(m)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    Ok((rows, matching))
}

/// One page of a shopper's own reviews (automatic ones included), newest first.
pub async fn of_shopper(
    conn: &mut AnyConnection,
    shopper_id: i64,
    limit: i64,
    offset: i64,
) -> AppResult<(Vec<ReviewRow>, i64)> {
    let (matching,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM reviews WHERE shopper_id = $1")
        .bind(shopper_id)
        .fetch_one(&mut *conn)
        .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT {COLS} {FROM} WHERE r.shopper_id = $1 ORDER BY r.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(shopper_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    Ok((rows, matching))
}

/// A line waiting for the shopper's review, with its order.
#[derive(Debug, Clone, FromRow)]
pub struct WaitingRow {
    pub order_id: i64,
    pub order_no: String,
    pub order_item_id: i64,
    pub product_id: i64,
    pub title: String,
    pub spec_label: String,
    pub image: String,
    pub completed_at: i64,
}

/// The shopper's lines still to review (of completed orders, not fully refunded), newest order
/// first; of one order when `order_id` is given.
pub async fn waiting(
    conn: &mut AnyConnection,
    shopper_id: i64,
    order_id: Option<i64>,
    limit: i64,
) -> AppResult<Vec<WaitingRow>> {
    let one = if order_id.is_some() {
        "AND o.id = $3"
    } else {
        "AND $3 = 0"
    };
    Ok(sqlx::query_as(&format!(
        "SELECT o.id AS order_id, o.order_no, i.id AS order_item_id, i.product_id, i.title, \
         i.spec_label, i.image, COALESCE(o.completed_at, 0) AS completed_at \
         FROM orders o JOIN order_items i ON i.order_id = o.id \
         WHERE o.shopper_id = $1 AND o.review_pending = 1 AND o.status = $2 {one} \
         AND i.refund_qty < i.qty \
         AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.order_item_id = i.id) \
         ORDER BY o.completed_at DESC, o.id DESC, i.id LIMIT $4"
    ))
    .bind(shopper_id)
    .bind(OrderStatus::Completed)
    .bind(order_id.unwrap_or(0))
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// Clears the order's `review_pending` once no line is left to review.
pub async fn settle_pending(tx: &mut WriteTx, order_id: i64) -> AppResult<()> {
    sqlx::query(
        "UPDATE orders SET review_pending = 0 WHERE id = $1 AND review_pending = 1 \
         AND NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = $1 \
         AND i.refund_qty < i.qty \
         AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.order_item_id = i.id))",
    )
    .bind(order_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Completed orders with lines still unreviewed that completed at or before `cutoff` (epoch
/// ms): the automatic reviews are due.
pub async fn due_orders(pool: &AnyPool, cutoff: i64, limit: i64) -> AppResult<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM orders WHERE review_pending = 1 AND completed_at <= $1 \
         ORDER BY completed_at LIMIT $2",
    )
    .bind(cutoff)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The shopper's append, once: false when the review is not theirs or has one already.
pub async fn append(
    tx: &mut WriteTx,
    id: i64,
    shopper_id: i64,
    content: &str,
    images: &str,
    now: i64,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE reviews SET append_content = $1, append_images = $2, appended_at = $3, \
         updated_at = $3 WHERE id = $4 AND shopper_id = $5 AND appended_at IS NULL",
    )
    .bind(content)
    .bind(images)
    .bind(now)
    .bind(id)
    .bind(shopper_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What a shop replies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyTo {
    Review,
    Append,
}

/// The shop's reply, once each to the review and to its append: false when the review is not
/// the shop's, is replied to already, or (for an append) has none.
pub async fn reply(
    tx: &mut WriteTx,
    id: i64,
    merchant_id: i64,
    to: ReplyTo,
    content: &str,
    now: i64,
) -> AppResult<bool> {
    let set = match to {
        ReplyTo::Review => "reply = $1, replied_at = $2 WHERE replied_at IS NULL",
        ReplyTo::Append => {
            "append_reply = $1, append_replied_at = $2 WHERE appended_at IS NOT NULL \
             AND append_replied_at IS NULL"
        }
    };
    let done = sqlx::query(&format!(
        "UPDATE reviews SET updated_at = $2, {set} AND id = $3 AND merchant_id = $4 \
         AND automatic = 0"
    ))
    .bind(content)
    .bind(now)
    .bind(id)
    .bind(merchant_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Hides (or shows again) a review, once: false when it already was.
pub async fn set_hidden(
    tx: &mut WriteTx,
    id: i64,
    hidden: bool,
    reason: &str,
    now: i64,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE reviews SET hidden = $1, hidden_reason = $2, updated_at = $3 \
         WHERE id = $4 AND hidden <> $1",
    )
    .bind(i64::from(hidden))
    .bind(reason)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The top-level categories' names by id.
pub async fn category_names(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> AppResult<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as(&format!(
        "SELECT id, name FROM categories WHERE id IN ({})",
        placeholders(1, ids.len())
    ))
    .bind_all(ids.iter().copied())
    .fetch_all(&mut *conn)
    .await?)
}

/// A shop's reviews per China-time day written in `[from, to)` (epoch ms): day number → (count,
/// (goods, service, logistics) star sums). Shoppers' own reviews only: not the automatic
/// 默认好评 and not the ones the platform hid.
pub async fn daily_scores(
    conn: &mut AnyConnection,
    merchant_id: i64,
    from: i64,
    to: i64,
) -> AppResult<std::collections::BTreeMap<i64, (i64, (i64, i64, i64))>> {
    let day = "((created_at + 28800000) / 86400000)";
    let rows: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT {day}, COUNT(*), CAST(SUM(goods_stars) AS BIGINT), \
         CAST(SUM(service_stars) AS BIGINT), CAST(SUM(logistics_stars) AS BIGINT) \
         FROM reviews WHERE merchant_id = $1 AND automatic = 0 AND hidden = 0 \
         AND created_at >= $2 AND created_at < $3 GROUP BY {day}"
    ))
    .bind(merchant_id)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(day, n, g, s, l)| (day, (n, (g, s, l))))
        .collect())
}
