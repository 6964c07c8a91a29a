//! Subscription messages over the mini-program API and the notice job, against the fake WeChat:
//! acceptances become credits, a shipment owes a message that is sent once with values fitted to
//! WeChat's keyword rules; no credit, 43101, 47003 and WeChat being down each end the way they
//! should, without retry storms; two senders at once send each message once.

use crate::common::{mp_api as api, mp_token as token, TestApp, DEMO_PASSWORD as PW};
use app::infra::db::Backend;
use app::services::subscriptions::send_due;
use http::StatusCode;
use serde_json::json;

const SHIPPED: &str = "tmpl-shipped-0001";
const REFUNDED: &str = "tmpl-refunded-0001";
const DECIDED: &str = "tmpl-after-sale-0001";
const BALANCE: &str = "tmpl-balance-due-0001";

async fn spawn(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, |c| {
        c.wechat.subscribe.shipped.template_id = SHIPPED.into();
        c.wechat.subscribe.refunded.template_id = REFUNDED.into();
        c.wechat.subscribe.after_sale_decided.template_id = DECIDED.into();
        c.wechat.subscribe.balance_due.template_id = BALANCE.into();
        // the notice job's own passes would race the passes this test makes
        c.orders.sweep_secs = 3600;
    })
    .await
}

/// Submits a checkout through the mini-program API and pays its trade; returns the trade.
async fn submit_and_pay(app: &TestApp, t: &str, body: serde_json::Value) -> serde_json::Value {
    let (s, trade) = api(app, t, "POST", "/checkout/submit", Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{trade}");
    pay_trade(app, t, trade["data"]["trade_no"].as_str().unwrap()).await;
    trade
}

/// Pays a trade with the simulated provider.
async fn pay_trade(app: &TestApp, t: &str, no: &str) {
    let (s, paid) = api(app, t, "POST", &format!("/trades/{no}/simulated-pay"), None).await;
    assert_eq!(s, StatusCode::OK, "{paid}");
}

/// A paid order of the tea shop for the shopper of `t`: (order id, order number).
async fn paid_tea_order(app: &TestApp, t: &str, key: &str) -> (i64, String) {
    let (sku,): (i64,) = sqlx::query_as(
        "SELECT s.id FROM skus s JOIN products p ON p.id = s.product_id JOIN merchants m ON m.id = p.merchant_id \
         WHERE m.name = '都匀毛尖茶庄' AND p.status = 'on_sale' AND s.stock >= 5 ORDER BY s.id LIMIT 1")
        .fetch_one(&app.st.db.pool).await.unwrap();
    let trade = submit_and_pay(
        app,
        t,
        json!({"lines": [{"sku_id": sku, "qty": 1}], "idempotency_key": key}),
    )
    .await;
    let id = trade["data"]["order_ids"][0].as_i64().unwrap();
    let (order_no,): (String,) = sqlx::query_as("SELECT order_no FROM orders WHERE id = $1")
        .bind(id)
        .fetch_one(&app.st.db.pool)
        .await
        .unwrap();
    (id, order_no)
}

async fn ship(app: &TestApp, order_id: i64) {
    let tea = app.signed_in("merchant", "duyun_tea", PW).await;
    let r = tea
        .call(
            "/api/merchant/orders/ship",
            &[
                ("order_id", &order_id.to_string()),
                ("carrier", "顺丰速运"),
                ("tracking_no", "SF1234567890"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

async fn credits(app: &TestApp, openid: &str, template: &str) -> i64 {
    sqlx::query_as::<_, (i64,)>(
        "SELECT c.credits FROM subscription_credits c JOIN shoppers s ON s.id = c.shopper_id \
         WHERE s.wx_openid = $1 AND c.template_id = $2",
    )
    .bind(openid)
    .bind(template)
    .fetch_optional(&app.st.db.pool)
    .await
    .unwrap()
    .map_or(0, |r| r.0)
}

async fn notice_states(app: &TestApp) -> Vec<(String, String)> {
    sqlx::query_as("SELECT status, outcome FROM subscription_notices ORDER BY id")
        .fetch_all(&app.st.db.pool)
        .await
        .unwrap()
}

async fn shipments_are_told_once_per_acceptance(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let t = token(&app, "buyer.1").await;
    let address = json!({"receiver": "张三", "phone": "13900139000", "province": "贵州省",
        "city": "贵阳市", "district": "云岩区", "detail": "中华北路 1 号", "is_default": true});
    assert_eq!(
        api(&app, &t, "POST", "/addresses", Some(address)).await.0,
        StatusCode::OK
    );

    // what the client asks for, and what it may report
    let (s, tmpl) = api(&app, "", "GET", "/subscriptions/templates", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        tmpl["data"],
        json!({"pay": [SHIPPED, REFUNDED, BALANCE], "after_sale": [DECIDED]})
    );
    let (s, bad) = api(
        &app,
        &t,
        "POST",
        "/subscriptions",
        Some(json!({"accepted": ["forged-id"]})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    let (s, _) = api(
        &app,
        &t,
        "POST",
        "/subscriptions",
        Some(json!({"accepted": ["a", "b", "c", "d"]})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = api(
        &app,
        "no-token",
        "POST",
        "/subscriptions",
        Some(json!({"accepted": [SHIPPED]})),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = api(
        &app,
        &t,
        "POST",
        "/subscriptions",
        Some(json!({"accepted": [SHIPPED, REFUNDED]})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(credits(&app, "openid-buyer", SHIPPED).await, 1);

    // shipped: one message, with the order's values under the template's keywords
    let (order, order_no) = paid_tea_order(&app, &t, "sub-key-00001").await;
    ship(&app, order).await;
    assert_eq!(send_due(&app.st).await.unwrap(), 1);
    let sent = app.wechat.sent();
    assert_eq!(sent.len(), 1);
    let m = &sent[0];
    assert_eq!(m["touser"], "openid-buyer");
    assert_eq!(m["template_id"], SHIPPED);
    assert_eq!(m["page"], format!("pages/order/index?id={order}"));
    assert_eq!(m["data"]["character_string1"]["value"], order_no.as_str());
    assert_eq!(m["data"]["thing3"]["value"], "顺丰速运");
    assert_eq!(m["data"]["character_string4"]["value"], "SF1234567890");
    assert!(m["data"]["time5"]["value"].as_str().unwrap().contains('年'));
    let goods = m["data"]["thing2"]["value"].as_str().unwrap();
    assert!(!goods.is_empty() && goods.chars().count() <= 20, "{goods}");
    assert_eq!(
        credits(&app, "openid-buyer", SHIPPED).await,
        0,
        "the acceptance is spent"
    );
    assert_eq!(send_due(&app.st).await.unwrap(), 0, "sent once");
    assert_eq!(app.wechat.sent().len(), 1);

    // no credit left: the next shipment is owed nothing, and nothing is tried
    let (order2, _) = paid_tea_order(&app, &t, "sub-key-00002").await;
    ship(&app, order2).await;
    assert_eq!(send_due(&app.st).await.unwrap(), 0);
    assert_eq!(app.wechat.sent().len(), 1);
    assert_eq!(
        notice_states(&app).await.last().unwrap(),
        &("skipped".to_string(), "用户未订阅".to_string())
    );

    // WeChat says the shopper has no subscription (43101): our credits follow it
    for _ in 0..2 {
        api(
            &app,
            &t,
            "POST",
            "/subscriptions",
            Some(json!({"accepted": [SHIPPED]})),
        )
        .await;
    }
    app.wechat.answer_sends_with(43101);
    let (order3, _) = paid_tea_order(&app, &t, "sub-key-00003").await;
    ship(&app, order3).await;
    assert_eq!(send_due(&app.st).await.unwrap(), 0);
    assert_eq!(credits(&app, "openid-buyer", SHIPPED).await, 0);
    assert_eq!(notice_states(&app).await.last().unwrap().0, "skipped");

    // bad data (47003): failed once, logged, the credit kept, never tried again
    api(
        &app,
        &t,
        "POST",
        "/subscriptions",
        Some(json!({"accepted": [SHIPPED]})),
    )
    .await;
    app.wechat.answer_sends_with(47003);
    let (order4, _) = paid_tea_order(&app, &t, "sub-key-00004").await;
    ship(&app, order4).await;
    let tries = app.wechat.sent().len();
    assert_eq!(send_due(&app.st).await.unwrap(), 0);
    assert_eq!(app.wechat.sent().len(), tries + 1);
    assert_eq!(notice_states(&app).await.last().unwrap().0, "failed");
    assert_eq!(
        credits(&app, "openid-buyer", SHIPPED).await,
        1,
        "WeChat did not take it"
    );
    send_due(&app.st).await.unwrap();
    assert_eq!(
        app.wechat.sent().len(),
        tries + 1,
        "a refused message is not tried again"
    );

    // WeChat down: tried later (not at once), the credit kept; back up, and a token WeChat
    // no longer takes is replaced once
    app.wechat.answer_sends_with(-500);
    let (order5, _) = paid_tea_order(&app, &t, "sub-key-00005").await;
    ship(&app, order5).await;
    send_due(&app.st).await.unwrap();
    let (status, next_at): (String, i64) =
        sqlx::query_as("SELECT status, next_at FROM subscription_notices ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.st.db.pool)
            .await
            .unwrap();
    assert_eq!(status, "pending");
    assert!(
        next_at > app.st.clock.now_ms() + 30_000,
        "not again at once"
    );
    let tries = app.wechat.sent().len();
    send_due(&app.st).await.unwrap();
    assert_eq!(
        app.wechat.sent().len(),
        tries,
        "not due yet: no retry storm"
    );
    assert_eq!(credits(&app, "openid-buyer", SHIPPED).await, 1);
    app.wechat.answer_sends_with(0);
    app.wechat.expire_token();
    sqlx::query("UPDATE subscription_notices SET next_at = 0 WHERE status = 'pending'")
        .execute(&app.st.db.pool)
        .await
        .unwrap();
    let tokens = app
        .wechat
        .subscribe
        .token_requests
        .load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(send_due(&app.st).await.unwrap(), 1);
    assert_eq!(
        app.wechat
            .subscribe
            .token_requests
            .load(std::sync::atomic::Ordering::SeqCst),
        tokens + 1
    );
    assert_eq!(credits(&app, "openid-buyer", SHIPPED).await, 0);
}

async fn two_senders_send_each_message_once(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let t = token(&app, "buyer.2").await;
    let address = json!({"receiver": "李四", "phone": "13900139001", "province": "贵州省",
        "city": "贵阳市", "district": "南明区", "detail": "花果园 2 号", "is_default": true});
    api(&app, &t, "POST", "/addresses", Some(address)).await;
    let mut orders = Vec::new();
    for i in 0..3 {
        api(
            &app,
            &t,
            "POST",
            "/subscriptions",
            Some(json!({"accepted": [SHIPPED]})),
        )
        .await;
        orders.push(
            paid_tea_order(&app, &t, &format!("sub-race-{i:05}"))
                .await
                .0,
        );
    }
    for o in &orders {
        ship(&app, *o).await;
    }
    let (a, b) = tokio::join!(send_due(&app.st), send_due(&app.st));
    assert_eq!(a.unwrap() + b.unwrap(), 3);
    let sent = app.wechat.sent();
    assert_eq!(sent.len(), 3, "each message once");
    let mut pages: Vec<_> = sent
        .iter()
        .map(|m| m["page"].as_str().unwrap().to_string())
        .collect();
    pages.sort();
    pages.dedup();
    assert_eq!(pages.len(), 3);
    assert_eq!(credits(&app, "openid-buyer", SHIPPED).await, 0);
}

/// 尾款支付提醒: a shopper who accepted it on the deposit's pay tap is told once when the
/// balance window opens (the balance and the window's close in the message), however often the
/// reminder pass runs; nothing before the window, nothing for a balance already paid.
async fn an_open_balance_window_is_told_once(backend: Backend) {
    let app = spawn(backend).await;
    app.seed_demo().await;
    let st = app.st.clone();
    let t = token(&app, "deposit.1").await;
    let address = json!({"receiver": "张三", "phone": "13900139000", "province": "云南省",
        "city": "昆明市", "district": "五华区", "detail": "翠湖南路 1 号", "is_default": true});
    assert_eq!(
        api(&app, &t, "POST", "/addresses", Some(address)).await.0,
        StatusCode::OK
    );
    let (s, _) = api(
        &app,
        &t,
        "POST",
        "/subscriptions",
        Some(json!({"accepted": [BALANCE]})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (merchant, product, sku, price) = crate::common::buying::free_sku(&st).await;
    let scope = crate::common::merchant_scope(&st, merchant).await;
    let form = crate::presale_deposits::deposit_form(&st, product, sku, price, "refund");
    let presale = app::services::presales::create(&st, &scope, &form, "127.0.0.1")
        .await
        .unwrap();
    let mut orders = Vec::new();
    for key in ["deposit-key-1", "deposit-key-2"] {
        let body = json!({"lines": [{"sku_id": sku, "qty": 1}], "presale_id": presale, "idempotency_key": key});
        let trade = submit_and_pay(&app, &t, body).await;
        orders.push(trade["data"]["order_ids"][0].as_i64().unwrap());
    }
    let remind = app::services::presale_balances::remind_open;
    assert_eq!(remind(&st).await.unwrap(), 0, "not before the window");
    st.clock
        .advance(std::time::Duration::from_secs(24 * 3600 + 120));
    // the second order's balance is paid before the pass: it is owed nothing
    let (s, bt) = api(
        &app,
        &t,
        "POST",
        &format!("/orders/{}/pay-balance", orders[1]),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{bt}");
    pay_trade(&app, &t, bt["data"]["trade_no"].as_str().unwrap()).await;
    // two passes at once (two instances' jobs): one tells
    let (a, b) = tokio::join!(remind(&st), remind(&st));
    assert_eq!(a.unwrap() + b.unwrap(), 1, "told once");
    assert_eq!(remind(&st).await.unwrap(), 0);
    assert_eq!(send_due(&st).await.unwrap(), 1);
    let sent = app.wechat.sent();
    assert_eq!(sent.len(), 1);
    let m = &sent[0];
    assert_eq!(m["template_id"], BALANCE);
    assert_eq!(m["page"], format!("pages/order/index?id={}", orders[0]));
    let (balance, ends_at): (i64, i64) =
        sqlx::query_as("SELECT balance, ends_at FROM presale_balances WHERE order_id = $1")
            .bind(orders[0])
            .fetch_one(&st.db.pool)
            .await
            .unwrap();
    assert_eq!(
        m["data"]["amount3"]["value"],
        format!("{}元", app::domain::money::yuan_text(balance))
    );
    let close = app::domain::time::ChinaTime::of_ms(ends_at);
    assert!(
        m["data"]["time4"]["value"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}年{}月{}日", close.year, close.month, close.day)),
        "{m}"
    );
    assert_eq!(
        credits(&app, "openid-deposit", BALANCE).await,
        0,
        "the acceptance is spent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_balance_window_is_told_once_sqlite() {
    an_open_balance_window_is_told_once(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_balance_window_is_told_once_postgres() {
    an_open_balance_window_is_told_once(Backend::Postgres).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shipments_are_told_once_per_acceptance_sqlite() {
    shipments_are_told_once_per_acceptance(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shipments_are_told_once_per_acceptance_postgres() {
    shipments_are_told_once_per_acceptance(Backend::Postgres).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_senders_send_each_message_once_sqlite() {
    two_senders_send_each_message_once(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_senders_send_each_message_once_postgres() {
    two_senders_send_each_message_once(Backend::Postgres).await
}
