//! Platform management of the category tree: levels, commission rates, permissions.

use http::StatusCode;
use serde_json::Value;

fn find<'a>(rows: &'a Value, name: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {rows}"))
}

backend_tests! {
    async fn operators_build_a_three_level_tree_with_rates(app: TestApp) {
        app.seed_demo().await;
        let op = app.signed_in("admin", "operator", "jishi2026").await;
        let save = |form: Vec<(&'static str, String)>| {
            let op = &op;
            async move {
                let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                op.call("/api/admin/categories/save", &pairs).await
            }
        };
        let top = save(vec![("name", " 粮油米面 ".into()), ("icon", "🌾".into()), ("sort_order", "9".into()), ("commission_percent", "4.5".into()), ("enabled", "on".into())]).await;
        assert_eq!(top.status, StatusCode::OK, "{}", top.text);
        let top_id = top.text.trim().to_string();
        let mid = save(vec![("parent_id", top_id.clone()), ("name", "大米".into()), ("icon", "".into()), ("sort_order", "0".into()), ("commission_percent", "3%".into()), ("enabled", "on".into())]).await;
        assert_eq!(mid.status, StatusCode::OK, "{}", mid.text);
        let mid_id = mid.text.trim().to_string();
        let leaf = save(vec![("parent_id", mid_id.clone()), ("name", "香米".into()), ("icon", "".into()), ("sort_order", "0".into()), ("commission_percent", "2.75".into()), ("enabled", "on".into())]).await;
        assert_eq!(leaf.status, StatusCode::OK, "{}", leaf.text);
        let too_deep = save(vec![("parent_id", leaf.text.trim().to_string()), ("name", "太深".into()), ("icon", "".into()), ("sort_order", "0".into()), ("commission_percent", "1".into()), ("enabled", "on".into())]).await;
        assert_eq!(too_deep.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(too_deep.text.contains("最多三级"), "{}", too_deep.text);

        let rows = op.call("/api/admin/categories", &[]).await.json();
        assert_eq!(find(&rows, "粮油米面")["commission_percent"], "4.50");
        assert_eq!(find(&rows, "大米")["level"], 2);
        assert_eq!(find(&rows, "香米")["commission_percent"], "2.75");
        assert_eq!(find(&rows, "香米")["level"], 3);
        let (bps,): (i64,) = sqlx::query_as("SELECT commission_rate_bps FROM categories WHERE name = '香米'")
            .fetch_one(&app.st.db.pool).await.unwrap();
        assert_eq!(bps, 275);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'category_create'").await, 3);
    }

    async fn bad_input_is_refused_and_changes_nothing(app: TestApp) {
        app.seed_demo().await;
        let admin = app.signed_in("admin", "admin", "jishi2026").await;
        let before = app.count("SELECT COUNT(*) FROM categories").await;
        for (name, percent, expect) in [
            ("新分类", "5.555", "最多两位小数"),
            ("新分类", "101", "0到100"),
            ("新分类", "abc", "百分比"),
            ("", "5", "名称"),
            ("茶叶", "5", "已有这个名称"),
        ] {
            let r = admin
                .call("/api/admin/categories/save", &[("name", name), ("icon", ""), ("sort_order", "0"), ("commission_percent", percent), ("enabled", "on")])
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}/{percent}: {}", r.text);
            assert!(r.text.contains(expect), "{name}/{percent}: {}", r.text);
        }
        let unknown_parent = admin
            .call("/api/admin/categories/save", &[("parent_id", "999999"), ("name", "孤儿"), ("icon", ""), ("sort_order", "0"), ("commission_percent", "1"), ("enabled", "on")])
            .await;
        assert_eq!(unknown_parent.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.count("SELECT COUNT(*) FROM categories").await, before);
    }

    async fn disabling_hides_a_category_from_the_shop_front(app: TestApp) {
        app.seed_demo().await;
        let admin = app.signed_in("admin", "admin", "jishi2026").await;
        let rows = admin.call("/api/admin/categories", &[]).await.json();
        let tea = find(&rows, "茶叶");
        let id = tea["id"].to_string();
        let r = admin
            .call("/api/admin/categories/save", &[("id", &id), ("name", "茶叶"), ("icon", "🍵"), ("sort_order", "0"), ("commission_percent", "6")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let public = app.client().call("/api/shop/categories", &[]).await.json();
        assert!(public.as_array().unwrap().iter().all(|c| c["name"] != "茶叶"), "{public}");
        let rows = admin.call("/api/admin/categories", &[]).await.json();
        assert_eq!(find(&rows, "茶叶")["enabled"], false);
        assert_eq!(find(&rows, "茶叶")["commission_percent"], "6.00");
        assert!(app.client().get("/").await.text.contains("调味品"));
        assert!(!app.client().get("/").await.text.contains("🍵"));
    }

    async fn only_super_admins_and_operators_manage_categories(app: TestApp) {
        app.seed_demo().await;
        let form = [("name", "越权"), ("icon", ""), ("sort_order", "0"), ("commission_percent", "1"), ("enabled", "on")];
        for (realm, login, status) in [
            ("admin", "finance", StatusCode::FORBIDDEN),
            ("admin", "reviewer", StatusCode::FORBIDDEN),
            ("merchant", "duyun_tea", StatusCode::FORBIDDEN),
            ("shopper", "13800000001", StatusCode::FORBIDDEN),
        ] {
            let c = app.signed_in(realm, login, "jishi2026").await;
            let r = c.call("/api/admin/categories/save", &form).await;
            assert_eq!(r.status, status, "{login}: {}", r.text);
        }
        assert_eq!(app.client().call("/api/admin/categories/save", &form).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.count("SELECT COUNT(*) FROM categories WHERE name = '越权'").await, 0);
        let staff = app.signed_in("merchant", "duyun_tea", "jishi2026").await;
        assert_eq!(staff.get("/admin/categories").await.status, StatusCode::FORBIDDEN);
        assert_eq!(staff.call("/api/admin/categories", &[]).await.status, StatusCode::FORBIDDEN);
    }
}
