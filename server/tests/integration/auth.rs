//! Sign-up, sign-in, sign-out and rate limits of the Leptos UIs, through the real router.

use crate::common;

use common::TestApp;
use http::StatusCode;

backend_tests! {
    async fn shopper_registers_then_signs_in_and_sees_profile(app: TestApp) {
        let c = app.client();
        let r = c
            .call("/api/auth/register", &[("phone", "139 0000 1111"), ("password", "tea2026ok"), ("nickname", "品茶人")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["display_name"], "品茶人");
        assert!(c.has_session_cookie(), "registration signs the shopper in");
        let p = c.call("/api/shopper/profile", &[]).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.text);
        assert_eq!(p.json()["phone_masked"], "139****1111");

        // a second client signs in with the same phone and password
        let other = app.client();
        let r = other.sign_in("shopper", "13900001111", "tea2026ok").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["realm"], "shopper");
    }

    async fn phone_is_stored_encrypted_not_in_clear(app: TestApp) {
        let c = app.client();
        c.call("/api/auth/register", &[("phone", "13900002222"), ("password", "abc12345"), ("nickname", "")]).await;
        let rows: Vec<(Option<String>, Option<String>, String)> =
            sqlx::query_as("SELECT phone_enc, phone_hash, nickname FROM shoppers")
                .fetch_all(&app.st.db.pool)
                .await
                .unwrap();
        assert_eq!(rows.len(), 1);
        let (enc, hash, nickname) = &rows[0];
        assert!(!enc.as_deref().unwrap().contains("13900002222"));
        assert!(!hash.as_deref().unwrap().contains("13900002222"));
        assert_eq!(app.st.cipher.decrypt(enc.as_deref().unwrap()).unwrap(), "13900002222");
        assert_eq!(nickname, "用户2222");
    }

    async fn bad_registrations_are_refused_and_change_nothing(app: TestApp) {
        let c = app.client();
        for (phone, password, field) in [
            ("12345", "abc12345", "phone"),
            ("13900003333", "short1", "password"),
            ("13900003333", "lettersonly", "password"),
        ] {
            let r = c.call("/api/auth/register", &[("phone", phone), ("password", password), ("nickname", "")]).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
            assert_eq!(r.json()["code"], 42201, "one envelope for every error answer");
            assert_eq!(r.json()["data"]["field"], field);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM shoppers").await, 0);

        c.call("/api/auth/register", &[("phone", "13900003333"), ("password", "abc12345"), ("nickname", "")]).await;
        let dup = app.client()
            .call("/api/auth/register", &[("phone", "13900003333"), ("password", "abc12345"), ("nickname", "")])
            .await;
        assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(dup.text.contains("已注册"), "{}", dup.text);
        assert_eq!(app.count("SELECT COUNT(*) FROM shoppers").await, 1);
    }

    async fn each_realm_signs_in_with_demo_accounts(app: TestApp) {
        app.seed_demo().await;
        for (realm, login) in [("shopper", "13800000001"), ("merchant", "duyun_tea"), ("admin", "admin")] {
            let c = app.client();
            let r = c.sign_in(realm, login, app::seed::demo::DEMO_PASSWORD).await;
            assert_eq!(r.status, StatusCode::OK, "{realm}: {}", r.text);
            assert_eq!(r.json()["realm"], realm);
            assert!(c.has_session_cookie());
        }
        let staff = app.signed_in("merchant", "DUYUN_TEA", "jishi2026").await;
        let o = staff.call("/api/merchant/overview", &[]).await;
        assert_eq!(o.status, StatusCode::OK, "{}", o.text);
        assert_eq!(o.json()["shop_name"], "都匀毛尖茶庄");
        // a shopper cannot sign in to a console with the same phone
        let r = app.client().sign_in("admin", "13800000001", "jishi2026").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
    }

    async fn wrong_password_gets_a_clear_error_and_no_session(app: TestApp) {
        app.seed_demo().await;
        let c = app.client();
        let r = c.sign_in("admin", "admin", "wrong-password1").await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(r.json()["msg"], "账号或密码错误");
        assert_eq!(r.json()["code"], 40000);
        let unknown = c.sign_in("admin", "nobody", "wrong-password1").await;
        assert_eq!(unknown.text, r.text, "unknown accounts look the same as wrong passwords");
        assert!(!c.has_session_cookie());
        assert_eq!(c.call("/api/admin/overview", &[]).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_failed'").await, 2);
    }

    async fn plain_form_post_errors_come_back_to_the_form(app: TestApp) {
        app.seed_demo().await;
        let c = app.client();
        let r = c
            .post_html_form("/api/auth/sign-in", "/login", &[("realm", "shopper"), ("login", "13800000001"), ("password", "nope12345")])
            .await;
        assert_eq!(r.status, StatusCode::FOUND);
        let loc = r.location().unwrap();
        assert!(loc.starts_with("/login?error="), "{loc}");
        let page = c.get(loc).await;
        assert!(page.text.contains("账号或密码错误"), "error shown on the page");

        let ok = c
            .post_html_form("/api/auth/sign-in", "/login", &[("realm", "shopper"), ("login", "13800000001"), ("password", "jishi2026")])
            .await;
        assert_eq!(ok.status, StatusCode::FOUND);
        assert_eq!(ok.location(), Some("/me"));
        assert!(c.get("/me").await.text.contains("茶友小王"));
    }

    async fn a_refused_field_is_marked_beside_that_field(app: TestApp) {
        app.seed_demo().await;
        let c = app.client();
        let form = [("phone", "1380000"), ("nickname", "新茶友"), ("password", "jishi2026")];
        let r = c.post_html_form("/api/auth/register", "/register", &form).await;
        assert_eq!(r.status, StatusCode::FOUND);
        let loc = r.location().unwrap().to_string();
        assert!(loc.starts_with("/register?error=") && loc.ends_with("&field=phone"), "{loc}");
        let page = c.get(&loc).await.text;
        let message = "请输入正确的11位手机号";
        assert_eq!(page.matches(message).count(), 1, "shown once, not also in the banner: {page}");
        let field = page.find("name=\"phone\"").unwrap();
        let shown = page.find(message).unwrap();
        let next_field = page.find("name=\"nickname\"").unwrap();
        assert!(field < shown && shown < next_field, "the message sits under the phone input");
        let tag = &page[page[..shown].rfind('<').unwrap()..shown];
        assert!(tag.contains("role=\"alert\"") && tag.contains("data-field=\"phone\""), "{tag}");

        // a refusal that names no field of the form stays in the banner
        let taken = [("phone", "13800000001"), ("nickname", ""), ("password", "jishi2026")];
        let r = c.post_html_form("/api/auth/register", "/register", &taken).await;
        let page = c.get(r.location().unwrap()).await.text;
        assert!(page.contains("该手机号已注册，请直接登录"));
        assert_eq!(app.count("SELECT COUNT(*) FROM shoppers WHERE nickname = '新茶友'").await, 0);
    }

    async fn sign_out_ends_the_session(app: TestApp) {
        app.seed_demo().await;
        let c = app.signed_in("shopper", "13800000002", "jishi2026").await;
        assert_eq!(c.call("/api/shopper/profile", &[]).await.status, StatusCode::OK);
        assert_eq!(c.call("/api/auth/sign-out", &[]).await.status, StatusCode::OK);
        assert_eq!(c.call("/api/shopper/profile", &[]).await.status, StatusCode::UNAUTHORIZED);
    }

    async fn a_session_in_daily_use_is_kept_alive_once_a_day(app: TestApp) {
        app.seed_demo().await;
        let c = app.signed_in("shopper", "13800000002", "jishi2026").await;
        let renewed = |r: &common::Response| {
            r.headers
                .get_all(http::header::SET_COOKIE)
                .iter()
                .any(|v| v.to_str().unwrap().starts_with("jishi_sid=") && v.to_str().unwrap().contains("Max-Age="))
        };
        let profile = || c.call("/api/shopper/profile", &[]);
        // the first use after sign-in marks the session seen: written, its idle expiry renewed
        let first = profile().await;
        assert_eq!(first.status, StatusCode::OK);
        assert!(renewed(&first), "the first use is marked: {:?}", first.headers);
        // later the same day the session is only read (a read stays a read)
        let again = profile().await;
        assert_eq!(again.status, StatusCode::OK);
        assert!(!renewed(&again), "used again the same day: no write");
        // a day on, the use renews it: a session used daily does not expire a week after sign-in
        app.st.clock.advance(std::time::Duration::from_secs(24 * 3600 + 60));
        let next_day = profile().await;
        assert_eq!(next_day.status, StatusCode::OK);
        assert!(renewed(&next_day), "the next day's use renews the session");
    }

    async fn account_locks_after_repeated_failures(app: TestApp) {
        app.seed_demo().await;
        let c = app.client();
        for _ in 0..5 {
            assert_eq!(c.sign_in("merchant", "zunyi_chili", "bad-guess1").await.status, StatusCode::BAD_REQUEST);
        }
        let locked = c.sign_in("merchant", "zunyi_chili", "jishi2026").await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(locked.text.contains("请15分钟后再试"), "{}", locked.text);
        // other accounts are not affected
        assert_eq!(c.sign_in("merchant", "puer_tea", "jishi2026").await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn many_attempts_from_one_address_are_limited() {
    let app = TestApp::spawn_with(app::infra::db::Backend::Sqlite, |c| {
        c.trust_forwarded_for = true;
        c.login.max_attempts_per_ip = 3;
    })
    .await;
    let attempt = |ip: &'static str, login: &'static str| {
        let c = app.client();
        async move {
            c.request(
                http::Request::post("/api/auth/sign-in")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("origin", common::ORIGIN)
                    .header("x-forwarded-for", ip)
                    .body(common::encode(&[
                        ("realm", "admin"),
                        ("login", login),
                        ("password", "x1234567"),
                    ]))
                    .unwrap(),
            )
            .await
            .status
        }
    };
    for i in 0..3 {
        assert_eq!(
            attempt("10.0.0.1", ["a1x", "b2x", "c3x"][i]).await,
            StatusCode::BAD_REQUEST
        );
    }
    assert_eq!(
        attempt("10.0.0.1", "d4x").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(attempt("10.0.0.2", "d4x").await, StatusCode::BAD_REQUEST);
}
