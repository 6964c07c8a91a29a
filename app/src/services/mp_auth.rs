//! Mini-program sign-in: a `wx.login()` code becomes an opaque bearer token.

use secrecy::ExposeSecret;

use crate::domain::account::Identity;
use crate::error::{AppError, AppResult};
use crate::infra::crypto::{new_token, token_hash};
use crate::repo::accounts::{self as repo, NewShopper};
use crate::services::accounts::shopper_identity;
use crate::state::AppState;

pub struct IssuedToken {
    pub token: String,
    pub expires_at: i64,
    pub identity: Identity,
    pub is_new_user: bool,
}

/// Finds or creates the shopper of this WeChat user and issues a token for them.
pub async fn wx_login(st: &AppState, code: &str) -> AppResult<IssuedToken> {
    let code = code.trim();
    if code.is_empty() || code.len() > 128 || !code.chars().all(|c| c.is_ascii_graphic()) {
        return Err(AppError::invalid("code", "登录凭证格式不正确"));
    }
    let wx = st.wechat.code_to_session(code).await?;
    let pool = &st.db.pool;

    let mut is_new_user = false;
    let shopper = match repo::shopper_by_openid(pool, &wx.openid).await? {
        Some(s) => s,
        None => {
            let nickname = format!(
                "微信用户{}",
                &wx.openid[wx.openid.len().saturating_sub(4)..]
            );
            let inserted = repo::insert_shopper(
                pool,
                &NewShopper {
                    phone_hash: None,
                    phone_enc: None,
                    phone_masked: None,
                    password_hash: None,
                    nickname: &nickname,
                    wx_openid: Some(&wx.openid),
                    wx_unionid: wx.unionid.as_deref(),
                    signed_up_at: st.clock.now_ms(),
                },
            )
            .await?;
            is_new_user = inserted.is_some();
            if let Some(id) = inserted {
                crate::services::coupon_gifts::on_sign_up(st, id).await?;
            }
            // `None` means a concurrent first login created the row: read it back.
            repo::shopper_by_openid(pool, &wx.openid)
                .await?
                .ok_or_else(|| AppError::internal("shopper by openid vanished"))?
        }
    };
    if shopper.status != "active" {
        return Err(AppError::Forbidden("账号已停用，请联系平台客服".into()));
    }
    if let Some(unionid) = &wx.unionid {
        repo::set_shopper_unionid(pool, shopper.id, unionid).await?;
    }

    let (token, expires_at) = issue_token(st, shopper.id, wx.session_key.expose_secret()).await?;
    Ok(IssuedToken {
        token,
        expires_at,
        identity: shopper_identity(&shopper),
        is_new_user,
    })
}

/// A new bearer token for a shopper (only its hash is stored), with the WeChat session key kept
/// encrypted beside it. Returns (token, expires_at).
pub async fn issue_token(
    st: &AppState,
    shopper_id: i64,
    session_key: &str,
) -> AppResult<(String, i64)> {
    let (token, hash) = new_token();
    let expires_at = st.clock.now_ms() + st.config.wechat.token_ttl_hours * 3_600_000;
    let session_key_enc = st.cipher.encrypt(session_key)?;
    repo::insert_mp_token(&st.db.pool, shopper_id, &hash, &session_key_enc, expires_at).await?;
    Ok((token, expires_at))
}

/// The shopper behind a bearer token, if the token is live.
pub async fn authenticate(st: &AppState, token: &str) -> AppResult<Identity> {
    let row = repo::shopper_of_token(&st.db.pool, &token_hash(token), st.clock.now_ms())
        .await?
        .ok_or(AppError::Unauthorized)?;
    if row.status != "active" {
        return Err(AppError::Unauthorized);
    }
    Ok(shopper_identity(&row))
}

/// Revokes a token (sign-out). Revoking twice is harmless.
pub async fn revoke(st: &AppState, token: &str) -> AppResult<()> {
    repo::revoke_mp_token(&st.db.pool, &token_hash(token)).await?;
    Ok(())
}
