//! Mini-program sign-in, sign-out and the current user.

use app::error::AppError;
use app::services::mp_auth;
use app::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{ApiJson, MpShopper};
use super::{ok, Envelope};

#[derive(Debug, Deserialize, ToSchema)]
pub struct WxLoginRequest {
    /// The code from `wx.login()`: 1–128 visible ASCII characters.
    #[schema(min_length = 1, max_length = 128, pattern = "^[!-~]+$")]
    pub code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WxLoginData {
    /// Send as `Authorization: Bearer <token>` on later calls.
    pub token: String,
    /// Expiry, milliseconds since the Unix epoch.
    pub expires_at: i64,
    /// Whether this sign-in created the account.
    pub is_new_user: bool,
    pub user: UserData,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserData {
    pub id: i64,
    pub nickname: String,
}

#[utoipa::path(
    post, path = "/auth/wx-login", tag = "auth",
    request_body = WxLoginRequest,
    responses(
        (status = 200, description = "Signed in", body = Envelope<WxLoginData>),
        (status = 400, description = "Invalid or used code (WeChat 40029)"),
        (status = 422, description = "Malformed code"),
        (status = 429, description = "WeChat rate limit (45011)"),
        (status = 502, description = "WeChat unavailable"),
    )
)]
pub async fn wx_login(
    State(st): State<AppState>,
    ApiJson(req): ApiJson<WxLoginRequest>,
) -> Result<Json<Envelope<WxLoginData>>, AppError> {
    let issued = mp_auth::wx_login(&st, &req.code).await?;
    Ok(ok(WxLoginData {
        token: issued.token,
        expires_at: issued.expires_at,
        is_new_user: issued.is_new_user,
        user: UserData {
            id: issued.identity.account_id,
            nickname: issued.identity.display_name,
        },
    }))
}

#[utoipa::path(
    post, path = "/auth/logout", tag = "auth",
    security(("bearer" = [])),
    responses((status = 200, description = "Token revoked"), (status = 401, description = "Not signed in"))
)]
pub async fn logout(
    State(st): State<AppState>,
    me: MpShopper,
) -> Result<Json<Envelope<()>>, AppError> {
    mp_auth::revoke(&st, &me.token).await?;
    Ok(ok(()))
}

#[utoipa::path(
    get, path = "/me", tag = "auth",
    security(("bearer" = [])),
    responses((status = 200, description = "Current user", body = Envelope<UserData>), (status = 401, description = "Not signed in"))
)]
pub async fn me(me: MpShopper) -> Json<Envelope<UserData>> {
    ok(UserData {
        id: me.identity.account_id,
        nickname: me.identity.display_name,
    })
}
