//! Visits through the real router: page views counted per visitor, page, source and shop,
//! robots and failed pages left out, the mini-program's views by its visitor header, many
//! parallel views with flushes racing them all kept, and the dashboards' visitors, conversion,
//! funnel and traffic sources read from them.

use crate::common;

use axum::body::Body;
use common::{encode, Client, TestApp, DEMO_PASSWORD, ORIGIN};
use http::{header, Request, StatusCode};
use serde_json::Value;

const PHONE_UA: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40";

async fn open(c: &Client, path: &str, referer: Option<&str>, ua: Option<&str>) -> StatusCode {
    let mut req = Request::get(path);
    if let Some(r) = referer {
        req = req.header(header::REFERER, r);
    }
    if let Some(ua) = ua {
        req = req.header(header::USER_AGENT, ua);
    }
    c.request(req.body(Body::empty()).unwrap()).await.status
}

/// (product, its shop) of the demo's tea shop.
async fn tea_product(app: &TestApp) -> (i64, i64) {
    sqlx::query_as(
        "SELECT p.id, p.merchant_id FROM products p JOIN merchant_staff s ON s.merchant_id = p.merchant_id \
         WHERE s.username = 'duyun_tea' AND p.status = 'on_sale' ORDER BY p.id LIMIT 1",
    )
    .fetch_one(&app.st.db.pool)
    .await
    .unwrap()
}

async fn views(app: &TestApp, merchant: i64, page: &str, source: &str) -> i64 {
    app.count(&format!(
        "SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT) FROM daily_visits \
         WHERE merchant_id = {merchant} AND page = '{page}' AND source = '{source}'"
    ))
    .await
}

async fn visitors(app: &TestApp, merchant: i64) -> i64 {
    app.count(&format!(
        "SELECT CAST(COUNT(DISTINCT visitor) AS BIGINT) FROM daily_visitors \
         WHERE merchant_id = {merchant} AND page <> 'cart'"
    ))
    .await
}

fn kpi(d: &Value, key: &str) -> i64 {
    d["period"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key"] == key)
        .unwrap_or_else(|| panic!("no KPI {key}"))["value"]
        .as_i64()
        .unwrap()
}

backend_tests! {
    async fn page_views_are_counted_by_visitor_page_source_and_shop(app: TestApp) {
        app.seed_demo().await;
        let (product, shop) = tea_product(&app).await;
        let product_path = format!("/product/{product}");
        let a = app.client();
        let ua = Some(PHONE_UA);
        assert_eq!(open(&a, "/", None, ua).await, StatusCode::OK);
        let vid = a.cookie(server::http::visits::VISITOR_COOKIE).expect("a visitor cookie");
        assert_eq!(vid.len(), 22);
        open(&a, &product_path, Some("http://jishi.test/"), ua).await;
        open(&a, &product_path, Some("http://jishi.test/search?q=%E8%8C%B6"), ua).await;
        open(&a, &format!("/shop/{shop}?from=share"), None, ua).await;
        assert_eq!(a.cookie(server::http::visits::VISITOR_COOKIE), Some(vid), "one visitor, one id");
        let b = app.client();
        open(&b, &format!("{product_path}?from=share"), Some("https://elsewhere.example/"), ua).await;
        // not counted: robots, scripts, a missing product, a page that is not a shop page
        for agent in [Some("Mozilla/5.0 (compatible; Baiduspider/2.0)"), Some("curl/8.5"), None] {
            open(&app.client(), &product_path, None, agent).await;
        }
        assert_eq!(open(&b, "/product/99999999", None, ua).await, StatusCode::NOT_FOUND);
        open(&b, "/cart", None, ua).await;

        let written = app::services::visits::flush(&app.st).await.unwrap();
        assert_eq!(written, 5);
        assert_eq!(views(&app, 0, "home", "other").await, 1);
        assert_eq!(views(&app, 0, "product", "home").await, 1);
        assert_eq!(views(&app, 0, "product", "search").await, 1);
        assert_eq!(views(&app, 0, "product", "share").await, 1);
        assert_eq!(views(&app, 0, "shop", "share").await, 1);
        assert_eq!(views(&app, shop, "product", "home").await + views(&app, shop, "product", "search").await + views(&app, shop, "product", "share").await, 3);
        assert_eq!(views(&app, shop, "home", "other").await, 0, "the mall's home is not the shop's");
        assert_eq!(visitors(&app, 0).await, 2);
        assert_eq!(visitors(&app, shop).await, 2);
        // a second flush adds nothing; new views add to the same rows
        assert_eq!(app::services::visits::flush(&app.st).await.unwrap(), 0);
        open(&a, &product_path, Some("http://jishi.test/"), ua).await;
        app::services::visits::flush(&app.st).await.unwrap();
        assert_eq!(views(&app, 0, "product", "home").await, 2);
        assert_eq!(visitors(&app, 0).await, 2);

        // the shop's dashboard: visitors, the funnel and where they came from
        let staff = app.signed_in("merchant", "duyun_tea", DEMO_PASSWORD).await;
        let d = staff.call("/api/merchant/overview", &[("days", "7")]).await;
        assert_eq!(d.status, StatusCode::OK, "{}", d.text);
        let d = d.json();
        assert_eq!(kpi(&d, "visitors"), 2);
        let funnel: Vec<(String, i64)> = d["funnel"].as_array().unwrap().iter()
            .map(|s| (s["key"].as_str().unwrap().to_string(), s["count"].as_i64().unwrap())).collect();
        assert_eq!(funnel[0], ("visitors".into(), 2));
        assert_eq!(funnel[1], ("product_visitors".into(), 2));
        assert!(funnel.iter().all(|s| s.0 != "cart_visitors"), "add-to-cart is the mall's step");
        let share = d["sources"].as_array().unwrap().iter().find(|s| s["source"] == "share").unwrap().clone();
        assert_eq!(share["views"], 2);
        assert_eq!(share["visitors"], 2);
        let csv = staff.get("/merchant/overview/sources.csv?days=7").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.text.contains("分享链接"), "{}", csv.text);
    }

    async fn the_mini_program_and_add_to_cart_feed_the_platform_funnel(app: TestApp) {
        app.seed_demo().await;
        let (product, _) = tea_product(&app).await;
        let mp = |visitor: Option<&'static str>, path: String| {
            let mut req = Request::get(format!("/api/mp/v1{path}")).header(header::USER_AGENT, PHONE_UA);
            if let Some(v) = visitor {
                req = req.header("x-visitor-id", v);
            }
            req.body(Body::empty()).unwrap()
        };
        let c = app.client();
        assert_eq!(c.request(mp(Some("mp-visitor-0000000001"), format!("/products/{product}?from=share"))).await.status, StatusCode::OK);
        c.request(mp(Some("mp-visitor-0000000001"), "/home".into())).await;
        c.request(mp(None, "/home".into())).await;
        c.request(mp(Some("bad id"), "/home".into())).await;

        // an H5 shopper who looked at the product, then put it in the cart
        let shopper = app.signed_in("shopper", "13800000001", DEMO_PASSWORD).await;
        open(&shopper, &format!("/product/{product}"), Some("http://jishi.test/"), Some(PHONE_UA)).await;
        let sku = app.count(&format!("SELECT MIN(id) FROM skus WHERE product_id = {product}")).await.to_string();
        let form = [("sku_id", sku.as_str()), ("qty", "1")];
        let add = shopper.request(
            Request::post("/api/cart/add")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ORIGIN, ORIGIN)
                .header(header::USER_AGENT, PHONE_UA)
                .body(encode(&form))
                .unwrap(),
        ).await;
        assert!(add.status.is_success() || add.status.is_redirection(), "{}", add.text);
        app::services::visits::flush(&app.st).await.unwrap();
        assert_eq!(views(&app, 0, "product", "share").await, 1);
        assert_eq!(views(&app, 0, "home", "other").await, 1, "views without a valid visitor id are not counted");
        assert_eq!(views(&app, 0, "cart", "other").await, 1);
        assert_eq!(visitors(&app, 0).await, 2);

        let admin = app.signed_in("admin", "admin", DEMO_PASSWORD).await;
        let d = admin.call("/api/admin/overview", &[("days", "7")]).await.json();
        assert_eq!(kpi(&d, "visitors"), 2);
        let steps: Vec<i64> = d["funnel"].as_array().unwrap().iter().map(|s| s["count"].as_i64().unwrap()).collect();
        assert_eq!(&steps[..3], &[2, 2, 1], "visitors, product viewers, add-to-cart");
    }

    async fn parallel_views_with_racing_flushes_are_all_kept(app: TestApp) {
        app.seed_demo().await;
        let (product, shop) = tea_product(&app).await;
        let st = app.st.clone();
        let flusher = tokio::spawn(async move {
            for _ in 0..20 {
                app::services::visits::flush(&st).await.unwrap();
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        });
        let mut tasks = Vec::new();
        for _ in 0..40 {
            let c = app.client();
            let path = format!("/product/{product}");
            let shop_path = format!("/shop/{shop}");
            tasks.push(tokio::spawn(async move {
                open(&c, "/", None, Some(PHONE_UA)).await;
                open(&c, &path, Some("http://jishi.test/"), Some(PHONE_UA)).await;
                open(&c, &shop_path, Some("http://jishi.test/"), Some(PHONE_UA)).await;
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        flusher.await.unwrap();
        app::services::visits::flush(&app.st).await.unwrap();
        assert_eq!(views(&app, 0, "home", "other").await, 40);
        assert_eq!(views(&app, 0, "product", "home").await, 40);
        assert_eq!(views(&app, shop, "shop", "home").await, 40);
        assert_eq!(visitors(&app, 0).await, 40);
        assert_eq!(visitors(&app, shop).await, 40);
    }
}
