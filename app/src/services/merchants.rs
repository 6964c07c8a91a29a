//! Shops: opening one (from an approved application or the demo), the merchant scope every
//! console action runs in, suspension by the platform, staff and decoration.

use crate::domain::account::{check_new_password, Identity, Realm, StaffRole};
use crate::domain::audit::AuditTarget;
use crate::domain::category::CommissionRate;
use crate::domain::merchant::check_text;
use crate::domain::merchant::{AdminMerchantRow, MerchantAction, MerchantKind, MerchantStatus};
use crate::domain::permission::Permission;
use crate::domain::state_machine::{Actor, StateMachine};
use crate::error::{AppError, AppResult};
use crate::infra::crypto::hash_password;
use crate::infra::db::WriteTx;
use crate::repo::accounts::{self as account_repo, NewStaff, StaffListRow};
use crate::repo::audit::{self, AuditEntry};
use crate::repo::merchants::{self as repo, MerchantRow};
use crate::services::accounts::check_username;
use crate::services::admins::AdminScope;
use crate::services::uploads::check_image_keys;
use crate::state::AppState;

/// The one door to a merchant's rows: built only from a signed-in staff identity whose account
/// still exists and is active (so a removed staff member is shut out at once, not when their
/// session expires). Services take it and scope every query by `merchant_id`.
#[derive(Debug, Clone, Copy)]
pub struct MerchantScope {
    pub merchant_id: i64,
    pub staff_id: i64,
    pub role: StaffRole,
    /// the shop is open (not suspended by the platform)
    pub shop_active: bool,
}

impl MerchantScope {
    pub async fn of(st: &AppState, me: &Identity) -> AppResult<Self> {
        let merchant_id = match (me.realm, me.merchant_id) {
            (Realm::Merchant, Some(m)) => m,
            _ => return Err(AppError::forbidden()),
        };
        let (role, status, shop_status) =
            account_repo::staff_standing(&st.db.pool, merchant_id, me.account_id)
                .await?
                .ok_or(AppError::Unauthorized)?;
        if status != "active" {
            return Err(AppError::Unauthorized);
        }
        Ok(Self {
            merchant_id,
            staff_id: me.account_id,
            role: StaffRole::parse(&role).ok_or_else(|| AppError::internal("bad staff role"))?,
            shop_active: shop_status == MerchantStatus::Active,
        })
    }

    pub fn require_owner(&self) -> AppResult<()> {
        if self.role == StaffRole::Owner {
            Ok(())
        } else {
            Err(AppError::Forbidden("只有店主可以执行此操作".into()))
        }
    }

    /// Records an action on row `target` outside any transaction (for actions that are one
    /// statement).
    pub async fn audit(
        &self,
        st: &AppState,
        action: &str,
        target: (AuditTarget, i64),
        detail: &str,
        ip: &str,
    ) -> AppResult<()> {
        let entry = self.entry(action, detail, ip).on(target.0, target.1);
        audit::record(&st.db.pool, &entry).await
    }

    /// The audit row of an action of this staff member, for writing in the action's own
    /// transaction.
    pub fn entry<'a>(&self, action: &'a str, detail: &'a str, ip: &'a str) -> AuditEntry<'a> {
        AuditEntry {
            realm: "merchant",
            actor_id: Some(self.staff_id),
            merchant_id: Some(self.merchant_id),
            action,
            detail,
            ip,
            target: None,
            before: "",
            after: "",
        }
    }
}

pub struct NewShop<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub region: &'a str,
    pub intro: &'a str,
    pub owner_username: &'a str,
    pub owner_name: &'a str,
    pub owner_password_hash: &'a str,
    /// top-level categories the shop may sell in
    pub category_ids: &'a [i64],
}

/// Creates a shop, its owner account and its category grants (inside the caller's
/// transaction). Returns (merchant id, owner staff id).
pub async fn open_shop(tx: &mut WriteTx, shop: &NewShop<'_>) -> AppResult<(i64, i64)> {
    let merchant_id = repo::insert(tx, shop.name, shop.kind, shop.region, shop.intro)
        .await?
        .ok_or_else(|| AppError::invalid("shop_name", "该店铺名称已被使用"))?;
    let staff_id = account_repo::insert_staff(
        tx,
        &NewStaff {
            merchant_id,
            username: shop.owner_username,
            display_name: shop.owner_name,
            password_hash: shop.owner_password_hash,
            role: StaffRole::Owner.as_str(),
        },
    )
    .await?
    .ok_or_else(|| AppError::invalid("owner_username", "该登录账号已被使用"))?;
    for c in shop.category_ids {
        repo::grant_category(tx, merchant_id, *c).await?;
    }
    Ok((merchant_id, staff_id))
}

/// The platform suspends (`open = false`) or reopens a shop. A suspended shop's products leave
/// the shop front at once; nothing is deleted.
pub async fn set_open(
    st: &AppState,
    admin: &AdminScope,
    merchant_id: i64,
    open: bool,
    reason: &str,
    ip: &str,
) -> AppResult<()> {
    admin.require(Permission::SuspendMerchants)?;
    let reason = if open {
        String::new()
    } else {
        check_text("reason", "暂停原因", reason, 2, 200)?
    };
    let step = if open {
        (MerchantAction::Reopen, MerchantStatus::Active)
    } else {
        (MerchantAction::Suspend, MerchantStatus::Suspended)
    };
    let pool = &st.db.pool;
    let shop = repo::by_id(pool, merchant_id)
        .await?
        .ok_or_else(|| AppError::not_found("店铺不存在"))?;
    shop.status.check(step.0, Actor::Platform, step.1)?;
    let mut tx = st.db.begin_write().await?;
    if !repo::set_status(&mut tx, merchant_id, step, &reason).await? {
        return Err(AppError::Conflict("店铺状态已变化，请刷新".into()));
    }
    audit::record(
        &mut *tx,
        &AuditEntry {
            merchant_id: Some(merchant_id),
            ..admin.entry(
                if open {
                    "merchant_reopen"
                } else {
                    "merchant_suspend"
                },
                &reason,
                ip,
            )
        }
        .on(AuditTarget::Merchant, merchant_id)
        .change(shop.status.label(), step.1.label()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn list_staff(st: &AppState, scope: &MerchantScope) -> AppResult<Vec<StaffListRow>> {
    account_repo::staff_of_merchant(&st.db.pool, scope.merchant_id).await
}

/// The owner adds a staff account to their shop.
pub async fn add_staff(
    st: &AppState,
    scope: &MerchantScope,
    username: &str,
    display_name: &str,
    password: &str,
    ip: &str,
) -> AppResult<i64> {
    scope.require_owner()?;
    let username = check_username(username)?;
    let display_name = check_text("display_name", "姓名", display_name, 1, 20)?;
    check_new_password(password)?;
    if account_repo::username_taken(&st.db.pool, &username).await? {
        return Err(AppError::invalid("username", "该用户名已存在"));
    }
    let hash = hash_password(password.to_string()).await?;
    let mut conn = st.db.pool.acquire().await?;
    let id = account_repo::insert_staff(
        &mut conn,
        &NewStaff {
            merchant_id: scope.merchant_id,
            username: &username,
            display_name: &display_name,
            password_hash: &hash,
            role: StaffRole::Staff.as_str(),
        },
    )
    .await?
    .ok_or_else(|| AppError::invalid("username", "该用户名已存在"))?;
    scope
        .audit(st, "staff_add", (AuditTarget::Staff, id), &username, ip)
        .await?;
    Ok(id)
}

/// The owner removes a staff account (never the owner's own). Its sessions stop working at once.
pub async fn remove_staff(
    st: &AppState,
    scope: &MerchantScope,
    staff_id: i64,
    ip: &str,
) -> AppResult<()> {
    scope.require_owner()?;
    if !account_repo::delete_staff(&st.db.pool, scope.merchant_id, staff_id).await? {
        return Err(AppError::not_found("没有这个店员"));
    }
    scope
        .audit(st, "staff_remove", (AuditTarget::Staff, staff_id), "", ip)
        .await
}

pub async fn shop_of(st: &AppState, scope: &MerchantScope) -> AppResult<MerchantRow> {
    repo::by_id(&st.db.pool, scope.merchant_id)
        .await?
        .ok_or_else(|| AppError::internal("merchant of a live scope vanished"))
}

/// Shop decoration: introduction, logo and up to five banners (image keys).
pub async fn decorate(
    st: &AppState,
    scope: &MerchantScope,
    intro: &str,
    logo: &str,
    banners: &[String],
    ip: &str,
) -> AppResult<()> {
    let intro = check_text("intro", "店铺简介", intro, 0, 500)?;
    if banners.len() > 5 {
        return Err(AppError::invalid("banners", "店铺横幅最多5张"));
    }
    let mut keys: Vec<&str> = banners.iter().map(String::as_str).collect();
    if !logo.is_empty() {
        keys.push(logo);
    }
    check_image_keys(st, &keys).await?;
    let mut tx = st.db.begin_write().await?;
    repo::update_decoration(&mut tx, scope.merchant_id, &intro, logo, &banners.join(" ")).await?;
    let entry = scope
        .entry("shop_decorate", "", ip)
        .on(AuditTarget::Merchant, scope.merchant_id);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The platform gives a shop its own commission rate (`percent` as typed, e.g. `4.5`), or
/// clears it (`percent` empty) so its categories' rates apply again. Orders already placed
/// keep the rate they were placed with.
pub async fn set_commission_override(
    st: &AppState,
    admin: &AdminScope,
    merchant_id: i64,
    percent: &str,
    ip: &str,
) -> AppResult<()> {
    admin.require(Permission::SetMerchantCommission)?;
    let bps = match percent.trim() {
        "" => None,
        text => Some(CommissionRate::parse_percent(text)?.bps()),
    };
    let pool = &st.db.pool;
    let shop = repo::by_id(pool, merchant_id)
        .await?
        .ok_or_else(|| AppError::not_found("店铺不存在"))?;
    if !repo::set_commission_override(pool, merchant_id, bps).await? {
        return Err(AppError::not_found("店铺不存在"));
    }
    let rate = |bps: Option<i64>| bps.map_or("按类目".to_string(), |b| format!("{b} bps"));
    let (before, after) = (rate(shop.commission_override_bps), rate(bps));
    let entry = AuditEntry {
        merchant_id: Some(merchant_id),
        ..admin.entry("merchant_commission", "", ip)
    }
    .on(AuditTarget::Merchant, merchant_id)
    .change(&before, &after);
    audit::record(pool, &entry).await
}

/// Every shop for the admin's table, with what the platform may do to each.
pub async fn admin_rows(st: &AppState) -> AppResult<Vec<AdminMerchantRow>> {
    Ok(repo::list(&st.db.pool)
        .await?
        .into_iter()
        .map(|m| AdminMerchantRow {
            id: m.id,
            kind_label: MerchantKind::parse(&m.kind)
                .map(|k| k.label().to_string())
                .unwrap_or_default(),
            name: m.name,
            region: m.region,
            actions: m.status.actions_for(Actor::Platform),
            status: m.status,
            status_reason: m.status_reason,
            commission_percent: m
                .commission_override_bps
                .and_then(|b| CommissionRate::from_bps(b).ok())
                .map(|r| r.percent_text()),
            created_at: m.created_at,
        })
        .collect())
}

/// Who ends a shop's activity (拼团, 预售): its shop, or the platform (any shop's).
#[derive(Clone, Copy)]
pub enum Ender<'a> {
    Platform(&'a AdminScope),
    Shop(&'a MerchantScope),
}
