//! What an attacker or a clumsy client tries over HTTP: security headers on every kind of
//! answer, exact status codes for missing and foreign rows, client mistakes answered 4xx in the
//! API's envelope, commission kept from shoppers, and `/metrics` behind its configuration.

use crate::common::{self, mp_api, mp_token, TestApp};
use axum::body::Body;
use http::{header, Request, StatusCode};
use serde_json::{json, Value};

/// The headers every answer carries.
fn assert_protected(what: &str, r: &common::Response) {
    let h = |name: &str| {
        r.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(h("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(h("x-frame-options"), "DENY", "{what}");
    let csp = h("content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(
        !csp.contains("'unsafe-inline'") || !csp.contains("script-src 'unsafe-inline'"),
        "{what}: {csp}"
    );
}

/// Places an order of the mini-program shopper of `token` (unpaid) and returns (order id,
/// trade no).
async fn mp_order(app: &TestApp, token: &str) -> (i64, String) {
    let (sku,): (i64,) = sqlx::query_as(
        "SELECT s.id FROM skus s JOIN products p ON p.id = s.product_id \
         WHERE p.status = 'on_sale' AND s.active = 1 AND s.stock > 10 ORDER BY s.id LIMIT 1",
    )
    .fetch_one(&app.st.db.pool)
    .await
    .unwrap();
    let (s, _) = mp_api(
        app,
        token,
        "POST",
        "/addresses",
        Some(json!({
            "receiver": "李四", "phone": "13900001111", "province": "贵州省", "city": "贵阳市",
            "district": "南明区", "detail": "中华南路 1 号", "is_default": true
        })),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, trade) = mp_api(
        app,
        token,
        "POST",
        "/checkout/submit",
        Some(json!({
            "lines": [{"sku_id": sku, "qty": 1}], "idempotency_key": format!("hardening-{token:.8}")
        })),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{trade}");
    let trade_no = trade["data"]["trade_no"].as_str().unwrap().to_string();
    let order = trade["data"]["order_ids"][0]
        .as_i64()
        .unwrap_or_else(|| panic!("no order id in {trade}"));
    (order, trade_no)
}

backend_tests! {
    async fn every_kind_of_answer_carries_the_security_headers(app: TestApp) {
        app.seed_demo().await;
        let c = app.client();
        let page = c.get("/").await;
        assert_protected("page", &page);
        let csp = page.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("a page names its nonce");
        assert!(page.text.contains(&format!("nonce=\"{nonce}\"")), "the islands loader carries the page's nonce");
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"));
        assert_protected("API", &c.get("/api/mp/v1/home").await);
        assert_protected("404 page", &c.get("/no/such/page").await);
        assert_protected("static", &c.get("/favicon.svg").await);
        let image: (String,) = sqlx::query_as("SELECT main_image FROM products ORDER BY id LIMIT 1").fetch_one(&app.st.db.pool).await.unwrap();
        let media = c.get(&format!("/media/{}_240.jpg", image.0)).await;
        assert_eq!(media.status, StatusCode::OK);
        assert_protected("media", &media);
        let anon_console = c.get("/admin").await;
        assert_protected("redirect", &anon_console);
        // two pages never share a nonce
        let again = c.get("/").await;
        assert_ne!(again.headers[header::CONTENT_SECURITY_POLICY], page.headers[header::CONTENT_SECURITY_POLICY]);
    }

    async fn missing_and_foreign_rows_answer_404(app: TestApp) {
        app.seed_demo().await;
        let t = mp_token(&app, "hardening-buyer").await;
        let (order, trade_no) = mp_order(&app, &t).await;
        let (merchant,): (i64,) = sqlx::query_as("SELECT merchant_id FROM orders WHERE id = $1").bind(order).fetch_one(&app.st.db.pool).await.unwrap();
        let (other_login,): (String,) = sqlx::query_as("SELECT username FROM merchant_staff WHERE merchant_id <> $1 AND role = 'owner' ORDER BY id LIMIT 1").bind(merchant).fetch_one(&app.st.db.pool).await.unwrap();
        let other = app.signed_in("merchant", &other_login, common::DEMO_PASSWORD).await;
        for path in [format!("/merchant/orders/{order}"), format!("/merchant/orders/{order}/packing"), "/merchant/orders/999999".into(), "/merchant/finance/bills/999999".into()] {
            let r = other.get(&path).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        }
        let shopper = app.signed_in("shopper", "13800000001", common::DEMO_PASSWORD).await;
        assert_eq!(shopper.get(&format!("/pay/{trade_no}")).await.status, StatusCode::NOT_FOUND, "another shopper's trade");
        assert_eq!(shopper.get(&format!("/orders/{order}")).await.status, StatusCode::NOT_FOUND);
        assert_eq!(shopper.get("/product/999999").await.status, StatusCode::NOT_FOUND);
        let admin = app.signed_in("admin", "admin", common::DEMO_PASSWORD).await;
        assert_eq!(admin.get("/admin/orders/999999").await.status, StatusCode::NOT_FOUND);
        assert_eq!(admin.get(&format!("/admin/orders/{order}")).await.status, StatusCode::OK);

        // actions on another shop's ids say "not found" and change nothing
        let (foreign_product,): (i64,) = sqlx::query_as("SELECT id FROM products WHERE merchant_id = $1 AND status = 'on_sale' ORDER BY id LIMIT 1").bind(merchant).fetch_one(&app.st.db.pool).await.unwrap();
        let r = other.call("/api/merchant/products/shelf", &[("ids[]", &foreign_product.to_string()), ("on", "0")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        let (status,): (String,) = sqlx::query_as("SELECT status FROM products WHERE id = $1").bind(foreign_product).fetch_one(&app.st.db.pool).await.unwrap();
        assert_eq!(status, "on_sale");
        let r = other.call("/api/merchant/orders/ship", &[("order_id", &order.to_string()), ("carrier", "顺丰速运"), ("tracking_no", "SF1234567890")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        let (s, v) = mp_api(&app, &mp_token(&app, "someone-else").await, "GET", &format!("/orders/{order}"), None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    }

    async fn shoppers_never_see_the_platform_commission(app: TestApp) {
        app.seed_demo().await;
        let t = mp_token(&app, "commission-peek").await;
        let (order, _) = mp_order(&app, &t).await;
        let (_, list) = mp_api(&app, &t, "GET", "/orders", None).await;
        let (_, detail) = mp_api(&app, &t, "GET", &format!("/orders/{order}"), None).await;
        for v in [&list, &detail] {
            assert!(!v.to_string().contains("commission"), "{v}");
        }
        let (merchant,): (i64,) = sqlx::query_as("SELECT merchant_id FROM orders WHERE id = $1").bind(order).fetch_one(&app.st.db.pool).await.unwrap();
        let (login,): (String,) = sqlx::query_as("SELECT username FROM merchant_staff WHERE merchant_id = $1 AND role = 'owner'").bind(merchant).fetch_one(&app.st.db.pool).await.unwrap();
        let owner = app.signed_in("merchant", &login, common::DEMO_PASSWORD).await;
        let d = owner.call("/api/merchant/orders/detail", &[("id", &order.to_string())]).await.json();
        assert!(d["order"]["summary"]["items"][0]["commission_bps"].as_i64().is_some(), "the shop sees its rate: {d}");
    }

    async fn client_mistakes_are_4xx_in_the_envelope(app: TestApp) {
        app.seed_demo().await;
        let c = app.client();
        // a server function with no body, or a body it cannot read
        for body in ["", "realm=nowhere&login=x", "%%%"] {
            let r = c.request(Request::post("/api/auth/sign-in")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ORIGIN, common::ORIGIN)
                .body(Body::from(body)).unwrap()).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body:?}: {}", r.text);
            assert_eq!(r.json()["code"], 40000, "server functions answer in the API's envelope");
            assert!(r.json()["msg"].as_str().is_some_and(|m| !m.is_empty()));
        }
        let t = mp_token(&app, "clumsy").await;
        // far too many ids
        let ids: Vec<i64> = (1..=32_800).collect();
        for path in ["/cart/select", "/cart/remove"] {
            let (s, v) = mp_api(&app, &t, "POST", path, Some(json!({"ids": ids, "selected": true}))).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{path}: {v}");
            assert_eq!(v["code"], 40000);
        }
        let (s, v) = mp_api(&app, &t, "POST", "/checkout/preview", Some(json!({"lines": (1..=5000).map(|i| json!({"sku_id": i, "qty": 1})).collect::<Vec<Value>>()}))).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        // a body over the limit
        let big = format!("{{\"code\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
        let r = c.request(Request::post("/api/mp/v1/auth/wx-login")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_LENGTH, big.len())
            .body(Body::from(big)).unwrap()).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
        assert_eq!(r.json()["code"], 41300);
        // letters where an id belongs
        for path in ["/products/abc", "/shops/1x", "/orders/%20"] {
            let (s, v) = mp_api(&app, &t, "GET", path, None).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{path}: {v}");
            assert_eq!(v["code"], 40000, "{path}: the envelope");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_answer_only_allowed_scrapers() {
    let app = TestApp::spawn_with(app::infra::db::Backend::Sqlite, |c| {
        c.metrics.token = Some("scrape-secret-2026".to_string().into());
    })
    .await;
    let c = app.client();
    assert_eq!(c.get("/metrics").await.status, StatusCode::FORBIDDEN);
    let r = c
        .request(
            Request::get("/metrics")
                .header(header::AUTHORIZATION, "Bearer wrong")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = c
        .request(
            Request::get("/metrics")
                .header(header::AUTHORIZATION, "Bearer scrape-secret-2026")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("http_requests_total"));
}
