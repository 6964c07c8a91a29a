//! Property: the order and after-sale state machines, driven over HTTP by random actions from
//! the shopper, the merchant and the platform, each through its own door. Before every step the
//! party's page data says which actions it offers; the server accepts exactly those (a refused
//! one answers 409 and changes nothing), every stored state is one of the enum's, and every
//! change is a move of the table (the action's own, then the system's: refunds confirmed, an
//! order closed when everything came back). On SQLite and PostgreSQL.
//!
//! `STATE_MACHINE_CASES` sets the number of cases (CI runs the default).

use crate::common::{self, Client, TestApp};

use app::domain::after_sale::{AfterSaleAction, AfterSaleStatus};
use app::domain::order::{OrderAction, OrderStatus};
use app::domain::state_machine::{Actor, StateMachine};
use http::StatusCode;
use proptest::prelude::*;

/// An action with an HTTP door, and who takes it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Act {
    Order(Actor, OrderAction),
    AfterSale(Actor, AfterSaleAction),
}

/// Every action some party can attempt over HTTP (the system's moves happen on their own).
const ACTS: [Act; 13] = [
    Act::Order(Actor::Shopper, OrderAction::Pay),
    Act::Order(Actor::Shopper, OrderAction::Cancel),
    Act::Order(Actor::Shopper, OrderAction::ConfirmReceipt),
    Act::Order(Actor::Shopper, OrderAction::RequestAfterSale),
    Act::Order(Actor::Merchant, OrderAction::Ship),
    Act::AfterSale(Actor::Shopper, AfterSaleAction::SendBack),
    Act::AfterSale(Actor::Shopper, AfterSaleAction::Withdraw),
    Act::AfterSale(Actor::Shopper, AfterSaleAction::Appeal),
    Act::AfterSale(Actor::Merchant, AfterSaleAction::Approve),
    Act::AfterSale(Actor::Merchant, AfterSaleAction::Reject),
    Act::AfterSale(Actor::Merchant, AfterSaleAction::ConfirmReturned),
    Act::AfterSale(Actor::Platform, AfterSaleAction::ArbitrateForShopper),
    Act::AfterSale(Actor::Platform, AfterSaleAction::ArbitrateForMerchant),
];

struct Parties {
    shopper: Client,
    merchant: Client,
    platform: Client,
}

impl Parties {
    fn of(&self, actor: Actor) -> &Client {
        match actor {
            Actor::Shopper => &self.shopper,
            Actor::Merchant => &self.merchant,
            Actor::Platform | Actor::System => &self.platform,
        }
    }
}

/// The order's and its after-sales' stored states (oldest after-sale first); each must decode.
async fn states(app: &TestApp, order: i64) -> (OrderStatus, Vec<(i64, AfterSaleStatus)>) {
    let (o,): (String,) = sqlx::query_as("SELECT status FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(&app.st.db.pool)
        .await
        .unwrap();
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, status FROM after_sales WHERE order_id = $1 ORDER BY id")
            .bind(order)
            .fetch_all(&app.st.db.pool)
            .await
            .unwrap();
    let o = OrderStatus::parse(&o).unwrap_or_else(|| panic!("order state {o:?}"));
    let a = rows
        .into_iter()
        .map(|(id, s)| {
            let s = AfterSaleStatus::parse(&s).unwrap_or_else(|| panic!("after-sale state {s:?}"));
            (id, s)
        })
        .collect();
    (o, a)
}

/// What `actor`'s page data of the order offers: (order actions, after-sale id → actions).
async fn offered(
    p: &Parties,
    actor: Actor,
    order: i64,
) -> (Vec<OrderAction>, Vec<(i64, Vec<AfterSaleAction>)>) {
    let path = match actor {
        Actor::Shopper => "/api/orders/detail",
        Actor::Merchant => "/api/merchant/orders/detail",
        _ => "/api/admin/orders/detail",
    };
    let r = p.of(actor).call(path, &[("id", &order.to_string())]).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text);
    let v = r.json();
    let order_actions = serde_json::from_value(v["order"]["summary"]["actions"].clone()).unwrap();
    let after_sales = v["after_sales"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_i64().unwrap(),
                serde_json::from_value(a["actions"].clone()).unwrap(),
            )
        })
        .collect();
    (order_actions, after_sales)
}

/// The states reachable from `from` by `first` (if any) and then any moves of the system.
fn reachable<S: StateMachine>(from: S, first: Option<(S::Action, Actor)>) -> Vec<S> {
    let mut seen: Vec<S> = match first {
        Some((action, by)) => from.targets(action, by).collect(),
        None => vec![from],
    };
    let mut i = 0;
    while i < seen.len() {
        for m in S::MOVES {
            if m.from == seen[i] && m.by == Actor::System && !seen.contains(&m.to) {
                seen.push(m.to);
            }
        }
        i += 1;
    }
    seen
}

/// Waits until no after-sale of the order is refunding (the simulated provider confirms).
async fn settle_refunds(app: &TestApp, order: i64) {
    for _ in 0..2000 {
        let (_, a) = states(app, order).await;
        if a.iter().all(|(_, s)| *s != AfterSaleStatus::Refunding) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    panic!("a refund of order {order} never completed");
}

/// One unclaimed unit of the order, if any: its order item.
async fn unclaimed_item(app: &TestApp, order: i64) -> Option<i64> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM order_items WHERE order_id = $1 AND refund_qty < qty ORDER BY id",
    )
    .bind(order)
    .fetch_all(&app.st.db.pool)
    .await
    .unwrap();
    rows.first().map(|r| r.0)
}

/// Attempts `act` through its door. `None` when there is nothing to attempt it on.
async fn attempt(
    app: &TestApp,
    p: &Parties,
    act: Act,
    order: i64,
    trade_no: &str,
    after_sale: Option<i64>,
    returns: bool,
) -> Option<common::Response> {
    let id = order.to_string();
    Some(match act {
        Act::Order(_, OrderAction::Pay) => {
            p.shopper
                .call("/api/pay/simulated", &[("trade_no", trade_no)])
                .await
        }
        Act::Order(_, OrderAction::Cancel) => {
            p.shopper.call("/api/orders/cancel", &[("id", &id)]).await
        }
        Act::Order(_, OrderAction::ConfirmReceipt) => {
            p.shopper.call("/api/orders/confirm", &[("id", &id)]).await
        }
        Act::Order(_, OrderAction::RequestAfterSale) => {
            let item = unclaimed_item(app, order).await?.to_string();
            let kind = if returns {
                "return_refund"
            } else {
                "refund_only"
            };
            p.shopper
                .call(
                    "/api/after-sales/request",
                    &[
                        ("order_id", &id),
                        ("kind", kind),
                        ("lines[0][order_item_id]", &item),
                        ("lines[0][qty]", "1"),
                        ("reason", "尺码不合适"),
                    ],
                )
                .await
        }
        Act::Order(_, OrderAction::Ship) => {
            p.merchant
                .call(
                    "/api/merchant/orders/ship",
                    &[
                        ("order_id", &id),
                        ("carrier", "中通快递"),
                        ("tracking_no", "ZT1234567890"),
                    ],
                )
                .await
        }
        Act::Order(..) => unreachable!("no door"),
        Act::AfterSale(by, action) => {
            let a = after_sale?.to_string();
            match (by, action) {
                (Actor::Shopper, AfterSaleAction::SendBack) => {
                    p.shopper
                        .call(
                            "/api/after-sales/act",
                            &[
                                ("id", &a),
                                ("action", "return"),
                                ("carrier", "顺丰速运"),
                                ("tracking_no", "SF1234567890"),
                            ],
                        )
                        .await
                }
                (Actor::Shopper, _) => {
                    p.shopper
                        .call(
                            "/api/after-sales/act",
                            &[("id", &a), ("action", action.as_str())],
                        )
                        .await
                }
                (Actor::Merchant, _) => {
                    p.merchant
                        .call(
                            "/api/merchant/after-sales/act",
                            &[
                                ("id", &a),
                                ("action", action.as_str()),
                                ("reason", "与实际情况不符"),
                            ],
                        )
                        .await
                }
                _ => {
                    let decision = match action {
                        AfterSaleAction::ArbitrateForShopper => "refund",
                        _ => "close",
                    };
                    p.platform
                        .call(
                            "/api/admin/after-sales/arbitrate",
                            &[
                                ("id", &a),
                                ("decision", decision),
                                ("note", "平台核实后处理"),
                            ],
                        )
                        .await
                }
            }
        }
    })
}

async fn run_cases(app: TestApp, default_cases: u32) {
    app.seed_demo().await;
    let p = Parties {
        shopper: app.signed_in("shopper", "13800000001", "jishi2026").await,
        merchant: app.signed_in("merchant", "duyun_tea", "jishi2026").await,
        platform: app.signed_in("admin", "operator", "jishi2026").await,
    };
    let shopper_id = app
        .count("SELECT id FROM shoppers WHERE nickname = '茶友小王'")
        .await;
    let address = app
        .count(&format!(
            "SELECT MIN(id) FROM addresses WHERE shopper_id = {shopper_id}"
        ))
        .await;
    let shop = app
        .count("SELECT merchant_id FROM merchant_staff WHERE username = 'duyun_tea'")
        .await;
    let sku = app
        .count(&format!(
            "SELECT MIN(s.id) FROM skus s JOIN products p ON p.id = s.product_id \
             WHERE p.status = 'on_sale' AND s.active = 1 AND s.merchant_id = {shop}"
        ))
        .await;
    common::plenty_of_stock(&app.st, 100000).await;
    let mut runner = common::prop_runner("STATE_MACHINE", default_cases);
    let handle = tokio::runtime::Handle::current();
    let keys = std::sync::atomic::AtomicUsize::new(0);
    let steps = prop::collection::vec(
        (0..ACTS.len(), prop::bool::weighted(0.8), any::<bool>()),
        1..24,
    );
    runner
        .run(&steps, |steps| {
            tokio::task::block_in_place(|| {
                handle.block_on(async {
                    let key = format!(
                        "state-machine-{:04}",
                        keys.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
                    );
                    let items = format!("{sku}x3");
                    let r = p
                        .shopper
                        .call(
                            "/api/checkout/submit",
                            &[
                                ("items", &items),
                                ("address_id", &address.to_string()),
                                ("key", &key),
                            ],
                        )
                        .await;
                    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
                    let trade_no = r.json().as_str().unwrap().to_string();
                    let order = app
                        .count(&format!(
                            "SELECT o.id FROM orders o JOIN trades t ON t.id = o.trade_id \
                             WHERE t.trade_no = '{trade_no}'"
                        ))
                        .await;
                    for s in steps {
                        step(&app, &p, s, order, &trade_no).await?;
                    }
                    Ok(())
                })
            })
        })
        .unwrap();
}

/// Whether the party's page data offers `act`, checking on the way that what it offers is the
/// table's: `None` for an after-sale action when the order has no after-sale yet.
async fn offers(
    p: &Parties,
    act: Act,
    order: i64,
    before: &(OrderStatus, Vec<(i64, AfterSaleStatus)>),
) -> Result<Option<bool>, TestCaseError> {
    let actor = match act {
        Act::Order(a, _) | Act::AfterSale(a, _) => a,
    };
    let (order_offer, after_sale_offers) = offered(p, actor, order).await;
    Ok(match act {
        Act::Order(by, action) => {
            prop_assert_eq!(
                &order_offer,
                &before.0.actions_for(by),
                "the page offers the table"
            );
            Some(order_offer.contains(&action))
        }
        Act::AfterSale(by, action) => match before.1.last() {
            None => None,
            Some(&(id, state)) => {
                let (_, a) = after_sale_offers.iter().find(|a| a.0 == id).unwrap();
                prop_assert_eq!(a, &state.actions_for(by), "the page offers the table");
                Some(a.contains(&action))
            }
        },
    })
}

/// One step: with `follow`, one of the actions some party is offered (so walks go deep),
/// otherwise any action at all. Offered ⇔ accepted; refused ⇒ 409 and nothing changed;
/// accepted ⇒ only table moves.
async fn step(
    app: &TestApp,
    p: &Parties,
    (i, follow, returns): (usize, bool, bool),
    order: i64,
    trade_no: &str,
) -> Result<(), TestCaseError> {
    let before = states(app, order).await;
    let mut offered_acts = Vec::new();
    for act in ACTS {
        if offers(p, act, order, &before).await? == Some(true) {
            offered_acts.push(act);
        }
    }
    let act = if follow && !offered_acts.is_empty() {
        offered_acts[i % offered_acts.len()]
    } else {
        ACTS[i % ACTS.len()]
    };
    let Some(offers) = offers(p, act, order, &before).await? else {
        return Ok(());
    };
    let latest = before.1.last().map(|a| a.0);
    // goods not shipped yet can only be refunded
    let returns = returns && before.0 != OrderStatus::ToShip;
    let Some(r) = attempt(app, p, act, order, trade_no, latest, returns).await else {
        return Ok(());
    };
    let accepted = r.status.is_success();
    prop_assert_eq!(
        accepted,
        offers,
        "{:?} in {:?}: answered {} {}",
        act,
        before,
        r.status,
        r.text
    );
    if !accepted {
        prop_assert_eq!(r.status, StatusCode::CONFLICT, "{:?}: {}", act, r.text);
        prop_assert_eq!(
            states(app, order).await,
            before,
            "a refusal changes nothing"
        );
        return Ok(());
    }
    settle_refunds(app, order).await;
    let after = states(app, order).await;
    let order_first = match act {
        Act::Order(by, action) if action != OrderAction::RequestAfterSale => Some((action, by)),
        _ => None,
    };
    prop_assert!(
        reachable(before.0, order_first).contains(&after.0),
        "order {:?} → {:?} by {:?} is not a table move",
        before.0,
        after.0,
        act
    );
    for (id, now) in &after.1 {
        match before.1.iter().find(|a| a.0 == *id) {
            None => prop_assert_eq!(*now, AfterSaleStatus::Pending, "a request starts pending"),
            Some((_, was)) => {
                let first = match act {
                    Act::AfterSale(by, action) if Some(*id) == latest => Some((action, by)),
                    _ => None,
                };
                prop_assert!(
                    reachable(*was, first).contains(now),
                    "after-sale {:?} → {:?} by {:?} is not a table move",
                    was,
                    now,
                    act
                );
            }
        }
    }
    Ok(())
}

backend_tests! {
    async fn state_machines_accept_exactly_what_they_offer(app: TestApp) {
        run_cases(app, 24).await;
    }

    /// Forged moves over HTTP: ship a cancelled order, confirm an unpaid one, approve a refunded
    /// after-sale. Each answers 409 naming the state, and nothing changes.
    async fn forged_transitions_are_refused_with_409(app: TestApp) {
        app.seed_demo().await;
        let shopper = app.signed_in("shopper", "13800000001", "jishi2026").await;
        let merchant = app.signed_in("merchant", "duyun_tea", "jishi2026").await;
        let shopper_id = app.count("SELECT id FROM shoppers WHERE nickname = '茶友小王'").await;
        let address = app.count(&format!("SELECT MIN(id) FROM addresses WHERE shopper_id = {shopper_id}")).await.to_string();
        let shop = app.count("SELECT merchant_id FROM merchant_staff WHERE username = 'duyun_tea'").await;
        let sku = app.count(&format!("SELECT MIN(s.id) FROM skus s JOIN products p ON p.id = s.product_id WHERE p.status = 'on_sale' AND s.active = 1 AND s.stock > 10 AND s.merchant_id = {shop}")).await;
        let items = format!("{sku}x1");
        let mut orders = Vec::new();
        for key in ["forged-0001", "forged-0002"] {
            let r = shopper.call("/api/checkout/submit", &[("items", &items), ("address_id", &address), ("key", key)]).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            let trade_no = r.json().as_str().unwrap().to_string();
            let id = app.count(&format!("SELECT o.id FROM orders o JOIN trades t ON t.id = o.trade_id WHERE t.trade_no = '{trade_no}'")).await;
            orders.push((id, trade_no));
        }
        let app = &app;
        let snapshot = |sql: &'static str| async move { app.count(sql).await };
        let events = "SELECT COUNT(*) FROM order_events";

        // an unpaid order cannot be confirmed
        let (unpaid, _) = &orders[0];
        let n = snapshot(events).await;
        let r = shopper.call("/api/orders/confirm", &[("id", &unpaid.to_string())]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
        assert!(r.json()["msg"].as_str().unwrap().contains("待付款"), "{}", r.text);
        assert_eq!(states(app, *unpaid).await.0, OrderStatus::Unpaid);
        assert_eq!(snapshot(events).await, n);

        // a cancelled order cannot be shipped
        assert_eq!(shopper.call("/api/orders/cancel", &[("id", &unpaid.to_string())]).await.status, StatusCode::OK);
        let n = snapshot(events).await;
        let r = merchant.call("/api/merchant/orders/ship", &[("order_id", &unpaid.to_string()), ("carrier", "中通快递"), ("tracking_no", "ZT1234567890")]).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
        assert!(r.json()["msg"].as_str().unwrap().contains("已取消"), "{}", r.text);
        assert_eq!(states(app, *unpaid).await.0, OrderStatus::Cancelled);
        assert_eq!(snapshot(events).await, n);

        // a refunded after-sale cannot be approved again
        let (paid, trade_no) = &orders[1];
        assert_eq!(shopper.call("/api/pay/simulated", &[("trade_no", trade_no)]).await.status, StatusCode::OK);
        let item = unclaimed_item(app, *paid).await.unwrap().to_string();
        let r = shopper.call("/api/after-sales/request", &[("order_id", &paid.to_string()), ("kind", "refund_only"), ("lines[0][order_item_id]", &item), ("lines[0][qty]", "1"), ("reason", "不想要了")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let after_sale = r.json().as_i64().unwrap().to_string();
        let approve = [("id", after_sale.as_str()), ("action", "approve")];
        assert_eq!(merchant.call("/api/merchant/after-sales/act", &approve).await.status, StatusCode::OK);
        settle_refunds(app, *paid).await;
        let before = states(app, *paid).await;
        assert_eq!(before.1[0].1, AfterSaleStatus::Refunded);
        // the decision's audit row was written with the move, saying before → after
        let (kind, row, before_value, after_value): (String, i64, String, String) = sqlx::query_as(
            "SELECT target_kind, target_id, before_value, after_value FROM audit_log \
             WHERE action = 'after_sale_approve'",
        )
        .fetch_one(&app.st.db.pool)
        .await
        .unwrap();
        assert_eq!((kind.as_str(), row.to_string()), ("after_sale", after_sale.clone()));
        assert_eq!((before_value.as_str(), after_value.as_str()), ("待商家处理", "退款中"));
        let refunds = snapshot("SELECT COUNT(*) FROM ledger_postings").await;
        let r = merchant.call("/api/merchant/after-sales/act", &approve).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
        assert!(r.json()["msg"].as_str().unwrap().contains("退款成功"), "{}", r.text);
        assert_eq!(states(app, *paid).await, before, "nothing changes");
        assert_eq!(snapshot("SELECT COUNT(*) FROM ledger_postings").await, refunds, "no second refund is booked");
    }
}
