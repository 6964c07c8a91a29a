//! Puts the security headers on every answer (`app::infra::security_headers` says which).

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

pub async fn add(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    app::infra::security_headers::apply(res.headers_mut());
    res
}
