//! Reviews end to end: a shopper reviews the lines of a completed order through the
//! mini-program API (stars, masked words, photos, anonymous), appends once within 90 days, the
//! shop replies once to each, the platform hides and shows again; figures and scores follow
//! every step; forged and repeated requests change nothing; two submits of one line at once
//! make one review; unreviewed lines get an automatic positive review, refunded ones none.

use std::time::Duration;

use crate::common::{
    merchant_scope, mp_api as api, mp_token as token, operator, TestApp, DEMO_PASSWORD as PW,
};
use app::services::reviews;
use http::StatusCode;
use serde_json::{json, Value};

/// A tea shop's id and two of its SKUs (of two products) with stock.
async fn tea_skus(app: &TestApp) -> (i64, Vec<(i64, i64)>) {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT m.id, s.id, p.id FROM skus s JOIN products p ON p.id = s.product_id \
         JOIN merchants m ON m.id = p.merchant_id \
         WHERE m.name = '都匀毛尖茶庄' AND p.status = 'on_sale' AND s.active = 1 AND s.stock >= 5 \
         ORDER BY p.id, s.id",
    )
    .fetch_all(&app.st.db.pool)
    .await
    .unwrap();
    let mut picked: Vec<(i64, i64)> = Vec::new();
    for (_, sku, product) in &rows {
        if !picked.iter().any(|(_, p)| p == product) {
            picked.push((*sku, *product));
        }
    }
    assert!(picked.len() >= 2, "the demo tea shop sells two products");
    (rows[0].0, picked.into_iter().take(2).collect())
}

/// A completed two-line order of the tea shop for the shopper of `t`: (order, its items).
async fn completed_order(app: &TestApp, t: &str, key: &str) -> (i64, Vec<Value>) {
    add_address(app, t).await;
    let (_, skus) = tea_skus(app).await;
    let lines: Vec<Value> = skus
        .iter()
        .map(|(sku, _)| json!({"sku_id": sku, "qty": 1}))
        .collect();
    let (s, trade) = api(
        app,
        t,
        "POST",
        "/checkout/submit",
        Some(json!({"lines": lines, "idempotency_key": key})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{trade}");
    let no = trade["data"]["trade_no"].as_str().unwrap();
    let (s, paid) = api(app, t, "POST", &format!("/trades/{no}/simulated-pay"), None).await;
    assert_eq!(s, StatusCode::OK, "{paid}");
    let id = trade["data"]["order_ids"][0].as_i64().unwrap();
    let tea = app.signed_in("merchant", "duyun_tea", PW).await;
    let r = tea
        .call(
            "/api/merchant/orders/ship",
            &[
                ("order_id", &id.to_string()),
                ("carrier", "顺丰速运"),
                ("tracking_no", "SF1234567890"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let (s, done) = api(app, t, "POST", &format!("/orders/{id}/confirm"), None).await;
    assert_eq!(s, StatusCode::OK, "{done}");
    let (_, order) = api(app, t, "GET", &format!("/orders/{id}"), None).await;
    (
        id,
        order["data"]["order"]["summary"]["items"]
            .as_array()
            .unwrap()
            .clone(),
    )
}

async fn add_address(app: &TestApp, t: &str) {
    let address = json!({"receiver": "张三", "phone": "13900139000", "province": "贵州省",
        "city": "贵阳市", "district": "云岩区", "detail": "中华北路 1 号", "is_default": true});
    let (s, body) = api(app, t, "POST", "/addresses", Some(address)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
}

fn line(item: &Value, goods: i64, content: &str, images: &[&str]) -> Value {
    json!({"order_item_id": item["id"], "goods_stars": goods, "service_stars": 4,
        "logistics_stars": 3, "content": content, "images": images, "anonymous": true})
}

async fn summary(app: &TestApp, product_id: i64) -> Value {
    let (s, page) = api(
        app,
        "",
        "GET",
        &format!("/products/{product_id}/reviews"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{page}");
    page["data"].clone()
}

crate::backend_tests! {
    async fn a_shopper_reviews_appends_and_the_shop_replies(app: TestApp) {
        app.seed_demo().await;
        let t = token(&app, "reviewer.1").await;
        // another shopper (a login code's part before the dot is its openid)
        let other = token(&app, "critic.1").await;
        let (shop_id, _) = tea_skus(&app).await;

        // before receipt nothing can be reviewed
        add_address(&app, &t).await;
        let (s, trade) = api(&app, &t, "POST", "/checkout/submit", Some(json!({
            "lines": [{"sku_id": tea_skus(&app).await.1[0].0, "qty": 1}], "idempotency_key": "review-early-1"}))).await;
        assert_eq!(s, StatusCode::OK, "{trade}");
        let early = trade["data"]["order_ids"][0].as_i64().unwrap();
        let (_, unpaid) = api(&app, &t, "GET", &format!("/orders/{early}"), None).await;
        let early_item = unpaid["data"]["order"]["summary"]["items"][0].clone();
        let (s, refused) = api(&app, &t, "POST", &format!("/orders/{early}/reviews"),
            Some(json!({"lines": [line(&early_item, 5, "还没收到", &[])]}))).await;
        assert_eq!(s, StatusCode::CONFLICT, "{refused}");
        let (s, _) = api(&app, &t, "POST", &format!("/orders/{early}/reviews"), Some(json!({"lines": []}))).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

        let (order_id, items) = completed_order(&app, &t, "review-order-0001").await;
        let path = format!("/orders/{order_id}/reviews");
        let (s, waiting) = api(&app, &t, "GET", "/reviews/waiting", None).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(waiting["data"].as_array().unwrap().len(), 2, "{waiting}");
        let (s, list) = api(&app, &t, "GET", "/orders", None).await;
        assert_eq!(s, StatusCode::OK);
        let summary_of_order = list["data"]["orders"].as_array().unwrap().iter()
            .find(|o| o["id"] == order_id).unwrap().clone();
        assert_eq!(summary_of_order["to_review"], true, "{summary_of_order}");

        let photo = app.signed_in("merchant", "duyun_tea", PW).await.upload_picture(9).await;
        let first = &items[0];
        let product = first["product_id"].as_i64().unwrap();
        let before = app.count("SELECT COUNT(*) FROM reviews").await;

        // forged and bad input change nothing
        for (who, body, want) in [
            (&other, json!({"lines": [line(first, 5, "好", &[])]}), StatusCode::NOT_FOUND),
            (&t, json!({"lines": [{"order_item_id": 999_999, "goods_stars": 5, "service_stars": 5, "logistics_stars": 5}]}), StatusCode::NOT_FOUND),
            (&t, json!({"lines": [line(first, 6, "好", &[])]}), StatusCode::UNPROCESSABLE_ENTITY),
            (&t, json!({"lines": [line(first, 0, "好", &[])]}), StatusCode::UNPROCESSABLE_ENTITY),
            (&t, json!({"lines": [line(first, 5, &"好".repeat(501), &[])]}), StatusCode::UNPROCESSABLE_ENTITY),
            (&t, json!({"lines": [line(first, 5, "好", &[photo.as_str(); 10])]}), StatusCode::UNPROCESSABLE_ENTITY),
            (&t, json!({"lines": [line(first, 5, "好", &["forged-key.webp"])]}), StatusCode::UNPROCESSABLE_ENTITY),
        ] {
            let (s, body) = api(&app, who, "POST", &path, Some(body)).await;
            assert_eq!(s, want, "{body}");
            assert!(body["msg"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM reviews").await, before);

        // a review with a masked word and a photo, shown anonymously
        let (s, done) = api(&app, &t, "POST", &path, Some(json!({
            "lines": [line(first, 5, "茶香浓郁，卖家不是傻逼", &[photo.as_str()])]}))).await;
        assert_eq!(s, StatusCode::OK, "{done}");
        let review_id = done["data"]["review_ids"][0].as_i64().unwrap();
        let (s, again) = api(&app, &t, "POST", &path, Some(json!({"lines": [line(first, 1, "再评", &[])]}))).await;
        assert_eq!(s, StatusCode::CONFLICT, "{again}");
        let page = summary(&app, product).await;
        assert_eq!(page["summary"]["total"], 1, "{page}");
        assert_eq!(page["summary"]["rating_x10"], 50);
        assert_eq!(page["summary"]["positive_rate_bps"], 10_000);
        assert_eq!(page["summary"]["with_photos"], 1);
        let row = &page["rows"][0];
        assert_eq!(row["reviewer"], "匿名用户");
        assert_eq!(row["content"], "茶香浓郁，卖家不是**");
        assert_eq!(row["images"][0], photo.as_str());
        assert!(row["hidden_reason"].is_null());

        // the second line, sent twice at once: one review
        let second = line(&items[1], 2, "一般般", &[]);
        let body = json!({"lines": [second]});
        let (a, b) = tokio::join!(
            api(&app, &t, "POST", &path, Some(body.clone())),
            api(&app, &t, "POST", &path, Some(body.clone())),
        );
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{} {}", a.1, b.1);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM reviews WHERE order_id = {order_id}")).await, 2);
        let (_, waiting) = api(&app, &t, "GET", "/reviews/waiting", None).await;
        assert!(waiting["data"].as_array().unwrap().iter().all(|l| l["order_id"] != order_id), "{waiting}");
        assert_eq!(app.count(&format!("SELECT review_pending FROM orders WHERE id = {order_id}")).await, 0);

        // the append: once, the author's only
        let append_path = format!("/reviews/{review_id}/append");
        let (s, _) = api(&app, &other, "POST", &append_path, Some(json!({"content": "追评"}))).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = api(&app, &t, "POST", &append_path, Some(json!({"content": "  "}))).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let (s, done) = api(&app, &t, "POST", &append_path, Some(json!({"content": "喝了一个月，回甘明显"}))).await;
        assert_eq!(s, StatusCode::OK, "{done}");
        let (s, _) = api(&app, &t, "POST", &append_path, Some(json!({"content": "再追"}))).await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert_eq!(summary(&app, product).await["summary"]["with_append"], 1);

        // the shop replies once to each; another shop cannot
        let scope = merchant_scope(&app.st, shop_id).await;
        reviews::reply(&app.st, &scope, review_id, false, "谢谢支持！", "127.0.0.1").await.unwrap();
        let e = reviews::reply(&app.st, &scope, review_id, false, "再谢", "127.0.0.1").await.unwrap_err();
        assert_eq!(e.status(), 409);
        reviews::reply(&app.st, &scope, review_id, true, "欢迎回购", "127.0.0.1").await.unwrap();
        let (zunyi,): (i64,) = sqlx::query_as("SELECT id FROM merchants WHERE name = '遵义辣椒酱坊'")
            .fetch_one(&app.st.db.pool).await.unwrap();
        let foreign = merchant_scope(&app.st, zunyi).await;
        let e = reviews::reply(&app.st, &foreign, review_id, false, "抢答", "127.0.0.1").await.unwrap_err();
        assert_eq!(e.status(), 404);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'review_reply'").await, 2);
        let (_, mine) = api(&app, &t, "GET", "/reviews", None).await;
        let mine_row = mine["data"]["rows"].as_array().unwrap().iter().find(|r| r["id"] == review_id).unwrap().clone();
        assert_eq!(mine_row["reply"]["content"], "谢谢支持！");
        assert_eq!(mine_row["append"]["reply"]["content"], "欢迎回购");
        assert!(mine_row["actions"].as_array().unwrap().is_empty(), "{mine_row}");

        // the shop's scores: goods (5 + 2) / 2, service 4, logistics 3
        let (s, scores) = api(&app, "", "GET", &format!("/shops/{shop_id}/scores"), None).await;
        assert_eq!(s, StatusCode::OK, "{scores}");
        assert_eq!(scores["data"]["reviews"], 2);
        assert_eq!(scores["data"]["goods_x100"], 350);
        assert_eq!(scores["data"]["service_x100"], 400);
        assert_eq!(scores["data"]["logistics_x100"], 300);
        // the shop's dashboard shows the same day in its score trend, and leaves hidden ones out
        let tea = app.signed_in("merchant", "duyun_tea", PW).await;
        let today = |board: Value| board["scores"].as_array().unwrap().last().cloned().unwrap();
        let board = tea.call("/api/merchant/overview", &[("days", "7")]).await.json();
        assert_eq!(board["scores"].as_array().unwrap().len(), 7, "one point a day");
        let point = today(board);
        assert_eq!((point["reviews"].as_i64(), point["goods"].as_i64()), (Some(2), Some(350)), "{point}");
        assert_eq!((point["service"].as_i64(), point["logistics"].as_i64()), (Some(400), Some(300)));
        let csv = tea.get("/merchant/overview/scores.csv?days=7").await;
        assert!(csv.text.contains(",2,3.50,4.00,3.00"), "{}", csv.text);

        // the platform hides it (a finance admin may not), then shows it again
        let e = reviews::moderate(&app.st, &crate::common::finance(), review_id, true, "辱骂", "127.0.0.1").await.unwrap_err();
        assert_eq!(e.status(), 403);
        let e = reviews::moderate(&app.st, &operator(), review_id, true, "", "127.0.0.1").await.unwrap_err();
        assert_eq!(e.status(), 422);
        reviews::moderate(&app.st, &operator(), review_id, true, "含有辱骂内容", "127.0.0.1").await.unwrap();
        let point = today(tea.call("/api/merchant/overview", &[("days", "7")]).await.json());
        assert_eq!(point["reviews"], 1, "the hidden review leaves the trend: {point}");
        let page = summary(&app, product).await;
        assert_eq!(page["summary"]["total"], 0, "{page}");
        assert!(page["rows"].as_array().unwrap().is_empty());
        let (_, mine) = api(&app, &t, "GET", "/reviews", None).await;
        assert!(mine["data"]["rows"].as_array().unwrap().iter().any(|r| r["hidden_reason"] == "含有辱骂内容"), "{mine}");
        let e = reviews::moderate(&app.st, &operator(), review_id, true, "再藏", "127.0.0.1").await.unwrap_err();
        assert_eq!(e.status(), 409);
        reviews::moderate(&app.st, &operator(), review_id, false, "", "127.0.0.1").await.unwrap();
        let page = summary(&app, product).await;
        assert_eq!(page["summary"]["total"], 1);
        assert_eq!(page["summary"]["with_photos"], 1);
        assert_eq!(page["summary"]["with_append"], 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('review_hide', 'review_show')").await, 2);

        // the append window closes 90 days after the review
        let (_, mine) = api(&app, &t, "GET", "/reviews", None).await;
        let low = mine["data"]["rows"].as_array().unwrap().iter().find(|r| r["goods_stars"] == 2).unwrap()["id"].as_i64().unwrap();
        app.st.clock.advance(Duration::from_secs(90 * 86_400));
        // the bearer token has expired meanwhile: sign in again
        let t = token(&app, "reviewer.1").await;
        let (s, late) = api(&app, &t, "POST", &format!("/reviews/{low}/append"), Some(json!({"content": "迟到的追评"}))).await;
        assert_eq!(s, StatusCode::CONFLICT, "{late}");
    }

    async fn unreviewed_lines_get_an_automatic_review_and_refunded_ones_none(app: TestApp) {
        app.seed_demo().await;
        let t = token(&app, "reviewer.3").await;
        let (order_id, items) = completed_order(&app, &t, "review-order-0002").await;
        // every unit of the second line is claimed back
        let (s, asked) = api(&app, &t, "POST", "/after-sales", Some(json!({
            "order_id": order_id, "kind": "return_refund", "reason": "质量问题",
            "lines": [{"order_item_id": items[1]["id"], "qty": items[1]["qty"]}], "photos": []}))).await;
        assert_eq!(s, StatusCode::OK, "{asked}");
        let (_, waiting) = api(&app, &t, "GET", &format!("/reviews/waiting?order_id={order_id}"), None).await;
        assert_eq!(waiting["data"].as_array().unwrap().len(), 1, "{waiting}");
        let (s, refused) = api(&app, &t, "POST", &format!("/orders/{order_id}/reviews"),
            Some(json!({"lines": [line(&items[1], 5, "", &[])]}))).await;
        assert_eq!(s, StatusCode::CONFLICT, "{refused}");

        // not yet due
        assert_eq!(reviews::write_automatic(&app.st, 100).await.unwrap(), 0);
        app.st.clock.advance(Duration::from_secs(app.st.config.reviews.auto_positive_days as u64 * 86_400));
        assert_eq!(reviews::write_automatic(&app.st, 100).await.unwrap(), 1);
        assert_eq!(reviews::write_automatic(&app.st, 100).await.unwrap(), 0, "written once");
        let (automatic, item): (i64, i64) = sqlx::query_as(
            "SELECT automatic, order_item_id FROM reviews WHERE order_id = $1")
            .bind(order_id).fetch_one(&app.st.db.pool).await.unwrap();
        assert_eq!((automatic, item), (1, items[0]["id"].as_i64().unwrap()));
        assert_eq!(app.count(&format!("SELECT review_pending FROM orders WHERE id = {order_id}")).await, 0);

        let page = summary(&app, items[0]["product_id"].as_i64().unwrap()).await;
        assert!(page["summary"]["automatic"].as_i64().unwrap() >= 1, "{page}");
        assert!(page["rows"].as_array().unwrap().iter().all(|r| r["automatic"] == false), "automatic ones are counted, not listed");
        // the bearer token has expired meanwhile: sign in again
        let t = token(&app, "reviewer.3").await;
        let (_, mine) = api(&app, &t, "GET", "/reviews", None).await;
        assert_eq!(mine["data"]["rows"][0]["content"], app::domain::review::AUTOMATIC_TEXT, "{mine}");
    }

    async fn review_pages_escape_what_shoppers_wrote(app: TestApp) {
        app.seed_demo().await;
        let t = token(&app, "reviewer.4").await;
        let (order_id, items) = completed_order(&app, &t, "review-order-0003").await;
        let hostile = "<script>alert(1)</script></textarea>";
        let (s, _) = api(&app, &t, "POST", &format!("/orders/{order_id}/reviews"),
            Some(json!({"lines": [{"order_item_id": items[0]["id"], "goods_stars": 1, "service_stars": 1,
                "logistics_stars": 1, "content": hostile, "anonymous": false}]}))).await;
        assert_eq!(s, StatusCode::OK);
        let product = items[0]["product_id"].as_i64().unwrap();
        for page in [format!("/product/{product}/reviews"), format!("/product/{product}")] {
            let r = app.client().get(&page).await;
            assert_eq!(r.status, StatusCode::OK, "{page}");
            assert!(!r.text.contains("<script>alert(1)"), "{page} escapes the review");
        }
        let r = app.client().get(&format!("/product/{product}/reviews")).await;
        assert!(r.text.contains("&lt;script&gt;alert(1)"), "the review is on its page");
        // the shop's console lists it, another shop's does not
        let tea = app.signed_in("merchant", "duyun_tea", PW).await;
        let page = tea.get("/merchant/reviews?filter=negative").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("&lt;script&gt;alert(1)"));
        let chili = app.signed_in("merchant", "zunyi_chili", PW).await;
        let page = chili.get("/merchant/reviews").await;
        assert!(!page.text.contains("alert(1)"));
        let admin = app.signed_in("admin", "operator", PW).await;
        let page = admin.get("/admin/reviews").await;
        assert!(page.text.contains("&lt;script&gt;alert(1)"));
        let finance = app.signed_in("admin", "finance", PW).await;
        let r = finance.call("/api/admin/reviews", &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
}

crate::backend_tests! {
    /// The run command's demo: the demo shoppers' orders went through checkout, payment,
    /// shipping and receipt; most lines are reviewed, one order of 茶友小王 waits, and it is
    /// seeded once.
    async fn the_demo_shoppers_have_bought_and_reviewed(app: TestApp) {
        app.seed_demo().await;
        app::seed::demo::seed_orders(&app.st).await.unwrap();
        app::seed::demo::seed_orders(&app.st).await.unwrap();
        let reviews = app.count("SELECT COUNT(*) FROM reviews WHERE automatic = 0").await;
        assert!(reviews >= 8, "{reviews} demo reviews");
        assert_eq!(app.count("SELECT COUNT(*) FROM trades").await, 6, "seeded once");
        assert!(app.count("SELECT COUNT(*) FROM reviews WHERE replied_at IS NOT NULL").await >= 1);
        let shopper = app.signed_in("shopper", "13800000001", PW).await;
        let page = shopper.get("/me/reviews").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("去评价"), "an order waits for its review");
        let (product,): (i64,) = sqlx::query_as("SELECT product_id FROM reviews ORDER BY id LIMIT 1")
            .fetch_one(&app.st.db.pool).await.unwrap();
        let r = app.client().get(&format!("/product/{product}")).await;
        assert!(r.text.contains("商品评价（"), "the product page shows its reviews");
    }
}
