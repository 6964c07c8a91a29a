//! The one error type of Jishi.
//!
//! It crosses every boundary: services return it, server functions send it to the Leptos UI (as
//! JSON, decoded back into this type in the browser), and the mini-program API turns it into an
//! HTTP status plus the `{code, msg, data}` envelope. Messages are written for the user (Chinese);
//! internal causes are logged on the server and replaced by a generic message.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// On the wire (server functions and the mini-program API alike) an error is one envelope,
/// `{code, msg, data}`: see [`ErrorBody`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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

    /// The same refusal naming the form's own input `field` (a shared check names its usual
    /// one: `password` for the shop owner's `owner_password`); other errors pass unchanged.
    pub fn in_field(self, field: &str) -> Self {
        match self {
            Self::Invalid { msg, .. } => Self::Invalid {
                field: field.to_string(),
                msg,
            },
            other => other,
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

/// Every error answer's body: the mini-program API's envelope, also used by server functions,
/// so a client meets one shape. `code` is [`AppError::code`] (HTTP status × 100, or 42201 for an
/// invalid field); `data` names the field for 42201 and is null otherwise.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// e.g. 40000 bad request, 40100 not signed in, 40400 not found, 40900 conflict, 42201
    /// invalid field, 42900 too many requests, 50000 server error
    pub code: u32,
    /// what went wrong, for the user (Chinese)
    pub msg: String,
    pub data: Option<InvalidField>,
}

/// The input an invalid-field error (42201) is about.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InvalidField {
    pub field: String,
}

impl From<&AppError> for ErrorBody {
    fn from(e: &AppError) -> Self {
        ErrorBody {
            code: e.code(),
            msg: e.to_string(),
            data: match e {
                AppError::Invalid { field, .. } => Some(InvalidField {
                    field: field.clone(),
                }),
                _ => None,
            },
        }
    }
}

impl From<ErrorBody> for AppError {
    fn from(b: ErrorBody) -> Self {
        match b.code {
            42201 => AppError::Invalid {
                field: b.data.map(|d| d.field).unwrap_or_default(),
                msg: b.msg,
            },
            40100 => AppError::Unauthorized,
            40300 => AppError::Forbidden(b.msg),
            40400 => AppError::NotFound(b.msg),
            40800 => AppError::RequestTimeout,
            40900 => AppError::Conflict(b.msg),
            41300 => AppError::PayloadTooLarge(b.msg),
            42900 => AppError::TooManyRequests(b.msg),
            50200 => AppError::Upstream(b.msg),
            c if (40000..50000).contains(&c) => AppError::BadRequest(b.msg),
            _ => AppError::Internal,
        }
    }
}

impl Serialize for AppError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ErrorBody::from(self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for AppError {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        ErrorBody::deserialize(d).map(AppError::from)
    }
}

/// The mini-program API's error answer: real HTTP status, the [`ErrorBody`] envelope.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = http::StatusCode::from_u16(self.status())
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(ErrorBody::from(&self))).into_response()
    }
}
