//! Coupon templates, claims and copies. Every move of a copy is a conditional update guarded by
//! the states [`CopyStatus::sources`] names, so two checkouts, a checkout and a void, or a
//! refund and a timer cannot both move it.

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::domain::coupon::{
    CopyAction, CopyStatus, CouponKind, CouponRule, CouponScope, Distribution, TemplateAction,
    TemplateStatus, Validity,
};
use crate::domain::state_machine::{sql_list, Actor, StateMachine};
use crate::error::AppResult;
use crate::infra::db::WriteTx;
use crate::repo::{placeholders, BindAll};

/// Ids as stored in a scope column: `3 7 12`.
pub fn ids_text(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(" ")
}

/// Reads a scope column back (ignores anything that is not an id).
pub fn ids_of(text: &str) -> Vec<i64> {
    text.split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect()
}

#[derive(Debug, Clone, FromRow)]
pub struct TemplateRow {
    pub id: i64,
    pub merchant_id: Option<i64>,
    pub name: String,
    pub kind: CouponKind,
    pub threshold: i64,
    pub amount_off: i64,
    pub off_bps: i64,
    pub cap: i64,
    pub category_ids: String,
    pub shop_ids: String,
    pub product_ids: String,
    pub excluded_product_ids: String,
    pub valid_from: i64,
    pub valid_until: i64,
    pub valid_days: i64,
    pub from_next_day: i64,
    pub claim_from: i64,
    pub claim_until: i64,
    pub total_qty: i64,
    pub issued_qty: i64,
    pub per_user_limit: i64,
    pub per_user_daily_limit: i64,
    pub distribution: Distribution,
    pub shop_share_bps: i64,
    pub status: TemplateStatus,
    pub created_at: i64,
}

impl TemplateRow {
    pub fn rule(&self) -> CouponRule {
        CouponRule {
            kind: self.kind,
            threshold: self.threshold,
            amount_off: self.amount_off,
            off_bps: self.off_bps,
            cap: self.cap,
        }
    }

    pub fn scope(&self) -> CouponScope {
        CouponScope {
            shop_id: self.merchant_id,
            category_ids: ids_of(&self.category_ids),
            shop_ids: ids_of(&self.shop_ids),
            product_ids: ids_of(&self.product_ids),
            excluded_product_ids: ids_of(&self.excluded_product_ids),
        }
    }

    pub fn validity(&self) -> Validity {
        if self.valid_days > 0 {
            Validity::Days {
                days: self.valid_days,
                next_day: self.from_next_day != 0,
            }
        } else {
            Validity::Fixed {
                from: self.valid_from,
                until: self.valid_until,
            }
        }
    }
}

const TEMPLATE_COLS: &str = "t.id, t.merchant_id, t.name, t.kind, t.threshold, t.amount_off, \
    t.off_bps, t.cap, t.category_ids, t.shop_ids, t.product_ids, t.excluded_product_ids, \
    t.valid_from, t.valid_until, t.valid_days, t.from_next_day, t.claim_from, t.claim_until, \
    t.total_qty, t.issued_qty, t.per_user_limit, t.per_user_daily_limit, t.distribution, \
    t.shop_share_bps, t.status, t.created_at";

/// A template as its issuer saved it.
pub struct NewTemplate<'a> {
    pub merchant_id: Option<i64>,
    pub name: &'a str,
    pub rule: CouponRule,
    pub scope: &'a CouponScope,
    pub validity: Validity,
    pub claim_from: i64,
    pub claim_until: i64,
    pub total_qty: i64,
    pub per_user_limit: i64,
    pub per_user_daily_limit: i64,
    pub distribution: Distribution,
    pub shop_share_bps: i64,
    pub now: i64,
}

pub async fn insert_template(tx: &mut WriteTx, t: &NewTemplate<'_>) -> AppResult<i64> {
    let (valid_from, valid_until, valid_days, next_day) = match t.validity {
        Validity::Fixed { from, until } => (from, until, 0, false),
        Validity::Days { days, next_day } => (0, 0, days, next_day),
    };
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO coupon_templates (merchant_id, name, kind, threshold, amount_off, off_bps, \
         cap, category_ids, shop_ids, product_ids, excluded_product_ids, valid_from, valid_until, \
         valid_days, from_next_day, claim_from, claim_until, total_qty, per_user_limit, \
         per_user_daily_limit, distribution, shop_share_bps, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
         $19, $20, $21, $22, $23, $24, $24) RETURNING id",
    )
    .bind(t.merchant_id)
    .bind(t.name)
    .bind(t.rule.kind)
    .bind(t.rule.threshold)
    .bind(t.rule.amount_off)
    .bind(t.rule.off_bps)
    .bind(t.rule.cap)
    .bind(ids_text(&t.scope.category_ids))
    .bind(ids_text(&t.scope.shop_ids))
    .bind(ids_text(&t.scope.product_ids))
    .bind(ids_text(&t.scope.excluded_product_ids))
    .bind(valid_from)
    .bind(valid_until)
    .bind(valid_days)
    .bind(i64::from(next_day))
    .bind(t.claim_from)
    .bind(t.claim_until)
    .bind(t.total_qty)
    .bind(t.per_user_limit)
    .bind(t.per_user_daily_limit)
    .bind(t.distribution)
    .bind(t.shop_share_bps)
    .bind(TemplateStatus::INITIAL)
    .bind(t.now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// A template of `issuer` (`None`: the platform's); `None` when missing or another issuer's.
pub async fn template_of(
    conn: &mut AnyConnection,
    issuer: Option<i64>,
    id: i64,
) -> AppResult<Option<TemplateRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {TEMPLATE_COLS} FROM coupon_templates t WHERE t.id = $1 \
         AND COALESCE(t.merchant_id, 0) = $2"
    ))
    .bind(id)
    .bind(issuer.unwrap_or(0))
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn template(conn: &mut AnyConnection, id: i64) -> AppResult<Option<TemplateRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {TEMPLATE_COLS} FROM coupon_templates t WHERE t.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The issuer's templates, newest first.
pub async fn templates_of(
    conn: &mut AnyConnection,
    issuer: Option<i64>,
) -> AppResult<Vec<TemplateRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {TEMPLATE_COLS} FROM coupon_templates t WHERE COALESCE(t.merchant_id, 0) = $1 \
         ORDER BY t.id DESC LIMIT 200"
    ))
    .bind(issuer.unwrap_or(0))
    .fetch_all(&mut *conn)
    .await?)
}

/// Templates shoppers may claim at `now`, with copies left: all of them (`shop` None) or one
/// shop's and the platform's that name it. Newest first.
pub async fn claimable(
    conn: &mut AnyConnection,
    now: i64,
    shop: Option<i64>,
) -> AppResult<Vec<TemplateRow>> {
    let shop_filter = if shop.is_some() {
        "AND t.merchant_id = $4"
    } else {
        "AND $4 = 0"
    };
    Ok(sqlx::query_as(&format!(
        "SELECT {TEMPLATE_COLS} FROM coupon_templates t \
         WHERE t.status = $1 AND t.distribution = $2 AND t.claim_from <= $3 AND t.claim_until > $3 \
         AND t.issued_qty < t.total_qty \
         AND (t.valid_days > 0 OR t.valid_until > $3) {shop_filter} \
         ORDER BY t.merchant_id IS NOT NULL, t.id DESC LIMIT 100"
    ))
    .bind(TemplateStatus::Active)
    .bind(Distribution::Claim)
    .bind(now)
    .bind(shop.unwrap_or(0))
    .fetch_all(&mut *conn)
    .await?)
}

/// Active sign-up templates (given to each new shopper).
pub async fn sign_up_templates(conn: &mut AnyConnection, now: i64) -> AppResult<Vec<TemplateRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {TEMPLATE_COLS} FROM coupon_templates t WHERE t.status = $1 \
         AND t.distribution = $2 AND t.claim_from <= $3 AND t.claim_until > $3 \
         AND t.issued_qty < t.total_qty ORDER BY t.id"
    ))
    .bind(TemplateStatus::Active)
    .bind(Distribution::SignUp)
    .bind(now)
    .fetch_all(&mut *conn)
    .await?)
}

/// Moves a template by `action`; false when it was no longer in a source state.
pub async fn move_template(
    tx: &mut WriteTx,
    id: i64,
    action: TemplateAction,
    by: Actor,
    to: TemplateStatus,
    now: i64,
) -> AppResult<bool> {
    let from = TemplateStatus::sources(action, by, to);
    if from.is_empty() {
        return Ok(false);
    }
    let done = sqlx::query(&format!(
        "UPDATE coupon_templates SET status = $1, updated_at = $2 WHERE id = $3 AND status IN ({})",
        sql_list(from)
    ))
    .bind(to)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Why a claim was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimRefused {
    /// the shopper's limit (in all or today) is reached
    Limit,
    /// no copies left, or the template stopped being claimable
    SoldOut,
}

/// Hands one copy of `t` to a shopper: first the shopper's count under both limits (one upsert
/// guarded by them), then the template's issued count under its total (one guarded update),
/// then the copy. The caller rolls back on a refusal. `day` is the China-time day number.
pub async fn claim(
    tx: &mut WriteTx,
    t: &TemplateRow,
    shopper_id: i64,
    now: i64,
    day: i64,
) -> AppResult<Result<i64, ClaimRefused>> {
    let daily = if t.per_user_daily_limit > 0 {
        t.per_user_daily_limit
    } else {
        i64::MAX
    };
    let counted = sqlx::query(
        "INSERT INTO coupon_claims (template_id, shopper_id, claimed, day, claimed_on_day) \
         VALUES ($1, $2, 1, $3, 1) \
         ON CONFLICT (template_id, shopper_id) DO UPDATE SET \
         claimed = coupon_claims.claimed + 1, \
         claimed_on_day = CASE WHEN coupon_claims.day = excluded.day \
             THEN coupon_claims.claimed_on_day + 1 ELSE 1 END, \
         day = excluded.day \
         WHERE coupon_claims.claimed < $4 \
         AND (coupon_claims.day <> excluded.day OR coupon_claims.claimed_on_day < $5)",
    )
    .bind(t.id)
    .bind(shopper_id)
    .bind(day)
    .bind(t.per_user_limit)
    .bind(daily)
    .execute(&mut **tx)
    .await?;
    if counted.rows_affected() != 1 {
        return Ok(Err(ClaimRefused::Limit));
    }
    let issued = sqlx::query(
        "UPDATE coupon_templates SET issued_qty = issued_qty + 1 \
         WHERE id = $1 AND status = $2 AND issued_qty < total_qty",
    )
    .bind(t.id)
    .bind(TemplateStatus::Active)
    .execute(&mut **tx)
    .await?;
    if issued.rows_affected() != 1 {
        return Ok(Err(ClaimRefused::SoldOut));
    }
    let (from, until) = t.validity().window(now);
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO coupons (template_id, merchant_id, shopper_id, status, valid_from, \
         valid_until, claimed_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(t.id)
    .bind(t.merchant_id)
    .bind(shopper_id)
    .bind(CopyStatus::INITIAL)
    .bind(from)
    .bind(until)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Ok(id))
}

/// A copy with its template's rule and scope.
#[derive(Debug, Clone, FromRow)]
pub struct CopyRow {
    #[sqlx(rename = "copy_id")]
    pub id: i64,
    pub shopper_id: i64,
    #[sqlx(rename = "copy_status")]
    pub status: CopyStatus,
    #[sqlx(rename = "copy_from")]
    pub valid_from: i64,
    #[sqlx(rename = "copy_until")]
    pub valid_until: i64,
    pub trade_id: Option<i64>,
    pub discount: i64,
    pub used_at: Option<i64>,
    pub claimed_at: i64,
    #[sqlx(flatten)]
    pub template: TemplateRow,
}

/// The copy's own columns, named apart from the template's that share their names.
const COPY_COLS: &str = "c.id AS copy_id, c.shopper_id, c.status AS copy_status, \
    c.valid_from AS copy_from, c.valid_until AS copy_until, c.trade_id, c.discount, c.used_at, \
    c.claimed_at";

/// The shopper's copies in `statuses`, those expiring first first (at most 200).
pub async fn copies_of(
    conn: &mut AnyConnection,
    shopper_id: i64,
    statuses: &[CopyStatus],
) -> AppResult<Vec<CopyRow>> {
    let sql = format!(
        "SELECT {COPY_COLS}, {TEMPLATE_COLS} FROM coupons c \
         JOIN coupon_templates t ON t.id = c.template_id \
         WHERE c.shopper_id = $1 AND c.status IN ({}) ORDER BY c.valid_until, c.id LIMIT 200",
        sql_list(statuses.iter().copied())
    );
    Ok(sqlx::query_as(&sql)
        .bind(shopper_id)
        .fetch_all(&mut *conn)
        .await?)
}

/// The shopper's copies usable at `now` (ms), one per template: copies of one template take
/// the same off any basket, so only the one that expires first (then the lowest id) is read. A
/// checkout weighs each template once however many copies the shopper hoards (at most 200).
pub async fn first_usable_per_template(
    conn: &mut AnyConnection,
    shopper_id: i64,
    now: i64,
) -> AppResult<Vec<CopyRow>> {
    let sql = format!(
        "SELECT {COPY_COLS}, {TEMPLATE_COLS} FROM coupons c \
         JOIN coupon_templates t ON t.id = c.template_id \
         WHERE c.id IN (SELECT f.id FROM (SELECT k.id, ROW_NUMBER() OVER \
                          (PARTITION BY k.template_id ORDER BY k.valid_until, k.id) AS n \
                        FROM coupons k WHERE k.shopper_id = $1 AND k.status = $2 \
                          AND k.valid_from <= $3 AND k.valid_until > $3) f WHERE f.n = 1) \
         ORDER BY c.valid_until, c.id LIMIT 200"
    );
    Ok(sqlx::query_as(&sql)
        .bind(shopper_id)
        .bind(CopyStatus::Available.as_str())
        .bind(now)
        .fetch_all(&mut *conn)
        .await?)
}

/// Copies by id, whoever holds them.
pub async fn copies_by_ids(conn: &mut AnyConnection, ids: &[i64]) -> AppResult<Vec<CopyRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COPY_COLS}, {TEMPLATE_COLS} FROM coupons c \
         JOIN coupon_templates t ON t.id = c.template_id WHERE c.id IN ({}) ORDER BY c.id",
        placeholders(1, ids.len())
    );
    Ok(sqlx::query_as(&sql)
        .bind_all(ids.iter().copied())
        .fetch_all(&mut *conn)
        .await?)
}

/// available → locked by a checkout, each copy with what it takes off the trade (fen): only the
/// shopper's own copies, still available and within their dates at `now`, in one statement.
/// Returns the copies locked; one missing was taken by another checkout a moment ago (or
/// expired), and the caller rolls back.
pub async fn lock(
    tx: &mut WriteTx,
    copies: &[(i64, i64)],
    shopper_id: i64,
    trade_id: i64,
    now: i64,
) -> AppResult<Vec<i64>> {
    if copies.is_empty() {
        return Ok(Vec::new());
    }
    let to = CopyStatus::Locked;
    let n = copies.len();
    // $5.. are the (copy id, discount) pairs, then the ids again for the IN list
    let cases: String = (0..n)
        .map(|i| format!(" WHEN ${} THEN CAST(${} AS BIGINT)", 5 + 2 * i, 6 + 2 * i))
        .collect();
    let sql = format!(
        "UPDATE coupons SET status = $1, trade_id = $2, updated_at = $3, \
         discount = CASE id{cases} END \
         WHERE shopper_id = $4 AND id IN ({}) AND valid_from <= $3 AND valid_until > $3 \
         AND status IN ({}) RETURNING id",
        placeholders(5 + 2 * n, n),
        sql_list(CopyStatus::sources(CopyAction::Lock, Actor::Shopper, to))
    );
    let mut q = sqlx::query_as::<_, (i64,)>(&sql)
        .bind(to)
        .bind(trade_id)
        .bind(now)
        .bind(shopper_id);
    for &(id, discount) in copies {
        q = q.bind(id).bind(discount);
    }
    let locked = q
        .bind_all(copies.iter().map(|&(id, _)| id))
        .fetch_all(&mut **tx)
        .await?;
    Ok(locked.into_iter().map(|(id,)| id).collect())
}

/// locked → available for the copies of closed trades (cancelled or timed out). Runs in the
/// transaction that closes them, so it happens once.
pub async fn unlock_of_trades(tx: &mut WriteTx, trade_ids: &[i64], now: i64) -> AppResult<u64> {
    if trade_ids.is_empty() {
        return Ok(0);
    }
    let to = CopyStatus::Available;
    let done = sqlx::query(&format!(
        "UPDATE coupons SET status = $1, trade_id = NULL, discount = 0, updated_at = $2 \
         WHERE trade_id IN ({}) AND status IN ({})",
        placeholders(3, trade_ids.len()),
        sql_list(CopyStatus::sources(CopyAction::Unlock, Actor::System, to))
    ))
    .bind(to)
    .bind(now)
    .bind_all(trade_ids.iter().copied())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// locked → used for the copies of a trade just paid.
pub async fn use_of_trade(tx: &mut WriteTx, trade_id: i64, now: i64) -> AppResult<u64> {
    let to = CopyStatus::Used;
    let done = sqlx::query(&format!(
        "UPDATE coupons SET status = $1, used_at = $2, updated_at = $2 \
         WHERE trade_id = $3 AND status IN ({})",
        sql_list(CopyStatus::sources(CopyAction::Use, Actor::System, to))
    ))
    .bind(to)
    .bind(now)
    .bind(trade_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// used → available after a refund gave it back (the trade link stays for the record).
pub async fn give_back(tx: &mut WriteTx, id: i64, now: i64) -> AppResult<bool> {
    let to = CopyStatus::Available;
    let done = sqlx::query(&format!(
        "UPDATE coupons SET status = $1, updated_at = $2, trade_id = NULL, discount = 0 \
         WHERE id = $3 AND status IN ({})",
        sql_list(CopyStatus::sources(CopyAction::GiveBack, Actor::System, to))
    ))
    .bind(to)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// available → voided for every unused copy of a voided template; how many.
pub async fn void_copies(
    tx: &mut WriteTx,
    template_id: i64,
    by: Actor,
    now: i64,
) -> AppResult<u64> {
    let to = CopyStatus::Voided;
    let done = sqlx::query(&format!(
        "UPDATE coupons SET status = $1, updated_at = $2 WHERE template_id = $3 AND status IN ({})",
        sql_list(CopyStatus::sources(CopyAction::Void, by, to))
    ))
    .bind(to)
    .bind(now)
    .bind(template_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Copies past their dates and still available, the first to have ended first, at most
/// `limit`, read without the write lock on the partial index `coupons_expiry` (which holds the
/// available copies only: the status is written as a literal so SQLite can use it, and no other
/// query of copies is drawn to it).
pub async fn due_to_expire(pool: &AnyPool, now: i64, limit: i64) -> AppResult<Vec<i64>> {
    debug_assert_eq!(
        CopyStatus::sources(CopyAction::Expire, Actor::System, CopyStatus::Expired),
        [CopyStatus::Available]
    );
    let rows: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT id FROM coupons WHERE status = '{}' AND valid_until <= $1 \
         ORDER BY valid_until LIMIT $2",
        CopyStatus::Available.as_str()
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// available → expired for these copies, each only if it is still past its dates and
/// expirable; how many moved.
pub async fn expire(tx: &mut WriteTx, ids: &[i64], now: i64) -> AppResult<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let to = CopyStatus::Expired;
    let done = sqlx::query(&format!(
        "UPDATE coupons SET status = $1, updated_at = $2 WHERE valid_until <= $2 \
         AND status IN ({}) AND id IN ({})",
        sql_list(CopyStatus::sources(CopyAction::Expire, Actor::System, to)),
        placeholders(3, ids.len())
    ))
    .bind(to)
    .bind(now)
    .bind_all(ids.iter().copied())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// A template's usage: copies by state, what its used copies took off, and what the orders
/// they were used on paid (GMV driven: the whole trade for a platform coupon, the shop's order
/// for a shop coupon).
#[derive(Debug, Clone, Copy, Default, FromRow)]
pub struct UsageRow {
    pub template_id: i64,
    pub used: i64,
    pub expired: i64,
    pub voided: i64,
    pub discount: i64,
    pub gmv: i64,
}

/// Usage of the issuer's templates (`None`: the platform's).
pub async fn usage_of(conn: &mut AnyConnection, issuer: Option<i64>) -> AppResult<Vec<UsageRow>> {
    Ok(sqlx::query_as(
        "SELECT t.id AS template_id, \
         CAST(COALESCE(SUM(CASE WHEN c.status = 'used' THEN 1 ELSE 0 END), 0) AS BIGINT) AS used, \
         CAST(COALESCE(SUM(CASE WHEN c.status = 'expired' THEN 1 ELSE 0 END), 0) AS BIGINT) \
             AS expired, \
         CAST(COALESCE(SUM(CASE WHEN c.status = 'voided' THEN 1 ELSE 0 END), 0) AS BIGINT) \
             AS voided, \
         CAST(COALESCE(SUM(CASE WHEN c.status = 'used' THEN c.discount ELSE 0 END), 0) AS BIGINT) \
             AS discount, \
         CAST(COALESCE(SUM(CASE WHEN c.status = 'used' THEN \
             (SELECT COALESCE(SUM(o.pay_amount), 0) FROM orders o WHERE o.trade_id = c.trade_id \
              AND (t.merchant_id IS NULL OR o.merchant_id = t.merchant_id)) ELSE 0 END), 0) \
             AS BIGINT) AS gmv \
         FROM coupon_templates t LEFT JOIN coupons c ON c.template_id = t.id \
         WHERE COALESCE(t.merchant_id, 0) = $1 GROUP BY t.id",
    )
    .bind(issuer.unwrap_or(0))
    .fetch_all(&mut *conn)
    .await?)
}

/// A line a coupon used on an order touched (in any order of the trade).
#[derive(Debug, Clone, FromRow)]
pub struct TouchedLine {
    pub copy_id: i64,
    pub qty: i64,
    /// units claimed by after-sales (open or refunded)
    pub refund_qty: i64,
    /// 1 once the line's order was shipped
    pub shipped: i64,
    /// after-sales of the line's order still open
    pub open_claims: i64,
}

/// The lines touched by the coupons used on `order_id`, across the trade (a coupon discounts
/// lines of one trade only).
pub async fn lines_touched_by_coupons_of(
    conn: &mut AnyConnection,
    order_id: i64,
) -> AppResult<Vec<TouchedLine>> {
    let open = sql_list(crate::domain::after_sale::AfterSaleStatus::open());
    Ok(sqlx::query_as(&format!(
        "SELECT d.source_id AS copy_id, i.qty, i.refund_qty, \
         CASE WHEN o.shipped_at IS NULL THEN 0 ELSE 1 END AS shipped, \
         (SELECT COUNT(*) FROM after_sales a WHERE a.order_id = o.id AND a.status IN ({open})) \
             AS open_claims \
         FROM orders o JOIN order_item_discounts d ON d.order_id = o.id \
         JOIN order_items i ON i.id = d.order_item_id \
         WHERE o.trade_id = (SELECT trade_id FROM orders WHERE id = $1) \
         AND d.source IN ('shop_coupon', 'platform_coupon') AND d.source_id IN \
         (SELECT source_id FROM order_item_discounts WHERE order_id = $1 \
          AND source IN ('shop_coupon', 'platform_coupon'))"
    ))
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?)
}
