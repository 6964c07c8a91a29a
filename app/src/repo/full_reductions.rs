//! Shops' full-reduction promotions (满减 / 满折).

use sqlx::{AnyConnection, FromRow};

use crate::domain::full_reduction::{
    Basis, Benefit, FullReduction, PromotionAction, PromotionStatus, Tier,
};
use crate::domain::state_machine::{sql_list, Actor, StateMachine};
use crate::error::AppResult;
use crate::infra::db::WriteTx;
use crate::repo::coupons::{ids_of, ids_text};
use crate::repo::{placeholders, BindAll};

#[derive(Debug, Clone, FromRow)]
pub struct FullReductionRow {
    pub id: i64,
    pub merchant_id: i64,
    pub title: String,
    pub basis: Basis,
    pub benefit: Benefit,
    pub tiers: String,
    pub repeat_each: i64,
    pub repeat_cap: i64,
    pub product_ids: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub status: PromotionStatus,
    pub created_at: i64,
}

impl FullReductionRow {
    pub fn rule(&self) -> FullReduction {
        FullReduction {
            id: self.id,
            merchant_id: self.merchant_id,
            title: self.title.clone(),
            basis: self.basis,
            benefit: self.benefit,
            tiers: tiers_of(&self.tiers),
            repeat: self.repeat_each != 0,
            repeat_cap: self.repeat_cap,
            product_ids: ids_of(&self.product_ids),
        }
    }
}

/// Tiers as stored: `threshold:off:free_shipping` separated by spaces.
pub fn tiers_text(tiers: &[Tier]) -> String {
    tiers
        .iter()
        .map(|t| format!("{}:{}:{}", t.threshold, t.off, u8::from(t.free_shipping)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn tiers_of(text: &str) -> Vec<Tier> {
    text.split_whitespace()
        .filter_map(|t| {
            let mut p = t.split(':').map(|n| n.parse::<i64>().ok());
            Some(Tier {
                threshold: p.next()??,
                off: p.next()??,
                free_shipping: p.next()?? != 0,
            })
        })
        .collect()
}

const COLS: &str = "id, merchant_id, title, basis, benefit, tiers, repeat_each, repeat_cap, \
    product_ids, starts_at, ends_at, status, created_at";

pub async fn insert(
    tx: &mut WriteTx,
    p: &FullReduction,
    starts_at: i64,
    ends_at: i64,
    now: i64,
) -> AppResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO full_reductions (merchant_id, title, basis, benefit, tiers, repeat_each, \
         repeat_cap, product_ids, starts_at, ends_at, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(p.merchant_id)
    .bind(p.title.trim())
    .bind(p.basis)
    .bind(p.benefit)
    .bind(tiers_text(&p.tiers))
    .bind(i64::from(p.repeat))
    .bind(p.repeat_cap)
    .bind(ids_text(&p.product_ids))
    .bind(starts_at)
    .bind(ends_at)
    .bind(PromotionStatus::INITIAL)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    tx.changes().promotions(p.merchant_id);
    Ok(id)
}

/// The shop's promotions not ended, newest first.
pub async fn of_shop(
    conn: &mut AnyConnection,
    merchant_id: i64,
) -> AppResult<Vec<FullReductionRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM full_reductions WHERE merchant_id = $1 ORDER BY id DESC LIMIT 100"
    ))
    .bind(merchant_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn one_of_shop(
    conn: &mut AnyConnection,
    merchant_id: i64,
    id: i64,
) -> AppResult<Option<FullReductionRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM full_reductions WHERE merchant_id = $1 AND id = $2"
    ))
    .bind(merchant_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The shop's promotions that are not ended and whose time overlaps `[from, until)`: the ones a
/// new promotion must not share a product with.
pub async fn overlapping(
    conn: &mut AnyConnection,
    merchant_id: i64,
    from: i64,
    until: i64,
) -> AppResult<Vec<FullReductionRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM full_reductions WHERE merchant_id = $1 AND status <> $2 \
         AND starts_at < $4 AND ends_at > $3 ORDER BY id"
    ))
    .bind(merchant_id)
    .bind(PromotionStatus::Ended)
    .bind(from)
    .bind(until)
    .fetch_all(&mut *conn)
    .await?)
}

/// The active promotions not ended at `after` (epoch ms), of these shops or (`None`) of every
/// shop, by id: what the shop front keeps to price baskets with (`services::storefront`).
pub async fn active_after(
    conn: &mut AnyConnection,
    after: i64,
    merchant_ids: Option<&[i64]>,
) -> AppResult<Vec<FullReductionRow>> {
    let shops = match merchant_ids {
        Some([]) => return Ok(Vec::new()),
        Some(ids) => format!("AND merchant_id IN ({})", placeholders(3, ids.len())),
        None => String::new(),
    };
    let sql = format!(
        "SELECT {COLS} FROM full_reductions WHERE status = $1 AND ends_at > $2 {shops} ORDER BY id"
    );
    Ok(sqlx::query_as(&sql)
        .bind(PromotionStatus::Active)
        .bind(after)
        .bind_all(merchant_ids.unwrap_or_default().iter().copied())
        .fetch_all(&mut *conn)
        .await?)
}

/// Moves a promotion by `action`; false when it was no longer in a source state.
pub async fn move_to(
    tx: &mut WriteTx,
    merchant_id: i64,
    id: i64,
    action: PromotionAction,
    to: PromotionStatus,
    now: i64,
) -> AppResult<bool> {
    let from = PromotionStatus::sources(action, Actor::Merchant, to);
    let done = sqlx::query(&format!(
        "UPDATE full_reductions SET status = $1, updated_at = $2 \
         WHERE id = $3 AND merchant_id = $4 AND status IN ({})",
        sql_list(from)
    ))
    .bind(to)
    .bind(now)
    .bind(id)
    .bind(merchant_id)
    .execute(&mut **tx)
    .await?;
    tx.changes().promotions(merchant_id);
    Ok(done.rows_affected() == 1)
}
