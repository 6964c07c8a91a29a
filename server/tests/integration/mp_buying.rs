//! Buying through the mini-program API: the same services as H5, bearer tokens, forged prices
//! ignored, bad quantities and other shoppers' ids refused with a 4xx envelope.

use crate::common;

use common::{mp_api as api, mp_token as token};
use http::StatusCode;
use serde_json::json;

backend_tests! {
    async fn a_mini_program_shopper_buys_from_two_shops(app: TestApp) {
        app.seed_demo().await;
        let t = token(&app, "buyer.1").await;
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT s.id, s.merchant_id, s.price FROM skus s JOIN products p ON p.id = s.product_id \
             WHERE p.status = 'on_sale' AND s.stock >= 5 ORDER BY s.id")
            .fetch_all(&app.st.db.pool).await.unwrap();
        let a = rows[0];
        let b = *rows.iter().find(|r| r.1 != a.1).unwrap();

        let (s, _) = api(&app, &t, "GET", "/cart", None).await;
        assert_eq!(s, StatusCode::OK);
        let (s, body) = api(&app, &t, "POST", "/cart/items", Some(json!({"sku_id": a.0, "qty": 0}))).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (s, _) = api(&app, &t, "POST", "/cart/items", Some(json!({"sku_id": a.0, "qty": 2}))).await;
        assert_eq!(s, StatusCode::OK);
        let (_, cart) = api(&app, &t, "GET", "/cart", None).await;
        assert_eq!(cart["data"]["selected_goods"], 2 * a.2);

        let address = json!({"receiver": "李四", "phone": "13900139000", "province": "贵州省",
            "city": "贵阳市", "district": "云岩区", "detail": "中华北路 1 号"});
        let (s, body) = api(&app, &t, "POST", "/addresses", Some(json!({"province": "火星"}))).await;
        assert!(s.is_client_error(), "{body}");
        let (s, _) = api(&app, &t, "POST", "/addresses", Some(address)).await;
        assert_eq!(s, StatusCode::OK);

        // a forged price is not even a field: what is charged comes from the database
        let basket = json!({"lines": [{"sku_id": a.0, "qty": 2, "price": 1}, {"sku_id": b.0, "qty": 1}], "from_cart": true});
        let (s, preview) = api(&app, &t, "POST", "/checkout/preview", Some(basket.clone())).await;
        assert_eq!(s, StatusCode::OK, "{preview}");
        assert_eq!(preview["data"]["goods"], 2 * a.2 + b.2);
        let mut submit = basket.clone();
        submit["idempotency_key"] = json!("mp-key-000001");
        let (s, trade) = api(&app, &t, "POST", "/checkout/submit", Some(submit.clone())).await;
        assert_eq!(s, StatusCode::OK, "{trade}");
        assert_eq!(trade["data"]["amount"], preview["data"]["total"]);
        let (_, again) = api(&app, &t, "POST", "/checkout/submit", Some(submit)).await;
        assert_eq!(again["data"]["trade_no"], trade["data"]["trade_no"], "resending the key returns the same trade");
        let (s, body) = api(&app, &t, "POST", "/checkout/submit",
            Some(json!({"lines": [{"sku_id": a.0, "qty": -3}], "idempotency_key": "mp-key-000002"}))).await;
        assert!(s.is_client_error(), "{body}");

        let trade_no = trade["data"]["trade_no"].as_str().unwrap();
        let (s, pay) = api(&app, &t, "POST", &format!("/trades/{trade_no}/pay"), None).await;
        assert_eq!(s, StatusCode::OK, "{pay}");
        assert_eq!(pay["data"]["kind"], "simulated_confirm", "{pay}");
        assert_eq!(pay["data"]["amount"], trade["data"]["amount"]);
        let (_, orders) = api(&app, &t, "GET", "/orders?tab=unpaid", None).await;
        assert_eq!(orders["data"]["total"], 2);
        let order_id = orders["data"]["orders"][0]["id"].as_i64().unwrap();
        let (s, detail) = api(&app, &t, "GET", &format!("/orders/{order_id}"), None).await;
        assert_eq!(s, StatusCode::OK, "{detail}");

        // another shopper finds nothing of it
        let other = token(&app, "stranger.1").await;
        let (s, _) = api(&app, &other, "GET", &format!("/orders/{order_id}"), None).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = api(&app, &other, "POST", &format!("/orders/{order_id}/cancel"), None).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = api(&app, &other, "POST", &format!("/trades/{trade_no}/pay"), None).await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        let (s, _) = api(&app, &t, "POST", &format!("/orders/{order_id}/cancel"), None).await;
        assert_eq!(s, StatusCode::OK);
        let (_, orders) = api(&app, &t, "GET", "/orders?tab=unpaid", None).await;
        assert_eq!(orders["data"]["total"], 0, "cancelling closes the whole trade");
        let (s, _) = api(&app, &t, "GET", "/cart", None).await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = api(&app, "bad-token", "GET", "/orders", None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }

    async fn a_mini_program_shopper_pays_with_the_simulated_provider_in_app(app: TestApp) {
        app.seed_demo().await;
        let t = token(&app, "buyer.2").await;
        let (sku, price): (i64, i64) = sqlx::query_as(
            "SELECT s.id, s.price FROM skus s JOIN products p ON p.id = s.product_id \
             WHERE p.status = 'on_sale' AND s.stock >= 5 ORDER BY s.id LIMIT 1")
            .fetch_one(&app.st.db.pool).await.unwrap();
        let address = json!({"receiver": "王五", "phone": "13900139001", "province": "贵州省",
            "city": "贵阳市", "district": "南明区", "detail": "花果园 2 号"});
        let (s, _) = api(&app, &t, "POST", "/addresses", Some(address)).await;
        assert_eq!(s, StatusCode::OK);
        let (s, trade) = api(&app, &t, "POST", "/checkout/submit", Some(json!({
            "lines": [{"sku_id": sku, "qty": 1}], "idempotency_key": "mp-simpay-0001"}))).await;
        assert_eq!(s, StatusCode::OK, "{trade}");
        assert!(trade["data"]["amount"].as_i64().unwrap() >= price);
        let trade_no = trade["data"]["trade_no"].as_str().unwrap();
        let (s, pay) = api(&app, &t, "POST", &format!("/trades/{trade_no}/pay"), None).await;
        assert_eq!(s, StatusCode::OK, "{pay}");
        let confirm = pay["data"]["confirm"].as_str().unwrap();
        let path = confirm.strip_prefix("/api/mp/v1").expect("a path of this API");
        assert_eq!(path, format!("/trades/{trade_no}/simulated-pay"));

        // another shopper cannot pay it; the owner can, once
        let other = token(&app, "stranger.2").await;
        let (s, _) = api(&app, &other, "POST", path, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, paid) = api(&app, &t, "POST", path, None).await;
        assert_eq!(s, StatusCode::OK, "{paid}");
        let (s, again) = api(&app, &t, "POST", path, None).await;
        assert_eq!(s, StatusCode::CONFLICT, "{again}");
        assert_eq!(again["msg"], "该订单已支付");
        let (_, orders) = api(&app, &t, "GET", "/orders?tab=to_ship", None).await;
        assert_eq!(orders["data"]["total"], 1, "the order waits for shipping: {orders}");
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM payment_notifications WHERE reference = $1")
            .bind(trade_no).fetch_one(&app.st.db.pool).await.unwrap();
        assert_eq!(n, 1, "paid through the one notification handler, once");

        // an after-sale with a photo uploaded the way `wx.uploadFile` sends it
        let (s, up) = mp_upload(&app, &t, &common::png(40, 30, 7)).await;
        assert_eq!(s, StatusCode::OK, "{up}");
        let key = up["data"]["key"].as_str().unwrap().to_string();
        let (s, bad) = mp_upload(&app, &t, b"not a picture at all").await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}");
        assert!(bad["msg"].as_str().unwrap().contains("JPEG"), "{bad}");
        let (s, _) = mp_upload(&app, "no-such-token", &common::png(8, 8, 1)).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let order = &orders["data"]["orders"][0];
        let (s, asked) = api(&app, &t, "POST", "/after-sales", Some(json!({
            "order_id": order["id"], "kind": "refund_only", "reason": "拍错了，不想要了",
            "lines": [{"order_item_id": order["items"][0]["id"], "qty": 1}],
            "photos": [key]}))).await;
        assert_eq!(s, StatusCode::OK, "{asked}");
        let (_, view) = api(&app, &t, "GET", &format!("/after-sales/{}", asked["data"]), None).await;
        assert_eq!(view["data"]["photos"][0], key.as_str(), "{view}");
    }
}

/// `POST /uploads/image` as `wx.uploadFile` sends it: multipart, the field `file`, a bearer token.
async fn mp_upload(
    app: &common::TestApp,
    token: &str,
    bytes: &[u8],
) -> (StatusCode, serde_json::Value) {
    use axum::body::Body;
    use http::{header, Request};
    let boundary = "wx-upload-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tmp_1.jpg\"\r\n\
         Content-Type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::post("/api/mp/v1/uploads/image")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    let r = app.client().request(req).await;
    (r.status, r.json())
}
