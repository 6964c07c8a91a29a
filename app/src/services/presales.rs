//! 预售: a shop's presales (create, end, list), their pages, what a checkout of a presale line
//! must pass and take (pricing step 1 in `domain::pricing`; stock in `repo::activity_stock`), and
//! the ship promise a payment fixes on the order. Refunding an order whose promise is broken is
//! an after-sale (`services::after_sales::refund_late`). Nothing here refunds, so the checkout
//! and the payment handler may depend on it.

use crate::domain::activity_form::ActivityPhase;
use crate::domain::audit::AuditTarget;
use crate::domain::group_buy::ActivitySkuView;
use crate::domain::group_buy::ActivityStatus;
use crate::domain::permission::Permission;
use crate::domain::presale::{
    DepositPlanView, PresaleForm, PresalePrice, PresaleView, ShipPromise, SkuDepositView,
};
use crate::domain::presale_deposit::{DepositTerms, PayMode};
use crate::domain::time::datetime_text;
use crate::error::{AppError, AppResult};
use crate::infra::db::WriteTx;
use crate::repo::activity_stock::{self, PRESALE};
use crate::repo::audit;
use crate::repo::presales::{self as repo, PresaleRow, PresaleSkuRow};
use crate::services::activity_forms::{self, spec_text};
use crate::services::merchants::{Ender, MerchantScope};
use crate::state::AppState;

fn view(a: &PresaleRow, sku_rows: &[PresaleSkuRow], now: i64) -> PresaleView {
    let skus: Vec<ActivitySkuView> = sku_rows
        .iter()
        .filter(|s| s.activity_id == a.id)
        .map(|s| ActivitySkuView {
            sku_id: s.sku_id,
            spec_label: spec_text(&s.spec_values),
            price: s.price,
            normal_price: s.sku_price,
            quantity: s.quantity,
            sold: s.sold,
        })
        .collect();
    let short = |ms: i64| datetime_text(ms).get(5..).unwrap_or_default().to_string();
    let deposit = (a.pay_mode() == PayMode::Deposit).then(|| DepositPlanView {
        balance_starts_at: a.balance_starts_at,
        balance_ends_at: a.balance_ends_at,
        balance_window: format!(
            "{} ~ {}",
            short(a.balance_starts_at),
            short(a.balance_ends_at)
        ),
        missed: a.missed(),
        missed_label: a.missed().label().into(),
        skus: sku_rows
            .iter()
            .filter(|s| s.activity_id == a.id)
            .map(|s| SkuDepositView {
                sku_id: s.sku_id,
                deposit: s.deposit,
                deposit_value: s.deposit_value,
            })
            .collect(),
    });
    let ship_text = match (a.ship(), &deposit) {
        (ShipPromise::Days { days }, Some(_)) => format!("付尾款后 {days} 天内发货"),
        (ship, _) => ship.text(),
    };
    let ended_early = a.status() == ActivityStatus::Ended;
    let phase = ActivityPhase::at(ended_early, a.starts_at, a.ends_at, now);
    PresaleView {
        id: a.id,
        merchant_id: a.merchant_id,
        shop_name: a.shop_name.clone(),
        product_id: a.product_id,
        product_title: a.product_title.clone(),
        image: a.main_image.clone(),
        title: a.title.clone(),
        starts_at: a.starts_at,
        ends_at: a.ends_at,
        window: format!("{} ~ {}", short(a.starts_at), short(a.ends_at)),
        ship: a.ship(),
        ship_text,
        per_order_limit: a.per_order_limit,
        per_user_limit: a.per_user_limit,
        status: a.status.clone(),
        phase,
        phase_label: phase.label().into(),
        selling: a.selling(now),
        from_price: skus.iter().map(|s| s.price).min().unwrap_or(0),
        from_normal_price: skus.iter().map(|s| s.normal_price).min().unwrap_or(0),
        skus,
        deposit,
    }
}

async fn views(
    conn: &mut sqlx::AnyConnection,
    rows: &[PresaleRow],
    now: i64,
) -> AppResult<Vec<PresaleView>> {
    let ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
    let skus = repo::skus_of(conn, &ids).await?;
    Ok(rows.iter().map(|a| view(a, &skus, now)).collect())
}

/// A shop creates a presale (营销中心 → 预售). Errors: 403 for a suspended shop; 404 for a
/// product that is not the shop's or not on sale; 422 naming the field (the form's rules, and
/// a SKU already in an activity whose time overlaps).
pub async fn create(
    st: &AppState,
    scope: &MerchantScope,
    form: &PresaleForm,
    ip: &str,
) -> AppResult<i64> {
    if !scope.shop_active {
        return Err(AppError::Forbidden("店铺已暂停营业，不能创建活动".into()));
    }
    let now = st.clock.now_ms();
    let skus = activity_forms::skus_now(st, scope, form.product_id).await?;
    let input = form.parse(now, &skus, st.config.presales.max_deposit_multiple)?;
    let mut tx = st.db.begin_write().await?;
    let Some(id) = repo::insert(&mut tx, scope.merchant_id, form.product_id, &input, now).await?
    else {
        tx.rollback().await?;
        return Err(AppError::invalid(
            "skus",
            "所选规格在这段时间已有秒杀、拼团或预售活动，同一规格同一时间只能参加一个活动",
        ));
    };
    let mode = if input.deposit.is_some() {
        PayMode::Deposit
    } else {
        PayMode::Full
    };
    let detail = format!("{}（{}）：{}", input.title, mode.label(), input.ship.text());
    let entry = scope
        .entry("presale_create", &detail, ip)
        .on(AuditTarget::Presale, id);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Ends a presale early: nothing more is sold in it; orders placed keep their promise.
/// Errors: 403 without 管理平台营销 (platform); 404 (another shop's, for a shop); 409 ended.
pub async fn end(st: &AppState, who: Ender<'_>, id: i64, ip: &str) -> AppResult<()> {
    if let Ender::Platform(admin) = who {
        admin.require(Permission::ManageMarketing)?;
    }
    let a = repo::by_id(&mut *st.db.pool.acquire().await?, id)
        .await?
        .filter(|a| match who {
            Ender::Shop(scope) => a.merchant_id == scope.merchant_id,
            Ender::Platform(_) => true,
        })
        .ok_or_else(|| AppError::not_found("预售活动不存在"))?;
    let mut tx = st.db.begin_write().await?;
    if !repo::end(&mut tx, id, st.clock.now_ms()).await? {
        tx.rollback().await?;
        return Err(AppError::Conflict("活动已结束".into()));
    }
    let entry = match who {
        Ender::Platform(admin) => admin.entry("presale_end", &a.title, ip),
        Ender::Shop(scope) => scope.entry("presale_end", &a.title, ip),
    };
    let mut entry = entry
        .on(AuditTarget::Presale, id)
        .change("进行中", "已结束");
    entry.merchant_id = Some(a.merchant_id);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Presales, the latest first: a shop's own (`merchant`), or every shop's (the platform).
pub async fn list(st: &AppState, merchant: Option<i64>) -> AppResult<Vec<PresaleView>> {
    let mut conn = st.db.pool.acquire().await?;
    let rows = repo::list(&mut conn, merchant).await?;
    views(&mut conn, &rows, st.clock.now_ms()).await
}

/// One presale, for its shop (`merchant`; another shop's is 404) or the platform (`None`).
pub async fn one(st: &AppState, merchant: Option<i64>, id: i64) -> AppResult<PresaleView> {
    let mut conn = st.db.pool.acquire().await?;
    let a = repo::by_id(&mut conn, id)
        .await?
        .filter(|a| merchant.is_none_or(|m| a.merchant_id == m))
        .ok_or_else(|| AppError::not_found("预售活动不存在"))?;
    Ok(views(&mut conn, &[a], st.clock.now_ms()).await?.remove(0))
}

/// Presales selling now, every shop's, ending soonest first (the H5 预售 page).
pub async fn selling(st: &AppState) -> AppResult<Vec<PresaleView>> {
    let mut conn = st.db.pool.acquire().await?;
    let now = st.clock.now_ms();
    let rows = repo::selling(&mut conn, now, 50).await?;
    views(&mut conn, &rows, now).await
}

/// A product's presale selling now (its page), if any.
pub async fn of_product(st: &AppState, product_id: i64) -> AppResult<Option<PresaleView>> {
    let now = st.clock.now_ms();
    let mut conn = st.db.pool.acquire().await?;
    let Some(a) = repo::selling_of_product(&mut conn, product_id, now).await? else {
        return Ok(None);
    };
    Ok(Some(views(&mut conn, &[a], now).await?.remove(0)))
}

/// The presale price of a 预售 line (`qty` of `sku_id` in presale `activity_id`) for
/// `shopper_id` at `now`: read only, before the checkout's write (which takes the stock by
/// conditional updates). Errors: 404 for a presale that is not there or a SKU not in it; 409
/// for a presale not selling or its stock gone; 422 above the per-order limit or what the
/// shopper may still buy.
pub async fn price_for(
    conn: &mut sqlx::AnyConnection,
    shopper_id: i64,
    activity_id: i64,
    (sku_id, qty): (i64, i64),
    now: i64,
) -> AppResult<PresalePrice> {
    let a = repo::by_id(conn, activity_id)
        .await?
        .ok_or_else(|| AppError::not_found("预售活动不存在"))?;
    if !a.selling(now) {
        return Err(AppError::Conflict(if now < a.starts_at {
            format!("预售将于 {} 开始", datetime_text(a.starts_at))
        } else {
            "预售活动已结束".into()
        }));
    }
    let sku = repo::skus_of(conn, &[a.id])
        .await?
        .into_iter()
        .find(|s| s.sku_id == sku_id)
        .ok_or_else(|| AppError::not_found("该规格不参加预售"))?;
    if sku.sold + qty > sku.quantity {
        return Err(sold_out());
    }
    if qty > a.per_order_limit {
        return Err(AppError::invalid(
            "qty",
            format!("预售商品每单限购 {} 件", a.per_order_limit),
        ));
    }
    let had = activity_stock::held(conn, PRESALE, shopper_id, a.id).await?;
    if had + qty > a.per_user_limit {
        return Err(over_limit(a.per_user_limit, had));
    }
    let deposit = (a.pay_mode() == PayMode::Deposit).then_some(DepositTerms {
        deposit: sku.deposit,
        deposit_value: sku.deposit_value,
        balance_starts_at: a.balance_starts_at,
        balance_ends_at: a.balance_ends_at,
        missed: a.missed(),
    });
    Ok(PresalePrice {
        activity_id: a.id,
        activity_sku_id: sku.id,
        price: sku.price,
        per_user_limit: a.per_user_limit,
        ship: a.ship(),
        deposit,
    })
}

/// Takes what a 预售 checkout holds, in its write transaction, before the SKU's stock (closing
/// the trade gives them back in that order): the presale stock and the shopper's share.
/// Errors as [`price_for`], for what changed since the pricing read.
pub async fn take_for_checkout(
    tx: &mut WriteTx,
    shopper_id: i64,
    p: &PresalePrice,
    qty: i64,
) -> AppResult<()> {
    if !activity_stock::take(tx, PRESALE, p.activity_sku_id, qty).await? {
        return Err(sold_out());
    }
    let share = (p.activity_id, shopper_id);
    if !activity_stock::hold_for_shopper(tx, PRESALE, share, qty, p.per_user_limit).await? {
        let had = activity_stock::held(tx, PRESALE, shopper_id, p.activity_id).await?;
        return Err(over_limit(p.per_user_limit, had));
    }
    Ok(())
}

/// A paid order's ship promise, fixed on the order in the payment's transaction: a fixed day
/// as it is, N days counted from this payment (`paid_at`). Nothing for an order without a
/// presale line.
pub async fn on_paid(tx: &mut WriteTx, order_id: i64, paid_at: i64) -> AppResult<()> {
    if let Some(promise) = repo::promise_of_order(tx, order_id).await? {
        repo::set_ship_by(tx, order_id, promise.ship_by(paid_at)).await?;
    }
    Ok(())
}

/// 409: the presale stock of the SKU is gone.
pub fn sold_out() -> AppError {
    AppError::Conflict("预售商品已售罄".into())
}

/// 422 on `qty`: the shopper holds `had` of `limit` already.
pub fn over_limit(limit: i64, had: i64) -> AppError {
    AppError::invalid(
        "qty",
        format!("预售商品每人限购 {limit} 件，您已购买 {had} 件"),
    )
}
