//! Merchants' products: the editor with specs and SKUs, shelf status, stock, the platform's
//! takedown, and what shoppers then see.

use crate::common;

use std::sync::Arc;

use common::{Client, TestApp};
use http::StatusCode;
use serde_json::{json, Value};

const PW: &str = "jishi2026";

async fn leaf(app: &TestApp, name: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM categories WHERE name = $1")
        .bind(name)
        .fetch_one(&app.st.db.pool)
        .await
        .unwrap();
    id
}

/// A 2×2 product: 规格 500g/1kg × 包装 礼盒/简装.
pub(crate) async fn tea_form(app: &TestApp, c: &Client) -> Value {
    let main = c.upload_picture(10).await;
    let gallery = c.upload_picture(11).await;
    let sku = |a: &str, b: &str, price: &str, stock: i64| json!({"spec_values": [a, b], "price": price, "original_price": "", "stock": stock, "weight_g": 600, "code": ""});
    json!({
        "id": null,
        "category_id": leaf(app, "绿茶").await,
        "title": "雷公山银球茶 高山云雾",
        "subtitle": "苗岭深处 一年一季",
        "brand": "雷公山",
        "origin": "贵州·雷山",
        "description": "<p>好茶<script>alert(1)</script></p>",
        "main_image": main,
        "gallery": [gallery],
        "spec_dims": [{"name": "规格", "values": ["500g", "1kg"]}, {"name": "包装", "values": ["礼盒", "简装"]}],
        "skus": [sku("500g", "礼盒", "88", 10), sku("500g", "简装", "68.5", 0), sku("1kg", "礼盒", "158", 5), sku("1kg", "简装", "128", 7)],
        "featured": true,
        "status": null,
        "status_reason": ""
    })
}

pub(crate) async fn save(c: &Client, form: &Value, publish: bool) -> common::Response {
    c.call_json(
        "/api/merchant/products/save",
        &json!({"form": form, "publish": publish}),
    )
    .await
}

fn search(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_string())
        .collect()
}

backend_tests! {
    async fn a_two_by_two_product_is_created_found_and_edited(app: TestApp) {
        app.seed_demo().await;
        let owner = app.signed_in("merchant", "duyun_tea", PW).await;
        let form = tea_form(&app, &owner).await;
        let r = save(&owner, &form, true).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let id = r.text.trim().to_string();

        let visitor = app.client();
        let found = visitor.call("/api/shop/search", &[("q", "银球茶")]).await.json();
        assert_eq!(search(&found), ["雷公山银球茶 高山云雾"]);
        let card = &found["items"][0];
        assert_eq!(card["min_price"], 6850);
        assert_eq!(card["max_price"], 15800);
        assert_eq!(card["skus"].as_array().unwrap().len(), 4);
        let detail = visitor.call("/api/shop/product", &[("id", &id)]).await.json();
        assert_eq!(detail["description"], "<p>好茶</p>", "sanitised");
        assert_eq!(detail["images"].as_array().unwrap().len(), 2);
        assert_eq!(detail["shop"]["name"], "都匀毛尖茶庄");
        let sold_out = detail["skus"].as_array().unwrap().iter().find(|s| s["spec_values"] == json!(["500g", "简装"])).unwrap();
        assert_eq!(sold_out["stock"], 0);
        let kept_sku = detail["skus"].as_array().unwrap().iter().find(|s| s["spec_values"] == json!(["1kg", "礼盒"])).unwrap()["id"].clone();
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM stock_adjustments WHERE product_id = {id}")).await, 3, "opening stock is logged");

        // edit: drop 简装, add 罐装, change a price; kept combinations keep their SKU ids
        let mut edit = owner.call("/api/merchant/products/editor", &[("id", &id)]).await.json()["form"].clone();
        edit["spec_dims"][1]["values"] = json!(["礼盒", "罐装"]);
        let mut skus: Vec<Value> = edit["skus"].as_array().unwrap().iter().filter(|s| s["spec_values"][1] == "礼盒").cloned().collect();
        skus[0]["price"] = json!("99.9");
        for size in ["500g", "1kg"] {
            skus.push(json!({"spec_values": [size, "罐装"], "price": "120", "original_price": "150", "stock": 3, "weight_g": 700, "code": "GZ"}));
        }
        edit["skus"] = json!(skus);
        let r = save(&owner, &edit, false).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let detail = visitor.call("/api/shop/product", &[("id", &id)]).await.json();
        let combos: Vec<Value> = detail["skus"].as_array().unwrap().iter().map(|s| s["spec_values"].clone()).collect();
        assert_eq!(combos, [json!(["500g", "礼盒"]), json!(["500g", "罐装"]), json!(["1kg", "礼盒"]), json!(["1kg", "罐装"])]);
        assert_eq!(detail["min_price"], 9990, "the read model follows the new price at once");
        let kept = detail["skus"].as_array().unwrap().iter().find(|s| s["spec_values"] == json!(["1kg", "礼盒"])).unwrap();
        assert_eq!(kept["id"], kept_sku);
        assert_eq!(kept["stock"], 5, "existing stock untouched by the editor");
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM skus WHERE product_id = {id} AND active = 0")).await, 2, "简装 SKUs retired, not deleted");

        // the mini-program sees the same thing
        let mp = visitor.get(&format!("/api/mp/v1/products/{id}")).await;
        assert_eq!(mp.status, StatusCode::OK);
        assert_eq!(mp.json()["data"]["min_price"], 9990);
    }

    async fn bad_products_are_refused_with_reasons_and_nothing_is_saved(app: TestApp) {
        app.seed_demo().await;
        let owner = app.signed_in("merchant", "duyun_tea", PW).await;
        let good = tea_form(&app, &owner).await;
        let before = app.count("SELECT COUNT(*) FROM products").await;
        type Mutation = Box<dyn Fn(&mut Value)>;
        let cases: Vec<(Mutation, &str)> = vec![
            (Box::new(|f| f["title"] = json!("茶")), "商品标题"),
            (Box::new(|f| f["skus"][0]["price"] = json!("abc")), "金额"),
            (Box::new(|f| f["skus"][0]["original_price"] = json!("1")), "划线价"),
            (Box::new(|f| { f["skus"].as_array_mut().unwrap().pop(); }), "1kg / 简装"),
            (Box::new(|f| f["spec_dims"] = json!([{"name":"a","values":["1"]},{"name":"b","values":["1"]},{"name":"c","values":["1"]},{"name":"d","values":["1"]}])), "最多三种"),
            (Box::new(|f| f["main_image"] = json!("")), "主图"),
            (Box::new(|f| f["main_image"] = json!("../../etc/passwd")), "图片无效"),
            (Box::new(|f| f["skus"][0]["stock"] = json!(-5)), "库存"),
        ];
        for (mutate, expect) in cases {
            let mut f = good.clone();
            mutate(&mut f);
            let r = save(&owner, &f, true).await;
            assert!(r.status.is_client_error(), "{expect}: {}", r.text);
            assert!(r.text.contains(expect), "{expect}: {}", r.text);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM products").await, before);
    }

    async fn stock_changes_are_logged_and_never_go_below_zero(app: TestApp) {
        app.seed_demo().await;
        let owner = app.signed_in("merchant", "duyun_tea", PW).await;
        let r = save(&owner, &tea_form(&app, &owner).await, true).await;
        let id = r.text.trim().to_string();
        let (sku,): (i64,) = sqlx::query_as(&format!("SELECT id FROM skus WHERE product_id = {id} AND stock = 10"))
            .fetch_one(&app.st.db.pool).await.unwrap();
        let sku = sku.to_string();
        let r = owner.call("/api/merchant/stock/adjust", &[("sku_id", &sku), ("delta", "15"), ("reason", "新茶到货")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.text.trim(), "25");
        let r = owner.call("/api/merchant/stock/adjust", &[("sku_id", &sku), ("delta", "-26"), ("reason", "盘点")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
        let r = owner.call("/api/merchant/stock/adjust", &[("sku_id", &sku), ("delta", "-5"), ("reason", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let log = owner.call("/api/merchant/stock/log", &[("product_id", &id)]).await.json();
        assert_eq!(log[0]["delta"], 15);
        assert_eq!(log[0]["stock_after"], 25);
        assert_eq!(log[0]["reason"], "新茶到货");
        assert_eq!(log[0]["spec"], "500g / 礼盒");
        let detail = app.client().call("/api/shop/product", &[("id", &id)]).await.json();
        let shown = detail["skus"].as_array().unwrap().iter().find(|s| s["id"] == sku.parse::<i64>().unwrap()).unwrap()["stock"].clone();
        assert_eq!(shown, 25, "the shop front shows the new stock");

        // 30 concurrent removals of one from a stock of 25: exactly 25 succeed
        let st = Arc::new(app.st.clone());
        let (staff,): (i64,) = sqlx::query_as("SELECT id FROM merchant_staff WHERE username = 'duyun_tea'").fetch_one(&st.db.pool).await.unwrap();
        let identity = app::domain::account::Identity {
            realm: app::domain::account::Realm::Merchant,
            account_id: staff,
            display_name: String::new(),
            merchant_id: Some(sqlx::query_as::<_, (i64,)>("SELECT merchant_id FROM merchant_staff WHERE id = $1").bind(staff).fetch_one(&st.db.pool).await.unwrap().0),
            merchant_name: None,
            staff_role: None,
            admin_role: None,
        };
        let scope = app::services::merchants::MerchantScope::of(&st, &identity).await.unwrap();
        let sku_id: i64 = sku.parse().unwrap();
        let tasks: Vec<_> = (0..30).map(|_| {
            let st = st.clone();
            tokio::spawn(async move { app::services::products::adjust_stock(&st, &scope, sku_id, -1, "并发出库", "").await })
        }).collect();
        let mut ok = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => ok += 1,
                Err(e) => assert!(matches!(e, app::error::AppError::Conflict(_)), "{e:?}"),
            }
        }
        assert_eq!(ok, 25);
        assert_eq!(app.count(&format!("SELECT stock FROM skus WHERE id = {sku}")).await, 0);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM stock_adjustments WHERE sku_id = {sku} AND reason = '并发出库'")).await, 25);
    }

    async fn shelf_status_and_platform_takedown_decide_what_shoppers_see(app: TestApp) {
        app.seed_demo().await;
        let owner = app.signed_in("merchant", "duyun_tea", PW).await;
        let r = save(&owner, &tea_form(&app, &owner).await, false).await;
        let id = r.text.trim().to_string();
        let visitor = app.client();
        let found = |v: Value| search(&v).len();
        assert_eq!(found(visitor.call("/api/shop/search", &[("q", "银球茶")]).await.json()), 0, "drafts are not shown");
        assert_eq!(owner.call("/api/merchant/products/shelf", &[("ids[]", &id), ("on", "1")]).await.text.trim(), "1");
        assert_eq!(found(visitor.call("/api/shop/search", &[("q", "银球茶")]).await.json()), 1);

        let reviewer = app.signed_in("admin", "reviewer", PW).await;
        let r = reviewer.call("/api/admin/products/takedown", &[("id", &id), ("down", "1"), ("reason", "宣传用语夸大")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(found(visitor.call("/api/shop/search", &[("q", "银球茶")]).await.json()), 0);
        assert_eq!(visitor.call("/api/shop/product", &[("id", &id)]).await.status, StatusCode::NOT_FOUND);
        let r = owner.call("/api/merchant/products/shelf", &[("ids[]", &id), ("on", "1")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "a taken-down product stays down");
        let mine = owner.call("/api/merchant/products", &[("status", "taken_down")]).await.json();
        assert_eq!(mine["items"][0]["status_reason"], "宣传用语夸大");
        let finance = app.signed_in("admin", "finance", PW).await;
        assert_eq!(finance.call("/api/admin/products/takedown", &[("id", &id), ("down", "0")]).await.status, StatusCode::FORBIDDEN);

        reviewer.call("/api/admin/products/takedown", &[("id", &id), ("down", "0")]).await;
        assert_eq!(owner.call("/api/merchant/products/shelf", &[("ids[]", &id), ("on", "1")]).await.status, StatusCode::OK);
        assert_eq!(found(visitor.call("/api/shop/search", &[("q", "银球茶")]).await.json()), 1);
        // bulk off shelf
        let all = owner.call("/api/merchant/products", &[("status", "on_sale")]).await.json();
        let ids: Vec<String> = all["items"].as_array().unwrap().iter().take(3).map(|p| p["id"].to_string()).collect();
        let form: Vec<(&str, &str)> = ids.iter().map(|i| ("ids[]", i.as_str())).chain([("on", "0")]).collect();
        assert_eq!(owner.call("/api/merchant/products/shelf", &form).await.text.trim(), "3");
        assert_eq!(found(visitor.call("/api/shop/search", &[("q", "银球茶")]).await.json()), 0);
    }

    async fn save_and_put_on_sale_works_on_a_product_already_on_sale(app: TestApp) {
        app.seed_demo().await;
        let owner = app.signed_in("merchant", "duyun_tea", PW).await;
        let r = save(&owner, &tea_form(&app, &owner).await, true).await;
        let id = r.text.trim().to_string();
        let on_sale = "SELECT COUNT(*) FROM audit_log WHERE action = 'product_on_sale'";
        let on_sale_audits = app.count(on_sale).await;
        let mut edit = owner.call("/api/merchant/products/editor", &[("id", &id)]).await.json()["form"].clone();
        edit["title"] = json!("雷公山银球茶 明前新茶");
        let r = save(&owner, &edit, true).await;
        assert_eq!(r.status, StatusCode::OK, "保存并上架 on an on-sale product saves without an error: {}", r.text);
        let visitor = app.client();
        assert_eq!(visitor.call("/api/shop/product", &[("id", &id)]).await.json()["title"], "雷公山银球茶 明前新茶");
        assert_eq!(app.count(on_sale).await, on_sale_audits, "nothing went on sale");

        // off shelf, then 保存并上架 puts it back on sale in the same step
        owner.call("/api/merchant/products/shelf", &[("ids[]", &id), ("on", "0")]).await;
        assert_eq!(visitor.call("/api/shop/product", &[("id", &id)]).await.status, StatusCode::NOT_FOUND);
        let r = save(&owner, &edit, true).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(visitor.call("/api/shop/product", &[("id", &id)]).await.status, StatusCode::OK);
        assert_eq!(app.count(on_sale).await, on_sale_audits + 1);

        // a taken-down product: 保存并上架 is refused and saves nothing; 保存 still saves
        let reviewer = app.signed_in("admin", "reviewer", PW).await;
        reviewer.call("/api/admin/products/takedown", &[("id", &id), ("down", "1"), ("reason", "宣传用语夸大")]).await;
        edit["title"] = json!("雷公山银球茶 改过的标题");
        let r = save(&owner, &edit, true).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
        assert!(r.json()["msg"].as_str().unwrap().contains("平台下架"), "{}", r.text);
        let form = owner.call("/api/merchant/products/editor", &[("id", &id)]).await.json()["form"].clone();
        assert_eq!(form["title"], "雷公山银球茶 明前新茶", "a refused save changes nothing");
        assert_eq!(save(&owner, &edit, false).await.status, StatusCode::OK);
        let mine = owner.call("/api/merchant/products", &[("status", "taken_down")]).await.json();
        assert_eq!(mine["items"][0]["title"], "雷公山银球茶 改过的标题", "still taken down, edit kept");
    }
}
