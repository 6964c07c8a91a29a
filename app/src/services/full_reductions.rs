//! Shops' full-reduction promotions (满减 / 满折): saving them (a product takes at most one at a
//! time, refused at save), running them, and their labels and cart hints. How one prices a
//! basket is `domain::pricing`.

use crate::domain::audit::AuditTarget;
use crate::domain::full_reduction::{
    overlap, FullReduction, FullReductionInput, FullReductionView, PromotionAction, PromotionLabel,
};
use crate::domain::state_machine::{Actor, StateMachine};
use crate::error::{AppError, AppResult};
use crate::repo::audit;
use crate::repo::full_reductions::{self as repo, FullReductionRow};
use crate::services::merchants::MerchantScope;
use crate::state::AppState;

/// Saves a new promotion of the shop. Refused (422 on `product_ids`) when a product it covers
/// is already in another promotion of the shop whose time overlaps.
pub async fn create(
    st: &AppState,
    scope: &MerchantScope,
    input: &FullReductionInput,
    ip: &str,
) -> AppResult<i64> {
    if !scope.shop_active {
        return Err(AppError::Forbidden("店铺已暂停营业，不能创建活动".into()));
    }
    let rule = FullReduction {
        id: 0,
        merchant_id: scope.merchant_id,
        title: input.title.trim().to_string(),
        basis: input.basis,
        benefit: input.benefit,
        tiers: input.tiers.clone(),
        repeat: input.repeat,
        repeat_cap: input.repeat_cap,
        product_ids: input.product_ids.clone(),
    };
    rule.check()?;
    crate::services::products::check_ids(
        st,
        Some(scope.merchant_id),
        &rule.product_ids,
        "product_ids",
    )
    .await?;
    if input.ends_at <= input.starts_at {
        return Err(AppError::invalid("ends_at", "结束时间须晚于开始时间"));
    }
    let now = st.clock.now_ms();
    if input.ends_at <= now {
        return Err(AppError::invalid("ends_at", "结束时间须晚于现在"));
    }
    let mut tx = st.db.begin_write().await?;
    // checked inside the write transaction, so two saves at once cannot both pass
    let others =
        repo::overlapping(&mut tx, scope.merchant_id, input.starts_at, input.ends_at).await?;
    for other in &others {
        if let Some(product) = overlap(&rule, &other.rule()) {
            tx.rollback().await?;
            let what = if product == 0 {
                "全店商品".to_string()
            } else {
                format!("商品 #{product}")
            };
            return Err(AppError::invalid(
                "product_ids",
                format!(
                    "{what}已参加同时段的满减活动「{}」，同一商品同一时间只能参加一个满减活动",
                    other.title
                ),
            ));
        }
    }
    let id = repo::insert(&mut tx, &rule, input.starts_at, input.ends_at, now).await?;
    let detail = format!("{} {}", rule.title, rule.label());
    let entry = scope
        .entry("full_reduction_create", &detail, ip)
        .on(AuditTarget::FullReduction, id);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Pauses, resumes or ends a promotion of the shop.
pub async fn act(
    st: &AppState,
    scope: &MerchantScope,
    id: i64,
    action: PromotionAction,
    ip: &str,
) -> AppResult<()> {
    let row = repo::one_of_shop(&mut *st.db.pool.acquire().await?, scope.merchant_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("活动不存在"))?;
    let to = row
        .status
        .targets(action, Actor::Merchant)
        .next()
        .ok_or_else(|| {
            AppError::Conflict(format!(
                "活动状态为「{}」，不能{}",
                row.status.label(),
                action.label()
            ))
        })?;
    let mut tx = st.db.begin_write().await?;
    if action == PromotionAction::Resume {
        let others =
            repo::overlapping(&mut tx, scope.merchant_id, row.starts_at, row.ends_at).await?;
        if let Some(other) = others
            .iter()
            .find(|o| o.id != id && overlap(&row.rule(), &o.rule()).is_some())
        {
            tx.rollback().await?;
            return Err(AppError::Conflict(format!(
                "与同时段的满减活动「{}」商品重叠，不能恢复",
                other.title
            )));
        }
    }
    let now = st.clock.now_ms();
    if !repo::move_to(&mut tx, scope.merchant_id, id, action, to, now).await? {
        tx.rollback().await?;
        return Err(AppError::Conflict("活动状态已变化，请刷新".into()));
    }
    let entry = scope
        .entry("full_reduction_status", &row.title, ip)
        .on(AuditTarget::FullReduction, id)
        .change(row.status.label(), to.label());
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The shop's promotions, newest first.
pub async fn list(st: &AppState, scope: &MerchantScope) -> AppResult<Vec<FullReductionView>> {
    let rows = repo::of_shop(&mut *st.db.pool.acquire().await?, scope.merchant_id).await?;
    Ok(rows.iter().map(view).collect())
}

fn view(r: &FullReductionRow) -> FullReductionView {
    let rule = r.rule();
    FullReductionView {
        id: r.id,
        title: r.title.clone(),
        label: rule.label(),
        product_count: rule.product_ids.len(),
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        status: r.status,
        actions: r.status.actions_for(Actor::Merchant),
    }
}

/// The full-reductions of these shops running at `now` (epoch ms), by id, as the pricing
/// pipeline takes them (kept in memory by the shop front, at most a second old).
pub async fn running(
    st: &AppState,
    conn: &mut sqlx::AnyConnection,
    merchant_ids: &[i64],
    now: i64,
) -> AppResult<Vec<FullReduction>> {
    Ok(st
        .shop_front
        .running_promotions(conn, merchant_ids, now)
        .await?
        .iter()
        .map(FullReductionRow::rule)
        .collect())
}

/// The shop's running full-reductions as shoppers see them; 404 for a shop not open.
pub async fn labels(st: &AppState, merchant_id: i64) -> AppResult<Vec<PromotionLabel>> {
    if !st.shop_front.has_shop(merchant_id) {
        return Err(AppError::not_found("店铺不存在或已休息"));
    }
    let now = st.clock.now_ms();
    let rows = st
        .shop_front
        .running_promotions(&mut *st.db.pool.acquire().await?, &[merchant_id], now)
        .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let rule = r.rule();
            PromotionLabel {
                id: r.id,
                title: r.title.clone(),
                label: rule.label(),
                product_ids: rule.product_ids,
                ends_at: r.ends_at,
            }
        })
        .collect())
}
