//! Opening a shop: application, review, the new owner's first sign-in; suspension; staff.

use crate::common;

use common::Client;
use http::StatusCode;
use serde_json::Value;

const PW: &str = "jishi2026";

async fn category_id(app: &common::TestApp, name: &str) -> String {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM categories WHERE name = $1")
        .bind(name)
        .fetch_one(&app.st.db.pool)
        .await
        .unwrap();
    id.to_string()
}

async fn apply(
    c: &Client,
    licence: &str,
    shop: &str,
    username: &str,
    cat: &str,
) -> common::Response {
    c.call(
        "/api/apply/submit",
        &[
            ("shop_name", shop),
            ("kind", "individual"),
            ("region", "贵州·凯里"),
            ("intro", "酸汤鱼的灵魂"),
            ("contact_name", "吴阿姐"),
            ("contact_phone", "139 0000 1234"),
            ("licence_no", "92522601MA6H1234XK"),
            ("licence_image", licence),
            ("category_ids[]", cat),
            ("owner_username", username),
            ("owner_password", "Suantang2026"),
        ],
    )
    .await
}

fn find(list: &Value, shop: &str) -> Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|a| a["shop_name"] == shop)
        .cloned()
        .unwrap_or_else(|| panic!("{shop} not in {list}"))
}

backend_tests! {
    async fn an_applicant_is_rejected_then_approved_and_the_owner_signs_in(app: TestApp) {
        app.seed_demo().await;
        let shopper = app.signed_in("shopper", "13800000002", PW).await;
        let licence = shopper.upload_picture(1).await;
        let cat = category_id(&app, "调味品").await;

        let r = apply(&shopper, &licence, "凯里酸汤坊", "kaili_suantang", &cat).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let mine = shopper.call("/api/apply/page", &[]).await.json();
        assert_eq!(mine["latest"]["status"], "pending");
        assert_eq!(mine["latest"]["contact_phone"], "139****1234");
        // one pending application at a time
        let again = apply(&shopper, &licence, "凯里酸汤坊二号", "kaili_two", &cat).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);

        let reviewer = app.signed_in("admin", "reviewer", PW).await;
        let queue = reviewer.call("/api/admin/applications", &[("status", "pending")]).await.json();
        let id = find(&queue, "凯里酸汤坊")["id"].as_i64().unwrap().to_string();
        let detail = reviewer.call("/api/admin/applications/detail", &[("id", &id)]).await.json();
        assert_eq!(detail["contact_phone"], "13900001234", "reviewers see the full phone");
        assert_eq!(detail["licence_image"], licence.as_str());
        assert_eq!(detail["categories"], serde_json::json!(["调味品"]));

        let no_reason = reviewer.call("/api/admin/applications/review", &[("id", &id), ("decision", "reject"), ("reason", "")]).await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = reviewer.call("/api/admin/applications/review", &[("id", &id), ("decision", "reject"), ("reason", "营业执照照片不清晰，请重新拍摄")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let mine = shopper.call("/api/apply/page", &[]).await.json();
        assert_eq!(mine["latest"]["status"], "rejected");
        assert_eq!(mine["latest"]["reject_reason"], "营业执照照片不清晰，请重新拍摄");
        assert!(app.client().sign_in("merchant", "kaili_suantang", "Suantang2026").await.status.is_client_error());

        // the applicant fixes the photo and applies again; this time it passes
        let licence = shopper.upload_picture(2).await;
        let r = apply(&shopper, &licence, "凯里酸汤坊", "kaili_suantang", &cat).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let id = r.text.trim().to_string();
        let r = reviewer.call("/api/admin/applications/review", &[("id", &id), ("decision", "approve")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let twice = reviewer.call("/api/admin/applications/review", &[("id", &id), ("decision", "approve")]).await;
        assert_eq!(twice.status, StatusCode::CONFLICT);
        assert_eq!(shopper.call("/api/apply/page", &[]).await.json()["latest"]["status"], "approved");

        let owner = app.signed_in("merchant", "kaili_suantang", "Suantang2026").await;
        let shop = owner.call("/api/merchant/shop", &[]).await.json();
        assert_eq!(shop["name"], "凯里酸汤坊");
        assert_eq!(shop["is_owner"], true);
        let editor = owner.call("/api/merchant/products/editor", &[]).await.json();
        let paths: Vec<&str> = editor["categories"].as_array().unwrap().iter().map(|c| c["path"].as_str().unwrap()).collect();
        assert_eq!(paths, ["调味品 / 辣椒酱", "调味品 / 干货调料"], "granted categories only");
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('application_reject', 'application_approve')").await, 2);
    }

    async fn applications_with_bad_input_are_refused_and_change_nothing(app: TestApp) {
        app.seed_demo().await;
        let shopper = app.signed_in("shopper", "13800000003", PW).await;
        let licence = shopper.upload_picture(3).await;
        let cat = category_id(&app, "茶叶").await;
        let child = category_id(&app, "绿茶").await;
        for (shop, username, licence, cat, expect) in [
            ("都匀毛尖茶庄", "new_owner", licence.as_str(), cat.as_str(), "店铺名称已被使用"),
            ("新茶铺", "duyun_tea", licence.as_str(), cat.as_str(), "登录账号已被使用"),
            ("新茶铺", "new_owner", "", cat.as_str(), "营业执照照片"),
            ("新茶铺", "new_owner", "0123456789abcdef0123456789abcdef", cat.as_str(), "图片无效"),
            ("新茶铺", "new_owner", licence.as_str(), child.as_str(), "经营类目无效"),
            ("新茶铺", "New Owner!", licence.as_str(), cat.as_str(), "用户名"),
        ] {
            let r = apply(&shopper, licence, shop, username, cat).await;
            assert!(r.status.is_client_error(), "{shop}/{username}: {}", r.text);
            assert!(r.text.contains(expect), "{expect}: {}", r.text);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM merchant_applications").await, 0);
        // only shoppers apply, only reviewers and operators review
        let merchant = app.signed_in("merchant", "duyun_tea", PW).await;
        assert_eq!(apply(&merchant, &licence, "新茶铺", "new_owner", &cat).await.status, StatusCode::FORBIDDEN);
        let finance = app.signed_in("admin", "finance", PW).await;
        assert_eq!(finance.call("/api/admin/applications", &[("status", "")]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.client().call("/api/apply/page", &[]).await.status, StatusCode::UNAUTHORIZED);
    }

    async fn a_suspended_shop_leaves_the_shop_front_and_comes_back_when_reopened(app: TestApp) {
        app.seed_demo().await;
        let visitor = app.client();
        let hits = |v: Value| v["total"].as_u64().unwrap();
        let before = hits(visitor.call("/api/shop/search", &[("q", "毛尖")]).await.json());
        assert!(before >= 3, "demo has 毛尖 products");
        let (shop_id,): (i64,) = sqlx::query_as("SELECT id FROM merchants WHERE name = '都匀毛尖茶庄'")
            .fetch_one(&app.st.db.pool).await.unwrap();
        let shop_id = shop_id.to_string();

        let op = app.signed_in("admin", "operator", PW).await;
        let r = op.call("/api/admin/merchants/status", &[("id", &shop_id), ("open", "0"), ("reason", "食品经营许可证过期")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(hits(visitor.call("/api/shop/search", &[("q", "毛尖")]).await.json()), 0);
        assert_eq!(visitor.call("/api/shop/page", &[("id", &shop_id)]).await.status, StatusCode::NOT_FOUND);
        assert_eq!(visitor.get(&format!("/api/mp/v1/shops/{shop_id}")).await.status, StatusCode::NOT_FOUND);

        // the merchant keeps its data and sees why, but cannot put anything on sale
        let owner = app.signed_in("merchant", "duyun_tea", PW).await;
        let shop = owner.call("/api/merchant/shop", &[]).await.json();
        assert_eq!(shop["status"], "suspended");
        assert_eq!(shop["status_reason"], "食品经营许可证过期");
        let list = owner.call("/api/merchant/products", &[]).await.json();
        assert!(list["total"].as_i64().unwrap() >= 10);
        let first = list["items"][0]["id"].as_i64().unwrap().to_string();
        owner.call("/api/merchant/products/shelf", &[("ids[]", &first), ("on", "0")]).await;
        let r = owner.call("/api/merchant/products/shelf", &[("ids[]", &first), ("on", "1")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);

        let r = op.call("/api/admin/merchants/status", &[("id", &shop_id), ("open", "1")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        // everything is back but the product taken off shelf meanwhile (every product of this
        // shop matches 毛尖, at least through the shop's name)
        assert_eq!(hits(visitor.call("/api/shop/search", &[("q", "毛尖")]).await.json()), before - 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action IN ('merchant_suspend', 'merchant_reopen')").await, 2);
    }

    async fn the_owner_adds_and_removes_staff_and_a_removed_member_is_shut_out(app: TestApp) {
        app.seed_demo().await;
        let owner = app.signed_in("merchant", "zunyi_chili", PW).await;
        let r = owner.call("/api/merchant/staff/add", &[("username", "chili_clerk"), ("display_name", "小杨"), ("password", "Clerk2026x")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let clerk_id = r.text.trim().to_string();
        let dup = owner.call("/api/merchant/staff/add", &[("username", "duyun_tea"), ("display_name", "重名"), ("password", "Clerk2026x")]).await;
        assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);

        let clerk = app.signed_in("merchant", "chili_clerk", "Clerk2026x").await;
        assert_eq!(clerk.call("/api/merchant/products", &[]).await.status, StatusCode::OK);
        let r = clerk.call("/api/merchant/staff/add", &[("username", "chili_two"), ("display_name", "小二"), ("password", "Clerk2026x")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "staff cannot add staff");
        let staff = owner.call("/api/merchant/staff", &[]).await.json();
        assert_eq!(staff.as_array().unwrap().len(), 2);

        let r = owner.call("/api/merchant/staff/remove", &[("staff_id", &clerk_id)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        // the clerk's live session stops working at once
        assert_eq!(clerk.call("/api/merchant/products", &[]).await.status, StatusCode::UNAUTHORIZED);
        assert!(app.client().sign_in("merchant", "chili_clerk", "Clerk2026x").await.status.is_client_error());
    }
}
