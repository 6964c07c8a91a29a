//! Registration and sign-in for the three realms.

use crate::domain::account::{
    check_new_password, mask_phone, nickname_or_default, normalize_phone, AdminRole, Identity,
    Realm, ShopperHome, StaffRole,
};
use crate::error::{AppError, AppResult};
use crate::infra::crypto::{hash_password, verify_password};
use crate::repo::accounts::{self as repo, NewShopper, ShopperRow};
use crate::repo::audit::{self, AuditEntry};
use crate::state::AppState;

/// The H5 "我的" page of the signed-in shopper. Errors: 401 when the account is gone.
pub async fn shopper_home(st: &AppState, me: Identity) -> AppResult<ShopperHome> {
    let row = repo::shopper_by_id(&st.db.pool, me.account_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok(ShopperHome {
        identity: me,
        phone_masked: row.phone_masked,
    })
}

/// Whether a signed-in identity may still act: its account exists and is active. A cookie
/// session outlives a disable (the store cannot be searched by account), so every signed-in
/// request is checked: 401 when the account is gone or disabled. Cookie sessions reach it
/// through [`live_identity`] (server functions via `api::call`, the console page guard);
/// `AdminScope::of` and `MerchantScope::of` read the status again with the role; bearer
/// tokens are checked by `mp_auth::authenticate` and revoked on disable (`services::people`).
pub async fn require_live(st: &AppState, me: &Identity) -> AppResult<()> {
    let pool = &st.db.pool;
    let status = match (me.realm, me.merchant_id) {
        (Realm::Shopper, _) => repo::shopper_by_id(pool, me.account_id)
            .await?
            .map(|r| r.status),
        (Realm::Merchant, Some(m)) => repo::staff_standing(pool, m, me.account_id)
            .await?
            .map(|r| r.1),
        (Realm::Merchant, None) => None,
        (Realm::Admin, _) => repo::admin_standing(pool, me.account_id)
            .await?
            .map(|r| r.1),
    };
    match status.as_deref() {
        Some("active") => Ok(()),
        _ => Err(AppError::Unauthorized),
    }
}

/// The identity of a cookie session if its account may still act ([`require_live`]); the
/// session of a disabled or removed account is ended here, so it reads as signed out. A live
/// session is marked seen (`infra::session::mark_seen`), which keeps it from expiring while
/// it is used.
pub async fn live_identity(
    st: &AppState,
    session: &tower_sessions::Session,
) -> AppResult<Option<Identity>> {
    let Some(me) = crate::infra::session::identity_of(session).await? else {
        return Ok(None);
    };
    match require_live(st, &me).await {
        Ok(()) => {
            // a quarter of the idle lifetime, at most a day: an active session never comes
            // within three quarters of expiring, and is written at most daily
            let every_ms = (st.config.session_idle_hours * 3_600_000 / 4).min(86_400_000);
            crate::infra::session::mark_seen(session, st.clock.now_ms(), every_ms).await?;
            Ok(Some(me))
        }
        Err(AppError::Unauthorized) => {
            crate::infra::session::sign_out(session).await?;
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

const WRONG_CREDENTIALS: &str = "账号或密码错误";
const DISABLED: &str = "账号已停用，请联系平台客服";

pub fn shopper_identity(row: &ShopperRow) -> Identity {
    Identity {
        realm: Realm::Shopper,
        account_id: row.id,
        display_name: row.nickname.clone(),
        merchant_id: None,
        merchant_name: None,
        staff_role: None,
        admin_role: None,
    }
}

/// A new shopper account with phone and password; signs nobody in by itself.
pub async fn register_shopper(
    st: &AppState,
    phone: &str,
    password: &str,
    nickname: &str,
) -> AppResult<Identity> {
    let phone = normalize_phone(phone)?;
    check_new_password(password)?;
    let nickname = nickname_or_default(nickname, &phone)?;
    let phone_hash = st.cipher.blind_index(&phone);
    if repo::shopper_by_phone_hash(&st.db.pool, &phone_hash)
        .await?
        .is_some()
    {
        return Err(AppError::invalid("phone", "该手机号已注册，请直接登录"));
    }
    let phone_enc = st.cipher.encrypt(&phone)?;
    let masked = mask_phone(&phone);
    let password_hash = hash_password(password.to_string()).await?;
    let id = repo::insert_shopper(
        &st.db.pool,
        &NewShopper {
            phone_hash: Some(&phone_hash),
            phone_enc: Some(&phone_enc),
            phone_masked: Some(&masked),
            password_hash: Some(&password_hash),
            nickname: &nickname,
            wx_openid: None,
            wx_unionid: None,
            signed_up_at: st.clock.now_ms(),
        },
    )
    .await?
    // lost a race with a concurrent registration of the same phone
    .ok_or_else(|| AppError::invalid("phone", "该手机号已注册，请直接登录"))?;
    crate::services::coupon_gifts::on_sign_up(st, id).await?;
    let row = repo::shopper_by_id(&st.db.pool, id)
        .await?
        .ok_or_else(|| AppError::internal("new shopper vanished"))?;
    Ok(shopper_identity(&row))
}

/// Checks credentials of `realm` (shoppers by phone, staff and admins by username), with rate
/// limits per client address and per account. Every attempt is audited.
pub async fn sign_in(
    st: &AppState,
    realm: Realm,
    login: &str,
    password: &str,
    ip: &str,
) -> AppResult<Identity> {
    let login = match realm {
        Realm::Shopper => normalize_phone(login)?,
        _ => login.trim().to_ascii_lowercase(),
    };
    if login.is_empty() || password.is_empty() {
        return Err(AppError::bad_request("请输入账号和密码"));
    }
    let throttle_key = format!("{}:{login}", realm.as_str());
    st.login_throttle.admit(ip, &throttle_key)?;

    let pool = &st.db.pool;
    let (stored_hash, identity, status) = match realm {
        Realm::Shopper => {
            let row = repo::shopper_by_phone_hash(pool, &st.cipher.blind_index(&login)).await?;
            match row {
                Some(r) => (
                    r.password_hash.clone(),
                    Some(shopper_identity(&r)),
                    r.status,
                ),
                None => (None, None, String::new()),
            }
        }
        Realm::Merchant => match repo::staff_by_username(pool, &login).await? {
            Some(r) => {
                let identity = Identity {
                    realm,
                    account_id: r.id,
                    display_name: r.display_name.clone(),
                    merchant_id: Some(r.merchant_id),
                    merchant_name: Some(r.merchant_name.clone()),
                    staff_role: StaffRole::parse(&r.role),
                    admin_role: None,
                };
                (Some(r.password_hash), Some(identity), r.status)
            }
            None => (None, None, String::new()),
        },
        Realm::Admin => match repo::admin_by_username(pool, &login).await? {
            Some(r) => {
                let identity = Identity {
                    realm,
                    account_id: r.id,
                    display_name: r.display_name.clone(),
                    merchant_id: None,
                    merchant_name: None,
                    staff_role: None,
                    admin_role: AdminRole::parse(&r.role),
                };
                (Some(r.password_hash), Some(identity), r.status)
            }
            None => (None, None, String::new()),
        },
    };

    let ok = verify_password(password.to_string(), stored_hash).await?;
    let audit_entry = |action: &'static str, who: Option<&Identity>| AuditEntry {
        realm: realm.as_str(),
        actor_id: who.map(|i| i.account_id),
        merchant_id: who.and_then(|i| i.merchant_id),
        action,
        detail: "",
        ip,
        target: None,
        before: "",
        after: "",
    };
    match identity {
        Some(identity) if ok => {
            if status != "active" {
                return Err(AppError::Forbidden(DISABLED.into()));
            }
            st.login_throttle.record_success(&throttle_key);
            audit::record(pool, &audit_entry("sign_in", Some(&identity))).await?;
            Ok(identity)
        }
        who => {
            st.login_throttle.record_failure(&throttle_key);
            audit::record(pool, &audit_entry("sign_in_failed", who.as_ref())).await?;
            Err(AppError::bad_request(WRONG_CREDENTIALS))
        }
    }
}

/// A platform admin (CLI `create-admin` and the demo seed).
pub async fn create_admin(
    st: &AppState,
    username: &str,
    display_name: &str,
    password: &str,
    role: AdminRole,
) -> AppResult<i64> {
    let username = check_username(username)?;
    check_new_password(password)?;
    let hash = hash_password(password.to_string()).await?;
    repo::insert_admin(&st.db.pool, &username, display_name, &hash, role.as_str())
        .await?
        .ok_or_else(|| AppError::invalid("username", "该用户名已存在"))
}

/// Usernames for staff and admins: 3–32 of `a-z 0-9 _ .`, case-insensitive.
pub fn check_username(input: &str) -> AppResult<String> {
    let name = input.trim().to_ascii_lowercase();
    let valid = (3..=32).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
    if valid {
        Ok(name)
    } else {
        Err(AppError::invalid(
            "username",
            "用户名需为3到32位小写字母、数字、下划线或点",
        ))
    }
}
