//! Who is signed in (cookie sessions for the Leptos UIs) and the realm guards of server functions.
//!
//! A session holds at most one [`Identity`]. Server functions reach it through `api::call`,
//! which also checks the account may still act; pages under `/merchant` and `/admin` are
//! guarded by the router as well.

use std::future::Future;

use http::request::Parts;
use http::StatusCode;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use tower_sessions::Session;

use crate::domain::account::{Identity, Realm};
use crate::error::{AppError, AppResult};

const IDENTITY_KEY: &str = "identity";
const SEEN_AT_KEY: &str = "seen_at";

pub async fn identity_of(session: &Session) -> AppResult<Option<Identity>> {
    session
        .get::<Identity>(IDENTITY_KEY)
        .await
        .map_err(AppError::internal)
}

/// Stores the identity under a fresh session id (no session fixation).
pub async fn sign_in(session: &Session, identity: &Identity) -> AppResult<()> {
    session.cycle_id().await.map_err(AppError::internal)?;
    session
        .insert(IDENTITY_KEY, identity)
        .await
        .map_err(AppError::internal)
}

/// Marks the session seen at `now_ms` (ms since the epoch), at most once per `every_ms`.
/// A session is written, and its idle expiry (`session_idle_hours` from that write) pushed
/// back, only when it changed: without this mark a session used every day still expired that
/// long after sign-in. Once per `every_ms`, not per request, so reads stay reads.
pub async fn mark_seen(session: &Session, now_ms: i64, every_ms: i64) -> AppResult<()> {
    let seen = session
        .get::<i64>(SEEN_AT_KEY)
        .await
        .map_err(AppError::internal)?;
    if seen.is_none_or(|t| now_ms - t >= every_ms || now_ms < t) {
        session
            .insert(SEEN_AT_KEY, now_ms)
            .await
            .map_err(AppError::internal)?;
    }
    Ok(())
}

pub async fn sign_out(session: &Session) -> AppResult<()> {
    session.flush().await.map_err(AppError::internal)
}

/// Checks that an identity belongs to `realm`: none is 401, another realm's is 403.
pub fn check_realm(identity: Option<Identity>, realm: Realm) -> AppResult<Identity> {
    match identity {
        None => Err(AppError::Unauthorized),
        Some(id) if id.realm == realm => Ok(id),
        Some(_) => Err(AppError::forbidden()),
    }
}

/// The session of the current server-function call.
pub async fn current_session() -> AppResult<Session> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| AppError::internal(format!("session layer missing: {e}")))
}

/// Wraps every server function body: on error, sets the HTTP status of the error, or, for a
/// plain HTML form post (the page before its wasm has loaded), sends the browser back to the
/// form with the message in `?error=` so it can be shown without JavaScript.
pub async fn respond<T>(body: impl Future<Output = AppResult<T>>) -> AppResult<T> {
    let result = body.await;
    if let Err(e) = &result {
        let parts = use_context::<Parts>();
        // A server-function request decides its own status. During page rendering the page's
        // status stays the page's (a signed-out "我的" page is still a page), except that a
        // page whose row is missing or another's is a 404, not a 200 saying "不存在".
        let is_call = parts
            .as_ref()
            .is_some_and(|p| p.uri.path().starts_with("/api/"));
        if !is_call {
            if matches!(e, AppError::NotFound(_)) {
                if let Some(res) = use_context::<ResponseOptions>() {
                    res.set_status(StatusCode::NOT_FOUND);
                }
            }
            return result;
        }
        let back = parts.as_ref().and_then(plain_form_referer);
        match back {
            Some(back) if !matches!(e, AppError::Forbidden(_)) => {
                leptos_axum::redirect(&with_error(&back, e));
            }
            _ => {
                if let Some(res) = use_context::<ResponseOptions>() {
                    res.set_status(
                        StatusCode::from_u16(e.status())
                            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                    );
                }
            }
        }
    }
    result
}

/// The same-site path a plain form post came from, when the request is one.
fn plain_form_referer(parts: &Parts) -> Option<String> {
    let accepts_html = parts
        .headers
        .get(http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if !accepts_html {
        return None;
    }
    let referer = parts.headers.get(http::header::REFERER)?.to_str().ok()?;
    // keep only path and query: never redirect off-site
    let after_scheme = referer.split_once("://").map(|(_, r)| r).unwrap_or(referer);
    let path = after_scheme.find('/').map(|i| &after_scheme[i..])?;
    Some(path.to_string())
}

/// `path` with the refusal in its query: `error` the message, `field` the input it names (an
/// `AppError::Invalid`), replacing those of an earlier refusal.
fn with_error(path: &str, e: &AppError) -> String {
    let (base, query) = path.split_once('?').unwrap_or((path, ""));
    let mut out = form_urlencoded::Serializer::new(String::new());
    out.extend_pairs(
        form_urlencoded::parse(query.as_bytes()).filter(|(k, _)| k != "error" && k != "field"),
    );
    out.append_pair("error", &e.to_string());
    if let AppError::Invalid { field, .. } = e {
        out.append_pair("field", field);
    }
    format!("{base}?{}", out.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_appended_and_replaced() {
        let bad = AppError::invalid("phone", "手机号格式不对");
        assert_eq!(
            with_error("/login", &AppError::Conflict("a b".into())),
            "/login?error=a+b"
        );
        assert_eq!(
            with_error("/login?next=/me&error=old&field=name", &bad),
            "/login?next=%2Fme&error=%E6%89%8B%E6%9C%BA%E5%8F%B7%E6%A0%BC%E5%BC%8F%E4%B8%8D%E5%AF%B9&field=phone"
        );
    }

    #[test]
    fn realm_check_distinguishes_anonymous_and_wrong_realm() {
        let id = Identity {
            realm: Realm::Shopper,
            account_id: 1,
            display_name: "x".into(),
            merchant_id: None,
            merchant_name: None,
            staff_role: None,
            admin_role: None,
        };
        assert_eq!(check_realm(None, Realm::Admin), Err(AppError::Unauthorized));
        assert_eq!(
            check_realm(Some(id.clone()), Realm::Admin),
            Err(AppError::forbidden())
        );
        assert!(check_realm(Some(id), Realm::Shopper).is_ok());
    }
}
