//! The one error type of Jishi.
//!
//! It crosses every boundary: services return it, server functions send it to the Leptos UI (as
//! JSON, decoded back into this type in the browser), and the mini-program API turns it into an
//! HTTP status plus the `{code, msg, data}` envelope. Messages are written for the user (Chinese);
//! internal causes are logged on the server and replaced by a generic message.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The request is malformed or breaks a rule; the message says what to fix.
    #[error("{0}")]
    BadRequest(String),
    /// One input field is wrong; `field` lets a form put the message beside the input.
    #[error("{msg}")]
    Invalid { field: String, msg: String },
    #[error("请先登录")]
    Unauthorized,
    /// Signed in, but this identity may not do this.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyRequests(String),
    /// The request body is over the limit of its endpoint; the message names the limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The client stopped sending its request before it was complete.
    #[error("请求超时，请检查网络后重试")]
    RequestTimeout,
    /// An outside service (WeChat) refused or failed; the message is safe to show.
    #[error("{0}")]
    Upstream(String),
    /// Anything unexpected. The cause was logged where it happened and is never sent.
    #[error("服务器开小差了，请稍后再试")]
    Internal,
    /// The server-function transport itself failed (network, decoding).
    #[error("网络异常，请稍后再试")]
    Transport(String),
}

impl AppError {
    pub fn bad_request(msg: impl Into<String>) -> Self {
        Self::BadRequest(msg.into())
    }

    pub fn invalid(field: &str, msg: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.to_string(),
            msg: msg.into(),
        }
    }

    /// The usual refusal of a signed-in user who lacks the right.
    pub fn forbidden() -> Self {
        Self::Forbidden("没有权限执行此操作".into())
    }

    pub fn not_found(msg: impl Into<String>) -> Self {
        Self::NotFound(msg.into())
    }

    /// HTTP status for this error.
    pub fn status(&self) -> u16 {
        match self {
            Self::BadRequest(_) => 400,
            Self::Invalid { .. } => 422,
            Self::Unauthorized => 401,
            Self::Forbidden(_) => 403,
            Self::NotFound(_) => 404,
            Self::Conflict(_) => 409,
            Self::TooManyRequests(_) => 429,
            Self::PayloadTooLarge(_) => 413,
            Self::RequestTimeout => 408,
            Self::Upstream(_) => 502,
            Self::Internal | Self::Transport(_) => 500,
        }
    }

    /// Stable machine-readable code of the API envelope (`0` means success).
    pub fn code(&self) -> u32 {
        match self {
            Self::Invalid { .. } => 42201,
            other => u32::from(other.status()) * 100,
        }
    }

    /// Logs an unexpected failure with its cause and returns the opaque [`AppError::Internal`].
    #[cfg(feature = "ssr")]
    #[track_caller]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let at = std::panic::Location::caller();
        tracing::error!(%at, "internal error: {cause}");
        Self::Internal
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // On the server these mean the caller's arguments could not be read: its mistake
            // (400), not ours. In the browser they stay transport failures.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => {
                Self::BadRequest("请求参数不正确，请刷新页面后重试".into())
            }
            other => Self::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    #[track_caller]
    fn from(e: sqlx::Error) -> Self {
        Self::internal(format!("database: {e}"))
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// The mini-program API's error answer: real HTTP status, `{code, msg, data: null}` body.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = http::StatusCode::from_u16(self.status())
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let body =
            serde_json::json!({ "code": self.code(), "msg": self.to_string(), "data": null });
        (status, axum::Json(body)).into_response()
    }
}
