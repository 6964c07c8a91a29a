//! Merchant isolation, tried: staff of one shop call every merchant-console server function
//! and page against another shop's rows and get nothing.

use crate::common;

use common::TestApp;
use http::StatusCode;
use serde_json::json;

const PW: &str = "jishi2026";

async fn one(app: &TestApp, sql: &str) -> i64 {
    app.count(sql).await
}

backend_tests! {
    async fn another_shops_staff_can_neither_read_nor_change_its_rows(app: TestApp) {
        app.seed_demo().await;
        let victim = "(SELECT id FROM merchants WHERE name = '都匀毛尖茶庄')";
        let product = one(&app, &format!("SELECT MIN(id) FROM products WHERE merchant_id = {victim}")).await.to_string();
        let sku = one(&app, &format!("SELECT MIN(id) FROM skus WHERE product_id = {product}")).await.to_string();
        let victim_staff = one(&app, &format!("SELECT id FROM merchant_staff WHERE merchant_id = {victim}")).await.to_string();
        let snapshot = || async {
            (
                one(&app, &format!("SELECT stock FROM skus WHERE id = {sku}")).await,
                one(&app, &format!("SELECT price FROM skus WHERE id = {sku}")).await,
                one(&app, &format!("SELECT COUNT(*) FROM products WHERE id = {product} AND status = 'on_sale'")).await,
                one(&app, "SELECT COUNT(*) FROM merchant_staff").await,
                one(&app, "SELECT COUNT(*) FROM products").await,
            )
        };
        let before = snapshot().await;

        let intruder = app.signed_in("merchant", "zunyi_chili", PW).await;
        let editor = intruder.call("/api/merchant/products/editor", &[("id", &product)]).await;
        assert_eq!(editor.status, StatusCode::NOT_FOUND, "{}", editor.text);
        let mut form = json!({
            "id": product.parse::<i64>().unwrap(), "category_id": 0, "title": "改成我的", "subtitle": "", "brand": "",
            "origin": "", "description": "", "main_image": "", "gallery": [], "spec_dims": [],
            "skus": [{"spec_values": [], "price": "1", "original_price": "", "stock": 1, "weight_g": 0, "code": ""}],
            "featured": false, "status": null, "status_reason": ""
        });
        // give it a valid image and a category the intruder may use, so only ownership is wrong
        form["main_image"] = json!(intruder.upload_picture(5).await);
        form["category_id"] = json!(one(&app, "SELECT id FROM categories WHERE name = '辣椒酱'").await);
        let r = intruder.call_json("/api/merchant/products/save", &json!({"form": form, "publish": true})).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        let r = intruder.call("/api/merchant/products/shelf", &[("ids[]", &product), ("on", "0")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "another shop's product is not found, not 'already off shelf': {}", r.text);
        let r = intruder.call("/api/merchant/stock/adjust", &[("sku_id", &sku), ("delta", "-1"), ("reason", "偷偷改")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        let log = intruder.call("/api/merchant/stock/log", &[("product_id", &product)]).await;
        assert_eq!(log.status, StatusCode::NOT_FOUND, "another shop's stock log is not found, not empty: {}", log.text);
        let r = intruder.call("/api/merchant/staff/remove", &[("staff_id", &victim_staff)]).await;
        assert!(r.status == StatusCode::NOT_FOUND, "{}", r.text);
        let mine = intruder.call("/api/merchant/products", &[]).await.json();
        assert!(mine["items"].as_array().unwrap().iter().all(|p| p["id"] != product.parse::<i64>().unwrap()));
        let staff = intruder.call("/api/merchant/staff", &[]).await.json();
        assert!(staff.as_array().unwrap().iter().all(|s| s["id"] != victim_staff.parse::<i64>().unwrap()));
        let page = intruder.get(&format!("/merchant/products/{product}")).await;
        assert!(!page.text.contains("毛尖"), "the editor page shows nothing of theirs");

        assert_eq!(snapshot().await, before, "nothing changed");

        // and outsiders of the merchant realm get nothing at all
        let shopper = app.signed_in("shopper", "13800000001", PW).await;
        assert_eq!(shopper.call("/api/merchant/products", &[]).await.status, StatusCode::FORBIDDEN);
        let admin = app.signed_in("admin", "admin", PW).await;
        assert_eq!(admin.call("/api/merchant/stock/log", &[("product_id", &product)]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.client().call("/api/merchant/shop", &[]).await.status, StatusCode::UNAUTHORIZED);
    }

    async fn a_shop_cannot_list_in_a_category_it_was_not_approved_for(app: TestApp) {
        app.seed_demo().await;
        let chili = app.signed_in("merchant", "zunyi_chili", PW).await;
        let image = chili.upload_picture(6).await;
        let before = app.count("SELECT COUNT(*) FROM products").await;
        let form = |category: i64| json!({
            "id": null, "category_id": category, "title": "辣椒味绿茶", "subtitle": "", "brand": "",
            "origin": "", "description": "", "main_image": image, "gallery": [], "spec_dims": [],
            "skus": [{"spec_values": [], "price": "10", "original_price": "", "stock": 1, "weight_g": 0, "code": ""}],
            "featured": false, "status": null, "status_reason": ""
        });
        let green_tea = one(&app, "SELECT id FROM categories WHERE name = '绿茶'").await;
        let r = chili.call_json("/api/merchant/products/save", &json!({"form": form(green_tea), "publish": true})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
        assert!(r.text.contains("茶叶"), "{}", r.text);
        // a parent category is not a place for products either
        let top = one(&app, "SELECT id FROM categories WHERE name = '调味品'").await;
        let r = chili.call_json("/api/merchant/products/save", &json!({"form": form(top), "publish": true})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert_eq!(app.count("SELECT COUNT(*) FROM products").await, before);

        // moving one of its own products into a foreign category is refused the same way
        let own = one(&app, "SELECT MIN(p.id) FROM products p JOIN merchants m ON m.id = p.merchant_id WHERE m.name = '遵义辣椒酱坊'").await.to_string();
        let mut edit = chili.call("/api/merchant/products/editor", &[("id", &own)]).await.json()["form"].clone();
        edit["category_id"] = json!(green_tea);
        let r = chili.call_json("/api/merchant/products/save", &json!({"form": edit, "publish": false})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
        assert_ne!(one(&app, &format!("SELECT category_id FROM products WHERE id = {own}")).await, green_tea);
    }
}
