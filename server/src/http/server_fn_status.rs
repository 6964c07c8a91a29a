//! A server function whose arguments cannot even be decoded fails before its body (and the
//! status `session::respond` sets) runs, and Leptos answers such errors with 500. Here every
//! server-function error answer gets the status of the `AppError` it carries, so a malformed or
//! empty request is a 400 like any other client mistake.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::StatusCode;

const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";
/// Error answers are a short JSON value; anything longer is left alone.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn from_app_error(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(e) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(e.status()).unwrap_or(parts.status);
    }
    Response::from_parts(parts, Body::from(bytes))
}
