//! Coupons given rather than claimed: 新人券 to every new shopper on sign-up
//! (`Distribution::SignUp`) and 定向发放, the platform pushing a template to shoppers it chose
//! by phone number (`Distribution::Push`). Apart from `services::coupons` so that signing up (in
//! `services::accounts` and `services::mp_auth`) depends on nothing above the coupon repository.
//! A gift counts against the template's total and the shopper's limit like a claim.

use crate::domain::account::{mask_phone, normalize_phone};
use crate::domain::audit::AuditTarget;
use crate::domain::coupon::{Distribution, PushReport, TemplateStatus};
use crate::domain::permission::Permission;
use crate::domain::time::china_day;
use crate::error::{AppError, AppResult};
use crate::repo::accounts as account_repo;
use crate::repo::audit;
use crate::repo::coupons::{self as repo, ClaimRefused, TemplateRow};
use crate::services::admins::AdminScope;
use crate::state::AppState;

/// Most phone numbers one push takes.
pub const MAX_PUSH: usize = 1000;

/// Gives a new shopper one copy of each running sign-up template, right after the account is
/// created. A template whose copies ran out is skipped.
pub async fn on_sign_up(st: &AppState, shopper_id: i64) -> AppResult<()> {
    let now = st.clock.now_ms();
    let templates = repo::sign_up_templates(&mut *st.db.pool.acquire().await?, now).await?;
    for t in templates {
        // a template whose copies ran out is skipped; the refusal wrote nothing
        let _ = give(st, &t, shopper_id, now).await?;
    }
    Ok(())
}

/// Pushes one copy of a platform `Distribution::Push` template to each shopper named in
/// `phones` (mainland mobile numbers, one per line or separated by commas; spaces and dashes
/// inside a number are fine; at most
/// [`MAX_PUSH`]). Needs 管理营销. Errors: 404 for no such platform template, 409 when it is not
/// a running push template, 422 on `phones` naming a number that does not parse. Numbers of no
/// shopper, shoppers at their limit and copies beyond the total are counted in the report, not
/// refused: a push is a batch.
pub async fn push(
    st: &AppState,
    admin: &AdminScope,
    template_id: i64,
    phones: &str,
    ip: &str,
) -> AppResult<PushReport> {
    admin.require(Permission::ManageMarketing)?;
    let t = repo::template_of(&mut *st.db.pool.acquire().await?, None, template_id)
        .await?
        .ok_or_else(|| AppError::not_found("优惠券不存在"))?;
    if t.distribution != Distribution::Push {
        return Err(AppError::Conflict(format!(
            "该优惠券的发放方式是「{}」，不能定向发放",
            t.distribution.label()
        )));
    }
    if t.status != TemplateStatus::Active {
        return Err(AppError::Conflict(format!(
            "该优惠券{}，不能发放",
            t.status.label()
        )));
    }
    let mut numbers = Vec::new();
    for typed in phones
        .split(['\n', ',', '，', ';', '；', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let phone = normalize_phone(typed)
            .map_err(|_| AppError::invalid("phones", format!("「{typed}」不是正确的手机号")))?;
        if !numbers.contains(&phone) {
            numbers.push(phone);
        }
    }
    if numbers.is_empty() {
        return Err(AppError::invalid("phones", "请填写要发放的买家手机号"));
    }
    if numbers.len() > MAX_PUSH {
        return Err(AppError::invalid(
            "phones",
            format!("一次最多发放给 {MAX_PUSH} 个手机号"),
        ));
    }
    let now = st.clock.now_ms();
    let mut report = PushReport::default();
    for phone in numbers {
        let hash = st.cipher.blind_index(&phone);
        let Some(shopper) = account_repo::shopper_by_phone_hash(&st.db.pool, &hash).await? else {
            report.unknown.push(mask_phone(&phone));
            continue;
        };
        match give(st, &t, shopper.id, now).await? {
            Ok(_) => report.given += 1,
            Err(ClaimRefused::Limit) => report.at_limit += 1,
            Err(ClaimRefused::SoldOut) => report.sold_out += 1,
        }
    }
    let detail = format!(
        "{} 发放 {} 张，已达上限 {}，已发完 {}，未注册 {}",
        t.name,
        report.given,
        report.at_limit,
        report.sold_out,
        report.unknown.len()
    );
    let mut tx = st.db.begin_write().await?;
    let entry = admin
        .entry("coupon_push", &detail, ip)
        .on(AuditTarget::Coupon, template_id);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(report)
}

/// One copy of `t` for one shopper, in its own transaction: a refusal leaves nothing behind
/// (the shopper's count may have gone up before the total refused it).
async fn give(
    st: &AppState,
    t: &TemplateRow,
    shopper_id: i64,
    now: i64,
) -> AppResult<Result<i64, ClaimRefused>> {
    let mut tx = st.db.begin_write().await?;
    let given = repo::claim(&mut tx, t, shopper_id, now, china_day(now)).await?;
    if given.is_ok() {
        tx.commit().await?;
    } else {
        tx.rollback().await?;
    }
    Ok(given)
}
