//! Property: random sequences of 拼团 and 预售 定金+尾款 steps — opening and joining groups,
//! paying or not, replayed payment notifications, leaving groups, deposits, balances paid in
//! and out of their window, refunds of orders to ship, and the clock jumping hours ahead with
//! every timer running, and restarts (the case goes on with a new state over the same database)
//! — through the real services, on SQLite and PostgreSQL. After each step
//! (once the simulated provider has answered every refund):
//! - no order got back more than was paid for it (a deposit order: its deposit, and its
//!   balance once paid), and its refunded amount is what its refunded after-sales say;
//! - each activity SKU's sold units are what the orders still hold of it (placed, not
//!   closed, not refunded), the SKU's stock is the rest, and each shopper's share against the
//!   per-user limit is what their orders hold;
//! - a group holds the seats of its unpaid and paid members, an open group has no paid seat
//!   left over, a failed group's every paid member is refunded in full and only members of an
//!   open group wait in 待成团;
//! - every order the case touched holds in the ledger what its items, payments, refunds and
//!   state say.
//!
//! And after each case: the ledger reconciles (balances, postings, the providers' money).
//! `ACTIVITY_CASES` sets the number of cases and `ACTIVITY_SEED` the sequence.

use std::time::Duration;

use crate::common;
use crate::common::buying::{free_sku, pay, refund_only, shopper, with_address};
use crate::common::TestApp;
use crate::group_buys::{form, join, open};
use crate::presale_deposits::deposit_form;
use crate::presales::buy;

use app::domain::reader::Reader;
use app::infra::db::Backend;
use app::repo::orders as order_repo;
use app::services::{after_sales, checkout, group_buys, jobs, ledger, presale_balances, presales};
use app::state::AppState;
use proptest::prelude::*;

const IP: &str = "127.0.0.1";
const SHOPPERS: usize = 4;

#[derive(Debug, Clone)]
enum Op {
    /// a shopper opens a group; paid at once?
    Open(usize, bool),
    /// a shopper joins one of the case's open groups; paid at once?
    Join(usize, usize, bool),
    /// a shopper places a deposit order of 1–2 units; deposit paid at once?
    Deposit(usize, i64, bool),
    /// one of the case's unpaid or closed trades is paid (a closed one: a late payment, sent
    /// back in full)
    Pay(usize),
    /// one of the case's paid trades' notifications arrives again
    Replay(usize),
    /// the shopper of an order waiting in 待成团 leaves its group
    Leave(usize),
    /// the shopper of an order waiting in 待付尾款 starts paying its balance; pays it?
    Balance(usize, bool),
    /// every unit of an order to ship is refunded (the shop approves)
    Refund(usize),
    /// the clock moves on this many hours and every timer runs
    Tick(u8),
    /// the server restarts: the case goes on with a new state over the same database (its
    /// timers, payments and pages pick up where the old one stopped)
    Restart,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..SHOPPERS, prop::bool::weighted(0.7)).prop_map(|(s, p)| Op::Open(s, p)),
        4 => (0..SHOPPERS, any::<usize>(), prop::bool::weighted(0.7))
            .prop_map(|(s, g, p)| Op::Join(s, g, p)),
        3 => (0..SHOPPERS, 1i64..=2, prop::bool::weighted(0.7))
            .prop_map(|(s, q, p)| Op::Deposit(s, q, p)),
        2 => any::<usize>().prop_map(Op::Pay),
        1 => any::<usize>().prop_map(Op::Replay),
        1 => any::<usize>().prop_map(Op::Leave),
        4 => (any::<usize>(), prop::bool::weighted(0.8)).prop_map(|(o, p)| Op::Balance(o, p)),
        2 => any::<usize>().prop_map(Op::Refund),
        3 => (1u8..=30).prop_map(Op::Tick),
        1 => Just(Op::Restart),
    ]
}

const KINDS: [&str; 10] = [
    "open", "join", "deposit", "pay", "replay", "leave", "balance", "refund", "tick", "restart",
];

fn kind(op: &Op) -> usize {
    match op {
        Op::Open(..) => 0,
        Op::Join(..) => 1,
        Op::Deposit(..) => 2,
        Op::Pay(_) => 3,
        Op::Replay(_) => 4,
        Op::Leave(_) => 5,
        Op::Balance(..) => 6,
        Op::Refund(_) => 7,
        Op::Tick(_) => 8,
        Op::Restart => 9,
    }
}

/// The case's activities and what its steps made.
struct World {
    shoppers: Vec<i64>,
    /// (activity, SKU, shop)
    group_buy: (i64, i64, i64),
    /// (presale, SKU, shop)
    presale: (i64, i64, i64),
    trades: Vec<String>,
    orders: Vec<i64>,
    groups: Vec<i64>,
    keys: usize,
}

fn pick<T: Clone>(v: &[T], i: usize) -> Option<T> {
    (!v.is_empty()).then(|| v[i % v.len()].clone())
}

async fn ids(st: &AppState, sql: &str) -> Vec<i64> {
    let rows: Vec<(i64,)> = sqlx::query_as(sql).fetch_all(&st.db.pool).await.unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

fn list(v: &[i64]) -> String {
    if v.is_empty() {
        return "0".into();
    }
    v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

/// The case's orders now in `status`.
async fn orders_in(st: &AppState, w: &World, status: &str) -> Vec<i64> {
    ids(
        st,
        &format!(
            "SELECT id FROM orders WHERE id IN ({}) AND status = '{status}' ORDER BY id",
            list(&w.orders)
        ),
    )
    .await
}

/// The case's trades now in `status`.
async fn trades_in(st: &AppState, w: &World, status: &str) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for no in &w.trades {
        let (s, amount): (String, i64) =
            sqlx::query_as("SELECT status, amount FROM trades WHERE trade_no = $1")
                .bind(no)
                .fetch_one(&st.db.pool)
                .await
                .unwrap();
        if s == status {
            out.push((no.clone(), amount));
        }
    }
    out
}

async fn shopper_of(st: &AppState, order: i64) -> i64 {
    let (s,): (i64,) = sqlx::query_as("SELECT shopper_id FROM orders WHERE id = $1")
        .bind(order)
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
    s
}

/// Places a checkout for the case, remembering its trade and orders; paid at once if `paid`.
async fn place(
    st: &AppState,
    w: &mut World,
    shopper: i64,
    req: &app::domain::cart::CheckoutRequest,
    paid: bool,
) -> bool {
    w.keys += 1;
    let key = format!("activity-prop-{:06}", w.keys);
    let Ok(t) = checkout::submit(st, shopper, req, &key).await else {
        return false;
    };
    if paid {
        pay(st, &t.trade_no, t.amount).await.unwrap();
    }
    w.trades.push(t.trade_no);
    w.orders.extend(&t.order_ids);
    true
}

/// Runs one step. Refusals are part of the game (joining a full group, a balance outside its
/// window, leaving a full group): they must change nothing, which the checks then see.
async fn step(st: &AppState, w: &mut World, op: &Op) -> bool {
    match *op {
        Op::Open(s, paid) => {
            let (activity, sku, _) = w.group_buy;
            let shopper = w.shoppers[s];
            if !place(st, w, shopper, &open(activity, sku), paid).await {
                return false;
            }
            let order = *w.orders.last().unwrap();
            if let Some(g) = group_buys::group_of_order(st, Reader::Platform, order)
                .await
                .unwrap()
            {
                w.groups.push(g);
            }
            true
        }
        Op::Join(s, g, paid) => {
            let open_groups = ids(
                st,
                &format!(
                    "SELECT id FROM group_buy_groups WHERE id IN ({}) AND status = 'open' \
                     ORDER BY id",
                    list(&w.groups)
                ),
            )
            .await;
            let Some(group) = pick(&open_groups, g) else {
                return false;
            };
            let (activity, sku, _) = w.group_buy;
            let shopper = w.shoppers[s];
            place(st, w, shopper, &join(activity, group, sku), paid).await
        }
        Op::Deposit(s, qty, paid) => {
            let (presale, sku, _) = w.presale;
            let shopper = w.shoppers[s];
            place(st, w, shopper, &buy(presale, sku, qty), paid).await
        }
        Op::Pay(i) => {
            let mut open = trades_in(st, w, "unpaid").await;
            open.extend(trades_in(st, w, "closed").await);
            let Some((no, amount)) = pick(&open, i) else {
                return false;
            };
            pay(st, &no, amount).await.unwrap();
            true
        }
        Op::Replay(i) => {
            let Some((no, amount)) = pick(&trades_in(st, w, "paid").await, i) else {
                return false;
            };
            pay(st, &no, amount).await.unwrap();
            true
        }
        Op::Leave(i) => {
            let Some(order) = pick(&orders_in(st, w, "grouping").await, i) else {
                return false;
            };
            let shopper = shopper_of(st, order).await;
            group_buys::leave(st, shopper, order).await.is_ok()
        }
        Op::Balance(i, paid) => {
            let Some(order) = pick(&orders_in(st, w, "awaiting_balance").await, i) else {
                return false;
            };
            let shopper = shopper_of(st, order).await;
            let Ok(no) = presale_balances::start_paying(st, shopper, order).await else {
                return false;
            };
            if !w.trades.contains(&no) {
                w.trades.push(no.clone());
            }
            if paid {
                let (amount,): (i64,) =
                    sqlx::query_as("SELECT amount FROM trades WHERE trade_no = $1")
                        .bind(&no)
                        .fetch_one(&st.db.pool)
                        .await
                        .unwrap();
                pay(st, &no, amount).await.unwrap();
            }
            true
        }
        Op::Refund(i) => {
            let Some(order) = pick(&orders_in(st, w, "to_ship").await, i) else {
                return false;
            };
            let items: Vec<(i64, i64, i64)> =
                sqlx::query_as("SELECT id, qty, refund_qty FROM order_items WHERE order_id = $1")
                    .bind(order)
                    .fetch_all(&st.db.pool)
                    .await
                    .unwrap();
            let lines: Vec<(i64, i64)> = items
                .iter()
                .filter(|(_, qty, claimed)| qty > claimed)
                .map(|&(item, qty, claimed)| (item, qty - claimed))
                .collect();
            let shopper = shopper_of(st, order).await;
            let Ok(r) = after_sales::request(st, shopper, &refund_only(order, &lines)).await else {
                return false;
            };
            let (merchant,): (i64,) =
                sqlx::query_as("SELECT merchant_id FROM orders WHERE id = $1")
                    .bind(order)
                    .fetch_one(&st.db.pool)
                    .await
                    .unwrap();
            let scope = common::merchant_scope(st, merchant).await;
            after_sales::approve(st, &scope, r, IP).await.unwrap();
            true
        }
        Op::Tick(hours) => {
            st.clock
                .advance(Duration::from_secs(u64::from(hours) * 3600));
            jobs::run_once(st).await;
            true
        }
        // done by the caller, which holds the state
        Op::Restart => true,
    }
}

/// A new state over the same database, its clock where the old one was (as a restarted
/// server would find the world).
async fn restart(st: &AppState) -> AppState {
    let restarted = server::startup::build_state((*st.config).clone())
        .await
        .unwrap();
    let behind = st.clock.now_ms() - restarted.clock.now_ms();
    restarted
        .clock
        .advance(Duration::from_millis(behind.max(0) as u64));
    // as the server starts them: the timers, and the simulated provider's notifications
    jobs::start(&restarted);
    restarted
}

/// Starts the refunds of group payments that came after their group was over (the payment
/// handler leaves them to the group timers' next pass), then waits until the simulated
/// provider has answered every refund of the case (after-sales and late payments sent back),
/// running the retry timers now and then.
async fn settle_refunds(st: &AppState, w: &World) {
    group_buys::refund_owed(st).await.unwrap();
    for round in 0..2000 {
        let (pending,): (i64,) = sqlx::query_as(&format!(
            "SELECT (SELECT COUNT(*) FROM after_sales WHERE order_id IN ({o}) \
             AND status = 'refunding') + (SELECT COUNT(*) FROM stray_payments \
             WHERE status <> 'refunded')",
            o = list(&w.orders)
        ))
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
        if pending == 0 {
            return;
        }
        if round % 500 == 499 {
            jobs::run_once(st).await;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    panic!("refunds of the case still pending");
}

/// An order's money: (id, pay amount, refunded, paid at, its deposit and balance status if it
/// is a deposit order, Σ its refunded after-sales), fen.
type OrderMoney = (i64, i64, i64, Option<i64>, Option<i64>, Option<String>, i64);

/// The invariants, over every order, SKU and group of the case.
async fn check(st: &AppState, w: &World) -> Result<(), TestCaseError> {
    settle_refunds(st, w).await;
    let o = list(&w.orders);
    // money: never more back than paid, and the order's figure is its refunds'
    let money: Vec<OrderMoney> = sqlx::query_as(&format!(
        "SELECT o.id, o.pay_amount, o.refunded_amount, o.paid_at, b.deposit, b.status, \
             CAST(COALESCE((SELECT SUM(a.amount) FROM after_sales a WHERE a.order_id = o.id \
             AND a.status = 'refunded'), 0) AS BIGINT) \
             FROM orders o LEFT JOIN presale_balances b ON b.order_id = o.id WHERE o.id IN ({o})"
    ))
    .fetch_all(&st.db.pool)
    .await
    .unwrap();
    for (id, pay_amount, refunded, paid_at, deposit, balance, after_sales) in money {
        let paid = match (paid_at, deposit, balance.as_deref()) {
            (None, ..) => 0,
            // a deposit order: the deposit, and the balance once that is paid too
            (Some(_), Some(deposit), status) if status != Some("paid") => deposit,
            (Some(_), ..) => pay_amount,
        };
        prop_assert!(
            refunded <= paid,
            "order {id}: {refunded} back of {paid} paid"
        );
        prop_assert_eq!(
            refunded,
            after_sales,
            "order {}: refunded vs its after-sales",
            id
        );
    }
    // stock: each activity SKU's sold units and each shopper's share are what orders hold
    for (table, buyers, line, (activity, sku, _)) in [
        (
            "group_buy_skus",
            "group_buy_buyers",
            "group_buy_sku_id",
            w.group_buy,
        ),
        (
            "presale_skus",
            "presale_buyers",
            "presale_sku_id",
            w.presale,
        ),
    ] {
        let (sold, stock): (i64, i64) = sqlx::query_as(&format!(
            "SELECT a.sold, s.stock FROM {table} a JOIN skus s ON s.id = a.sku_id \
             WHERE a.activity_id = $1"
        ))
        .bind(activity)
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
        let held: Vec<(i64, i64)> = sqlx::query_as(&format!(
            "SELECT o.shopper_id, CAST(SUM(oi.qty - oi.refund_qty) AS BIGINT) FROM order_items oi \
             JOIN orders o ON o.id = oi.order_id \
             WHERE oi.{line} IN (SELECT id FROM {table} WHERE activity_id = $1) \
             AND o.status <> 'cancelled' GROUP BY o.shopper_id"
        ))
        .bind(activity)
        .fetch_all(&st.db.pool)
        .await
        .unwrap();
        let total: i64 = held.iter().map(|h| h.1).sum();
        prop_assert_eq!(
            sold,
            total,
            "{} of activity {}: sold vs held",
            table,
            activity
        );
        prop_assert_eq!(stock, 100 - sold, "SKU {} stock vs {} sold", sku, sold);
        for &shopper in &w.shoppers {
            let share = held.iter().find(|h| h.0 == shopper).map_or(0, |h| h.1);
            let row: Option<(i64,)> = sqlx::query_as(&format!(
                "SELECT qty FROM {buyers} WHERE activity_id = $1 AND shopper_id = $2"
            ))
            .bind(activity)
            .bind(shopper)
            .fetch_optional(&st.db.pool)
            .await
            .unwrap();
            prop_assert_eq!(
                row.map_or(0, |r| r.0),
                share,
                "{} share of {}",
                buyers,
                shopper
            );
        }
    }
    // groups
    for &g in &w.groups {
        let (status, size, held, paid): (String, i64, i64, i64) =
            sqlx::query_as("SELECT status, size, held, paid FROM group_buy_groups WHERE id = $1")
                .bind(g)
                .fetch_one(&st.db.pool)
                .await
                .unwrap();
        let members: Vec<(String, i64, String, i64, i64, Option<i64>)> = sqlx::query_as(
            "SELECT m.status, m.order_id, o.status, o.pay_amount, o.refunded_amount, o.paid_at \
             FROM group_buy_members m JOIN orders o ON o.id = m.order_id WHERE m.group_id = $1",
        )
        .bind(g)
        .fetch_all(&st.db.pool)
        .await
        .unwrap();
        let count = |s: &str| members.iter().filter(|m| m.0 == s).count() as i64;
        if status == "open" || status == "pending" {
            prop_assert_eq!(held, count("unpaid") + count("joined"), "group {} held", g);
            prop_assert_eq!(paid, count("joined"), "group {} paid", g);
            prop_assert!(paid < size, "group {} open with every seat paid", g);
        }
        for (m_status, order, o_status, pay_amount, refunded, paid_at) in &members {
            if o_status == "grouping" {
                prop_assert_eq!(
                    &status,
                    "open",
                    "order {} waits in a {} group",
                    order,
                    status
                );
            }
            if status == "failed" && paid_at.is_some() {
                prop_assert_eq!(
                    (refunded, o_status.as_str()),
                    (pay_amount, "cancelled"),
                    "member {} ({}) of failed group {}",
                    order,
                    m_status,
                    g
                );
            }
        }
    }
    // the ledger, order by order
    let mut conn = st.db.pool.acquire().await.unwrap();
    let mut rows = Vec::new();
    for id in &w.orders {
        rows.push(
            order_repo::order(&mut conn, Reader::Platform, *id)
                .await
                .unwrap()
                .unwrap(),
        );
    }
    let drifts = ledger::check_orders(&mut conn, &rows).await.unwrap();
    prop_assert!(drifts.is_empty(), "{:?}", drifts);
    Ok(())
}

/// A fresh 拼团 (groups of `size`, virtual members at the end if `virtual_fill`) and a fresh
/// 定金 presale (a missed balance's deposit refunded or kept) on SKUs with 100 in stock.
async fn activities(st: &AppState, size: i64, virtual_fill: bool, keep: bool) -> World {
    let (merchant, product, sku, _) = free_sku(st).await;
    let scope = common::merchant_scope(st, merchant).await;
    let mut f = form(st, product, sku, size);
    if virtual_fill {
        f.virtual_fill = Some("on".into());
        f.virtual_max = "1".into();
    }
    let activity = group_buys::create_activity(st, &scope, &f, IP)
        .await
        .unwrap();
    let (merchant_p, product_p, sku_p, price) = free_sku(st).await;
    let scope = common::merchant_scope(st, merchant_p).await;
    let missed = if keep { "keep" } else { "refund" };
    let f = deposit_form(st, product_p, sku_p, price, missed);
    let presale = presales::create(st, &scope, &f, IP).await.unwrap();
    World {
        shoppers: Vec::new(),
        group_buy: (activity, sku, merchant),
        presale: (presale, sku_p, merchant_p),
        trades: Vec::new(),
        orders: Vec::new(),
        groups: Vec::new(),
        keys: 0,
    }
}

async fn run(backend: Backend, default_cases: u32) {
    let app = TestApp::spawn(backend).await;
    app.seed_demo().await;
    let st = app.st.clone();
    let mut shoppers = Vec::new();
    for n in 0..SHOPPERS {
        let s = shopper(&st, 300 + n).await;
        with_address(&st, s).await;
        shoppers.push(s);
    }
    let mut runner = common::prop_runner("ACTIVITY", default_cases);
    let handle = tokio::runtime::Handle::current();
    let tally: [std::sync::atomic::AtomicUsize; 10] = Default::default();
    let keys = std::sync::atomic::AtomicUsize::new(0);
    // (the state cases run on, whether it is the test's own)
    let current = std::sync::Mutex::new((st.clone(), true));
    let strategy = (
        2i64..=3,
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(op(), 1..30),
    );
    runner
        .run(&strategy, |(size, virtual_fill, keep, ops)| {
            tokio::task::block_in_place(|| {
                handle.block_on(async {
                    // the state the case runs on: the last case's (the test's, until a restart)
                    let (mut cur, mut original) = current.lock().unwrap().clone();
                    let mut w = activities(&cur, size, virtual_fill, keep).await;
                    w.shoppers = shoppers.clone();
                    w.keys = keys.fetch_add(1000, std::sync::atomic::Ordering::SeqCst);
                    for op in &ops {
                        if matches!(op, Op::Restart) {
                            let next = restart(&cur).await;
                            let old = std::mem::replace(&mut cur, next);
                            // the old server is gone: its connections too (nothing is in flight,
                            // the last check waited for every refund); the test's own stays open
                            if !original {
                                old.db.close().await;
                            }
                            original = false;
                        }
                        if step(&cur, &mut w, op).await {
                            tally[kind(op)].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                        check(&cur, &w).await?;
                    }
                    // to the end of every window: groups end, balances are paid or missed
                    cur.clock.advance(Duration::from_secs(4 * 86_400));
                    jobs::run_once(&cur).await;
                    check(&cur, &w).await?;
                    prop_assert_eq!(orders_in(&cur, &w, "grouping").await.len(), 0);
                    prop_assert_eq!(orders_in(&cur, &w, "awaiting_balance").await.len(), 0);
                    let rec = ledger::reconcile(&cur).await.unwrap();
                    prop_assert!(rec.drifts.is_empty(), "{:?}", rec.drifts);
                    *current.lock().unwrap() = (cur, original);
                    Ok(())
                })
            })
        })
        .unwrap();
    let counts: Vec<usize> = tally
        .iter()
        .map(|c| c.load(std::sync::atomic::Ordering::Relaxed))
        .collect();
    eprintln!("steps that went through: {KINDS:?} = {counts:?}");
    // the sequences reached every kind of step (refused ones are checked too, but must not be all)
    assert!(counts.iter().all(|&n| n > 0), "{counts:?}");
    // and the groups ended every way
    let ends: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT status FROM group_buy_groups WHERE status IN ('succeeded', 'failed') \
         ORDER BY status",
    )
    .fetch_all(&st.db.pool)
    .await
    .unwrap();
    assert_eq!(ends.len(), 2, "{ends:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activity_money_and_stock_hold_after_every_step_sqlite() {
    run(Backend::Sqlite, 24).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activity_money_and_stock_hold_after_every_step_postgres() {
    run(Backend::Postgres, 12).await;
}
