//! 操作日志 over HTTP: the platform reads and filters every entry (with who and which shop), a
//! shop's owner only the shop's own, roles without the permission are refused, bad filters are
//! 422s, and the CSV export carries the same rows.

use crate::common::DEMO_PASSWORD as PW;
use app::domain::audit::{AuditTarget, ACTIONS};
use http::StatusCode;
use serde_json::Value;

fn rows(v: &Value) -> Vec<Value> {
    v["rows"].as_array().cloned().unwrap_or_default()
}

backend_tests! {
    async fn the_platform_reads_everything_and_a_shop_only_its_own(app: TestApp) {
        app.seed_demo().await;
        let tea = app.signed_in("merchant", "duyun_tea", PW).await;
        let _chili = app.signed_in("merchant", "zunyi_chili", PW).await;
        assert_eq!(app.client().sign_in("merchant", "duyun_tea", "wrong-password").await.status, StatusCode::BAD_REQUEST);
        let (sku,): (i64,) = sqlx::query_as(
            "SELECT s.id FROM skus s JOIN products p ON p.id = s.product_id JOIN merchants m ON m.id = p.merchant_id \
             WHERE m.name = '都匀毛尖茶庄' ORDER BY s.id LIMIT 1")
            .fetch_one(&app.st.db.pool).await.unwrap();
        let r = tea.call("/api/merchant/stock/adjust", &[("sku_id", &sku.to_string()), ("delta", "3"), ("reason", "盘点补货 50%_off")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let admin = app.signed_in("admin", "admin", PW).await;

        // everything, newest first, with who and which shop
        let all = admin.call("/api/admin/audit", &[("filter[realm]", "")]).await;
        assert_eq!(all.status, StatusCode::OK, "{}", all.text);
        let all = all.json();
        let list = rows(&all);
        assert!(all["total"].as_i64().unwrap() >= 5, "{all}");
        assert_eq!(list[0]["action"], "sign_in", "the admin's own sign-in is the newest");
        let ids: Vec<i64> = list.iter().map(|r| r["id"].as_i64().unwrap()).collect();
        assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first");
        let adjust = list.iter().find(|r| r["action"] == "stock_adjust").expect("the stock change");
        assert_eq!(adjust["shop"], "都匀毛尖茶庄");
        assert!(adjust["actor"].as_str().unwrap().contains("（duyun_tea）"), "{adjust}");
        assert!(list.iter().any(|r| r["action"] == "sign_in_failed" && r["shop"] == "都匀毛尖茶庄"));

        // filters
        let only = admin.call("/api/admin/audit", &[("filter[action]", "stock_adjust")]).await.json();
        assert_eq!(only["total"], 1, "{only}");
        let merchants = admin.call("/api/admin/audit", &[("filter[realm]", "merchant")]).await.json();
        assert!(rows(&merchants).iter().all(|r| r["realm"] == "merchant"));
        assert!(merchants["total"].as_i64().unwrap() >= 4);
        // % and _ are matched as themselves, not as wildcards
        let words = admin.call("/api/admin/audit", &[("filter[q]", "50%_off")]).await.json();
        assert_eq!(words["total"], 1, "{words}");
        let wild = admin.call("/api/admin/audit", &[("filter[q]", "%")]).await.json();
        assert_eq!(wild["total"], 1, "only the detail holding a real %: {wild}");
        let today = app::domain::time::day_text(app.st.clock.now_ms());
        let dated = admin.call("/api/admin/audit", &[("filter[from]", &today), ("filter[to]", &today)]).await.json();
        assert_eq!(dated["total"], all["total"]);

        // which row and before → after: the SKU's product, its stock before and after; the
        // product's history holds that entry and only entries about that product
        let (product,): (i64,) = sqlx::query_as("SELECT product_id FROM skus WHERE id = $1")
            .bind(sku).fetch_one(&app.st.db.pool).await.unwrap();
        let stock: i64 = adjust["after"].as_str().unwrap().parse().unwrap();
        assert_eq!(adjust["before"], (stock - 3).to_string(), "{adjust}");
        assert_eq!((adjust["target"].as_str(), adjust["target_id"].as_i64()), (Some("product"), Some(product)));
        let history = admin.call("/api/admin/audit", &[("filter[kind]", "product"), ("filter[row]", &product.to_string())]).await.json();
        let actions: Vec<String> = rows(&history).iter().map(|r| r["action"].as_str().unwrap().to_string()).collect();
        assert_eq!(actions, ["stock_adjust", "product_create"], "newest first, from its creation: {history}");
        assert!(rows(&history).iter().all(|r| r["target_id"] == product));
        let products = admin.call("/api/admin/audit", &[("filter[kind]", "product")]).await.json();
        assert!(rows(&products).iter().all(|r| r["target"] == "product"), "{products}");
        for (field, value) in [("filter[kind]", "table"), ("filter[row]", "12")] {
            let r = admin.call("/api/admin/audit", &[(field, value)]).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a row needs its kind, a kind must be known: {}", r.text);
        }
        let r = admin.call("/api/admin/audit", &[("filter[kind]", "order"), ("filter[row]", "-3")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);

        for (field, value) in [("filter[action]", "drop_table"), ("filter[realm]", "robot"), ("filter[from]", "2026-13-01")] {
            let r = admin.call("/api/admin/audit", &[(field, value)]).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}={value}: {}", r.text);
        }
        let r = admin.call("/api/admin/audit", &[("filter[from]", "2026-12-02"), ("filter[to]", "2026-12-01")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("结束日期"), "{}", r.text);

        // the shop's owner: the shop's entries only
        let own = tea.call("/api/merchant/audit", &[("filter[realm]", "")]).await;
        assert_eq!(own.status, StatusCode::OK, "{}", own.text);
        let own = own.json();
        assert!(!rows(&own).is_empty());
        assert!(rows(&own).iter().all(|r| r["shop"] == "都匀毛尖茶庄"), "{own}");
        let (tea_total,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM audit_log a JOIN merchants m ON m.id = a.merchant_id WHERE m.name = '都匀毛尖茶庄'")
            .fetch_one(&app.st.db.pool).await.unwrap();
        assert_eq!(own["total"], tea_total);

        // roles without 查看操作日志
        for who in ["finance", "reviewer"] {
            let c = app.signed_in("admin", who, PW).await;
            assert_eq!(c.call("/api/admin/audit", &[("filter[realm]", "")]).await.status, StatusCode::FORBIDDEN, "{who}");
            assert_eq!(c.get("/admin/audit.csv").await.status, StatusCode::FORBIDDEN, "{who}");
        }
        let op = app.signed_in("admin", "operator", PW).await;
        assert_eq!(op.call("/api/admin/audit", &[("filter[realm]", "")]).await.status, StatusCode::OK);
        assert_eq!(tea.call("/api/admin/audit", &[("filter[realm]", "")]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.client().get("/merchant/audit.csv").await.status, StatusCode::UNAUTHORIZED);

        // CSV: the same filter, the same rows
        let csv = admin.get("/admin/audit.csv?action=stock_adjust").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
        let lines: Vec<&str> = csv.text.trim_end().split("\r\n").collect();
        assert_eq!(lines.len(), 2, "{}", csv.text);
        assert!(lines[0].contains("操作人") && lines[1].contains("调整库存") && lines[1].contains("都匀毛尖茶庄"));
        assert!(lines[0].contains("对象,变更前,变更后"), "{}", lines[0]);
        assert!(lines[1].contains(&format!("商品 #{product},{},{stock}", stock - 3)), "{}", lines[1]);
        let shop_csv = tea.get("/merchant/audit.csv").await;
        assert_eq!(shop_csv.status, StatusCode::OK);
        assert!(shop_csv.text.contains("都匀毛尖茶庄") && !shop_csv.text.contains("遵义辣椒酱坊"));

        // the pages render for the reader
        let page = admin.get("/admin/audit?action=stock_adjust").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("调整库存") && page.text.contains("盘点补货"));

        // every action recorded so far has its name in the one list, and every entry but a
        // sign-in names the row it concerns
        let actions: Vec<(String, String, i64)> = sqlx::query_as("SELECT action, target_kind, target_id FROM audit_log")
            .fetch_all(&app.st.db.pool).await.unwrap();
        for (a, kind, row) in actions {
            assert!(ACTIONS.iter().any(|x| x.0 == a), "action {a} has no label");
            if !a.starts_with("sign_in") {
                assert!(AuditTarget::parse(&kind).is_some() && row > 0, "{a} names no row: {kind}#{row}");
            }
        }
    }
}
