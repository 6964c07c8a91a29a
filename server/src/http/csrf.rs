//! CSRF defence for cookie-authenticated writes: a state-changing request must come from this
//! site, as its `Origin` (or, failing that, `Referer`) header proves. Browsers set these and
//! pages cannot forge them. The mini-program API authenticates with bearer tokens, which a
//! foreign page cannot attach, and payment notifications carry the provider's signature, so
//! both are exempt.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, Method};

use app::error::AppError;

pub async fn same_origin_writes(req: Request, next: Next) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let path = req.uri().path();
    if safe || path.starts_with("/api/mp/") || path.starts_with("/api/pay/notify/") {
        return next.run(req).await;
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let source = req
        .headers()
        .get(header::ORIGIN)
        .or_else(|| req.headers().get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    match source {
        Some(src) if !host.is_empty() && host_of(src) == Some(host) => next.run(req).await,
        _ => AppError::Forbidden("请求来源无法验证，请刷新页面后重试".into()).into_response(),
    }
}

/// `https://a.example:8443/x?y` → `a.example:8443`.
fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&rest[..end]).filter(|h| !h.is_empty())
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn host_is_taken_from_origin_and_referer() {
        assert_eq!(host_of("http://127.0.0.1:3000"), Some("127.0.0.1:3000"));
        assert_eq!(
            host_of("https://jishi.example/login?x=1"),
            Some("jishi.example")
        );
        assert_eq!(host_of("null"), None);
    }
}
