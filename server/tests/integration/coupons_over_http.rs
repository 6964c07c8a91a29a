//! Coupons through the mini-program API, on SQLite and PostgreSQL: many shoppers claiming a few
//! copies at once over HTTP, one copy named by racing checkouts, and forged or foreign coupon
//! ids and forged amounts, each refused or ignored with nothing changed.

use crate::common::buying::{amount_off, coupon_input, create_coupon};
use crate::common::{mp_api as api, mp_token as token, TestApp};

use http::StatusCode;
use serde_json::{json, Value};

/// A mini-program shopper with a saved address.
async fn buyer(app: &TestApp, code: &str) -> String {
    let t = token(app, code).await;
    let address = json!({"receiver": "李四", "phone": "13900139000", "province": "贵州省",
        "city": "贵阳市", "district": "云岩区", "detail": "中华北路 1 号"});
    let (s, body) = api(app, &t, "POST", "/addresses", Some(address)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    t
}

/// One SKU of ¥100 or more, with stock.
async fn sku(app: &TestApp) -> i64 {
    let (id,): (i64,) = sqlx::query_as(
        "SELECT s.id FROM skus s JOIN products p ON p.id = s.product_id \
         WHERE p.status = 'on_sale' AND s.active = 1 ORDER BY s.id LIMIT 1",
    )
    .fetch_one(&app.st.db.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE skus SET price = 12000, stock = 1000 WHERE id = $1")
        .bind(id)
        .execute(&app.st.db.pool)
        .await
        .unwrap();
    id
}

async fn my_copy(app: &TestApp, t: &str, name: &str) -> i64 {
    let (_, mine) = api(app, t, "GET", "/coupons?tab=available", None).await;
    mine["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("{name} not held: {mine}"))["id"]
        .as_i64()
        .unwrap()
}

/// The same call as `mp_api`, on its own task: requests really in flight together.
fn spawn_call(
    app: &TestApp,
    token: &str,
    path: &str,
    body: Value,
) -> tokio::task::JoinHandle<(StatusCode, Value)> {
    let client = app.client();
    let req = http::Request::post(format!("/api/mp/v1{path}"))
        .header(http::header::AUTHORIZATION, format!("Bearer {token}"))
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .unwrap();
    tokio::spawn(async move {
        let r = client.request(req).await;
        (r.status, r.json())
    })
}

async fn all(tasks: Vec<tokio::task::JoinHandle<(StatusCode, Value)>>) -> Vec<(StatusCode, Value)> {
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

fn submit(sku: i64, coupon: Value, key: &str) -> Value {
    json!({"lines": [{"sku_id": sku, "qty": 1}], "platform_coupon_id": coupon, "idempotency_key": key})
}

backend_tests! {
    async fn forty_shoppers_claiming_ten_copies_over_http_get_ten(app: TestApp) {
        app.seed_demo().await;
        let id = create_coupon(&app.st, None, &coupon_input("抢券", amount_off(5000, 500), 10, 1)).await;
        let mut tokens = Vec::new();
        for i in 0..40 {
            tokens.push(token(&app, &format!("claimer{i}.1")).await);
        }
        let claims = tokens.iter().map(|t| spawn_call(&app, t, "/coupons/claim", json!({"template_id": id}))).collect();
        let statuses: Vec<StatusCode> = all(claims).await.into_iter().map(|(s, _)| s).collect();
        let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
        let refused = statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count();
        assert_eq!((ok, refused), (10, 30), "{statuses:?}");
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM coupons WHERE template_id = {id}")).await, 10);
        assert_eq!(app.count(&format!("SELECT issued_qty FROM coupon_templates WHERE id = {id}")).await, 10);
    }

    async fn one_copy_named_by_racing_checkouts_is_used_once(app: TestApp) {
        app.seed_demo().await;
        crate::common::end_demo_promotions(&app.st).await;
        let t = buyer(&app, "racer.1").await;
        let sku = sku(&app).await;
        let id = create_coupon(&app.st, None, &coupon_input("独一张", amount_off(10000, 2000), 10, 1)).await;
        let (s, _) = api(&app, &t, "POST", "/coupons/claim", Some(json!({"template_id": id}))).await;
        assert_eq!(s, StatusCode::OK);
        let copy = my_copy(&app, &t, "独一张").await;
        let racers = (0..6)
            .map(|i| spawn_call(&app, &t, "/checkout/submit", submit(sku, json!(copy), &format!("race-key-{i:06}"))))
            .collect();
        let answers = all(racers).await;
        let made: Vec<&Value> = answers.iter().filter(|(s, _)| *s == StatusCode::OK).map(|(_, b)| b).collect();
        assert!(answers.iter().all(|(s, b)| *s == StatusCode::OK || s.is_client_error() && b["msg"].is_string()), "{answers:?}");
        let discounted = made.iter().filter(|b| b["data"]["amount"].as_i64().unwrap() < 12000).count();
        assert_eq!(discounted, 1, "one trade took the coupon: {made:?}");
        assert_eq!(
            app.count(&format!("SELECT COUNT(DISTINCT order_id) FROM order_item_discounts WHERE source = 'platform_coupon' AND source_id = {copy}")).await,
            1
        );
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM coupons WHERE id = {copy} AND status = 'locked'")).await, 1);
    }

    async fn forged_and_foreign_coupons_and_amounts_change_nothing(app: TestApp) {
        app.seed_demo().await;
        crate::common::end_demo_promotions(&app.st).await;
        let sku = sku(&app).await;
        let id = create_coupon(&app.st, None, &coupon_input("我的券", amount_off(10000, 2000), 10, 1)).await;
        let (me, other) = (buyer(&app, "owner.1").await, buyer(&app, "thief.1").await);
        api(&app, &me, "POST", "/coupons/claim", Some(json!({"template_id": id}))).await;
        let mine = my_copy(&app, &me, "我的券").await;
        let trades = app.count("SELECT COUNT(*) FROM trades").await;

        for (forged, why) in [(json!(mine), "another shopper's copy"), (json!(999_999), "no such copy"), (json!("abc"), "not a number")] {
            let (s, body) = api(&app, &other, "POST", "/checkout/preview", Some(submit(sku, forged.clone(), "k"))).await;
            assert!(s.is_client_error(), "{why}: {body}");
            let (s, body) = api(&app, &other, "POST", "/checkout/submit", Some(submit(sku, forged, "forged-key-0001"))).await;
            assert!(s.is_client_error(), "{why}: {body}");
            assert!(body["msg"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM trades").await, trades);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM coupons WHERE id = {mine} AND status = 'available'")).await, 1);

        // amounts sent with the request are not read: the server prices the trade itself
        let (_, preview) = api(&app, &me, "POST", "/checkout/preview", Some(submit(sku, json!(mine), "k"))).await;
        assert_eq!(preview["data"]["total"], 10000, "{preview}");
        let mut tampered = submit(sku, json!(mine), "tamper-key-0001");
        tampered["total"] = json!(1);
        tampered["discount"] = json!(11999);
        tampered["lines"][0]["price"] = json!(1);
        let (s, trade) = api(&app, &me, "POST", "/checkout/submit", Some(tampered)).await;
        assert_eq!(s, StatusCode::OK, "{trade}");
        assert_eq!(trade["data"]["amount"], 10000);
    }
}
