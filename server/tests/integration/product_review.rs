//! 商品审核 with the platform's review on (`catalog.review_products`): a new product's first
//! listing waits for review and stays out of the shop front; a reviewer rejects it with a
//! reason the merchant sees, the merchant submits it again, the reviewer approves and it is on
//! sale at once; later listings need no review; roles without 审核商品 are refused; the demo
//! marketplace has products waiting, on the platform's to-do panel.

use app::infra::db::Backend;
use http::StatusCode;
use serde_json::Value;

use crate::common::{Client, Response, TestApp, DEMO_PASSWORD as PW};
use crate::products::{save, tea_form};

async fn status(app: &TestApp, id: &str) -> (String, String, Option<i64>) {
    sqlx::query_as("SELECT status, status_reason, approved_at FROM products WHERE id = $1")
        .bind(id.parse::<i64>().unwrap())
        .fetch_one(&app.st.db.pool)
        .await
        .unwrap()
}

/// The merchant's 上架 (`on` "1") or 下架 of one product.
async fn shelf(owner: &Client, id: &str, on: &str) -> Response {
    owner
        .call("/api/merchant/products/shelf", &[("ids[]", id), ("on", on)])
        .await
}

/// 商品审核's decision through the admin API.
async fn review(c: &Client, approve: &str, reason: &str, id: &str) -> Response {
    c.call(
        "/api/admin/products/review",
        &[("id", id), ("approve", approve), ("reason", reason)],
    )
    .await
}

async fn first_listing_waits_for_review(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.catalog.review_products = true).await;
    app.seed_demo().await;
    // the demo: two products wait, one was refused, the rest went through
    assert_eq!(
        app.count("SELECT COUNT(*) FROM products WHERE status = 'pending_review'")
            .await,
        2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM products WHERE status = 'rejected'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM products WHERE status = 'on_sale' AND approved_at IS NULL")
            .await,
        0
    );
    let reviewer = app.signed_in("admin", "reviewer", PW).await;
    let board = reviewer.call("/api/admin/overview", &[]).await.json();
    let todo = board["todos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["label"] == "商品待审核")
        .cloned()
        .unwrap();
    assert_eq!(todo["count"], 2, "{todo}");
    let pending = reviewer
        .call("/api/admin/products", &[("status", "pending_review")])
        .await
        .json();
    assert_eq!(pending["total"], 2, "{pending}");

    // a new product listed: waiting, not in the shop front
    let owner = app.signed_in("merchant", "duyun_tea", PW).await;
    let editor = owner
        .call("/api/merchant/products/editor", &[])
        .await
        .json();
    assert_eq!(editor["needs_review"], true, "the editor says 提交审核");
    let r = save(&owner, &tea_form(&app, &owner).await, true).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let id = r.text.trim().to_string();
    assert_eq!(
        status(&app, &id).await,
        ("pending_review".into(), String::new(), None)
    );
    let visitor = app.client();
    assert_eq!(
        visitor
            .call("/api/shop/product", &[("id", &id)])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // listing it again while it waits changes nothing
    let r = shelf(&owner, &id, "1").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);

    // who may decide, and bad decisions
    let finance = app.signed_in("admin", "finance", PW).await;
    assert_eq!(
        review(&finance, "1", "", &id).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        review(&owner, "1", "", &id).await.status,
        StatusCode::FORBIDDEN,
        "a merchant is no admin"
    );
    let r = review(&reviewer, "0", "", &id).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("驳回原因"), "{}", r.text);
    assert_eq!(
        review(&reviewer, "1", "", "999999").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        status(&app, &id).await.0,
        "pending_review",
        "nothing changed"
    );

    // refused with a reason the merchant sees; listing it again submits it again
    let r = review(&reviewer, "0", "标题含有极限词", &id).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        status(&app, &id).await,
        ("rejected".into(), "标题含有极限词".into(), None)
    );
    assert_eq!(
        review(&reviewer, "0", "再驳回一次", &id).await.status,
        StatusCode::CONFLICT
    );
    let mine = owner
        .call("/api/merchant/products", &[("status", "rejected")])
        .await
        .json();
    let row: &Value = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id.parse::<i64>().unwrap())
        .unwrap();
    assert_eq!(row["status_reason"], "标题含有极限词");
    let r = shelf(&owner, &id, "1").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        status(&app, &id).await,
        ("pending_review".into(), String::new(), None),
        "the old reason is gone"
    );

    // approved: on sale at once
    assert_eq!(review(&reviewer, "1", "", &id).await.status, StatusCode::OK);
    let (now, _, approved) = status(&app, &id).await;
    assert_eq!(now, "on_sale");
    assert!(approved.is_some());
    assert_eq!(
        visitor
            .call("/api/shop/product", &[("id", &id)])
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        review(&reviewer, "1", "", &id).await.status,
        StatusCode::CONFLICT,
        "decided once"
    );

    // off shelf and back: no second review
    shelf(&owner, &id, "0").await;
    let r = shelf(&owner, &id, "1").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(status(&app, &id).await.0, "on_sale");
    let editor = owner
        .call("/api/merchant/products/editor", &[("id", &id)])
        .await
        .json();
    assert_eq!(editor["needs_review"], false);

    // the product's history, in the audit log's own words
    let history: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT action, before_value, after_value FROM audit_log \
         WHERE target_kind = 'product' AND target_id = $1 ORDER BY id",
    )
    .bind(id.parse::<i64>().unwrap())
    .fetch_all(&app.st.db.pool)
    .await
    .unwrap();
    let history: Vec<String> = history
        .into_iter()
        .map(|(a, b, c)| format!("{a}:{b}>{c}"))
        .collect();
    assert_eq!(
        history,
        [
            "product_create:>",
            "product_reject:待审核>审核驳回",
            "product_submit:审核驳回>待审核",
            "product_approve:待审核>在售",
            "product_off_shelf:在售>已下架",
            "product_on_sale:已下架>在售",
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_listing_waits_for_review_sqlite() {
    first_listing_waits_for_review(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_listing_waits_for_review_postgres() {
    first_listing_waits_for_review(Backend::Postgres).await;
}
