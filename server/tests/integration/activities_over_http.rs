//! 拼团 and 预售 定金 races through the mini-program API, on SQLite and PostgreSQL, with every
//! request really in flight together: twenty shoppers for a group's last seat (exactly one
//! takes it, the rest get a clean 409 and nothing changes for them), twelve for a deposit
//! presale's last three units, and the deposit's and balance's payments replayed and sent
//! outside the balance window.

use std::sync::Arc;
use std::time::Duration;

use crate::common::buying::free_sku;
use crate::common::{mp_api as api, mp_token as token, TestApp};
use crate::group_buys::form;
use crate::presale_deposits::deposit_form;

use app::services::{group_buys, presales};
use http::StatusCode;
use serde_json::{json, Value};

const IP: &str = "127.0.0.1";

/// A mini-program shopper with a saved address.
async fn buyer(app: &TestApp, code: &str) -> String {
    let t = token(app, code).await;
    let address = json!({"receiver": "赵六", "phone": "13900139002", "province": "云南省",
        "city": "昆明市", "district": "五华区", "detail": "翠湖南路 3 号"});
    let (s, body) = api(app, &t, "POST", "/addresses", Some(address)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    t
}

/// Submits a checkout and pays it with the simulated provider, as the mini-program does:
/// (status of the first call that was not 200, or 200, and the trade when one was made).
async fn buy_and_pay(app: &TestApp, t: &str, body: Value) -> (StatusCode, Value) {
    let (s, trade) = api(app, t, "POST", "/checkout/submit", Some(body)).await;
    if s != StatusCode::OK {
        return (s, trade);
    }
    let no = trade["data"]["trade_no"].as_str().unwrap().to_string();
    let (s, paid) = api(app, t, "POST", &format!("/trades/{no}/simulated-pay"), None).await;
    if s != StatusCode::OK {
        return (s, paid);
    }
    (s, trade)
}

/// The same as [`buy_and_pay`], on its own task.
fn spawn_buy(
    app: &Arc<TestApp>,
    t: String,
    body: Value,
) -> tokio::task::JoinHandle<(StatusCode, Value)> {
    let app = app.clone();
    tokio::spawn(async move { buy_and_pay(&app, &t, body).await })
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    app.count(sql).await
}

backend_tests! {
    /// A group of three with one seat left, twenty shoppers at once: exactly one joins and
    /// pays, the group succeeds with every order to ship, the others get 409 with the reason
    /// and hold nothing (no order, no share, no seat); joining again, or one's own group, is
    /// refused too.
    async fn twenty_shoppers_race_for_the_last_seat_over_http(app: TestApp) {
        let app = Arc::new(app);
        app.seed_demo().await;
        let st = app.st.clone();
        let (merchant, product, sku, _) = free_sku(&st).await;
        let scope = crate::common::merchant_scope(&st, merchant).await;
        let mut f = form(&st, product, sku, 3);
        f.skus[0].quantity = "50".into();
        let activity = group_buys::create_activity(&st, &scope, &f, IP).await.unwrap();
        let leader = buyer(&app, "gleader.1").await;
        let open = json!({"lines": [{"sku_id": sku, "qty": 1}], "group_buy_id": activity,
            "idempotency_key": "http-group-open"});
        let (s, t) = buy_and_pay(&app, &leader, open).await;
        assert_eq!(s, StatusCode::OK, "{t}");
        let (_, orders) = api(&app, &leader, "GET", "/orders?tab=all", None).await;
        let leader_order = orders["data"]["orders"][0]["id"].as_i64().unwrap();
        let (_, order) = api(&app, &leader, "GET", &format!("/orders/{leader_order}"), None).await;
        let group = order["data"]["group_id"].as_i64().expect("a group order");
        let join = |key: &str| json!({"lines": [{"sku_id": sku, "qty": 1}], "group_buy_id": activity,
            "group_id": group, "idempotency_key": key});
        // the leader cannot join their own group
        let (s, own) = api(&app, &leader, "POST", "/checkout/submit", Some(join("http-own"))).await;
        assert_eq!(s, StatusCode::CONFLICT, "{own}");
        assert!(own["msg"].as_str().unwrap().contains("不能重复参团"), "{own}");
        let second = buyer(&app, "gsecond.1").await;
        let (s, t) = buy_and_pay(&app, &second, join("http-second")).await;
        assert_eq!(s, StatusCode::OK, "{t}");

        let mut racers = Vec::new();
        for n in 0..20 {
            racers.push(buyer(&app, &format!("gracer{n}.1")).await);
        }
        let tasks: Vec<_> = racers
            .iter()
            .enumerate()
            .map(|(n, t)| spawn_buy(&app, t.clone(), join(&format!("http-race-{n:02}"))))
            .collect();
        let (mut won, mut refused) = (Vec::new(), 0);
        for task in tasks {
            let (s, body) = task.await.unwrap();
            match s {
                StatusCode::OK => won.push(body),
                StatusCode::CONFLICT => {
                    assert!(body["msg"].as_str().unwrap().contains("已满或已结束"), "{body}");
                    refused += 1;
                }
                other => panic!("unexpected answer {other}: {body}"),
            }
        }
        assert_eq!((won.len(), refused), (1, 19));
        let (s, page) = api(&app, &leader, "GET", &format!("/groups/{group}"), None).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        assert_eq!(page["data"]["group"]["status"], "succeeded", "{page}");
        assert_eq!(page["data"]["group"]["seats_left"], 0, "{page}");
        assert_eq!(page["data"]["group"]["members"].as_array().unwrap().len(), 3);
        assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM orders o JOIN group_buy_members m ON m.order_id = o.id WHERE m.group_id = {group} AND o.status = 'to_ship'")).await, 3);
        // the losers hold nothing: no order, no share, no stock
        assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM group_buy_members WHERE group_id = {group}")).await, 3);
        assert_eq!(count(&app, &format!("SELECT sold FROM group_buy_skus WHERE activity_id = {activity}")).await, 3);
        assert_eq!(count(&app, &format!("SELECT CAST(SUM(qty) AS BIGINT) FROM group_buy_buyers WHERE activity_id = {activity}")).await, 3);
        assert_eq!(count(&app, &format!("SELECT stock FROM skus WHERE id = {sku}")).await, 97);
        // the full group takes nobody else
        let (s, _) = api(&app, &racers[0], "POST", "/checkout/submit", Some(join("http-late"))).await;
        assert_eq!(s, StatusCode::CONFLICT);
    }

    /// Twelve shoppers at once for a deposit presale's last three units: three deposit orders,
    /// nine clean 售罄. A deposit's payment sent again is refused and changes nothing; the
    /// balance cannot be started before its window; in the window it is one trade however often
    /// asked, paid once, and the order goes to 待发货.
    async fn shoppers_race_for_a_deposit_presale_over_http(app: TestApp) {
        let app = Arc::new(app);
        app.seed_demo().await;
        let st = app.st.clone();
        let (merchant, product, sku, price) = free_sku(&st).await;
        let scope = crate::common::merchant_scope(&st, merchant).await;
        let mut f = deposit_form(&st, product, sku, price, "refund");
        f.skus[0].quantity = "3".into();
        let presale = presales::create(&st, &scope, &f, IP).await.unwrap();
        let mut racers = Vec::new();
        for n in 0..12 {
            racers.push(buyer(&app, &format!("pracer{n}.1")).await);
        }
        let tasks: Vec<_> = racers
            .iter()
            .enumerate()
            .map(|(n, t)| {
                let body = json!({"lines": [{"sku_id": sku, "qty": 1}], "presale_id": presale,
                    "idempotency_key": format!("http-deposit-{n:02}")});
                spawn_buy(&app, t.clone(), body)
            })
            .collect();
        let mut winners = Vec::new();
        let mut sold_out = 0;
        for (n, task) in tasks.into_iter().enumerate() {
            let (s, body) = task.await.unwrap();
            match s {
                StatusCode::OK => {
                    assert_eq!(body["data"]["amount"].as_i64().unwrap(), price / 10, "the deposit: {body}");
                    winners.push((racers[n].clone(), body["data"]["trade_no"].as_str().unwrap().to_string()));
                }
                StatusCode::CONFLICT => {
                    assert!(body["msg"].as_str().unwrap().contains("售罄"), "{body}");
                    sold_out += 1;
                }
                other => panic!("unexpected answer {other}: {body}"),
            }
        }
        assert_eq!((winners.len(), sold_out), (3, 9));
        assert_eq!(count(&app, &format!("SELECT sold FROM presale_skus WHERE activity_id = {presale}")).await, 3);
        assert_eq!(count(&app, &format!("SELECT stock FROM skus WHERE id = {sku}")).await, 97);

        let (t, deposit_trade) = winners[0].clone();
        // the deposit's payment again: refused, nothing paid twice
        let (s, again) = api(&app, &t, "POST", &format!("/trades/{deposit_trade}/simulated-pay"), None).await;
        assert_eq!(s, StatusCode::CONFLICT, "{again}");
        let (_, orders) = api(&app, &t, "GET", "/orders?tab=unpaid", None).await;
        let order = &orders["data"]["orders"][0];
        assert_eq!(order["status"], "awaiting_balance", "{orders}");
        let order_id = order["id"].as_i64().unwrap();
        // not before the balance window
        let (s, early) = api(&app, &t, "POST", &format!("/orders/{order_id}/pay-balance"), None).await;
        assert_eq!(s, StatusCode::CONFLICT, "{early}");
        st.clock.advance(Duration::from_secs(24 * 3600 + 120));
        // another shopper's order is not theirs to pay
        let (s, _) = api(&app, &winners[1].0, "POST", &format!("/orders/{order_id}/pay-balance"), None).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let asks: Vec<_> = (0..4)
            .map(|_| {
                let app = app.clone();
                let t = t.clone();
                tokio::spawn(async move {
                    api(&app, &t, "POST", &format!("/orders/{order_id}/pay-balance"), None).await
                })
            })
            .collect();
        let mut trades = Vec::new();
        for a in asks {
            let (s, body) = a.await.unwrap();
            assert_eq!(s, StatusCode::OK, "{body}");
            trades.push(body["data"]["trade_no"].as_str().unwrap().to_string());
        }
        trades.dedup();
        assert_eq!(trades.len(), 1, "one balance trade: {trades:?}");
        let balance_trade = &trades[0];
        let (s, _) = api(&app, &t, "POST", &format!("/trades/{balance_trade}/simulated-pay"), None).await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = api(&app, &t, "POST", &format!("/trades/{balance_trade}/simulated-pay"), None).await;
        assert_eq!(s, StatusCode::CONFLICT);
        let (_, order) = api(&app, &t, "GET", &format!("/orders/{order_id}"), None).await;
        assert_eq!(order["data"]["order"]["summary"]["status"], "to_ship", "{order}");
        assert_eq!(order["data"]["order"]["summary"]["balance"]["status"], "paid", "{order}");
        assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM payment_notifications WHERE reference IN ('{deposit_trade}', '{balance_trade}')")).await, 2);
        let rec = app::services::ledger::reconcile(&st).await.unwrap();
        assert!(rec.drifts.is_empty(), "{:?}", rec.drifts);
    }
}
