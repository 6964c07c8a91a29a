//! Opening a shop: a signed-in shopper applies with the shop's papers; a platform reviewer
//! approves (the shop and its owner account come into being) or rejects with a reason.

use crate::domain::account::{check_new_password, mask_phone, normalize_phone, Identity};
use crate::domain::audit::AuditTarget;
use crate::domain::merchant::{
    check_licence_no, check_shop_name, check_text, ApplicationAction, ApplicationStatus,
    ApplicationView, ApplyPageData, CategoryChoice, MerchantKind,
};
use crate::domain::permission::Permission;
use crate::domain::state_machine::{Actor, StateMachine};
use crate::error::{AppError, AppResult};
use crate::infra::crypto::hash_password;
use crate::repo::accounts as account_repo;
use crate::repo::applications::{self as repo, ApplicationRow, NewApplication};
use crate::repo::audit::{self, AuditEntry};
use crate::repo::categories as category_repo;
use crate::repo::merchants as merchant_repo;
use crate::services::accounts::check_username;
use crate::services::admins::AdminScope;
use crate::services::merchants::{open_shop, NewShop};
use crate::services::uploads::check_image_keys;
use crate::state::AppState;

/// The application form.
#[derive(Debug, Clone, Default)]
pub struct ApplicationInput {
    pub shop_name: String,
    pub kind: String,
    pub region: String,
    pub intro: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub licence_no: String,
    pub licence_image: String,
    pub category_ids: Vec<i64>,
    pub owner_username: String,
    pub owner_password: String,
}

/// Files an application for the signed-in shopper. A shopper has at most one pending.
pub async fn submit(st: &AppState, me: &Identity, input: ApplicationInput) -> AppResult<i64> {
    let pool = &st.db.pool;
    let shop_name = check_shop_name(&input.shop_name)?;
    let kind = MerchantKind::parse(&input.kind)
        .ok_or_else(|| AppError::invalid("kind", "请选择主体类型"))?;
    let region = check_text("region", "所在地区", &input.region, 2, 30)?;
    let intro = check_text("intro", "店铺简介", &input.intro, 0, 500)?;
    let contact_name = check_text("contact_name", "联系人", &input.contact_name, 2, 20)?;
    let phone = normalize_phone(&input.contact_phone)
        .map_err(|_| AppError::invalid("contact_phone", "请填写正确的联系人手机号"))?;
    let licence_no = check_licence_no(&input.licence_no)?;
    if input.licence_image.is_empty() {
        return Err(AppError::invalid("licence_image", "请上传营业执照照片"));
    }
    check_image_keys(st, &[input.licence_image.as_str()]).await?;
    let mut categories = input.category_ids.clone();
    categories.sort_unstable();
    categories.dedup();
    if categories.is_empty() {
        return Err(AppError::invalid("category_ids", "请至少选择一个经营类目"));
    }
    let all = category_repo::list_categories(pool).await?;
    let tops: Vec<i64> = crate::domain::category::live_top_level(&all)
        .iter()
        .map(|c| c.id)
        .collect();
    if categories.iter().any(|c| !tops.contains(c)) {
        return Err(AppError::invalid(
            "category_ids",
            "经营类目无效，请重新选择",
        ));
    }
    let username = check_username(&input.owner_username)
        .map_err(|e| AppError::invalid("owner_username", e.to_string()))?;
    check_new_password(&input.owner_password).map_err(|e| e.in_field("owner_password"))?;

    if let Some(prev) = repo::latest_of_shopper(pool, me.account_id).await? {
        if prev.status == ApplicationStatus::Pending {
            return Err(AppError::Conflict("您已有一份入驻申请正在审核中".into()));
        }
    }
    if merchant_repo::name_taken(pool, &shop_name).await? {
        return Err(AppError::invalid("shop_name", "该店铺名称已被使用"));
    }
    if account_repo::username_taken(pool, &username).await? {
        return Err(AppError::invalid("owner_username", "该登录账号已被使用"));
    }
    if repo::pending_claims(pool, &shop_name, &username).await? {
        return Err(AppError::invalid(
            "shop_name",
            "该店铺名称或登录账号已在其他申请中使用",
        ));
    }
    let password_hash = hash_password(input.owner_password.clone()).await?;
    let id = repo::insert(
        pool,
        &NewApplication {
            shopper_id: me.account_id,
            shop_name: &shop_name,
            kind: kind.as_str(),
            region: &region,
            intro: &intro,
            contact_name: &contact_name,
            contact_phone_enc: &st.cipher.encrypt(&phone)?,
            contact_phone_masked: &mask_phone(&phone),
            licence_no: &licence_no,
            licence_image: &input.licence_image,
            category_ids: &join_ids(&categories),
            owner_username: &username,
            owner_password_hash: &password_hash,
        },
    )
    .await?;
    Ok(id)
}

/// The applicant's page: the shopper's latest application, if any, and the live top-level
/// categories to choose from.
pub async fn apply_page(st: &AppState, me: &Identity) -> AppResult<ApplyPageData> {
    let latest = match repo::latest_of_shopper(&st.db.pool, me.account_id).await? {
        Some(row) => Some(view_of(st, row, None).await?),
        None => None,
    };
    let categories = crate::services::categories::top_level_choices(st)
        .await?
        .into_iter()
        .map(|(id, name, icon)| CategoryChoice { id, name, icon })
        .collect();
    Ok(ApplyPageData { latest, categories })
}

/// An application as people see it; `phone` in full for a reviewer's detail, else masked.
async fn view_of(
    st: &AppState,
    row: ApplicationRow,
    phone: Option<String>,
) -> AppResult<ApplicationView> {
    let all = category_repo::list_categories(&st.db.pool).await?;
    let ids = split_ids(&row.category_ids);
    Ok(ApplicationView {
        id: row.id,
        kind_label: MerchantKind::parse(&row.kind)
            .map(|k| k.label().to_string())
            .unwrap_or_default(),
        categories: all
            .iter()
            .filter(|c| ids.contains(&c.id))
            .map(|c| c.name.clone())
            .collect(),
        contact_phone: phone.unwrap_or(row.contact_phone_masked),
        status: row.status,
        actions: row.status.actions_for(Actor::Platform),
        shop_name: row.shop_name,
        region: row.region,
        intro: row.intro,
        contact_name: row.contact_name,
        licence_no: row.licence_no,
        licence_image: row.licence_image,
        owner_username: row.owner_username,
        reject_reason: row.reject_reason,
        created_at: row.created_at,
    })
}

pub async fn list(
    st: &AppState,
    admin: &AdminScope,
    status: Option<ApplicationStatus>,
) -> AppResult<Vec<ApplicationView>> {
    admin.require(Permission::ReviewApplications)?;
    let mut out = Vec::new();
    for row in repo::list(&st.db.pool, status).await? {
        out.push(view_of(st, row, None).await?);
    }
    Ok(out)
}

/// One application with the contact phone decrypted (reviewers call the applicant).
pub async fn detail(st: &AppState, admin: &AdminScope, id: i64) -> AppResult<ApplicationView> {
    admin.require(Permission::ReviewApplications)?;
    let row = repo::by_id(&st.db.pool, id)
        .await?
        .ok_or_else(|| AppError::not_found("申请不存在"))?;
    let phone = st.cipher.decrypt(&row.contact_phone_enc)?;
    view_of(st, row, Some(phone)).await
}

/// Approves: the shop, its owner (with the username and password chosen in the application)
/// and its category grants are created in one transaction with the application's closing.
pub async fn approve(st: &AppState, admin: &AdminScope, id: i64, ip: &str) -> AppResult<i64> {
    admin.require(Permission::ReviewApplications)?;
    let app = repo::by_id(&st.db.pool, id)
        .await?
        .ok_or_else(|| AppError::not_found("申请不存在"))?;
    let step = (ApplicationAction::Approve, ApplicationStatus::Approved);
    app.status.check(step.0, Actor::Platform, step.1)?;
    let categories = split_ids(&app.category_ids);
    let mut tx = st.db.begin_write().await?;
    let (merchant_id, _owner) = open_shop(
        &mut tx,
        &NewShop {
            name: &app.shop_name,
            kind: &app.kind,
            region: &app.region,
            intro: &app.intro,
            owner_username: &app.owner_username,
            owner_name: &app.contact_name,
            owner_password_hash: &app.owner_password_hash,
            category_ids: &categories,
        },
    )
    .await?;
    if !repo::close(&mut tx, id, step, "", admin.admin_id, Some(merchant_id)).await? {
        return Err(AppError::Conflict("该申请已审核过".into()));
    }
    let entry = AuditEntry {
        merchant_id: Some(merchant_id),
        ..admin.entry("application_approve", &app.shop_name, ip)
    }
    .on(AuditTarget::Application, id)
    .change(app.status.label(), step.1.label());
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(merchant_id)
}

pub async fn reject(
    st: &AppState,
    admin: &AdminScope,
    id: i64,
    reason: &str,
    ip: &str,
) -> AppResult<()> {
    admin.require(Permission::ReviewApplications)?;
    let reason = check_text("reason", "驳回原因", reason, 2, 200)?;
    let step = (ApplicationAction::Reject, ApplicationStatus::Rejected);
    let app = repo::by_id(&st.db.pool, id)
        .await?
        .ok_or_else(|| AppError::not_found("申请不存在"))?;
    app.status.check(step.0, Actor::Platform, step.1)?;
    let mut tx = st.db.begin_write().await?;
    if !repo::close(&mut tx, id, step, &reason, admin.admin_id, None).await? {
        return Err(AppError::Conflict("该申请已审核过".into()));
    }
    let entry = admin
        .entry("application_reject", &reason, ip)
        .on(AuditTarget::Application, id)
        .change(app.status.label(), step.1.label());
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

pub fn join_ids(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

pub fn split_ids(s: &str) -> Vec<i64> {
    s.split(',').filter_map(|x| x.trim().parse().ok()).collect()
}
