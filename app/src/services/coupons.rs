//! Coupons: the platform's and the shops' templates, shoppers claiming and holding copies, and
//! the copies a checkout may use. How a copy prices a basket is `domain::pricing`; how it moves
//! is `domain::coupon::CopyStatus`.

use sqlx::AnyConnection;

use crate::domain::audit::AuditTarget;
use crate::domain::coupon::{
    ClaimableCoupon, CopyStatus, MyCoupon, TemplateAction, TemplateInput, TemplateStatus,
    TemplateView, Usage,
};
use crate::domain::permission::Permission;
use crate::domain::pricing::CouponOffer;
use crate::domain::state_machine::{Actor, StateMachine};
use crate::error::{AppError, AppResult};
use crate::repo::audit::{self, AuditEntry};
use crate::repo::coupons::{self as repo, ClaimRefused, CopyRow, NewTemplate, TemplateRow};
use crate::repo::merchants as merchant_repo;
use crate::services::admins::AdminScope;
use crate::services::merchants::MerchantScope;
use crate::state::AppState;

/// Who issues and runs a template: the platform (营销 → 平台优惠券) or a shop (营销中心).
#[derive(Debug, Clone, Copy)]
pub enum Issuer<'a> {
    Platform(&'a AdminScope),
    Shop(&'a MerchantScope),
}

impl Issuer<'_> {
    /// The shop's id; `None` for the platform.
    pub fn shop(&self) -> Option<i64> {
        match self {
            Issuer::Platform(_) => None,
            Issuer::Shop(s) => Some(s.merchant_id),
        }
    }

    fn actor(&self) -> Actor {
        match self {
            Issuer::Platform(_) => Actor::Platform,
            Issuer::Shop(_) => Actor::Merchant,
        }
    }

    /// Platform admins need 管理营销; any staff of an open shop runs its coupons.
    fn require(&self) -> AppResult<()> {
        match self {
            Issuer::Platform(a) => a.require(Permission::ManageMarketing),
            Issuer::Shop(s) if !s.shop_active => {
                Err(AppError::Forbidden("店铺已暂停营业，不能管理优惠券".into()))
            }
            Issuer::Shop(_) => Ok(()),
        }
    }

    fn entry<'a>(&self, action: &'a str, detail: &'a str, ip: &'a str) -> AuditEntry<'a> {
        match self {
            Issuer::Platform(a) => a.entry(action, detail, ip),
            Issuer::Shop(s) => s.entry(action, detail, ip),
        }
    }
}

/// Creates a template; returns its id.
pub async fn create(
    st: &AppState,
    issuer: Issuer<'_>,
    input: &TemplateInput,
    ip: &str,
) -> AppResult<i64> {
    issuer.require()?;
    input.check(issuer.shop())?;
    let products = crate::services::products::check_ids;
    products(st, issuer.shop(), &input.scope.product_ids, "product_ids").await?;
    products(
        st,
        issuer.shop(),
        &input.scope.excluded_product_ids,
        "excluded_product_ids",
    )
    .await?;
    let mut scope = input.scope.clone();
    scope.shop_id = issuer.shop();
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    let id = repo::insert_template(
        &mut tx,
        &NewTemplate {
            merchant_id: issuer.shop(),
            name: input.name.trim(),
            rule: input.rule,
            scope: &scope,
            validity: input.validity,
            claim_from: input.claim_from,
            claim_until: input.claim_until,
            total_qty: input.total_qty,
            per_user_limit: input.per_user_limit,
            per_user_daily_limit: input.per_user_daily_limit,
            distribution: input.distribution,
            shop_share_bps: input.shop_share_bps,
            now,
        },
    )
    .await?;
    let detail = format!("{} {}", input.name.trim(), input.rule.face());
    let entry = issuer
        .entry("coupon_create", &detail, ip)
        .on(AuditTarget::Coupon, id);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Pauses, resumes, ends or voids a template (voiding withdraws every unused copy).
pub async fn act(
    st: &AppState,
    issuer: Issuer<'_>,
    id: i64,
    action: TemplateAction,
    ip: &str,
) -> AppResult<()> {
    issuer.require()?;
    let mut conn = st.db.pool.acquire().await?;
    let t = repo::template_of(&mut conn, issuer.shop(), id)
        .await?
        .ok_or_else(|| AppError::not_found("优惠券不存在"))?;
    drop(conn);
    let by = issuer.actor();
    let to = t
        .status
        .targets(action, by)
        .next()
        .ok_or_else(|| refused(t.status, action))?;
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    if !repo::move_template(&mut tx, id, action, by, to, now).await? {
        tx.rollback().await?;
        return Err(AppError::Conflict("优惠券状态已变化，请刷新".into()));
    }
    let voided = if action == TemplateAction::Void {
        repo::void_copies(&mut tx, id, by, now).await?
    } else {
        0
    };
    let detail = if action == TemplateAction::Void {
        format!("{}（作废未使用 {voided} 张）", t.name)
    } else {
        t.name.clone()
    };
    let entry = issuer
        .entry("coupon_status", &detail, ip)
        .on(AuditTarget::Coupon, id)
        .change(t.status.label(), to.label());
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

fn refused(status: TemplateStatus, action: TemplateAction) -> AppError {
    AppError::Conflict(format!(
        "优惠券状态为「{}」，不能{}",
        status.label(),
        action.label()
    ))
}

/// The issuer's templates with their usage, newest first.
pub async fn list(st: &AppState, issuer: Issuer<'_>) -> AppResult<Vec<TemplateView>> {
    issuer.require()?;
    let mut conn = st.db.pool.acquire().await?;
    let rows = repo::templates_of(&mut conn, issuer.shop()).await?;
    let usage = repo::usage_of(&mut conn, issuer.shop()).await?;
    let by = issuer.actor();
    Ok(rows
        .into_iter()
        .map(|t| {
            let u = usage
                .iter()
                .find(|u| u.template_id == t.id)
                .copied()
                .unwrap_or_default();
            TemplateView {
                id: t.id,
                name: t.name.clone(),
                face: t.rule().face(),
                scope_text: t.scope().text().to_string(),
                input: input_of(&t),
                status: t.status,
                actions: t.status.actions_for(by),
                usage: Usage {
                    issued: t.issued_qty,
                    used: u.used,
                    expired: u.expired,
                    voided: u.voided,
                    discount: u.discount,
                    gmv: u.gmv,
                },
            }
        })
        .collect())
}

/// The usage report as CSV (`services::finance_reports::csv`).
pub async fn usage_csv(st: &AppState, issuer: Issuer<'_>) -> AppResult<String> {
    use crate::domain::money::yuan_text;
    let header = [
        "编号",
        "名称",
        "面额",
        "状态",
        "发放总量",
        "已领取",
        "已使用",
        "已过期",
        "已作废",
        "优惠成本(元)",
        "带动成交(元)",
    ];
    let rows = list(st, issuer).await?.into_iter().map(|t| {
        let u = t.usage;
        vec![
            t.id.to_string(),
            t.name,
            t.face,
            t.status.label().to_string(),
            t.input.total_qty.to_string(),
            u.issued.to_string(),
            u.used.to_string(),
            u.expired.to_string(),
            u.voided.to_string(),
            yuan_text(u.discount),
            yuan_text(u.gmv),
        ]
    });
    Ok(crate::services::finance_reports::csv(&header, rows))
}

fn input_of(t: &TemplateRow) -> TemplateInput {
    TemplateInput {
        name: t.name.clone(),
        rule: t.rule(),
        scope: t.scope(),
        validity: t.validity(),
        claim_from: t.claim_from,
        claim_until: t.claim_until,
        total_qty: t.total_qty,
        per_user_limit: t.per_user_limit,
        per_user_daily_limit: t.per_user_daily_limit,
        distribution: t.distribution,
        shop_share_bps: t.shop_share_bps,
    }
}

/// Coupons a shopper may claim now: the platform's and every shop's (领券中心), or one shop's
/// (shop and product pages). `shopper` fills in how many each already holds.
pub async fn claimable(
    st: &AppState,
    shopper: Option<i64>,
    shop: Option<i64>,
) -> AppResult<Vec<ClaimableCoupon>> {
    let now = st.clock.now_ms();
    let mut conn = st.db.pool.acquire().await?;
    let rows = repo::claimable(&mut conn, now, shop).await?;
    let held: Vec<CopyRow> = match shopper {
        Some(id) => repo::copies_of(&mut conn, id, &CopyStatus::ALL).await?,
        None => Vec::new(),
    };
    let names = shop_names(&mut conn, &rows).await?;
    Ok(rows
        .iter()
        .map(|t| ClaimableCoupon {
            template_id: t.id,
            name: t.name.clone(),
            face: t.rule().face(),
            rule: t.rule(),
            scope_text: t.scope().text().to_string(),
            shop_name: name_of(&names, t.merchant_id),
            merchant_id: t.merchant_id,
            validity_text: t.validity().text(),
            claimed_percent: t.issued_qty * 100 / t.total_qty.max(1),
            mine: held.iter().filter(|c| c.template.id == t.id).count() as i64,
            per_user_limit: t.per_user_limit,
        })
        .collect())
}

async fn shop_names(
    conn: &mut AnyConnection,
    rows: &[TemplateRow],
) -> AppResult<Vec<(i64, String)>> {
    let mut ids: Vec<i64> = rows.iter().filter_map(|t| t.merchant_id).collect();
    ids.sort_unstable();
    ids.dedup();
    merchant_repo::names(conn, &ids).await
}

fn name_of(names: &[(i64, String)], merchant_id: Option<i64>) -> String {
    merchant_id
        .and_then(|m| names.iter().find(|(id, _)| *id == m))
        .map_or(String::new(), |(_, n)| n.clone())
}

/// A shopper claims one copy of a claimable template. Atomic under any concurrency: the
/// shopper's limits and the template's total are guarded updates in one transaction, so 500
/// shoppers claiming a 100-copy coupon get exactly 100 copies.
pub async fn claim(st: &AppState, shopper_id: i64, template_id: i64) -> AppResult<MyCoupon> {
    let now = st.clock.now_ms();
    let mut conn = st.db.pool.acquire().await?;
    let t = repo::template(&mut conn, template_id)
        .await?
        .filter(|t| t.distribution == crate::domain::coupon::Distribution::Claim)
        .ok_or_else(|| AppError::not_found("优惠券不存在"))?;
    drop(conn);
    if t.status != TemplateStatus::Active {
        return Err(AppError::Conflict(format!(
            "该优惠券{}，不能领取",
            t.status.label()
        )));
    }
    if now < t.claim_from {
        return Err(AppError::Conflict("领取尚未开始".into()));
    }
    if now >= t.claim_until {
        return Err(AppError::Conflict("领取已结束".into()));
    }
    let mut tx = st.db.begin_write().await?;
    let id = match repo::claim(
        &mut tx,
        &t,
        shopper_id,
        now,
        crate::domain::time::china_day(now),
    )
    .await?
    {
        Ok(id) => id,
        Err(why) => {
            tx.rollback().await?;
            return Err(AppError::Conflict(match why {
                ClaimRefused::Limit if t.per_user_daily_limit > 0 => format!(
                    "已达领取上限（每人限领 {} 张，每天 {} 张）",
                    t.per_user_limit, t.per_user_daily_limit
                ),
                ClaimRefused::Limit => format!("已达领取上限（每人限领 {} 张）", t.per_user_limit),
                ClaimRefused::SoldOut => "优惠券已领完".to_string(),
            }));
        }
    };
    tx.commit().await?;
    let mut conn = st.db.pool.acquire().await?;
    let copy = repo::copies_by_ids(&mut conn, &[id])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("claimed copy vanished"))?;
    let names = shop_names(&mut conn, std::slice::from_ref(&copy.template)).await?;
    Ok(my_coupon(&copy, &names))
}

crate::named_enum! {
    /// The tabs of 我的优惠券.
    pub enum MyTab {
        Available = "available" "可使用",
        Used = "used" "已使用",
        Expired = "expired" "已失效",
    }
}

/// The shopper's coupons under a tab: usable ones expiring first.
pub async fn mine(st: &AppState, shopper_id: i64, tab: MyTab) -> AppResult<Vec<MyCoupon>> {
    let statuses: &[CopyStatus] = match tab {
        MyTab::Available => &[CopyStatus::Available, CopyStatus::Locked],
        MyTab::Used => &[CopyStatus::Used],
        MyTab::Expired => &[CopyStatus::Expired, CopyStatus::Voided],
    };
    let now = st.clock.now_ms();
    let mut conn = st.db.pool.acquire().await?;
    let mut rows = repo::copies_of(&mut conn, shopper_id, statuses).await?;
    // a copy past its dates that the timer has not reached yet is shown as expired already
    match tab {
        MyTab::Available => rows.retain(|c| c.valid_until > now),
        MyTab::Expired => {
            rows.extend(
                repo::copies_of(&mut conn, shopper_id, &[CopyStatus::Available])
                    .await?
                    .into_iter()
                    .filter(|c| c.valid_until <= now),
            );
        }
        MyTab::Used => {}
    }
    let templates: Vec<TemplateRow> = rows.iter().map(|c| c.template.clone()).collect();
    let names = shop_names(&mut conn, &templates).await?;
    Ok(rows
        .iter()
        .map(|c| {
            let mut m = my_coupon(c, &names);
            if c.status == CopyStatus::Available && c.valid_until <= now {
                m.status = CopyStatus::Expired;
            }
            m
        })
        .collect())
}

fn my_coupon(c: &CopyRow, names: &[(i64, String)]) -> MyCoupon {
    MyCoupon {
        id: c.id,
        name: c.template.name.clone(),
        face: c.template.rule().face(),
        rule: c.template.rule(),
        scope_text: c.template.scope().text().to_string(),
        shop_name: name_of(names, c.template.merchant_id),
        merchant_id: c.template.merchant_id,
        valid_from: c.valid_from,
        valid_until: c.valid_until,
        status: c.status,
    }
}

/// The copies a checkout may use now, one per template (`repo::first_usable_per_template`) plus the
/// `named` ones (the copies the request picked, when they are the shopper's and usable), as the
/// pricing pipeline takes them, with the shop names and faces for the checkout page.
pub async fn offers(
    conn: &mut AnyConnection,
    shopper_id: i64,
    named: &[i64],
    now: i64,
) -> AppResult<Vec<(CouponOffer, MyCoupon)>> {
    let mut rows: Vec<CopyRow> = repo::first_usable_per_template(conn, shopper_id, now).await?;
    let missing: Vec<i64> = named
        .iter()
        .copied()
        .filter(|id| !rows.iter().any(|c| c.id == *id))
        .collect();
    rows.extend(
        repo::copies_by_ids(conn, &missing)
            .await?
            .into_iter()
            .filter(|c| c.shopper_id == shopper_id && c.status == CopyStatus::Available),
    );
    rows.retain(|c| c.valid_from <= now && now < c.valid_until);
    let templates: Vec<TemplateRow> = rows.iter().map(|c| c.template.clone()).collect();
    let names = shop_names(conn, &templates).await?;
    Ok(rows
        .iter()
        .map(|c| {
            (
                CouponOffer {
                    copy_id: c.id,
                    rule: c.template.rule(),
                    scope: c.template.scope(),
                    shop_share_bps: c.template.shop_share_bps,
                    valid_until: c.valid_until,
                },
                my_coupon(c, &names),
            )
        })
        .collect())
}

/// Why a copy a checkout named is not among the usable ones: someone else's or unknown (404),
/// used, expired, voided or not yet valid (409). `None` when it is usable after all.
pub async fn why_unusable(
    conn: &mut AnyConnection,
    shopper_id: i64,
    copy_id: i64,
    now: i64,
) -> AppResult<Option<AppError>> {
    let copy = repo::copies_by_ids(conn, &[copy_id])
        .await?
        .pop()
        .filter(|c| c.shopper_id == shopper_id);
    let Some(c) = copy else {
        return Ok(Some(AppError::not_found("优惠券不存在")));
    };
    let why = match c.status {
        CopyStatus::Locked => "优惠券正在另一笔待付款订单中使用",
        CopyStatus::Used => "优惠券已使用",
        CopyStatus::Expired => "优惠券已过期",
        CopyStatus::Voided => "优惠券已作废",
        CopyStatus::Available => {
            match crate::domain::coupon::date_refusal(c.valid_from, c.valid_until, now) {
                Some(why) => why,
                None => return Ok(None),
            }
        }
    };
    Ok(Some(AppError::Conflict(why.into())))
}

/// Copies expired per write transaction: a template whose fixed dates end for a hundred
/// thousand copies at once does not hold SQLite's one writer for seconds.
const EXPIRE_BATCH: i64 = 1_000;

/// Expires the copies past their dates (the timer). Finding them is a read on an index, so a
/// pass with nothing due takes no write turn; the rest go in batches. Returns how many expired.
pub async fn expire_due(st: &AppState) -> AppResult<u64> {
    let now = st.clock.now_ms();
    let mut total = 0;
    loop {
        let due = repo::due_to_expire(&st.db.pool, now, EXPIRE_BATCH).await?;
        if due.is_empty() {
            return Ok(total);
        }
        let mut tx = st.db.begin_write().await?;
        total += repo::expire(&mut tx, &due, now).await?;
        tx.commit().await?;
        if (due.len() as i64) < EXPIRE_BATCH {
            return Ok(total);
        }
    }
}

/// After a refund of `order_id` (in its transaction): each coupon used on the order comes back
/// only when every line it touched, in every order of the trade, is refunded in full before
/// shipment and the copy has not expired (`domain::coupon::comes_back`). Returns the note for
/// the after-sale (`None` when the order used no coupon).
pub async fn after_refund(
    tx: &mut crate::infra::db::WriteTx,
    order_id: i64,
    now: i64,
) -> AppResult<Option<String>> {
    let touched = repo::lines_touched_by_coupons_of(tx, order_id).await?;
    let mut copies: Vec<i64> = touched.iter().map(|t| t.copy_id).collect();
    copies.sort_unstable();
    copies.dedup();
    if copies.is_empty() {
        return Ok(None);
    }
    let rows = repo::copies_by_ids(tx, &copies).await?;
    let mut notes: Vec<String> = Vec::new();
    for c in rows.iter().filter(|c| c.status == CopyStatus::Used) {
        let lines: Vec<_> = touched.iter().filter(|t| t.copy_id == c.id).collect();
        let all_refunded = lines
            .iter()
            .all(|l| l.refund_qty == l.qty && l.open_claims == 0);
        let before_shipment = lines.iter().all(|l| l.shipped == 0);
        let (back, why) =
            crate::domain::coupon::comes_back(all_refunded, before_shipment, c.valid_until, now);
        if back && !repo::give_back(tx, c.id, now).await? {
            continue;
        }
        notes.push(format!("「{}」{why}", c.template.name));
    }
    Ok(Some(notes.join("；")))
}
