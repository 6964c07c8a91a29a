//! People management over HTTP: the platform lists shoppers with masked phones, reveals one
//! with an audited reason, disables shoppers, merchant staff and admins (their open sessions
//! and bearer tokens stop working on the very next request), and only the super admin
//! manages admin accounts and roles.

use crate::common;

use common::{mp_api, mp_token, TestApp, DEMO_PASSWORD};
use http::StatusCode;

const PHONE: &str = "13800000001";

async fn shopper_id(app: &TestApp, phone: &str) -> i64 {
    let hash = app.st.cipher.blind_index(phone);
    app.count(&format!(
        "SELECT id FROM shoppers WHERE phone_hash = '{hash}'"
    ))
    .await
}

/// The entries of `action`, oldest first, as `shopper#3 正常 → 已停用 | 恶意刷单`: the row, the
/// change and the detail as stored.
async fn audit_details(app: &TestApp, action: &str) -> Vec<String> {
    sqlx::query_as::<_, (String, i64, String, String, String)>(
        "SELECT target_kind, target_id, before_value, after_value, detail FROM audit_log \
         WHERE action = $1 ORDER BY id",
    )
    .bind(action)
    .fetch_all(&app.st.db.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|(kind, id, before, after, detail)| format!("{kind}#{id} {before} → {after} | {detail}"))
    .collect()
}

backend_tests! {
    async fn disabling_a_shopper_ends_their_session_and_tokens_at_once(app: TestApp) {
        app.seed_demo().await;
        let id = shopper_id(&app, PHONE).await;
        let shopper = app.signed_in("shopper", PHONE, DEMO_PASSWORD).await;
        assert_eq!(shopper.call("/api/shopper/profile", &[]).await.status, StatusCode::OK);
        // a mini-program shopper with two live tokens
        let token = mp_token(&app, "wxdisable.1").await;
        let second = mp_token(&app, "wxdisable.2").await;
        assert_eq!(mp_api(&app, &token, "GET", "/me", None).await.0, StatusCode::OK);
        let (_, me) = mp_api(&app, &token, "GET", "/me", None).await;
        let mp_id = me["data"]["id"].as_i64().unwrap().to_string();

        let operator = app.signed_in("admin", "operator", DEMO_PASSWORD).await;
        let sid = id.to_string();
        // no reason: refused, nothing changes
        let r = operator.call("/api/admin/shoppers/status", &[("id", &sid), ("enable", "0"), ("reason", " ")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(r.text.contains("停用原因"), "{}", r.text);
        assert_eq!(shopper.call("/api/shopper/profile", &[]).await.status, StatusCode::OK);
        assert!(audit_details(&app, "shopper_disable").await.is_empty());

        let r = operator.call("/api/admin/shoppers/status", &[("id", &sid), ("enable", "0"), ("reason", "恶意刷单")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = operator.call("/api/admin/shoppers/status", &[("id", &mp_id), ("enable", "0"), ("reason", "盗用账号")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);

        // the very next request of the open session and of both tokens is refused
        assert_eq!(shopper.call("/api/shopper/profile", &[]).await.status, StatusCode::UNAUTHORIZED);
        let me = shopper.call("/api/auth/me", &[]).await;
        assert_eq!(me.status, StatusCode::OK);
        assert!(me.json().is_null(), "the session reads as signed out: {}", me.text);
        for t in [&token, &second] {
            assert_eq!(mp_api(&app, t, "GET", "/me", None).await.0, StatusCode::UNAUTHORIZED);
        }
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM mp_tokens WHERE shopper_id = {mp_id} AND revoked_at IS NULL")).await, 0);
        // and signing in again says why
        let again = app.client().sign_in("shopper", PHONE, DEMO_PASSWORD).await;
        assert_eq!(again.status, StatusCode::FORBIDDEN, "{}", again.text);
        assert!(again.text.contains("账号已停用"), "{}", again.text);

        let details = audit_details(&app, "shopper_disable").await;
        assert_eq!(details.len(), 2);
        assert_eq!(details[0], format!("shopper#{id} 正常 → 已停用 | 恶意刷单"));
        assert!(details[1].contains("结束 2 个小程序登录"), "{details:?}");
        // the list shows the status and the reason
        let list = operator.call("/api/admin/shoppers", &[("q", PHONE)]).await.json();
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["status"], "disabled");
        assert_eq!(list["items"][0]["status_reason"], "恶意刷单");
        let disabled = operator.call("/api/admin/shoppers", &[("status", "disabled")]).await.json();
        assert_eq!(disabled["total"], 2);

        // twice: 409 and no second audit row; unknown: 404
        let r = operator.call("/api/admin/shoppers/status", &[("id", &sid), ("enable", "0"), ("reason", "恶意刷单")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
        let r = operator.call("/api/admin/shoppers/status", &[("id", "999999"), ("enable", "0"), ("reason", "恶意刷单")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        assert_eq!(audit_details(&app, "shopper_disable").await.len(), 2);

        // enabled again: signs in afresh; the ended session and tokens stay ended
        let r = operator.call("/api/admin/shoppers/status", &[("id", &sid), ("enable", "1")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(shopper.call("/api/shopper/profile", &[]).await.status, StatusCode::UNAUTHORIZED);
        let back = app.signed_in("shopper", PHONE, DEMO_PASSWORD).await;
        assert_eq!(back.call("/api/shopper/profile", &[]).await.status, StatusCode::OK);
        assert!(audit_details(&app, "shopper_enable").await[0].contains("已停用 → 正常"));
    }

    async fn the_list_masks_phones_and_revealing_one_needs_a_reason(app: TestApp) {
        app.seed_demo().await;
        let id = shopper_id(&app, PHONE).await;
        let operator = app.signed_in("admin", "operator", DEMO_PASSWORD).await;
        let all = operator.call("/api/admin/shoppers", &[]).await;
        assert_eq!(all.status, StatusCode::OK, "{}", all.text);
        assert!(all.json()["total"].as_i64().unwrap() >= 3);
        assert!(!all.text.contains(PHONE), "whole numbers never appear in the list");
        for (q, expect) in [(PHONE, 1), ("0001", 1), (&*format!("#{id}"), 1), ("13999999999", 0)] {
            let r = operator.call("/api/admin/shoppers", &[("q", q)]).await.json();
            assert_eq!(r["total"], expect, "{q}: {r}");
            if expect == 1 {
                assert_eq!(r["items"][0]["id"], id);
                assert_eq!(r["items"][0]["phone_masked"], "138****0001");
            }
        }
        let bad = operator.call("/api/admin/shoppers", &[("status", "gone")]).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);

        let sid = id.to_string();
        let r = operator.call("/api/admin/shoppers/phone", &[("id", &sid), ("reason", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(!r.text.contains(PHONE));
        assert!(audit_details(&app, "shopper_phone_reveal").await.is_empty());
        let r = operator.call("/api/admin/shoppers/phone", &[("id", &sid), ("reason", "售后回访")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["phone"], PHONE);
        let details = audit_details(&app, "shopper_phone_reveal").await;
        assert_eq!(details, vec![format!("shopper#{id}  →  | 138****0001：售后回访")]);
        let r = operator.call("/api/admin/shoppers/phone", &[("id", "999999"), ("reason", "售后回访")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        // finance, a merchant and a visitor may not
        let finance = app.signed_in("admin", "finance", DEMO_PASSWORD).await;
        for path in ["/api/admin/shoppers", "/api/admin/shoppers/phone"] {
            let r = finance.call(path, &[("id", &sid), ("reason", "售后回访")]).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.text);
        }
        let merchant = app.signed_in("merchant", "duyun_tea", DEMO_PASSWORD).await;
        let r = merchant.call("/api/admin/shoppers/phone", &[("id", &sid), ("reason", "售后回访")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app.client().call("/api/admin/shoppers", &[]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(audit_details(&app, "shopper_phone_reveal").await.len(), 1);
    }

    async fn a_disabled_staff_account_loses_the_console_at_once(app: TestApp) {
        app.seed_demo().await;
        let staff = app.signed_in("merchant", "duyun_tea", DEMO_PASSWORD).await;
        assert_eq!(staff.get("/merchant").await.status, StatusCode::OK);
        let operator = app.signed_in("admin", "operator", DEMO_PASSWORD).await;
        let rows = operator.call("/api/admin/staff-accounts", &[("q", "duyun")]).await;
        assert_eq!(rows.status, StatusCode::OK, "{}", rows.text);
        let rows = rows.json();
        assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
        let staff_id = rows[0]["id"].as_i64().unwrap().to_string();
        let merchant_id = rows[0]["merchant_id"].as_i64().unwrap();

        let r = operator.call("/api/admin/staff-accounts/status", &[("id", &staff_id), ("enable", "0"), ("reason", "账号被盗")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(staff.call("/api/merchant/overview", &[]).await.status, StatusCode::UNAUTHORIZED);
        let page = staff.get("/merchant").await;
        assert_eq!(page.location(), Some("/merchant/login"), "{}", page.status);
        let again = app.client().sign_in("merchant", "duyun_tea", DEMO_PASSWORD).await;
        assert_eq!(again.status, StatusCode::FORBIDDEN);
        // the shop's own log shows it
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'staff_disable' AND merchant_id = {merchant_id}")).await, 1);

        let r = operator.call("/api/admin/staff-accounts/status", &[("id", &staff_id), ("enable", "1")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let back = app.signed_in("merchant", "duyun_tea", DEMO_PASSWORD).await;
        assert_eq!(back.call("/api/merchant/overview", &[]).await.status, StatusCode::OK);
        let reviewer = app.signed_in("admin", "reviewer", DEMO_PASSWORD).await;
        let r = reviewer.call("/api/admin/staff-accounts/status", &[("id", &staff_id), ("enable", "0"), ("reason", "账号被盗")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }

    async fn only_the_super_admin_manages_admins_and_changes_apply_at_once(app: TestApp) {
        app.seed_demo().await;
        let operator = app.signed_in("admin", "operator", DEMO_PASSWORD).await;
        assert_eq!(operator.call("/api/admin/admins", &[]).await.status, StatusCode::FORBIDDEN);
        let r = operator.call("/api/admin/admins/create", &[("username", "ops2"), ("display_name", "小运"), ("role", "super"), ("password", "ops2pass2026")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        let boss = app.signed_in("admin", "admin", DEMO_PASSWORD).await;
        let r = boss.call("/api/admin/admins/create", &[("username", "Ops2"), ("display_name", "小运"), ("role", "operator"), ("password", "ops2pass2026")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let ops2_id = r.json().as_i64().unwrap().to_string();
        for (form, field) in [
            ([("username", "ops2"), ("display_name", "重名"), ("role", "operator"), ("password", "ops2pass2026")], "username"),
            ([("username", "ops3"), ("display_name", "x"), ("role", "boss"), ("password", "ops2pass2026")], "role"),
            ([("username", "ops3"), ("display_name", "x"), ("role", "finance"), ("password", "short")], "password"),
        ] {
            let r = boss.call("/api/admin/admins/create", &form).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.text);
            assert_eq!(r.json()["data"]["field"], field);
        }
        let ops2 = app.signed_in("admin", "ops2", "ops2pass2026").await;
        assert_eq!(ops2.call("/api/admin/shoppers", &[]).await.status, StatusCode::OK);

        // a new role applies to the open session at once
        let r = boss.call("/api/admin/admins/role", &[("id", &ops2_id), ("role", "finance")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(ops2.call("/api/admin/shoppers", &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(audit_details(&app, "admin_role").await, vec![format!("admin#{ops2_id} 运营 → 财务 | ")]);
        let r = boss.call("/api/admin/admins/role", &[("id", &ops2_id), ("role", "finance")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT);

        // disabled: the open session is over
        let r = boss.call("/api/admin/admins/status", &[("id", &ops2_id), ("enable", "0"), ("reason", "离职")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(ops2.call("/api/admin/finance/bills", &[]).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(ops2.get("/admin").await.location(), Some("/admin/login"));

        // nobody changes their own account, so a super admin always remains
        let rows = boss.call("/api/admin/admins", &[]).await.json();
        let me = rows.as_array().unwrap().iter().find(|r| r["is_me"] == true).unwrap();
        let my_id = me["id"].as_i64().unwrap().to_string();
        let r = boss.call("/api/admin/admins/status", &[("id", &my_id), ("enable", "0"), ("reason", "测试停用")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        let r = boss.call("/api/admin/admins/role", &[("id", &my_id), ("role", "reviewer")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        let r = boss.call("/api/admin/admins/role", &[("id", "999999"), ("role", "reviewer")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(boss.call("/api/admin/admins", &[]).await.status, StatusCode::OK);
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'admin_create'").await, 1);
    }
}
