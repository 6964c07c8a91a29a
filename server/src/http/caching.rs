//! Who may keep an answer, and for how long. Files whose name is their content hash (the
//! front-end bundle under `/pkg/`, stored images under `/media/`) never change: browsers and
//! shared caches keep them for a year without asking again. Pages, API answers and exports
//! carry a shopper's or a merchant's data: only the browser may keep them, and it must ask
//! again before each use. Other public images (the site icon) may be kept for a day.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::header::{CACHE_CONTROL, CONTENT_TYPE};
use http::{HeaderValue, StatusCode};
use tower_http::set_header::SetResponseHeaderLayer;

const FOREVER: &str = "public, max-age=31536000, immutable";
const PRIVATE: &str = "private, no-cache";
const A_DAY: &str = "public, max-age=86400";

/// `Cache-Control` for a service whose files are named by their content hash (a failure, such
/// as a 404 for a name from an older build, is not kept).
pub fn forever<B>() -> SetResponseHeaderLayer<impl Fn(&Response<B>) -> Option<HeaderValue> + Clone>
{
    SetResponseHeaderLayer::overriding(CACHE_CONTROL, |res: &Response<B>| {
        res.status()
            .is_success()
            .then(|| HeaderValue::from_static(FOREVER))
    })
}

/// Gives every answer that has no `Cache-Control` of its own the one its kind calls for.
pub async fn by_kind(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if !res.headers().contains_key(CACHE_CONTROL) {
        let policy = policy_for(res.status(), res.headers().get(CONTENT_TYPE));
        res.headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    res
}

fn policy_for(status: StatusCode, content_type: Option<&HeaderValue>) -> &'static str {
    let kind = content_type.and_then(|v| v.to_str().ok()).unwrap_or("");
    if status.is_success() && kind.starts_with("image/") {
        A_DAY
    } else {
        PRIVATE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_data_are_private_public_images_kept_a_day() {
        let ok = |t: &'static str| policy_for(StatusCode::OK, Some(&HeaderValue::from_static(t)));
        assert_eq!(ok("text/html; charset=utf-8"), PRIVATE);
        assert_eq!(ok("application/json"), PRIVATE);
        assert_eq!(ok("text/csv; charset=utf-8"), PRIVATE);
        assert_eq!(ok("text/plain"), PRIVATE);
        assert_eq!(policy_for(StatusCode::OK, None), PRIVATE);
        assert_eq!(ok("image/svg+xml"), A_DAY);
        let missing = HeaderValue::from_static("image/png");
        assert_eq!(policy_for(StatusCode::NOT_FOUND, Some(&missing)), PRIVATE);
    }
}
