//! People management in the platform console: shoppers (list, search, reveal a phone number
//! with a reason, disable / enable), merchant staff accounts (disable / enable) and admin
//! accounts (create, change role, disable / enable). Every change is audited with its before
//! and after; disabling ends the account's live sessions and mini-program tokens at once (the
//! sessions through `services::accounts::require_live`, the tokens revoked here).

use crate::domain::account::{mask_phone, AdminRole, StaffRole};
use crate::domain::audit::AuditTarget;
use crate::domain::merchant::check_text;
use crate::domain::people::{
    AccountStatus, AdminAccountRow, ShopperList, ShopperRow, ShopperSearch, StaffAccountRow,
    SHOPPERS_PAGE_SIZE,
};
use crate::domain::permission::Permission;
use crate::error::{AppError, AppResult};
use crate::repo::audit::{self, AuditEntry};
use crate::repo::people::{self as repo, Accounts, ShopperFilter};
use crate::services::admins::AdminScope;
use crate::state::AppState;

/// Longest reason for disabling an account or revealing a phone number, in characters.
const REASON_MAX: usize = 100;

/// One page (from 1) of shoppers matching `q` (see [`ShopperSearch`]) and `status` ("" for
/// all, else `active` / `disabled`).
pub async fn shoppers(
    st: &AppState,
    admin: &AdminScope,
    q: &str,
    status: &str,
    page: i64,
) -> AppResult<ShopperList> {
    admin.require(Permission::ManageShoppers)?;
    let status = match status {
        "" => "",
        s => AccountStatus::parse(s)
            .ok_or_else(|| AppError::bad_request("状态不正确"))?
            .as_str(),
    };
    let page = page.clamp(1, 10_000);
    let search = ShopperSearch::parse(q);
    let phone_hash = match &search {
        ShopperSearch::Phone(p) => st.cipher.blind_index(p),
        _ => String::new(),
    };
    let filter = ShopperFilter {
        phone_hash: &phone_hash,
        phone_tail: match &search {
            ShopperSearch::PhoneTail(t) => t,
            _ => "",
        },
        id: match search {
            ShopperSearch::Id(id) => id,
            _ => 0,
        },
        nickname: match &search {
            ShopperSearch::Nickname(n) => n,
            _ => "",
        },
        status,
        limit: SHOPPERS_PAGE_SIZE,
        offset: (page - 1) * SHOPPERS_PAGE_SIZE,
    };
    let (rows, total) = repo::shoppers(&st.db.pool, &filter).await?;
    Ok(ShopperList {
        items: rows
            .into_iter()
            .map(|r| ShopperRow {
                id: r.id,
                nickname: r.nickname,
                phone_masked: r.phone_masked,
                via_wechat: r.via_wechat != 0,
                status: r.status,
                status_reason: r.status_reason,
                paid_orders: r.paid_orders,
                paid_fen: r.paid_fen,
                created_at: r.created_at,
            })
            .collect(),
        total,
        page,
        page_size: SHOPPERS_PAGE_SIZE,
    })
}

/// A shopper's whole phone number, for an admin who states why (customer service calling
/// back, a dispute): the reason and the masked number are audited before the number is
/// returned. 404 for no such shopper; 409 when they never gave a phone.
pub async fn reveal_phone(
    st: &AppState,
    admin: &AdminScope,
    shopper_id: i64,
    reason: &str,
    ip: &str,
) -> AppResult<String> {
    admin.require(Permission::RevealPhones)?;
    let reason = check_text("reason", "查看原因", reason, 2, REASON_MAX)?;
    let enc = repo::shopper_phone_enc(&st.db.pool, shopper_id)
        .await?
        .ok_or_else(|| AppError::not_found("会员不存在"))?
        .ok_or_else(|| AppError::Conflict("该会员没有绑定手机号".into()))?;
    let phone = st.cipher.decrypt(&enc)?;
    let detail = format!("{}：{reason}", mask_phone(&phone));
    let entry = admin
        .entry("shopper_phone_reveal", &detail, ip)
        .on(AuditTarget::Shopper, shopper_id);
    audit::record(&st.db.pool, &entry).await?;
    Ok(phone)
}

/// Disables (`enable` false, with a reason) or re-enables a shopper. Disabling revokes every
/// mini-program token in the same transaction, and their cookie sessions stop working on the
/// next request. 404 for no such shopper; 409 when it already has that status.
pub async fn set_shopper_status(
    st: &AppState,
    admin: &AdminScope,
    shopper_id: i64,
    enable: bool,
    reason: &str,
    ip: &str,
) -> AppResult<()> {
    admin.require(Permission::ManageShoppers)?;
    let (status, reason) = status_change(enable, reason)?;
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    let before = repo::shopper_status(&mut tx, shopper_id).await?;
    check_change(before, "会员", status)?;
    repo::set_status(
        &mut tx,
        Accounts::Shoppers,
        shopper_id,
        status,
        &reason,
        now,
    )
    .await?;
    let tokens = if enable {
        0
    } else {
        repo::revoke_tokens_of(&mut tx, shopper_id, now).await?
    };
    let detail = change_note(&reason, tokens);
    let action = if enable {
        "shopper_enable"
    } else {
        "shopper_disable"
    };
    let entry = admin
        .entry(action, &detail, ip)
        .on(AuditTarget::Shopper, shopper_id)
        .change(status.other().label(), status.label());
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Merchant staff accounts whose shop, username or name contains `q` (at most 200).
pub async fn staff_accounts(
    st: &AppState,
    admin: &AdminScope,
    q: &str,
) -> AppResult<Vec<StaffAccountRow>> {
    admin.require(Permission::ManageStaffAccounts)?;
    let words: String = q.trim().chars().take(30).collect();
    let rows = repo::staff_accounts(&st.db.pool, &words, 200).await?;
    rows.into_iter()
        .map(|r| {
            Ok(StaffAccountRow {
                id: r.id,
                merchant_id: r.merchant_id,
                shop: r.shop,
                username: r.username,
                display_name: r.display_name,
                role: StaffRole::parse(&r.role)
                    .ok_or_else(|| AppError::internal("bad staff role"))?,
                status: r.status,
                status_reason: r.status_reason,
                created_at: r.created_at,
            })
        })
        .collect()
}

/// Disables (with a reason) or re-enables a merchant staff account, owners included (a shop
/// whose owner account is stolen). The audit row names the shop, so the shop sees it too.
pub async fn set_staff_status(
    st: &AppState,
    admin: &AdminScope,
    staff_id: i64,
    enable: bool,
    reason: &str,
    ip: &str,
) -> AppResult<()> {
    admin.require(Permission::ManageStaffAccounts)?;
    let (status, reason) = status_change(enable, reason)?;
    let mut tx = st.db.begin_write().await?;
    let before = repo::staff_for_change(&mut tx, staff_id).await?;
    check_change(before.map(|b| b.1), "员工账号", status)?;
    let merchant_id = before.map_or(0, |b| b.0);
    repo::set_status(
        &mut tx,
        Accounts::Staff,
        staff_id,
        status,
        &reason,
        st.clock.now_ms(),
    )
    .await?;
    let detail = change_note(&reason, 0);
    let action = if enable {
        "staff_enable"
    } else {
        "staff_disable"
    };
    audit::record(
        &mut *tx,
        &AuditEntry {
            merchant_id: Some(merchant_id),
            ..admin.entry(action, &detail, ip)
        }
        .on(AuditTarget::Staff, staff_id)
        .change(status.other().label(), status.label()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Every admin account. Only the super admin manages admins.
pub async fn admins(st: &AppState, admin: &AdminScope) -> AppResult<Vec<AdminAccountRow>> {
    admin.require(Permission::ManageAdmins)?;
    repo::admins(&st.db.pool)
        .await?
        .into_iter()
        .map(|r| {
            Ok(AdminAccountRow {
                is_me: r.id == admin.admin_id,
                id: r.id,
                username: r.username,
                display_name: r.display_name,
                role: AdminRole::parse(&r.role)
                    .ok_or_else(|| AppError::internal("bad admin role"))?,
                status: r.status,
                status_reason: r.status_reason,
                created_at: r.created_at,
            })
        })
        .collect()
}

/// A new admin account with `role` and a first password (at least 8 characters) the new
/// admin is told out of band. 422 for a taken or malformed username.
pub async fn create_admin(
    st: &AppState,
    admin: &AdminScope,
    username: &str,
    display_name: &str,
    role: &str,
    password: &str,
    ip: &str,
) -> AppResult<i64> {
    admin.require(Permission::ManageAdmins)?;
    let role = AdminRole::parse(role).ok_or_else(|| AppError::invalid("role", "请选择角色"))?;
    let display_name = check_text("display_name", "姓名", display_name, 1, 20)?;
    let id = crate::services::accounts::create_admin(st, username, &display_name, password, role)
        .await?;
    let detail = username.trim().to_ascii_lowercase();
    let entry = admin
        .entry("admin_create", &detail, ip)
        .on(AuditTarget::Admin, id)
        .change("", role.label());
    audit::record(&st.db.pool, &entry).await?;
    Ok(id)
}

/// Gives another admin a new role, effective on their next request. An admin cannot change
/// their own role (so the acting super admin always remains one).
pub async fn set_admin_role(
    st: &AppState,
    admin: &AdminScope,
    admin_id: i64,
    role: &str,
    ip: &str,
) -> AppResult<()> {
    admin.require(Permission::ManageAdmins)?;
    let role = AdminRole::parse(role).ok_or_else(|| AppError::invalid("role", "请选择角色"))?;
    not_myself(admin, admin_id)?;
    let mut tx = st.db.begin_write().await?;
    let (before, _) = repo::admin_for_change(&mut tx, admin_id)
        .await?
        .ok_or_else(|| AppError::not_found("管理员不存在"))?;
    let before = AdminRole::parse(&before).map_or(before, |r| r.label().to_string());
    if before == role.label() {
        return Err(AppError::Conflict(format!("该管理员已是{}", role.label())));
    }
    repo::set_admin_role(&mut tx, admin_id, role.as_str(), st.clock.now_ms()).await?;
    let entry = admin
        .entry("admin_role", "", ip)
        .on(AuditTarget::Admin, admin_id)
        .change(&before, role.label());
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Disables (with a reason) or re-enables another admin; a disabled admin's sessions stop
/// working on their next request (`AdminScope::of` reads the status every time).
pub async fn set_admin_status(
    st: &AppState,
    admin: &AdminScope,
    admin_id: i64,
    enable: bool,
    reason: &str,
    ip: &str,
) -> AppResult<()> {
    admin.require(Permission::ManageAdmins)?;
    not_myself(admin, admin_id)?;
    let (status, reason) = status_change(enable, reason)?;
    let mut tx = st.db.begin_write().await?;
    let before = repo::admin_for_change(&mut tx, admin_id).await?;
    check_change(before.map(|b| b.1), "管理员", status)?;
    repo::set_status(
        &mut tx,
        Accounts::Admins,
        admin_id,
        status,
        &reason,
        st.clock.now_ms(),
    )
    .await?;
    let detail = change_note(&reason, 0);
    let action = if enable {
        "admin_enable"
    } else {
        "admin_disable"
    };
    let entry = admin
        .entry(action, &detail, ip)
        .on(AuditTarget::Admin, admin_id)
        .change(status.other().label(), status.label());
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The status an enable / disable asks for, and its reason (required to disable).
fn status_change(enable: bool, reason: &str) -> AppResult<(AccountStatus, String)> {
    if enable {
        Ok((AccountStatus::Active, String::new()))
    } else {
        let reason = check_text("reason", "停用原因", reason, 2, REASON_MAX)?;
        Ok((AccountStatus::Disabled, reason))
    }
}

/// Whether an account whose status is `before` (None: no such account, 404) may move to
/// `after` (409 when it is there already, so a repeated click changes and audits nothing).
fn check_change(before: Option<AccountStatus>, what: &str, after: AccountStatus) -> AppResult<()> {
    match before {
        None => Err(AppError::not_found(format!("{what}不存在"))),
        Some(b) if b == after => Err(AppError::Conflict(format!(
            "该{what}已是「{}」状态",
            after.label()
        ))),
        Some(_) => Ok(()),
    }
}

/// The detail of a status change: `恶意刷单；结束 2 个小程序登录`.
fn change_note(reason: &str, tokens: u64) -> String {
    let mut notes: Vec<String> = Vec::new();
    if !reason.is_empty() {
        notes.push(reason.to_string());
    }
    if tokens > 0 {
        notes.push(format!("结束 {tokens} 个小程序登录"));
    }
    notes.join("；")
}

fn not_myself(admin: &AdminScope, admin_id: i64) -> AppResult<()> {
    if admin.admin_id == admin_id {
        Err(AppError::Conflict("不能修改自己的账号角色或状态".into()))
    } else {
        Ok(())
    }
}
