//! Property: whatever after-sales a shopper asks for, withdraws or appeals, and whatever the
//! shop and the platform decide, in any order, per item and quantity, before and after
//! shipping: claims never exceed what was paid, shipping goes back at most once, every approved
//! refund completes, the ledger of the order stays right — and in the end everything still
//! unrefunded can be refunded, to the fen of what was paid. On SQLite and PostgreSQL.
//!
//! `AFTER_SALE_CASES` sets the number of cases (CI runs the default).

use crate::common;
use crate::common::buying::{basket, pay, refund_only, shopper, wait_refunded, with_address};
use crate::common::TestApp;

use app::domain::after_sale::AfterSaleStatus;
use app::domain::reader::Reader;
use app::repo::orders::{self as order_repo};
use app::services::{after_sales, checkout, ledger, orders};
use app::state::AppState;
use proptest::prelude::*;

const IP: &str = "127.0.0.1";

#[derive(Debug, Clone)]
enum Op {
    /// which items (bit mask over the order's items) and what share of their unclaimed units
    Request(u8, u8),
    Withdraw(usize),
    Reject(usize),
    Appeal(usize),
    Approve(usize),
    /// an appealed request decided for the shopper (true) or the shop
    Arbitrate(usize, bool),
    Ship,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (1u8..=3, 1u8..=100).prop_map(|(m, p)| Op::Request(m, p)),
        3 => any::<usize>().prop_map(Op::Withdraw),
        3 => any::<usize>().prop_map(Op::Reject),
        2 => any::<usize>().prop_map(Op::Appeal),
        3 => any::<usize>().prop_map(Op::Approve),
        2 => (any::<usize>(), any::<bool>()).prop_map(|(i, s)| Op::Arbitrate(i, s)),
        1 => Just(Op::Ship),
    ]
}

/// (id, status, amount, shipping_amount) of the order's after-sales, oldest first.
async fn after_sales_of(st: &AppState, order: i64) -> Vec<(i64, String, i64, i64)> {
    sqlx::query_as(
        "SELECT id, status, amount, shipping_amount FROM after_sales WHERE order_id = $1 ORDER BY id",
    )
    .bind(order)
    .fetch_all(&st.db.pool)
    .await
    .unwrap()
}

async fn in_status(st: &AppState, order: i64, status: &str) -> Vec<i64> {
    after_sales_of(st, order)
        .await
        .into_iter()
        .filter(|a| a.1 == status)
        .map(|a| a.0)
        .collect()
}

fn pick(v: &[i64], i: usize) -> Option<i64> {
    (!v.is_empty()).then(|| v[i % v.len()])
}

/// Asks for `share` % (at least one) of the unclaimed units of the items in `mask`.
async fn request(st: &AppState, buyer: i64, order: i64, mask: u8, share: u8) -> Option<i64> {
    let items: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT id, qty, refund_qty FROM order_items WHERE order_id = $1 ORDER BY id",
    )
    .bind(order)
    .fetch_all(&st.db.pool)
    .await
    .unwrap();
    let lines: Vec<(i64, i64)> = items
        .iter()
        .enumerate()
        .filter(|(i, (_, qty, claimed))| mask & (1 << i) != 0 && qty > claimed)
        .map(|(_, &(id, qty, claimed))| (id, ((qty - claimed) * i64::from(share) / 100).max(1)))
        .collect();
    if lines.is_empty() {
        return None;
    }
    after_sales::request(st, buyer, &refund_only(order, &lines))
        .await
        .ok()
}

async fn step(st: &AppState, buyer: i64, order: i64, op: &Op) {
    let merchant: (i64,) = sqlx::query_as("SELECT merchant_id FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
    let scope = common::merchant_scope(st, merchant.0).await;
    match op {
        Op::Request(mask, share) => {
            request(st, buyer, order, *mask, *share).await;
        }
        Op::Withdraw(i) => {
            let mut open = in_status(st, order, "pending").await;
            open.extend(in_status(st, order, "awaiting_return").await);
            if let Some(id) = pick(&open, *i) {
                after_sales::withdraw(st, buyer, id).await.unwrap();
            }
        }
        Op::Reject(i) => {
            if let Some(id) = pick(&in_status(st, order, "pending").await, *i) {
                after_sales::reject(st, &scope, id, "与实际情况不符", IP)
                    .await
                    .unwrap();
            }
        }
        Op::Appeal(i) => {
            if let Some(id) = pick(&in_status(st, order, "rejected").await, *i) {
                // refused when its units or its shipping were asked for meanwhile
                let _ = after_sales::appeal(st, buyer, id).await;
            }
        }
        Op::Approve(i) => {
            if let Some(id) = pick(&in_status(st, order, "pending").await, *i) {
                after_sales::approve(st, &scope, id, IP).await.unwrap();
                wait_refunded(st, buyer, id).await;
            }
        }
        Op::Arbitrate(i, for_shopper) => {
            if let Some(id) = pick(&in_status(st, order, "arbitrating").await, *i) {
                after_sales::arbitrate(
                    st,
                    &common::operator(),
                    id,
                    *for_shopper,
                    "平台核实后处理",
                    IP,
                )
                .await
                .unwrap();
                if *for_shopper {
                    wait_refunded(st, buyer, id).await;
                }
            }
        }
        Op::Ship => {
            let s = orders::Shipment {
                order_id: order,
                carrier: "中通快递".into(),
                tracking_no: "ZT1234567890".into(),
            };
            let _ = orders::ship(st, &scope, &s, IP).await;
        }
    }
}

/// The invariants of one order, after any step.
async fn check(st: &AppState, order: i64) -> Result<(), TestCaseError> {
    let (pay_amount, shipping_fee, refunded): (i64, i64, i64) = sqlx::query_as(
        "SELECT pay_amount, shipping_fee, refunded_amount FROM orders WHERE id = $1",
    )
    .bind(order)
    .fetch_one(&st.db.pool)
    .await
    .unwrap();
    let all = after_sales_of(st, order).await;
    let holding: Vec<_> = all
        .iter()
        .filter(|a| AfterSaleStatus::parse(&a.1).is_some_and(AfterSaleStatus::holds_claim))
        .collect();
    let claimed: i64 = holding.iter().map(|a| a.2).sum();
    prop_assert!(
        claimed <= pay_amount,
        "claims {claimed} > paid {pay_amount}: {all:?}"
    );
    let shipping: i64 = holding.iter().map(|a| a.3).sum();
    prop_assert!(
        shipping <= shipping_fee,
        "shipping claimed {shipping} > {shipping_fee}: {all:?}"
    );
    prop_assert!(
        all.iter().all(|a| a.1 != "refunding"),
        "every approved refund completes: {all:?}"
    );
    let refunded_sum: i64 = all.iter().filter(|a| a.1 == "refunded").map(|a| a.2).sum();
    prop_assert_eq!(
        refunded,
        refunded_sum,
        "the order's refunds are its refunded after-sales"
    );
    let items: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT qty, refund_qty, pay_amount, refund_amount FROM order_items WHERE order_id = $1",
    )
    .bind(order)
    .fetch_all(&st.db.pool)
    .await
    .unwrap();
    for (qty, refund_qty, paid, refund_amount) in items {
        prop_assert!((0..=qty).contains(&refund_qty) && (0..=paid).contains(&refund_amount));
    }
    let mut conn = st.db.pool.acquire().await.unwrap();
    let row = order_repo::order(&mut conn, Reader::Platform, order)
        .await
        .unwrap()
        .unwrap();
    let drifts = ledger::check_orders(&mut conn, &[row]).await.unwrap();
    prop_assert!(drifts.is_empty(), "{:?}", drifts);
    prop_assert!(app::repo::ledger::unbalanced_postings(&mut conn)
        .await
        .unwrap()
        .is_empty());
    Ok(())
}

/// Settles what is open, then asks for and refunds everything left: the order ends refunded
/// to the fen of what was paid, shipping included unless the shop shipped before any claim
/// that carried it.
async fn refund_the_rest(st: &AppState, buyer: i64, order: i64) -> Result<(), TestCaseError> {
    let (merchant,): (i64,) = sqlx::query_as("SELECT merchant_id FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
    let scope = common::merchant_scope(st, merchant).await;
    for id in in_status(st, order, "arbitrating").await {
        after_sales::arbitrate(st, &common::operator(), id, false, "平台核实后关闭", IP)
            .await
            .unwrap();
    }
    for id in in_status(st, order, "pending").await {
        after_sales::approve(st, &scope, id, IP).await.unwrap();
        wait_refunded(st, buyer, id).await;
    }
    if let Some(id) = request(st, buyer, order, 0xFF, 100).await {
        after_sales::approve(st, &scope, id, IP).await.unwrap();
        wait_refunded(st, buyer, id).await;
    }
    let (status, pay_amount, shipping_fee, refunded): (String, i64, i64, i64) = sqlx::query_as(
        "SELECT status, pay_amount, shipping_fee, refunded_amount FROM orders WHERE id = $1",
    )
    .bind(order)
    .fetch_one(&st.db.pool)
    .await
    .unwrap();
    let shipped = status != "to_ship" && status != "cancelled"
        || sqlx::query_as::<_, (Option<i64>,)>("SELECT shipped_at FROM orders WHERE id = $1")
            .bind(order)
            .fetch_one(&st.db.pool)
            .await
            .unwrap()
            .0
            .is_some();
    // shipping comes back with a claim made before the shop shipped, and only then
    let shipping_refunded: i64 = after_sales_of(st, order)
        .await
        .iter()
        .filter(|a| a.1 == "refunded")
        .map(|a| a.3)
        .sum();
    prop_assert!(shipping_refunded == 0 || shipping_refunded == shipping_fee);
    prop_assert!(
        shipped || shipping_refunded == shipping_fee,
        "never shipped: shipping back"
    );
    let expected = pay_amount - shipping_fee + shipping_refunded;
    prop_assert_eq!(
        refunded,
        expected,
        "everything can be refunded, shipping once"
    );
    check(st, order).await
}

/// Shipping is charged however much is bought (no free-shipping threshold).
async fn always_charge_shipping(st: &AppState) {
    sqlx::query("UPDATE shipping_templates SET free_over = 0")
        .execute(&st.db.pool)
        .await
        .unwrap();
}

async fn run_cases(app: TestApp, default_cases: u32) {
    app.seed_demo().await;
    let st = app.st.clone();
    always_charge_shipping(&st).await;
    let buyer = shopper(&st, 1).await;
    with_address(&st, buyer).await;
    // two SKUs of one shop
    let skus: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT s.id, s.merchant_id FROM skus s JOIN products p ON p.id = s.product_id \
         WHERE p.status = 'on_sale' AND s.active = 1 ORDER BY s.merchant_id, s.id",
    )
    .fetch_all(&st.db.pool)
    .await
    .unwrap();
    let first = skus[0];
    let second = *skus
        .iter()
        .find(|s| s.1 == first.1 && s.0 != first.0)
        .unwrap();
    common::plenty_of_stock(&st, 10000000).await;
    let mut runner = common::prop_runner("AFTER_SALE", default_cases);
    let handle = tokio::runtime::Handle::current();
    let keys = std::sync::atomic::AtomicUsize::new(0);
    runner
        .run(
            &(1i64..=3, 1i64..=3, prop::collection::vec(op(), 1..16)),
            |(qa, qb, ops)| {
                tokio::task::block_in_place(|| {
                    handle.block_on(async {
                        let key = format!(
                            "after-sale-prop-{}",
                            keys.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
                        );
                        let t = checkout::submit(
                            &st,
                            buyer,
                            &basket(&[(first.0, qa), (second.0, qb)]),
                            &key,
                        )
                        .await
                        .unwrap();
                        let (amount,): (i64,) =
                            sqlx::query_as("SELECT amount FROM trades WHERE trade_no = $1")
                                .bind(&t.trade_no)
                                .fetch_one(&st.db.pool)
                                .await
                                .unwrap();
                        pay(&st, &t.trade_no, amount).await.unwrap();
                        let order = t.order_ids[0];
                        for op in &ops {
                            step(&st, buyer, order, op).await;
                            check(&st, order).await?;
                        }
                        refund_the_rest(&st, buyer, order).await
                    })
                })
            },
        )
        .unwrap();
}

backend_tests! {
    async fn after_sale_sequences_never_claim_more_than_paid(app: TestApp) {
        run_cases(app, 24).await;
    }

    /// The reported case: X and Y paid with shipping, not shipped. a asks for X, b for Y (and,
    /// being the last unit, the shipping); a is withdrawn and X asked again: X alone, no second
    /// shipping, and both refunds go through to exactly what was paid.
    async fn withdrawing_and_asking_again_never_claims_shipping_twice(app: TestApp) {
        app.seed_demo().await;
        let st = &app.st;
        always_charge_shipping(st).await;
        let buyer = shopper(st, 2).await;
        with_address(st, buyer).await;
        let skus: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT s.id, s.merchant_id FROM skus s JOIN products p ON p.id = s.product_id \
             WHERE p.status = 'on_sale' AND s.active = 1 AND s.stock > 10 ORDER BY s.merchant_id, s.id",
        )
        .fetch_all(&st.db.pool)
        .await
        .unwrap();
        let x = skus[0];
        let y = *skus.iter().find(|s| s.1 == x.1 && s.0 != x.0).unwrap();
        let t = checkout::submit(st, buyer, &basket(&[(x.0, 1), (y.0, 1)]), "shipping-twice-1").await.unwrap();
        let (amount,): (i64,) = sqlx::query_as("SELECT amount FROM trades WHERE trade_no = $1").bind(&t.trade_no).fetch_one(&st.db.pool).await.unwrap();
        pay(st, &t.trade_no, amount).await.unwrap();
        let order = t.order_ids[0];
        let items: Vec<(i64, i64, i64)> = sqlx::query_as("SELECT id, sku_id, pay_amount FROM order_items WHERE order_id = $1").bind(order).fetch_all(&st.db.pool).await.unwrap();
        let (item_x, _, paid_x) = *items.iter().find(|i| i.1 == x.0).unwrap();
        let (item_y, _, paid_y) = *items.iter().find(|i| i.1 == y.0).unwrap();
        let (pay_amount, shipping_fee): (i64, i64) = sqlx::query_as("SELECT pay_amount, shipping_fee FROM orders WHERE id = $1").bind(order).fetch_one(&st.db.pool).await.unwrap();
        assert!(shipping_fee > 0, "the demo shop charges shipping");
        assert_eq!(pay_amount, paid_x + paid_y + shipping_fee);

        let a = after_sales::request(st, buyer, &refund_only(order, &[(item_x, 1)])).await.unwrap();
        let b = after_sales::request(st, buyer, &refund_only(order, &[(item_y, 1)])).await.unwrap();
        let claims = after_sales_of(st, order).await;
        assert_eq!((claims[0].2, claims[1].2), (paid_x, paid_y + shipping_fee), "b carries the shipping");
        after_sales::withdraw(st, buyer, a).await.unwrap();
        let again = after_sales::request(st, buyer, &refund_only(order, &[(item_x, 1)])).await.unwrap();
        let claims = after_sales_of(st, order).await;
        assert_eq!(claims.iter().find(|c| c.0 == again).unwrap().2, paid_x, "X alone: the shipping is b's");

        let (merchant,): (i64,) = sqlx::query_as("SELECT merchant_id FROM orders WHERE id = $1").bind(order).fetch_one(&st.db.pool).await.unwrap();
        let scope = common::merchant_scope(st, merchant).await;
        for id in [b, again] {
            after_sales::approve(st, &scope, id, IP).await.unwrap();
            wait_refunded(st, buyer, id).await;
        }
        let (refunded,): (i64,) = sqlx::query_as("SELECT refunded_amount FROM orders WHERE id = $1").bind(order).fetch_one(&st.db.pool).await.unwrap();
        assert_eq!(refunded, pay_amount, "everything paid came back, shipping once");
    }
}
