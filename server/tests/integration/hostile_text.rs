//! Hostile text: one corpus of strings that break out of HTML text, attributes, `<title>`,
//! `<textarea>` and `<script>` (plus emoji, astral characters and spreadsheet formulas) is
//! written into every text field a shopper, merchant or admin can set, then every page that
//! shows them is fetched as each role. No answer may carry a payload unescaped, no answer may be
//! a 5xx, and no CSV cell starts a formula (`finance_reports`' unit test covers each formula
//! starter). A new text field belongs here.

use crate::common::{self, Client, TestApp};
use http::StatusCode;
use serde_json::json;

/// Breakouts for each HTML context. Each carries a marker that can only appear in a page if the
/// text was written raw: `<svg onload=`, `<img src=x onerror=`, `<i onclick=`, `<b onclick=`,
/// `<script>alert(`.
const TITLE: &str = "</title><svg onload=alert(1)>";
const TEXTAREA: &str = "</textarea><svg onload=alert(2)>";
const ATTRIBUTE: &str = "\"><img src=x onerror=alert(3)>";
const SINGLE: &str = "'><i onclick=alert(4)>";
const SCRIPT: &str = "</script><script>alert(6)</script>";
/// For fields of at most 20 characters.
const SHORT: &str = "<b onclick=alert(5)>";
/// Emoji and characters outside the Basic Multilingual Plane.
const ASTRAL: &str = "茶🍵𠀀𝒜";

const MARKERS: [&str; 5] = [
    "<svg onload=alert(",
    "<img src=x onerror=alert(",
    "<i onclick=alert(",
    "<b onclick=alert(",
    "<script>alert(",
];

/// A very long string for any field: refused (4xx) or kept, never a 5xx.
fn long() -> String {
    SHORT.repeat(500)
}

/// Checks one answer: no server error, and no payload written raw into an HTML or CSV answer.
fn check(what: &str, r: &common::Response) {
    assert!(
        r.status.as_u16() < 500,
        "{what}: {} {}",
        r.status,
        &r.text[..r.text.len().min(300)]
    );
    let content_type = r
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("text/html") || content_type.starts_with("text/csv") {
        for m in MARKERS {
            if let Some(at) = r.text.find(m) {
                let from = at.saturating_sub(120);
                panic!(
                    "{what}: payload {m:?} unescaped: …{}…",
                    &r.text[from..(at + 60).min(r.text.len())]
                );
            }
        }
    }
}

/// A write that must be taken (so the pages below really show the text).
fn ok(what: &str, r: &common::Response) {
    check(what, r);
    assert_eq!(r.status, StatusCode::OK, "{what}: {}", r.text);
}

async fn page(c: &Client, path: &str) -> common::Response {
    let r = c.get(path).await;
    check(path, &r);
    r
}

async fn call(c: &Client, path: &str, form: &[(&str, &str)]) -> common::Response {
    let r = c.call(path, form).await;
    check(path, &r);
    r
}

async fn id_of(app: &TestApp, sql: &str) -> i64 {
    app.count(sql).await
}

/// Escaped, the way a page shows the text (what the positive checks look for).
fn shown(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

backend_tests! {
    async fn hostile_text_is_escaped_on_every_page_for_every_role(app: TestApp) {
        app.seed_demo().await;
        let shopper = app.signed_in("shopper", "13800000001", common::DEMO_PASSWORD).await;
        let owner = app.signed_in("merchant", "duyun_tea", common::DEMO_PASSWORD).await;
        let admin = app.signed_in("admin", "admin", common::DEMO_PASSWORD).await;
        let anon = app.client();
        let merchant_id = id_of(&app, "SELECT merchant_id FROM merchant_staff WHERE username = 'duyun_tea'").await;

        // ---- shopper fields ----
        let r = anon.call("/api/auth/register", &[("phone", "13912345678"), ("password", "Hostile2026"), ("nickname", SHORT)]).await;
        ok("register", &r);
        let r = anon.call("/api/auth/register", &[("phone", "13912345679"), ("password", "Hostile2026"), ("nickname", &long())]).await;
        check("register long", &r);
        assert!(r.status.is_client_error(), "a 2500-character nickname is refused: {}", r.text);

        for (field, value, taken) in [("receiver", SHORT.to_string(), true), ("detail", long(), false), ("detail", TEXTAREA.to_string(), true)] {
            let mut form = vec![("receiver", "王小明"), ("phone", "13800138000"), ("province", "贵州省"), ("city", "黔南州"), ("district", "都匀市"), ("detail", "文峰路 8 号"), ("is_default", "on")];
            for f in form.iter_mut() {
                if f.0 == field {
                    f.1 = &value;
                }
            }
            let r = shopper.call("/api/addresses/save", &form).await;
            if taken {
                ok("address", &r);
            } else {
                check("address", &r);
                assert!(r.status.is_client_error(), "a 2500-character address is refused");
            }
        }
        let address_id = id_of(&app, "SELECT MAX(id) FROM addresses").await;

        let licence = shopper.upload_picture(3).await;
        let category = id_of(&app, "SELECT MIN(id) FROM categories WHERE parent_id IS NULL").await.to_string();
        let r = call(&shopper, "/api/apply/submit", &[
            ("shop_name", SHORT), ("kind", "individual"), ("region", SHORT), ("intro", TEXTAREA),
            ("contact_name", SHORT), ("contact_phone", "139 0000 1234"), ("licence_no", "92522601MA6H1234XK"),
            ("licence_image", &licence), ("category_ids[]", &category), ("owner_username", "hostile_shop"), ("owner_password", "Hostile2026"),
        ]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let application = id_of(&app, "SELECT MAX(id) FROM merchant_applications").await;

        // ---- merchant fields ----
        let main = owner.upload_picture(20).await;
        let leaf = id_of(&app, "SELECT id FROM categories WHERE name = '绿茶'").await;
        let sku = |a: &str, price: &str| json!({"spec_values": [a], "price": price, "original_price": "", "stock": 50, "weight_g": 600, "code": ""});
        let form = json!({
            "id": null, "category_id": leaf,
            "title": TITLE, "subtitle": ATTRIBUTE, "brand": SHORT, "origin": SHORT,
            "description": format!("<p>{SCRIPT}{ATTRIBUTE}</p><p>{TEXTAREA}</p>"),
            "main_image": main, "gallery": [],
            "spec_dims": [{"name": SHORT, "values": [SHORT, ASTRAL]}],
            "skus": [sku(SHORT, "12.5"), sku(ASTRAL, "20")],
            "featured": true, "status": null, "status_reason": ""
        });
        let r = owner.call_json("/api/merchant/products/save", &json!({"form": form, "publish": true})).await;
        check("product save", &r);
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let product = r.json().as_i64().unwrap();
        let mut long_title = form.clone();
        long_title["title"] = json!(long());
        let r = owner.call_json("/api/merchant/products/save", &json!({"form": long_title, "publish": false})).await;
        check("product long title", &r);
        assert!(r.status.is_client_error());

        let logo = owner.upload_picture(21).await;
        ok("decoration", &owner.call("/api/merchant/shop/decorate", &[("intro", TEXTAREA), ("logo", &logo), ("banners", "")]).await);
        ok("staff", &owner.call("/api/merchant/staff/add", &[("username", "hostile_clerk"), ("display_name", SHORT), ("password", "Clerk2026x")]).await);
        ok("pickup", &owner.call("/api/merchant/shipping/pickup", &[("address", ATTRIBUTE)]).await);
        ok("template", &owner.call_json("/api/merchant/shipping/save", &json!({"form": {
            "id": null, "name": SHORT, "charge_by": "piece", "free_over": "",
            "rules": [{"regions": [], "first": 1, "first_fee": "8", "extra": 1, "extra_fee": "2"}],
        }})).await);
        let refused = owner.call_json("/api/merchant/shipping/save", &json!({"form": {
            "id": null, "name": "区域", "charge_by": "piece",
            "rules": [{"regions": [ATTRIBUTE], "first": 1, "first_fee": "8", "extra": 1, "extra_fee": "2"}],
        }})).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "a region is a province from the list: {}", refused.text);
        let sku_id = id_of(&app, &format!("SELECT MIN(id) FROM skus WHERE product_id = {product}")).await;
        ok("stock reason", &owner.call("/api/merchant/stock/adjust", &[("sku_id", &sku_id.to_string()), ("delta", "1"), ("reason", SINGLE)]).await);

        // ---- an order through it all: remark, shipping, after-sale reasons ----
        let items = format!("{sku_id}x2");
        let r = call(&shopper, "/api/checkout/submit", &[
            ("items", &items), ("address_id", &address_id.to_string()),
            ("remarks[0][merchant_id]", &merchant_id.to_string()), ("remarks[0][remark]", SCRIPT),
            ("key", "hostile-text-0001"),
        ]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let trade_no = r.json().as_str().unwrap().to_string();
        ok("pay", &shopper.call("/api/pay/simulated", &[("trade_no", &trade_no)]).await);
        let order = id_of(&app, &format!("SELECT o.id FROM orders o JOIN trades t ON t.id = o.trade_id WHERE t.trade_no = '{trade_no}'")).await;
        let item = id_of(&app, &format!("SELECT MIN(id) FROM order_items WHERE order_id = {order}")).await;
        let r = call(&shopper, "/api/after-sales/request", &[
            ("order_id", &order.to_string()), ("kind", "refund_only"),
            ("lines[0][order_item_id]", &item.to_string()), ("lines[0][qty]", "1"), ("reason", TITLE),
        ]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let after_sale = id_of(&app, "SELECT MAX(id) FROM after_sales").await;
        ok("reject after-sale", &owner.call("/api/merchant/after-sales/act", &[("id", &after_sale.to_string()), ("action", "reject"), ("reason", ATTRIBUTE)]).await);
        ok("ship", &owner.call("/api/merchant/orders/ship", &[("order_id", &order.to_string()), ("carrier", SHORT), ("tracking_no", "SF1234567890")]).await);

        // ---- a review, its append, the shop's reply and the platform's hiding reason ----
        ok("confirm", &shopper.call("/api/orders/confirm", &[("id", &order.to_string())]).await);
        ok("review", &shopper.call("/api/reviews/submit", &[
            ("order_id", &order.to_string()), ("lines[0][order_item_id]", &item.to_string()),
            ("lines[0][goods_stars]", "2"), ("lines[0][content]", TEXTAREA), ("lines[0][images]", ""),
            ("service_stars", "3"), ("logistics_stars", "4"),
        ]).await);
        let review = id_of(&app, &format!("SELECT id FROM reviews WHERE order_id = {order}")).await;
        ok("append", &shopper.call("/api/reviews/append", &[("id", &review.to_string()), ("content", TITLE)]).await);
        ok("reply", &owner.call("/api/merchant/reviews/reply", &[("id", &review.to_string()), ("to", "review"), ("content", ATTRIBUTE)]).await);
        ok("reply append", &owner.call("/api/merchant/reviews/reply", &[("id", &review.to_string()), ("to", "append"), ("content", SCRIPT)]).await);
        let long_review = shopper.call("/api/reviews/append", &[("id", &review.to_string()), ("content", &long())]).await;
        check("long append", &long_review);

        // ---- admin fields ----
        ok("category", &admin.call("/api/admin/categories/save", &[("parent_id", &leaf.to_string()), ("name", SHORT), ("icon", ""), ("sort_order", "1"), ("commission_percent", "5")]).await);
        ok("reject application", &admin.call("/api/admin/applications/review", &[("id", &application.to_string()), ("decision", "reject"), ("reason", TEXTAREA)]).await);
        let other_shop = id_of(&app, &format!("SELECT MAX(id) FROM merchants WHERE id <> {merchant_id}")).await;
        ok("suspend", &admin.call("/api/admin/merchants/status", &[("id", &other_shop.to_string()), ("open", "0"), ("reason", TITLE)]).await);
        let other_product = id_of(&app, &format!("SELECT MIN(id) FROM products WHERE merchant_id = {merchant_id} AND id <> {product}")).await;
        ok("takedown", &admin.call("/api/admin/products/takedown", &[("id", &other_product.to_string()), ("down", "1"), ("reason", ATTRIBUTE)]).await);
        ok("hide review", &admin.call("/api/admin/reviews/moderate", &[("id", &review.to_string()), ("action", "hide"), ("reason", SINGLE)]).await);

        // ---- every page that shows them, as each role ----
        let search = format!("/search?q={}", urlencoding(TITLE));
        let r = page(&anon, &search).await;
        assert!(r.text.contains(&format!("<title>搜索“{}”", shown(TITLE))), "the search title shows the query escaped");
        let r = page(&anon, &format!("/product/{product}")).await;
        assert!(r.text.contains(&shown(TITLE)), "the product page shows its title escaped");
        page(&anon, "/").await;
        page(&anon, "/category").await;
        page(&anon, &format!("/shop/{merchant_id}")).await;
        page(&anon, &format!("/search?q={}", urlencoding(SHORT))).await;
        for p in ["/me", "/addresses", "/orders", "/cart", "/apply", "/checkout"] {
            page(&shopper, p).await;
        }
        page(&shopper, &format!("/addresses/{address_id}")).await;
        page(&shopper, &format!("/orders/{order}")).await;
        page(&shopper, &format!("/orders/{order}/after-sale")).await;
        page(&shopper, &format!("/after-sales/{after_sale}")).await;
        page(&shopper, &format!("/checkout?items={items}")).await;
        page(&shopper, &format!("/pay/{trade_no}")).await;
        let r = page(&shopper, "/me/reviews").await;
        assert!(r.text.contains(&shown(TEXTAREA)), "我的评价 shows the review escaped");
        page(&shopper, &format!("/orders/{order}/review")).await;
        page(&anon, &format!("/product/{product}/reviews")).await;
        for p in ["/merchant", "/merchant/products", "/merchant/orders", "/merchant/after-sales", "/merchant/shipping", "/merchant/staff", "/merchant/finance", "/merchant/finance/ledger", "/merchant/reviews"] {
            page(&owner, p).await;
        }
        let r = page(&owner, "/merchant/shop").await;
        assert!(r.text.contains(&shown(TEXTAREA)), "the shop intro textarea holds the text escaped");
        let r = page(&owner, &format!("/merchant/products/{product}")).await;
        assert!(r.text.contains("<textarea"), "the product editor renders its description");
        page(&owner, &format!("/merchant/orders/{order}")).await;
        page(&owner, &format!("/merchant/orders/{order}/packing")).await;
        for p in ["/admin", "/admin/categories", "/admin/applications", "/admin/merchants", "/admin/products", "/admin/orders", "/admin/after-sales", "/admin/finance", "/admin/finance/ledger", "/admin/reviews", "/admin/reviews?filter=hidden"] {
            page(&admin, p).await;
        }
        page(&admin, &format!("/admin/applications/{application}")).await;
        page(&admin, &format!("/admin/orders/{order}")).await;
        page(&admin, "/admin/applications?status=rejected").await;

        // ---- CSV: user text that starts like a formula is neutralised ----
        let csv = page(&owner, "/merchant/finance/export/ledger.csv").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(!csv.text.lines().any(|l| l.split(',').any(|c| c.starts_with('=') || c.starts_with("\"="))), "no cell starts a formula");
    }
}

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
