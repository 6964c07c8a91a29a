//! Payment providers' notifications: `POST /api/pay/notify/{provider}`. The body is passed on
//! raw, because the signature covers the exact bytes. The answer follows WeChat Pay's protocol:
//! 200 when the notification needs no resending (handled now or before), 4xx/5xx with
//! `{"code":"FAIL"}` otherwise, so the provider tries again.

use app::services::payments;
use app::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use http::{HeaderMap, StatusCode};
use serde_json::json;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/pay/notify/{provider}", post(notify))
}

async fn notify(
    State(st): State<AppState>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match payments::handle_notification(&st, &provider, &headers, &body).await {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({"code": "SUCCESS", "message": "成功"})),
        )
            .into_response(),
        Err(e) => {
            let status =
                StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (
                status,
                Json(json!({"code": "FAIL", "message": e.to_string()})),
            )
                .into_response()
        }
    }
}
