//! 预售 rows (`domain::presale`): presales, their SKUs and the ship promise on orders. The
//! stock moves (presale stock, a shopper's share) are `repo::activity_stock`'s.

use sqlx::{AnyConnection, FromRow};

use crate::domain::group_buy::ActivityStatus;
use crate::domain::presale::{PresaleInput, ShipPromise};
use crate::domain::presale_deposit::{MissedBalance, PayMode};
use crate::error::AppResult;
use crate::infra::db::WriteTx;
use crate::repo::{activity_skus, placeholders, BindAll};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PresaleRow {
    pub id: i64,
    pub merchant_id: i64,
    pub product_id: i64,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub ship_mode: String,
    pub ship_date: i64,
    pub ship_days: i64,
    pub per_order_limit: i64,
    pub per_user_limit: i64,
    pub status: String,
    pub created_at: i64,
    /// `full` | `deposit` (`domain::presale_deposit::PayMode`)
    pub pay_mode: String,
    /// the balance window of a deposit presale, epoch ms (0 for a full one)
    pub balance_starts_at: i64,
    pub balance_ends_at: i64,
    /// `refund` | `keep`
    pub missed_balance: String,
    /// the product's title and image and the shop's name, for lists
    pub product_title: String,
    pub main_image: String,
    pub shop_name: String,
}

impl PresaleRow {
    pub fn status(&self) -> ActivityStatus {
        ActivityStatus::parse(&self.status).unwrap_or(ActivityStatus::Ended)
    }

    pub fn ship(&self) -> ShipPromise {
        ShipPromise::of_columns(&self.ship_mode, self.ship_date, self.ship_days)
    }

    pub fn pay_mode(&self) -> PayMode {
        PayMode::parse(&self.pay_mode).unwrap_or(PayMode::Full)
    }

    pub fn missed(&self) -> MissedBalance {
        MissedBalance::parse(&self.missed_balance).unwrap_or(MissedBalance::Refund)
    }

    /// Selling at `now`: active, started and not over.
    pub fn selling(&self, now: i64) -> bool {
        self.status() == ActivityStatus::Active && self.starts_at <= now && now < self.ends_at
    }
}

const SELECT: &str = "SELECT a.id, a.merchant_id, a.product_id, a.title, a.starts_at, \
     a.ends_at, a.ship_mode, a.ship_date, a.ship_days, a.per_order_limit, a.per_user_limit, \
     a.status, a.created_at, a.pay_mode, a.balance_starts_at, a.balance_ends_at, \
     a.missed_balance, p.title AS product_title, p.main_image, m.name AS shop_name \
     FROM presale_activities a JOIN products p ON p.id = a.product_id \
     JOIN merchants m ON m.id = a.merchant_id";

/// Inserts a presale with its SKUs, unless one of the SKUs is already in another activity
/// whose time overlaps (then `None`; `repo::activity_skus`).
pub async fn insert(
    tx: &mut WriteTx,
    merchant_id: i64,
    product_id: i64,
    p: &PresaleInput,
    now: i64,
) -> AppResult<Option<i64>> {
    let skus: Vec<i64> = p.skus.iter().map(|s| s.0).collect();
    if activity_skus::overlapping(tx, &skus, p.starts_at, p.ends_at)
        .await?
        .is_some()
    {
        return Ok(None);
    }
    let (mode, date, days) = p.ship.columns();
    let (pay_mode, balance_starts_at, balance_ends_at, missed) = match &p.deposit {
        None => (PayMode::Full, 0, 0, MissedBalance::Refund),
        Some(d) => (
            PayMode::Deposit,
            d.balance_starts_at,
            d.balance_ends_at,
            d.missed,
        ),
    };
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO presale_activities (merchant_id, product_id, title, starts_at, ends_at, \
         ship_mode, ship_date, ship_days, per_order_limit, per_user_limit, status, created_at, \
         updated_at, pay_mode, balance_starts_at, balance_ends_at, missed_balance) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, $16) \
         RETURNING id",
    )
    .bind(merchant_id)
    .bind(product_id)
    .bind(&p.title)
    .bind(p.starts_at)
    .bind(p.ends_at)
    .bind(mode)
    .bind(date)
    .bind(days)
    .bind(p.per_order_limit)
    .bind(p.per_user_limit)
    .bind(ActivityStatus::Active)
    .bind(now)
    .bind(pay_mode)
    .bind(balance_starts_at)
    .bind(balance_ends_at)
    .bind(missed)
    .fetch_one(&mut **tx)
    .await?;
    for &(sku_id, price, quantity) in &p.skus {
        let (deposit, deposit_value) = p
            .deposit
            .iter()
            .flat_map(|d| &d.skus)
            .find(|d| d.0 == sku_id)
            .map_or((0, 0), |d| (d.1, d.2));
        sqlx::query(
            "INSERT INTO presale_skus (activity_id, sku_id, price, quantity, deposit, \
             deposit_value) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(sku_id)
        .bind(price)
        .bind(quantity)
        .bind(deposit)
        .bind(deposit_value)
        .execute(&mut **tx)
        .await?;
    }
    Ok(Some(id))
}

/// Presales, the latest first: a shop's (`merchant`), or every shop's.
pub async fn list(conn: &mut AnyConnection, merchant: Option<i64>) -> AppResult<Vec<PresaleRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE ($1 = 0 OR a.merchant_id = $1) ORDER BY a.id DESC LIMIT 200"
    ))
    .bind(merchant.unwrap_or(0))
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn by_id(conn: &mut AnyConnection, id: i64) -> AppResult<Option<PresaleRow>> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// The product's presale selling at `now`, if any.
pub async fn selling_of_product(
    conn: &mut AnyConnection,
    product_id: i64,
    now: i64,
) -> AppResult<Option<PresaleRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE a.product_id = $1 AND a.status = $2 AND a.starts_at <= $3 \
         AND a.ends_at > $3 ORDER BY a.id LIMIT 1"
    ))
    .bind(product_id)
    .bind(ActivityStatus::Active)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Presales selling at `now`, every shop's, ending soonest first.
pub async fn selling(conn: &mut AnyConnection, now: i64, limit: i64) -> AppResult<Vec<PresaleRow>> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} WHERE a.status = $1 AND a.starts_at <= $2 AND a.ends_at > $2 \
         AND p.status = 'on_sale' ORDER BY a.ends_at, a.id LIMIT $3"
    ))
    .bind(ActivityStatus::Active)
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// active → ended. False when it had ended.
pub async fn end(tx: &mut WriteTx, id: i64, now: i64) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE presale_activities SET status = $1, updated_at = $2 WHERE id = $3 \
         AND status = $4",
    )
    .bind(ActivityStatus::Ended)
    .bind(now)
    .bind(id)
    .bind(ActivityStatus::Active)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PresaleSkuRow {
    pub id: i64,
    pub activity_id: i64,
    pub sku_id: i64,
    pub price: i64,
    pub quantity: i64,
    pub sold: i64,
    /// per unit, fen: the deposit and what it counts for at balance time (0: a full presale)
    pub deposit: i64,
    pub deposit_value: i64,
    /// the SKU's normal price, fen, and its spec values (JSON)
    pub sku_price: i64,
    pub spec_values: String,
}

/// The SKUs of `activities`, by activity then SKU.
pub async fn skus_of(
    conn: &mut AnyConnection,
    activities: &[i64],
) -> AppResult<Vec<PresaleSkuRow>> {
    if activities.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as(&format!(
        "SELECT ps.id, ps.activity_id, ps.sku_id, ps.price, ps.quantity, ps.sold, ps.deposit, \
         ps.deposit_value, s.price AS sku_price, s.spec_values FROM presale_skus ps JOIN skus s ON s.id = ps.sku_id \
         WHERE ps.activity_id IN ({}) ORDER BY ps.activity_id, ps.sku_id",
        placeholders(1, activities.len())
    ))
    .bind_all(activities.iter().copied())
    .fetch_all(&mut *conn)
    .await?)
}

/// The ship promise of the presale `order_id`'s line was bought in, if it has one.
pub async fn promise_of_order(
    conn: &mut AnyConnection,
    order_id: i64,
) -> AppResult<Option<ShipPromise>> {
    let row: Option<(String, i64, i64)> = sqlx::query_as(
        "SELECT a.ship_mode, a.ship_date, a.ship_days FROM order_items oi \
         JOIN presale_skus ps ON ps.id = oi.presale_sku_id \
         JOIN presale_activities a ON a.id = ps.activity_id WHERE oi.order_id = $1 LIMIT 1",
    )
    .bind(order_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(mode, date, days)| ShipPromise::of_columns(&mode, date, days)))
}

/// Records the shop's promise on an order: to be shipped before `ship_by` (epoch ms).
pub async fn set_ship_by(tx: &mut WriteTx, order_id: i64, ship_by: i64) -> AppResult<()> {
    sqlx::query("UPDATE orders SET ship_by = $1 WHERE id = $2")
        .bind(ship_by)
        .bind(order_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
