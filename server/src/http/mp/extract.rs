//! Extractors of the mini-program API: the bearer-authenticated shopper (required, or optional
//! for pages open to visitors) and JSON bodies whose rejections use the API's envelope.

use app::domain::account::Identity;
use app::error::AppError;
use app::services::mp_auth;
use app::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request};
use http::request::Parts;
use serde::de::DeserializeOwned;

/// The signed-in shopper. A handler that takes it cannot run without a live token.
pub struct MpShopper {
    pub identity: Identity,
    pub token: String,
}

impl FromRequestParts<AppState> for MpShopper {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, AppError> {
        let token = bearer_token(parts).ok_or(AppError::Unauthorized)?;
        let identity = mp_auth::authenticate(st, &token).await?;
        Ok(MpShopper { identity, token })
    }
}

/// The signed-in shopper when the request carries a live bearer token, else a visitor (`None`):
/// for pages open to everyone that show a shopper their own part (a group's share page). A
/// token that is missing, expired or revoked reads as a visitor, never as a 401.
pub struct MaybeMpShopper(pub Option<Identity>);

impl FromRequestParts<AppState> for MaybeMpShopper {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, AppError> {
        let Some(token) = bearer_token(parts) else {
            return Ok(MaybeMpShopper(None));
        };
        match mp_auth::authenticate(st, &token).await {
            Ok(identity) => Ok(MaybeMpShopper(Some(identity))),
            Err(AppError::Unauthorized | AppError::Forbidden(_)) => Ok(MaybeMpShopper(None)),
            Err(e) => Err(e),
        }
    }
}

/// The bearer token as sent, not yet read against the database: for a handler with an answer
/// that does not depend on who asks, given before the token's read (a 秒杀 rush's 已抢光).
/// A request without a token is still a 401 here, before its body is read;
/// [`UncheckedToken::shopper`] then reads the token as [`MpShopper`] does.
pub struct UncheckedToken(String);

impl FromRequestParts<AppState> for UncheckedToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, AppError> {
        bearer_token(parts)
            .map(UncheckedToken)
            .ok_or(AppError::Unauthorized)
    }
}

impl UncheckedToken {
    /// The shopper behind the token. Errors: 401 when expired or revoked.
    pub async fn shopper(self, st: &AppState) -> Result<MpShopper, AppError> {
        let identity = mp_auth::authenticate(st, &self.0).await?;
        Ok(MpShopper {
            identity,
            token: self.0,
        })
    }
}

fn bearer_token(parts: &Parts) -> Option<String> {
    let value = parts
        .headers
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_string())
}

/// `Json<T>` whose rejection is a 400 envelope with a readable message.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(e) => {
                tracing::debug!("mp api: bad JSON body: {e}");
                Err(AppError::bad_request(
                    "请求格式不正确：需要 JSON 请求体（Content-Type: application/json）",
                ))
            }
        }
    }
}

/// `Query<T>` whose rejection is a 400 envelope with a readable message.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        state: &S,
    ) -> Result<Self, AppError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e) => {
                tracing::debug!("mp api: bad query: {e}");
                Err(AppError::bad_request("查询参数不正确"))
            }
        }
    }
}

/// `Path<T>` whose rejection (say, letters where an id belongs) is a 400 envelope.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(e) => {
                tracing::debug!("mp api: bad path: {e}");
                Err(AppError::bad_request("路径参数不正确"))
            }
        }
    }
}
