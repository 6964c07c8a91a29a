//! Realm guard of the console pages: `/merchant/**` needs merchant staff, `/admin/**` a platform
//! admin (sign-in pages excepted). Anonymous visitors are sent to the sign-in page; a signed-in
//! user of another realm gets 403. Server functions check the realm again themselves.

use app::domain::account::Realm;
use app::error::AppError;
use app::infra::session::check_realm;
use app::services::accounts;
use app::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use http::StatusCode;
use tower_sessions::Session;

pub async fn console_pages(
    State(st): State<AppState>,
    session: Session,
    req: Request,
    next: Next,
) -> Response {
    let Some(realm) = console_realm(req.uri().path()) else {
        return next.run(req).await;
    };
    let identity = match accounts::live_identity(&st, &session).await {
        Ok(identity) => identity,
        Err(e) => return e.into_response(),
    };
    match check_realm(identity, realm) {
        Ok(_) => next.run(req).await,
        Err(AppError::Unauthorized) => Redirect::to(realm.login_path()).into_response(),
        Err(_) => forbidden_page(realm, &st.bundles.stylesheet_href()),
    }
}

/// The realm a console page requires, or `None` for public pages and the sign-in pages.
fn console_realm(path: &str) -> Option<Realm> {
    for realm in [Realm::Merchant, Realm::Admin] {
        let root = realm.home_path();
        let inside = path == root || path.starts_with(&format!("{root}/"));
        if inside && path != realm.login_path() {
            return Some(realm);
        }
    }
    None
}

fn forbidden_page(realm: Realm, stylesheet: &str) -> Response {
    let html = format!(
        r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>无权访问 - 集市</title><link rel="stylesheet" href="{stylesheet}"></head><body class="bg-page text-ink"><main class="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center gap-4 p-8 text-center"><p class="text-6xl font-bold text-promo">403</p><p class="text-lg">当前账号无权访问此页面</p><a class="btn-primary px-6" href="{login}">切换账号登录</a><a class="text-sm text-gray-500" href="/">回到商城首页</a></main></body></html>"#,
        login = realm.login_path()
    );
    (StatusCode::FORBIDDEN, Html(html)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_paths_map_to_realms() {
        assert_eq!(console_realm("/admin"), Some(Realm::Admin));
        assert_eq!(console_realm("/admin/merchants"), Some(Realm::Admin));
        assert_eq!(console_realm("/admin/login"), None);
        assert_eq!(console_realm("/merchant"), Some(Realm::Merchant));
        assert_eq!(console_realm("/merchants-list"), None);
        assert_eq!(console_realm("/me"), None);
    }
}
