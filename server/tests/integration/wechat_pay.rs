//! WeChat Pay API v3 against a local fake: the crypto checked against vectors made by OpenSSL
//! and Node.js, a mini-program payment end to end (prepay, `paySign`, signed and encrypted
//! notification, replays and forgeries), a refund confirmed by its notification, tampered replies
//! refused, and production without the simulated provider — on SQLite and PostgreSQL.

use crate::common;

use app::domain::after_sale::{AfterSaleKind, AfterSaleLine, AfterSaleRequest, AfterSaleStatus};
use app::domain::order_view::OrderTab;
use app::domain::reader::Reader;
use app::infra::config::Config;
use app::infra::db::Backend;
use app::infra::payments::wechat_pay::crypto::{self, MerchantKey, PlatformKey};
use app::services::{after_sales, orders};
use axum::body::Body;
use common::fake_wechat::APPID;
use common::fake_wechat_pay::{fixture, FakeWechatPay, API_V3_KEY, MCHID};
use common::{mp_api, mp_token, TestApp};
use http::{Request, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

#[test]
fn signatures_and_decryption_match_openssl_and_node() {
    // `openssl dgst -sha256 -sign merchant_key.pem pay_message.txt | base64`
    let message = read("pay_message.txt");
    let expected = String::from_utf8(read("pay_message.sig")).unwrap();
    let key = MerchantKey::from_pem(&read("merchant_key.pem")).unwrap();
    assert_eq!(
        key.sign(&message),
        expected.trim(),
        "PKCS#1 v1.5 signatures are deterministic"
    );
    assert_eq!(
        String::from_utf8(message.clone()).unwrap(),
        crypto::pay_message(
            "wx_test_app",
            "1700000000",
            "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
            "prepay_id=wx201410272009395522657a690389285100"
        ),
        "the paySign message is appid, timestamp, nonce and package, each ending in a newline"
    );
    let public = PlatformKey::from_pem(&read("merchant_pub.pem")).unwrap();
    assert!(public.verify(&message, &expected));
    let mut altered = message.clone();
    altered[0] ^= 1;
    assert!(!public.verify(&altered, &expected));
    let other = PlatformKey::from_pem(&read("platform_pub.pem")).unwrap();
    assert!(
        !other.verify(&message, &expected),
        "another key's signature is refused"
    );

    // sealed by Node.js: crypto.createCipheriv("aes-256-gcm", API v3 key, nonce) with the AAD
    let v: Value = serde_json::from_slice(&read("resource_vector.json")).unwrap();
    let key: [u8; 32] = API_V3_KEY.as_bytes().try_into().unwrap();
    let s = |k: &str| v[k].as_str().unwrap().to_string();
    let plain =
        crypto::decrypt_resource(&key, &s("nonce"), &s("associated_data"), &s("ciphertext"));
    assert_eq!(plain.as_deref(), Some(s("plaintext").as_bytes()));
    assert_eq!(
        crypto::decrypt_resource(&key, &s("nonce"), "refund", &s("ciphertext")),
        None,
        "other AAD"
    );
    let mut wrong_key = key;
    wrong_key[31] ^= 1;
    assert_eq!(
        crypto::decrypt_resource(
            &wrong_key,
            &s("nonce"),
            &s("associated_data"),
            &s("ciphertext")
        ),
        None
    );
}

async fn spawn(
    backend: Backend,
    fake: &FakeWechatPay,
    adjust: impl FnOnce(&mut Config),
) -> TestApp {
    TestApp::spawn_with(backend, |c| {
        fake.configure(c);
        adjust(c)
    })
    .await
}

/// A mini-program shopper with one unpaid trade of two units of a demo SKU: (token, trade no).
async fn unpaid_trade(app: &TestApp, code: &str) -> (String, String, i64) {
    app.seed_demo().await;
    let t = mp_token(app, code).await;
    let (sku,): (i64,) = sqlx::query_as(
        "SELECT s.id FROM skus s JOIN products p ON p.id = s.product_id \
         WHERE p.status = 'on_sale' AND s.stock >= 5 ORDER BY s.id",
    )
    .fetch_one(&app.st.db.pool)
    .await
    .unwrap();
    let address = json!({"receiver": "李四", "phone": "13900139000", "province": "贵州省",
        "city": "贵阳市", "district": "云岩区", "detail": "中华北路 1 号"});
    let (s, _) = mp_api(app, &t, "POST", "/addresses", Some(address)).await;
    assert_eq!(s, StatusCode::OK);
    let basket = json!({"lines": [{"sku_id": sku, "qty": 2}], "idempotency_key": format!("wechat-pay-{}", code.replace('.', "-"))});
    let (s, trade) = mp_api(app, &t, "POST", "/checkout/submit", Some(basket)).await;
    assert_eq!(s, StatusCode::OK, "{trade}");
    let no = trade["data"]["trade_no"].as_str().unwrap().to_string();
    (t, no, trade["data"]["amount"].as_i64().unwrap())
}

async fn notify(app: &TestApp, headers: http::HeaderMap, body: Vec<u8>) -> StatusCode {
    let mut req = Request::post("/api/pay/notify/wechat")
        .body(Body::from(body))
        .unwrap();
    *req.headers_mut() = headers;
    app.client().request(req).await.status
}

async fn trade_status(app: &TestApp, no: &str) -> String {
    let (s,): (String,) = sqlx::query_as("SELECT status FROM trades WHERE trade_no = $1")
        .bind(no)
        .fetch_one(&app.st.db.pool)
        .await
        .unwrap();
    s
}

async fn a_mini_program_trade_is_paid_and_refunded_through_wechat_pay(backend: Backend) {
    let fake = FakeWechatPay::start().await;
    let app = spawn(backend, &fake, |_| {}).await;
    let (token, no, amount) = unpaid_trade(&app, "payer.1").await;

    let (s, pay) = mp_api(&app, &token, "POST", &format!("/trades/{no}/pay"), None).await;
    assert_eq!(s, StatusCode::OK, "{pay}");
    let pay = &pay["data"];
    assert_eq!(pay["kind"], "wx_request_payment");
    assert_eq!(pay["signType"], "RSA");
    let order = fake.order(&no).expect("WeChat Pay received the order");
    assert_eq!(order.body["amount"]["total"], amount);
    assert_eq!(
        order.body["payer"]["openid"], "openid-payer",
        "the payer is the signed-in shopper"
    );
    assert_eq!(order.body["mchid"], MCHID);
    assert_eq!(order.body["appid"], APPID);
    assert_eq!(
        order.body["notify_url"],
        "https://jishi.test/api/pay/notify/wechat"
    );
    assert!(order.body["time_expire"]
        .as_str()
        .unwrap()
        .ends_with("+08:00"));
    assert_eq!(pay["package"], format!("prepay_id={}", order.prepay_id));
    // the mini-program's paySign checks out with the merchant's public key
    let merchant = PlatformKey::from_pem(&read("merchant_pub.pem")).unwrap();
    let message = crypto::pay_message(
        APPID,
        pay["timeStamp"].as_str().unwrap(),
        pay["nonceStr"].as_str().unwrap(),
        pay["package"].as_str().unwrap(),
    );
    assert!(merchant.verify(message.as_bytes(), pay["paySign"].as_str().unwrap()));
    assert_eq!(
        fake.bad_requests(),
        0,
        "every request carried a valid signature"
    );

    // forgeries change nothing: another key, another key id, a tampered body, a wrong amount,
    // another merchant
    let tx = fake.transaction(&no);
    let (headers, body) = fake.notification("EV-1", "TRANSACTION.SUCCESS", &tx);
    let impostor = MerchantKey::from_pem(&read("merchant_key.pem")).unwrap();
    let mut forged = headers.clone();
    let ts = forged["wechatpay-timestamp"].to_str().unwrap().to_string();
    let nonce = forged["wechatpay-nonce"].to_str().unwrap().to_string();
    let sig = impostor.sign(&crypto::reply_message(&ts, &nonce, &body));
    forged.insert("wechatpay-signature", sig.parse().unwrap());
    assert_eq!(
        notify(&app, forged, body.clone()).await,
        StatusCode::BAD_REQUEST
    );
    let mut other_serial = headers.clone();
    other_serial.insert("wechatpay-serial", "PUB_KEY_ID_OTHER".parse().unwrap());
    assert_eq!(
        notify(&app, other_serial, body.clone()).await,
        StatusCode::BAD_REQUEST
    );
    let mut tampered = body.clone();
    let at = tampered.len() / 2;
    tampered[at] = if tampered[at] == b'A' { b'B' } else { b'A' };
    assert_eq!(
        notify(&app, headers.clone(), tampered).await,
        StatusCode::BAD_REQUEST
    );
    let mut cheap = tx.clone();
    cheap["amount"]["total"] = json!(1);
    let (h, b) = fake.notification("EV-2", "TRANSACTION.SUCCESS", &cheap);
    assert_eq!(notify(&app, h, b).await, StatusCode::BAD_REQUEST);
    let mut elsewhere = tx.clone();
    elsewhere["mchid"] = json!("1900000999");
    let (h, b) = fake.notification("EV-3", "TRANSACTION.SUCCESS", &elsewhere);
    assert_eq!(notify(&app, h, b).await, StatusCode::BAD_REQUEST);
    assert_eq!(trade_status(&app, &no).await, "unpaid");

    // the real notification, delivered three times: paid once, sales counted once
    let sales_before = app
        .count("SELECT CAST(SUM(sales) AS BIGINT) FROM products")
        .await;
    for _ in 0..3 {
        assert_eq!(
            notify(&app, headers.clone(), body.clone()).await,
            StatusCode::OK
        );
    }
    assert_eq!(trade_status(&app, &no).await, "paid");
    let sales_after = app
        .count("SELECT CAST(SUM(sales) AS BIGINT) FROM products")
        .await;
    assert_eq!(sales_after - sales_before, 2);
    let (s, again) = mp_api(&app, &token, "POST", &format!("/trades/{no}/pay"), None).await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "a paid trade is not paid twice: {again}"
    );

    // a refund goes to WeChat Pay with the transaction id and is done when its notification says so
    let st = &app.st;
    let (buyer,): (i64,) = sqlx::query_as("SELECT shopper_id FROM trades WHERE trade_no = $1")
        .bind(&no)
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
    let order = orders::list(st, Reader::Shopper(buyer), OrderTab::ToShip, 1)
        .await
        .unwrap()
        .orders
        .remove(0);
    let scope = common::merchant_scope(st, order.shop_id).await;
    let request = AfterSaleRequest {
        order_id: order.id,
        kind: AfterSaleKind::RefundOnly,
        lines: vec![AfterSaleLine {
            order_item_id: order.items[0].id,
            qty: 1,
        }],
        reason: "拍错了".into(),
        photos: vec![],
    };
    let id = after_sales::request(st, buyer, &request).await.unwrap();
    after_sales::approve(st, &scope, id, "127.0.0.1")
        .await
        .unwrap();
    let view = after_sales::view(st, Reader::Shopper(buyer), id)
        .await
        .unwrap();
    assert_eq!(
        view.status,
        AfterSaleStatus::Refunding,
        "WeChat Pay is still processing"
    );
    let (refund_no,): (String,) = sqlx::query_as("SELECT refund_no FROM after_sales WHERE id = $1")
        .bind(id)
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
    let asked = fake
        .refund(&refund_no)
        .expect("the refund reached WeChat Pay");
    assert_eq!(asked["transaction_id"], format!("42000{no}"));
    // the shopper's 新人券 took part of the price: one unit of two refunds half of what was paid
    let (paid, qty): (i64, i64) =
        sqlx::query_as("SELECT pay_amount, qty FROM order_items WHERE id = $1")
            .bind(order.items[0].id)
            .fetch_one(&st.db.pool)
            .await
            .unwrap();
    assert_eq!(qty, 2);
    assert!(
        paid < 2 * order.items[0].unit_price,
        "the sign-up coupon was used"
    );
    assert_eq!(asked["amount"]["refund"], paid / 2, "one unit of two");
    assert_eq!(asked["amount"]["total"], amount);
    // unconfirmed for ten minutes: asked again, once, however often the timers run
    assert_eq!(fake.refund_requests(), 1);
    st.clock.advance(Duration::from_secs(11 * 60));
    for _ in 0..3 {
        after_sales::retry_stuck_refunds(st).await.unwrap();
    }
    assert_eq!(fake.refund_requests(), 2);
    let (h, b) = fake.notification("EV-R1", "REFUND.SUCCESS", &fake.refund_result(&refund_no));
    for _ in 0..2 {
        assert_eq!(notify(&app, h.clone(), b.clone()).await, StatusCode::OK);
    }
    let view = after_sales::view(st, Reader::Shopper(buyer), id)
        .await
        .unwrap();
    assert_eq!(view.status, AfterSaleStatus::Refunded);
    let refunded = app
        .count(&format!(
            "SELECT refunded_amount FROM orders WHERE id = {}",
            order.id
        ))
        .await;
    assert_eq!(refunded, paid / 2, "recorded once");
    let sales_refunded = app
        .count("SELECT CAST(SUM(sales) AS BIGINT) FROM products")
        .await;
    assert_eq!(
        sales_refunded,
        sales_after - 1,
        "a refunded unit is no sale"
    );
}

/// A stray payment of `no`'s trade, as recorded: (kind, status, amount, refund_no).
async fn strays(app: &TestApp, no: &str) -> Vec<(String, String, i64, String)> {
    sqlx::query_as(
        "SELECT s.kind, s.status, s.amount, s.refund_no FROM stray_payments s \
         JOIN trades t ON t.id = s.trade_id WHERE t.trade_no = $1 ORDER BY s.id",
    )
    .bind(no)
    .fetch_all(&app.st.db.pool)
    .await
    .unwrap()
}

async fn closed_trades_are_closed_at_wechat_pay_and_stray_payments_go_back(backend: Backend) {
    let fake = FakeWechatPay::start().await;
    let app = spawn(backend, &fake, |_| {}).await;
    let st = &app.st;
    let (token, no, amount) = unpaid_trade(&app, "late.1").await;
    let (s, _) = mp_api(&app, &token, "POST", &format!("/trades/{no}/pay"), None).await;
    assert_eq!(s, StatusCode::OK);

    // the trade times out; WeChat Pay is down when it closes, so the close is owed and tried
    // again until WeChat Pay has it
    fake.fail_closes(true);
    st.clock.advance(Duration::from_secs(
        st.config.orders.pay_timeout_minutes as u64 * 60 + 1,
    ));
    app::services::jobs::run_once(st).await;
    assert_eq!(trade_status(&app, &no).await, "closed");
    let owed = || async {
        app.count(&format!(
            "SELECT COUNT(*) FROM trades WHERE trade_no = '{no}' AND provider_close_due IS NOT NULL"
        ))
        .await
    };
    assert_eq!(owed().await, 1, "still owed while WeChat Pay fails");
    // the close is tried at once, without waiting for the timer: wait until that try has been
    // refused, or (on a loaded machine) it could still be under way when the retry below starts
    // and reach WeChat Pay after it had come back
    for _ in 0..200 {
        if fake.failed_closes() > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(fake.failed_closes(), 1, "one try while WeChat Pay is down");
    fake.fail_closes(false);
    // the next try is due a minute later
    st.clock.advance(Duration::from_secs(61));
    app::services::jobs::run_once(st).await;
    assert_eq!(owed().await, 0);
    assert_eq!(
        fake.closes(),
        std::slice::from_ref(&no),
        "closed there once it could be"
    );

    // a payment that got through before the close is sent back in full, once however often
    // WeChat Pay delivers it (under other notification ids too)
    let tx = fake.transaction(&no);
    for id in ["EV-L1", "EV-L1", "EV-L2"] {
        let (h, b) = fake.notification(id, "TRANSACTION.SUCCESS", &tx);
        assert_eq!(notify(&app, h, b).await, StatusCode::OK);
    }
    assert_eq!(trade_status(&app, &no).await, "closed");
    let late = strays(&app, &no).await;
    assert_eq!(late.len(), 1, "{late:?}");
    assert_eq!(
        (late[0].0.as_str(), late[0].1.as_str(), late[0].2),
        ("late", "refunding", amount)
    );
    let asked = fake
        .refund(&late[0].3)
        .expect("the refund reached WeChat Pay");
    assert_eq!(asked["transaction_id"], format!("42000{no}"));
    assert_eq!(asked["amount"]["refund"], amount);
    let (h, b) = fake.notification("EV-LR", "REFUND.SUCCESS", &fake.refund_result(&late[0].3));
    assert_eq!(notify(&app, h, b).await, StatusCode::OK);
    assert_eq!(strays(&app, &no).await[0].1, "refunded");

    // a paid trade paid a second time (another transaction): the second goes back
    let (token2, paid_no, _) = unpaid_trade(&app, "twice.1").await;
    let (s, _) = mp_api(
        &app,
        &token2,
        "POST",
        &format!("/trades/{paid_no}/pay"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let first = fake.transaction(&paid_no);
    let (h, b) = fake.notification("EV-P1", "TRANSACTION.SUCCESS", &first);
    assert_eq!(notify(&app, h, b).await, StatusCode::OK);
    let (h, b) = fake.notification("EV-P1-again", "TRANSACTION.SUCCESS", &first);
    assert_eq!(notify(&app, h, b).await, StatusCode::OK);
    assert!(
        strays(&app, &paid_no).await.is_empty(),
        "the same payment delivered again is not stray"
    );
    let mut second = first.clone();
    second["transaction_id"] = json!(format!("42999{paid_no}"));
    let (h, b) = fake.notification("EV-P2", "TRANSACTION.SUCCESS", &second);
    assert_eq!(notify(&app, h, b).await, StatusCode::OK);
    assert_eq!(trade_status(&app, &paid_no).await, "paid");
    let dup = strays(&app, &paid_no).await;
    assert_eq!(dup.len(), 1, "{dup:?}");
    assert_eq!(dup[0].0, "duplicate");
    let asked = fake
        .refund(&dup[0].3)
        .expect("the refund reached WeChat Pay");
    assert_eq!(
        asked["transaction_id"],
        format!("42999{paid_no}"),
        "the second payment goes back, not the first"
    );
    let rec = app::services::ledger::reconcile(st).await.unwrap();
    assert!(
        rec.drifts.is_empty(),
        "money waiting to go back is accounted for: {:?}",
        rec.drifts
    );
    assert_eq!(
        fake.closes().len(),
        1,
        "a paid trade is not closed at WeChat Pay"
    );
}

async fn tampered_replies_are_refused(backend: Backend) {
    let fake = FakeWechatPay::start().await;
    let app = spawn(backend, &fake, |_| {}).await;
    let (token, no, _) = unpaid_trade(&app, "careful.1").await;
    fake.tamper_replies(true);
    let (s, body) = mp_api(&app, &token, "POST", &format!("/trades/{no}/pay"), None).await;
    assert_eq!(s, StatusCode::BAD_GATEWAY, "{body}");
    assert_eq!(body["msg"], "微信支付暂时不可用，请稍后再试");
    fake.tamper_replies(false);
    let (s, _) = mp_api(&app, &token, "POST", &format!("/trades/{no}/pay"), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        trade_status(&app, &no).await,
        "unpaid",
        "preparing a payment pays nothing"
    );
}

async fn production_runs_without_the_simulated_provider(backend: Backend) {
    let fake = FakeWechatPay::start().await;
    let app = spawn(backend, &fake, |c| c.payments.simulated = false).await;
    let (token, no, amount) = unpaid_trade(&app, "prod.1").await;
    assert!(app.st.payments.get("simulated").is_err());
    // a notification signed with the simulated provider's key finds no provider to accept it
    let (headers, body) = app.st.simulated_pay.payment_notification(&no, amount);
    let mut req = Request::post("/api/pay/notify/simulated")
        .body(Body::from(body))
        .unwrap();
    *req.headers_mut() = headers;
    assert_eq!(
        app.client().request(req).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(app::services::payments::pay_simulated(&app.st, 1, &no)
        .await
        .is_err());
    assert_eq!(trade_status(&app, &no).await, "unpaid");
    let (s, pay) = mp_api(&app, &token, "POST", &format!("/trades/{no}/pay"), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(pay["data"]["kind"], "wx_request_payment");

    // half a WeChat Pay configuration, or none at all, does not start
    let mut half = Config::default();
    fake.configure(&mut half);
    half.payments.wechat.api_v3_key = Some("too short".to_string().into());
    let err =
        app::infra::payments::wechat_pay::WechatPay::from_config(&half.payments.wechat, APPID)
            .unwrap_err();
    assert!(err.contains("api_v3_key"), "{err}");
    let none = TestApp::try_spawn_with(backend, |c| c.payments.simulated = false).await;
    let err = none.err().expect("no provider at all is refused");
    assert!(err.contains("no payment provider"), "{err}");
}

macro_rules! on_both_databases {
    ($($name:ident),*) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(app::infra::db::Backend::Sqlite).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name(app::infra::db::Backend::Postgres).await
                }
            }
        )*
    };
}

on_both_databases!(
    a_mini_program_trade_is_paid_and_refunded_through_wechat_pay,
    tampered_replies_are_refused,
    production_runs_without_the_simulated_provider,
    closed_trades_are_closed_at_wechat_pay_and_stray_payments_go_back
);
