//! The security headers of every answer, in one place: the Content-Security-Policy of rendered
//! pages (scripts only with the page's nonce, which the islands loader carries), the
//! strict policy of everything else, and the headers that stop framing and MIME sniffing.

use http::header::{
    HeaderName, HeaderValue, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use http::HeaderMap;

/// The policy of a rendered page. Scripts run only with this response's `nonce` (the islands
/// loader; `strict-dynamic` lets it import the bundle) and wasm may be compiled; styles come from
/// our stylesheet plus inline `style` attributes the views set; images from this site, `data:`
/// and `blob:` (an upload's preview). No page may be framed (clickjacking the consoles).
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// The policy of every answer that is not a rendered page (API JSON, images, CSV, error pages
/// written by hand): nothing in it may run.
pub const STRICT_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds the headers every answer carries; a page's own policy (set while rendering) is kept.
pub fn apply(headers: &mut HeaderMap) {
    headers
        .entry(CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(STRICT_POLICY));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_policy_allows_only_the_nonce_to_run() {
        let p = page_policy("abc");
        assert!(p.contains("script-src 'nonce-abc' 'strict-dynamic'"));
        assert!(!p.contains("unsafe-eval'") || p.contains("'wasm-unsafe-eval'"));
        assert!(p.contains("frame-ancestors 'none'"));
    }

    #[test]
    fn a_page_policy_is_kept_and_the_rest_added() {
        let mut h = HeaderMap::new();
        h.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&page_policy("n")).unwrap(),
        );
        apply(&mut h);
        assert!(h[CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("'nonce-n'"));
        assert_eq!(h[X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(h[X_FRAME_OPTIONS], "DENY");
        let mut plain = HeaderMap::new();
        apply(&mut plain);
        assert_eq!(plain[CONTENT_SECURITY_POLICY], STRICT_POLICY);
    }
}
