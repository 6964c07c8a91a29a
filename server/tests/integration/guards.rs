//! Realm guards on console pages and server functions, and CSRF refusal of forged posts.

use crate::common;

use common::TestApp;
use http::{header, Request, StatusCode};

backend_tests! {
    async fn anonymous_visitors_are_sent_to_the_console_sign_in(app: TestApp) {
        let c = app.client();
        let r = c.get("/admin").await;
        assert!(r.status.is_redirection(), "{}", r.status);
        assert_eq!(r.location(), Some("/admin/login"));
        let r = c.get("/merchant").await;
        assert_eq!(r.location(), Some("/merchant/login"));
        assert_eq!(c.get("/admin/login").await.status, StatusCode::OK);
        assert_eq!(c.get("/merchant/login").await.status, StatusCode::OK);
    }

    /// An admin's role and standing are read on every call, not kept in the session: a role
    /// taken away or an account disabled applies to a session that is already signed in.
    async fn a_changed_admin_role_or_a_disabled_admin_applies_at_once(app: TestApp) {
        app.seed_demo().await;
        let category = |name| [("name", name), ("icon", ""), ("sort_order", "0"), ("commission_percent", "1"), ("enabled", "on")];
        let exec = |sql: &'static str| async { sqlx::query(sql).execute(&app.st.db.pool).await.unwrap() };
        let queue = [("status", "")];
        let operator = app.signed_in("admin", "operator", "jishi2026").await;
        assert_eq!(operator.call("/api/admin/categories/save", &category("新类目")).await.status, StatusCode::OK);
        exec("UPDATE admins SET role = 'reviewer' WHERE username = 'operator'").await;
        let r = operator.call("/api/admin/categories/save", &category("再建一个")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
        assert_eq!(app.count("SELECT COUNT(*) FROM categories WHERE name = '再建一个'").await, 0);
        assert_eq!(operator.call("/api/admin/applications", &queue).await.status, StatusCode::OK, "a reviewer now");
        exec("UPDATE admins SET status = 'disabled' WHERE username = 'operator'").await;
        assert_eq!(operator.call("/api/admin/applications", &queue).await.status, StatusCode::UNAUTHORIZED);
    }

    async fn sessions_of_other_realms_get_403_on_console_pages(app: TestApp) {
        app.seed_demo().await;
        let shopper = app.signed_in("shopper", "13800000001", "jishi2026").await;
        let staff = app.signed_in("merchant", "miao_batik", "jishi2026").await;
        let admin = app.signed_in("admin", "admin", "jishi2026").await;
        for path in ["/admin", "/admin/anything"] {
            assert_eq!(shopper.get(path).await.status, StatusCode::FORBIDDEN, "shopper {path}");
            assert_eq!(staff.get(path).await.status, StatusCode::FORBIDDEN, "staff {path}");
        }
        assert_eq!(shopper.get("/merchant").await.status, StatusCode::FORBIDDEN);
        assert_eq!(admin.get("/merchant").await.status, StatusCode::FORBIDDEN);
        let ok = admin.get("/admin").await;
        assert_eq!(ok.status, StatusCode::OK);
        assert!(ok.text.contains("市场概览"), "the admin's dashboard");
        let ok = staff.get("/merchant").await;
        assert_eq!(ok.status, StatusCode::OK);
        assert!(ok.text.contains("丹寨苗族蜡染"));
    }

    async fn server_functions_refuse_other_realms(app: TestApp) {
        app.seed_demo().await;
        let shopper = app.signed_in("shopper", "13800000001", "jishi2026").await;
        let staff = app.signed_in("merchant", "puer_tea", "jishi2026").await;
        let admin = app.signed_in("admin", "finance", "jishi2026").await;
        let anonymous = app.client();
        for (client, path) in [
            (&shopper, "/api/admin/overview"),
            (&staff, "/api/admin/overview"),
            (&shopper, "/api/merchant/overview"),
            (&admin, "/api/merchant/overview"),
            (&staff, "/api/shopper/profile"),
        ] {
            let r = client.call(path, &[]).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.text);
            assert_eq!(r.json()["code"], 40300, "{path}");
            assert_eq!(r.json()["msg"], "没有权限执行此操作");
        }
        assert_eq!(anonymous.call("/api/admin/overview", &[]).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(admin.call("/api/admin/overview", &[]).await.status, StatusCode::OK);
    }

    async fn forged_cross_site_posts_are_refused(app: TestApp) {
        app.seed_demo().await;
        let admin = app.signed_in("admin", "admin", "jishi2026").await;
        let forged = |origin: Option<&str>| {
            let mut b = Request::post("/api/auth/sign-out")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            if let Some(o) = origin {
                b = b.header(header::ORIGIN, o);
            }
            b.body(axum::body::Body::empty()).unwrap()
        };
        for origin in [Some("https://evil.example"), Some("null"), None] {
            let r = admin.request(forged(origin)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{origin:?}");
            assert!(r.json()["msg"].as_str().unwrap().contains("请求来源"));
        }
        // still signed in: none of the forged posts took effect
        assert_eq!(admin.call("/api/admin/overview", &[]).await.status, StatusCode::OK);
    }

    async fn a_shopper_forging_a_form_post_to_an_admin_function_gets_403(app: TestApp) {
        app.seed_demo().await;
        let shopper = app.signed_in("shopper", "13800000003", "jishi2026").await;
        let r = shopper.post_html_form("/api/admin/overview", "/me", &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn session_cookie_is_http_only_and_same_site_lax() {
    let app = TestApp::spawn(app::infra::db::Backend::Sqlite).await;
    app.seed_demo().await;
    let r = app
        .client()
        .sign_in("shopper", "13800000001", "jishi2026")
        .await;
    let cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(cookie.starts_with("jishi_sid="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "not Secure without TLS: {cookie}"
    );

    let tls =
        TestApp::spawn_with(app::infra::db::Backend::Sqlite, |c| c.secure_cookies = true).await;
    tls.seed_demo().await;
    let r = tls.client().sign_in("admin", "admin", "jishi2026").await;
    let cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
}
