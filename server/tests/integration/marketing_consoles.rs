//! 营销 through the consoles' own doors (the forms as the browser posts them), on SQLite and
//! PostgreSQL: platform coupons created, run and pushed to chosen shoppers by an operator; a
//! shop's coupons and tiered full-reductions from 营销中心; who may do what; refusals that name
//! the field and change nothing; the usage CSVs.

use http::StatusCode;
use serde_json::Value;

use crate::common::TestApp;

type Form = Vec<(&'static str, String)>;

fn pairs(form: &Form) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The platform form as an operator fills it in: 满99减10, claimed, 7 days from the claim.
fn platform_form(name: &str) -> Form {
    vec![
        ("form[name]", name.into()),
        ("form[kind]", "amount_off".into()),
        ("form[threshold]", "99".into()),
        ("form[amount_off]", "10".into()),
        ("form[zhe]", "".into()),
        ("form[cap]", "".into()),
        ("form[product_ids_text]", "".into()),
        ("form[excluded_ids_text]", "".into()),
        ("form[validity]", "days".into()),
        ("form[valid_days]", "7".into()),
        ("form[valid_from]", "2026-01-01T00:00".into()),
        ("form[valid_until]", "2036-01-01T00:00".into()),
        ("form[claim_from]", "2026-01-01T00:00".into()),
        ("form[claim_until]", "2036-01-01T00:00".into()),
        ("form[total_qty]", "100".into()),
        ("form[per_user_limit]", "1".into()),
        ("form[per_user_daily_limit]", "0".into()),
        ("form[distribution]", "claim".into()),
        ("form[shop_share_percent]", "0".into()),
    ]
}

fn set(form: &mut Form, key: &'static str, value: &str) {
    form.retain(|(k, _)| *k != key);
    form.push((key, value.into()));
}

fn template<'a>(page: &'a Value, name: &str) -> &'a Value {
    page["templates"]
        .as_array()
        .or_else(|| page["coupons"].as_array())
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {page}"))
}

async fn id_of(app: &TestApp, sql: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as(sql)
        .fetch_one(&app.st.db.pool)
        .await
        .unwrap();
    id
}

backend_tests! {
    async fn an_operator_runs_platform_coupons_from_the_console(app: TestApp) {
        app.seed_demo().await;
        let op = app.signed_in("admin", "operator", "jishi2026").await;
        let tea = id_of(&app, "SELECT id FROM categories WHERE name = '茶叶'").await;
        let mut form = platform_form("双十二水果折扣");
        set(&mut form, "form[kind]", "percent");
        set(&mut form, "form[zhe]", "8.5");
        set(&mut form, "form[cap]", "20");
        set(&mut form, "form[threshold]", "");
        set(&mut form, "form[shop_share_percent]", "30");
        form.push(("form[category_ids][]", tea.to_string()));
        let r = op.call("/api/admin/coupons/create", &pairs(&form)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let page = op.call("/api/admin/coupons", &[]).await.json();
        let t = template(&page, "双十二水果折扣");
        assert_eq!(t["input"]["rule"]["off_bps"], 1500);
        assert_eq!(t["input"]["rule"]["cap"], 2000);
        assert_eq!(t["input"]["shop_share_bps"], 3000);
        assert_eq!(t["input"]["scope"]["category_ids"], serde_json::json!([tea]));
        assert_eq!(t["face"], "8.5折 最高减¥20.00");
        assert_eq!(t["status"], "active");
        assert!(page["categories"].as_array().unwrap().iter().any(|c| c["id"] == tea));
        assert!(!page["shops"].as_array().unwrap().is_empty());

        // shoppers can claim it at once
        let id = t["id"].as_i64().unwrap();
        let shopper = app.signed_in("shopper", "13800000001", "jishi2026").await;
        let claimed = shopper.call("/api/coupons/claim", &[("template_id", &id.to_string())]).await;
        assert_eq!(claimed.status, StatusCode::OK, "{}", claimed.text);

        // pause, then void: the copy the shopper held is withdrawn
        let act = |action: &'static str| {
            let op = &op;
            async move { op.call("/api/admin/coupons/act", &[("id", &id.to_string()), ("action", action)]).await }
        };
        assert_eq!(act("pause").await.status, StatusCode::OK);
        assert_eq!(act("pause").await.status, StatusCode::CONFLICT, "a paused coupon cannot pause");
        assert_eq!(act("fly").await.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(act("void").await.status, StatusCode::OK);
        let voided = app
            .count(&format!("SELECT COUNT(*) FROM coupons WHERE template_id = {id} AND status = 'voided'"))
            .await;
        assert_eq!(voided, 1);
        let missing = op.call("/api/admin/coupons/act", &[("id", "999999"), ("action", "pause")]).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);

        // the usage report, as a download
        let csv = op.get("/admin/coupons/usage.csv").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.headers[http::header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
        let line = csv.text.lines().find(|l| l.contains("双十二水果折扣")).expect("the template's line");
        assert!(line.contains("已作废") && line.contains(",100,1,0,0,1,"), "{line}");
    }

    async fn refused_forms_name_the_field_and_change_nothing(app: TestApp) {
        app.seed_demo().await;
        let op = app.signed_in("admin", "operator", "jishi2026").await;
        let before = app.count("SELECT COUNT(*) FROM coupon_templates").await;
        let cases: [(&'static str, &str, &str); 7] = [
            ("form[amount_off]", "-1", "amount_off"),
            ("form[threshold]", "5", "threshold"), // below the amount off
            ("form[total_qty]", "0", "total_qty"),
            ("form[claim_until]", "2025-01-01T00:00", "claim_until"),
            ("form[valid_days]", "400", "valid_days"),
            ("form[product_ids_text]", "999999", "product_ids"),
            ("form[shop_share_percent]", "120", "shop_share_percent"),
        ];
        for (key, value, field) in cases {
            let mut form = platform_form("坏券");
            set(&mut form, key, value);
            let r = op.call("/api/admin/coupons/create", &pairs(&form)).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{key}={value}: {}", r.text);
            assert_eq!(r.json()["data"]["field"], field, "{key}={value}");
        }
        let mut form = platform_form("坏券");
        set(&mut form, "form[kind]", "percent");
        set(&mut form, "form[zhe]", "10");
        let r = op.call("/api/admin/coupons/create", &pairs(&form)).await;
        assert_eq!(r.json()["data"]["field"], "zhe");
        assert_eq!(app.count("SELECT COUNT(*) FROM coupon_templates").await, before);

        // before the wasm: the refusal comes back to the form, beside its field
        let mut form = platform_form("坏券");
        set(&mut form, "form[amount_off]", "abc");
        let r = op.post_html_form("/api/admin/coupons/create", "/admin/coupons/new", &pairs(&form)).await;
        assert_eq!(r.status, StatusCode::FOUND);
        let loc = r.location().unwrap().to_string();
        assert!(loc.starts_with("/admin/coupons/new?error=") && loc.ends_with("&field=amount_off"), "{loc}");
        let page = op.get(&loc).await.text;
        let input = page.find("name=\"form[amount_off]\"").expect("the form is drawn");
        let alert = page.find("data-field=\"amount_off\"").expect("the message sits at its field");
        assert!(input < alert, "under the input");

        // only operators (and the super admin) run marketing
        let finance = app.signed_in("admin", "finance", "jishi2026").await;
        let r = finance.call("/api/admin/coupons/create", &pairs(&platform_form("无权"))).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(finance.call("/api/admin/coupons", &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(finance.get("/admin/coupons/usage.csv").await.status, StatusCode::FORBIDDEN);
        let merchant = app.signed_in("merchant", "duyun_tea", "jishi2026").await;
        let r = merchant.call("/api/admin/coupons/create", &pairs(&platform_form("冒充"))).await;
        assert!(r.status == StatusCode::UNAUTHORIZED || r.status == StatusCode::FORBIDDEN, "{}", r.status);
        assert_eq!(app.count("SELECT COUNT(*) FROM coupon_templates").await, before);
    }

    async fn an_operator_pushes_a_coupon_to_chosen_shoppers(app: TestApp) {
        app.seed_demo().await;
        let op = app.signed_in("admin", "operator", "jishi2026").await;
        let mut form = platform_form("老客回馈券");
        set(&mut form, "form[distribution]", "push");
        set(&mut form, "form[total_qty]", "2");
        let r = op.call("/api/admin/coupons/create", &pairs(&form)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let id = r.text.trim().to_string();

        // nobody can claim a pushed coupon
        let shopper = app.signed_in("shopper", "13800000001", "jishi2026").await;
        let claim = shopper.call("/api/coupons/claim", &[("template_id", &id)]).await;
        assert_eq!(claim.status, StatusCode::NOT_FOUND);

        let push = |phones: &'static str| {
            let (op, id) = (&op, id.clone());
            async move { op.call("/api/admin/coupons/push", &[("id", &id), ("phones", phones)]).await }
        };
        let r = push("13800000001\n138 0000 0002，13911112222").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let report = r.json();
        assert_eq!(report["given"], 2);
        assert_eq!(report["unknown"], serde_json::json!(["139****2222"]));
        let r = push("13800000001").await.json();
        assert_eq!((r["given"].as_i64(), r["at_limit"].as_i64()), (Some(0), Some(1)));
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM coupons WHERE template_id = {id}")).await, 2);
        let mine = shopper.call("/api/coupons/mine", &[("tab", "available")]).await;
        assert!(mine.text.contains("老客回馈券"), "{}", mine.text);

        let bad = push("1380000").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["data"]["field"], "phones");
        // a claimed template is not pushed
        let claimed_id = op.call("/api/admin/coupons/create", &pairs(&platform_form("领取券"))).await.text;
        let r = op.call("/api/admin/coupons/push", &[("id", claimed_id.trim()), ("phones", "13800000002")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'coupon_push'").await, 2);
    }

    async fn a_merchant_runs_shop_coupons_and_full_reductions(app: TestApp) {
        app.seed_demo().await;
        let shop = id_of(&app, "SELECT merchant_id FROM merchant_staff WHERE username = 'duyun_tea'").await;
        let mine = id_of(&app, &format!("SELECT MIN(id) FROM products WHERE merchant_id = {shop} AND status = 'on_sale'")).await;
        let other = id_of(&app, &format!("SELECT MIN(id) FROM products WHERE merchant_id <> {shop}")).await;
        let m = app.signed_in("merchant", "duyun_tea", "jishi2026").await;
        let page = m.call("/api/merchant/marketing", &[]).await.json();
        assert!(page["products"].as_array().unwrap().iter().any(|p| p["id"] == mine));

        // a shop coupon on one product
        let mut form = platform_form("明前茶专享券");
        form.retain(|(k, _)| !matches!(*k, "form[distribution]" | "form[shop_share_percent]" | "form[product_ids_text]"));
        form.push(("form[product_ids][]", mine.to_string()));
        let r = m.call("/api/merchant/coupons/create", &pairs(&form)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let page = m.call("/api/merchant/marketing", &[]).await.json();
        let t = template(&page, "明前茶专享券");
        assert_eq!(t["input"]["scope"]["product_ids"], serde_json::json!([mine]));
        assert_eq!(t["input"]["scope"]["shop_id"], shop);
        // another shop's product, a platform-only choice: refused
        let mut stranger = form.clone();
        set(&mut stranger, "form[product_ids][]", &other.to_string());
        let r = m.call("/api/merchant/coupons/create", &pairs(&stranger)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["data"]["field"], "product_ids");
        let mut pushed = form.clone();
        pushed.push(("form[distribution]", "push".into()));
        let r = m.call("/api/merchant/coupons/create", &pairs(&pushed)).await;
        assert_eq!(r.json()["data"]["field"], "distribution");

        // a three-tier full-reduction with free shipping on the top tier, on one product
        let tiers: Form = vec![
            ("form[title]", "冬茶满减".into()),
            ("form[basis]", "amount".into()),
            ("form[benefit]", "amount_off".into()),
            ("form[thresholds][0]", "100".into()),
            ("form[offs][0]", "10".into()),
            ("form[thresholds][1]", "".into()),
            ("form[offs][1]", "".into()),
            ("form[thresholds][2]", "200".into()),
            ("form[offs][2]", "25".into()),
            ("form[thresholds][3]", "300".into()),
            ("form[offs][3]", "40".into()),
            ("form[free_shipping][]", "4".into()),
            ("form[repeat_cap]", "".into()),
            ("form[starts_at]", "2026-01-01T00:00".into()),
            ("form[ends_at]", "2036-01-01T00:00".into()),
            ("form[product_ids][]", mine.to_string()),
        ];
        // the demo's own full-reduction covers the whole shop: overlapping, refused
        let r = m.call("/api/merchant/full-reductions/create", &pairs(&tiers)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(r.text.contains("同一商品同一时间只能参加一个满减活动"), "{}", r.text);
        let page = m.call("/api/merchant/marketing", &[]).await.json();
        for p in page["full_reductions"].as_array().unwrap() {
            let r = m.call("/api/merchant/full-reductions/act", &[("id", &p["id"].to_string()), ("action", "end")]).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
        let r = m.call("/api/merchant/full-reductions/create", &pairs(&tiers)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let page = m.call("/api/merchant/marketing", &[]).await.json();
        let p = page["full_reductions"].as_array().unwrap().iter().find(|p| p["title"] == "冬茶满减").unwrap();
        assert_eq!(p["label"], "满¥100.00减¥10.00，满¥200.00减¥25.00，满¥300.00减¥40.00包邮");
        assert_eq!(p["status"], "active");
        let id = p["id"].to_string();
        let act = |action: &'static str| {
            let (m, id) = (&m, id.clone());
            async move { m.call("/api/merchant/full-reductions/act", &[("id", &id), ("action", action)]).await }
        };
        assert_eq!(act("pause").await.status, StatusCode::OK);
        assert_eq!(act("resume").await.status, StatusCode::OK);
        assert_eq!(act("end").await.status, StatusCode::OK);
        assert_eq!(act("resume").await.status, StatusCode::CONFLICT);

        // tiers that go down, and a sixth tier: refused by field
        let mut down = tiers.clone();
        set(&mut down, "form[thresholds][2]", "50");
        let r = m.call("/api/merchant/full-reductions/create", &pairs(&down)).await;
        assert_eq!(r.json()["data"]["field"], "tiers");
        let mut six = tiers.clone();
        six.push(("form[thresholds][5]", "900".into()));
        six.push(("form[offs][5]", "90".into()));
        six.push(("form[thresholds][4]", "800".into()));
        six.push(("form[offs][4]", "80".into()));
        set(&mut six, "form[thresholds][1]", "150");
        set(&mut six, "form[offs][1]", "15");
        let r = m.call("/api/merchant/full-reductions/create", &pairs(&six)).await;
        assert_eq!(r.json()["data"]["field"], "tiers");

        // another shop's staff sees none of it and cannot touch it
        let other_shop = app.signed_in("merchant", "zunyi_chili", "jishi2026").await;
        let theirs = other_shop.call("/api/merchant/marketing", &[]).await.json();
        assert!(!theirs.to_string().contains("明前茶专享券"));
        let coupon_id = t["id"].to_string();
        let r = other_shop.call("/api/merchant/coupons/act", &[("id", &coupon_id), ("action", "void")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = other_shop.call("/api/merchant/full-reductions/act", &[("id", &id), ("action", "pause")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let csv = other_shop.get("/merchant/marketing/usage.csv").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(!csv.text.contains("明前茶专享券"));
        assert!(m.get("/merchant/marketing/usage.csv").await.text.contains("明前茶专享券"));
        // a merchant cannot reach the platform's templates
        let platform = id_of(&app, "SELECT MIN(id) FROM coupon_templates WHERE merchant_id IS NULL").await;
        let r = m.call("/api/merchant/coupons/act", &[("id", &platform.to_string()), ("action", "void")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
}
