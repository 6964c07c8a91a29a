//! Request bodies are read here, in full, before any handler runs: bounded in size (413 above
//! the endpoint's limit) and in time (408 when the client stalls), so a handler never waits on a
//! slow client while holding something others need (a render slot, a database connection, the
//! SQLite writer). Image uploads, the one large kind, also queue for a few upload slots, which
//! bounds the memory all bodies in flight can take.

use std::time::Duration;

use app::error::AppError;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::CONTENT_LENGTH;
use http::Method;
use http_body_util::BodyExt;
use tokio::sync::Semaphore;

/// Largest body of an ordinary request (forms, JSON, the product editor), in bytes.
pub const MAX_BODY: usize = 1024 * 1024;
/// Largest image upload (multipart around [`app::infra::imaging::MAX_UPLOAD_BYTES`]).
pub const MAX_UPLOAD_BODY: usize = app::infra::imaging::MAX_UPLOAD_BYTES + 64 * 1024;
/// Longest pause between two pieces of a body.
pub const IDLE: Duration = Duration::from_secs(15);
/// Longest time for a whole body (10 MB on a slow mobile uplink takes about two minutes).
pub const TOTAL: Duration = Duration::from_secs(180);
/// Uploads read at once.
const UPLOAD_SLOTS: usize = 8;

static UPLOADS: Semaphore = Semaphore::const_new(UPLOAD_SLOTS);

/// Endpoints that take images.
fn is_upload(path: &str) -> bool {
    path == "/api/uploads/image" || path == "/api/mp/v1/uploads/image"
}

pub async fn read_first(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let upload = is_upload(req.uri().path());
    let limit = if upload { MAX_UPLOAD_BODY } else { MAX_BODY };
    let too_large = || {
        AppError::PayloadTooLarge(if upload {
            "图片不能超过10MB".into()
        } else {
            format!("请求内容过大（最多 {} KB）", MAX_BODY / 1024)
        })
    };
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large().into_response();
    }
    let _slot = if upload {
        match UPLOADS.acquire().await {
            Ok(p) => Some(p),
            Err(_) => return AppError::Internal.into_response(),
        }
    } else {
        None
    };
    let (parts, body) = req.into_parts();
    let bytes = match tokio::time::timeout(TOTAL, collect(body, limit)).await {
        Ok(Ok(Some(bytes))) => bytes,
        Ok(Ok(None)) => return too_large().into_response(),
        Ok(Err(e)) => return e.into_response(),
        Err(_) => return AppError::RequestTimeout.into_response(),
    };
    drop(_slot);
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The whole body, with at most [`IDLE`] between pieces; `None` when it grows past `limit` bytes.
async fn collect(mut body: Body, limit: usize) -> Result<Option<Bytes>, AppError> {
    let mut buf = Vec::new();
    loop {
        let frame = match tokio::time::timeout(IDLE, body.frame()).await {
            Err(_) => return Err(AppError::RequestTimeout),
            Ok(None) => break,
            Ok(Some(Err(_))) => return Err(AppError::bad_request("请求内容不完整")),
            Ok(Some(Ok(frame))) => frame,
        };
        if let Ok(data) = frame.into_data() {
            if buf.len() + data.len() > limit {
                return Ok(None);
            }
            buf.extend_from_slice(&data);
        }
    }
    Ok(Some(Bytes::from(buf)))
}
