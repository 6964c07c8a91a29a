//! Property: every money invariant of docs/money.md holds after every step of any sequence of
//! multi-shop trades priced by the real pipeline (two shops run full-reductions; random shop
//! and platform coupons of every kind, platform ones with a random shop-borne share), payments, shipping, completions, partial and
//! full refunds, settlement runs, bill confirmations, withdrawals and their review — through
//! the real services, on SQLite and PostgreSQL. After each step:
//! - no account is negative, and merchants' money + the platform's (commission − subsidy) =
//!   clearing;
//! - each order the step changed holds what its items, refunds and state say (a fully refunded
//!   order holds nothing anywhere);
//! - every posting balances and every balance is the sum of its lines.
//!
//! And after each case: clearing = Σ paid − refunded over every order, and every order of the
//! case holds what it should. The checks that sum the whole ledger run after every step of the
//! first 30 cases (all of CI's) and of one case in a hundred, since they grow with the database.
//!
//! `LEDGER_CASES` sets the number of cases and `LEDGER_SEED` the sequence (`bench/ledger-long.sh`
//! runs 10,000 on SQLite).

use crate::common;
use crate::common::buying::{
    amount_off, basket, coupon_input, give_coupon, pay, percent_off, refund_only, shopper,
    wait_refunded, with_address,
};
use crate::common::TestApp;

use app::domain::account::{Identity, Realm, StaffRole};
use app::domain::coupon::CouponRule;
use app::domain::full_reduction::FullReductionInput;
use app::domain::full_reduction::{Basis, Benefit, Tier};
use app::domain::ledger::AccountKind;
use app::domain::reader::Reader;
use app::domain::settlement::WithdrawalForm;
use app::infra::db::Backend;
use app::repo::orders::{self as order_repo, OrderRow};
use app::services::full_reductions;
use app::services::{after_sales, checkout, ledger, orders, settlement};
use app::state::AppState;
use proptest::prelude::*;

const IP: &str = "127.0.0.1";

/// A coupon drawn for a step: (kind 0–2, two amounts in fen) → [`rule_of`].
type CouponDraw = (u8, i64, i64);

#[derive(Debug, Clone)]
enum Op {
    /// lines (SKU pool index, quantity); paid at once?; a shop coupon (for the shop of that
    /// pool index) and a platform coupon (with its shop-borne share, bps) given just before
    Buy(
        Vec<(usize, i64)>,
        bool,
        Option<(usize, CouponDraw)>,
        Option<(CouponDraw, i64)>,
    ),
    Pay(usize),
    Ship(usize),
    Complete(usize),
    /// an order, the share of each item's remaining units (%), or all of them
    Refund(usize, u8, bool),
    Settle,
    ConfirmBills,
    Withdraw(usize, u8),
    Review(bool),
}

fn op(pool: usize) -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (
            prop::collection::vec((0..pool, 1i64..=3), 1..4),
            prop::bool::weighted(0.6),
            prop::option::of((0..pool, coupon_draw())),
            prop::option::of((coupon_draw(), 0i64..=10_000)),
        )
            .prop_map(|(lines, paid, shop, platform)| Op::Buy(lines, paid, shop, platform)),
        2 => any::<usize>().prop_map(Op::Pay),
        4 => any::<usize>().prop_map(Op::Ship),
        4 => any::<usize>().prop_map(Op::Complete),
        3 => (any::<usize>(), 1u8..=100, any::<bool>()).prop_map(|(o, p, all)| Op::Refund(o, p, all)),
        2 => Just(Op::Settle),
        2 => Just(Op::ConfirmBills),
        2 => (any::<usize>(), 1u8..=100).prop_map(|(m, p)| Op::Withdraw(m, p)),
        2 => any::<bool>().prop_map(Op::Review),
    ]
}

fn coupon_draw() -> impl Strategy<Value = CouponDraw> {
    (0u8..3, 1i64..20_000, 1i64..5_000)
}

/// 满减 (threshold a + b, b off), 无门槛 (a off) or 折扣 (a bps off, capped at b).
fn rule_of((kind, a, b): CouponDraw) -> CouponRule {
    match kind {
        0 => amount_off(a + b, b),
        1 => amount_off(0, a),
        _ => percent_off(a % 9_999 + 1, b),
    }
}

/// How many steps of each kind went through (not refused), over all cases.
#[derive(Default)]
struct Tally([std::sync::atomic::AtomicUsize; 9]);

impl Tally {
    fn add(&self, op: &Op) {
        let i = match op {
            Op::Buy(..) => 0,
            Op::Pay(_) => 1,
            Op::Ship(_) => 2,
            Op::Complete(_) => 3,
            Op::Refund(..) => 4,
            Op::Settle => 5,
            Op::ConfirmBills => 6,
            Op::Withdraw(..) => 7,
            Op::Review(_) => 8,
        };
        self.0[i].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    fn counts(&self) -> Vec<usize> {
        self.0
            .iter()
            .map(|c| c.load(std::sync::atomic::Ordering::Relaxed))
            .collect()
    }
}

struct World {
    buyer: i64,
    /// (sku, merchant)
    pool: Vec<(i64, i64)>,
    merchants: Vec<i64>,
    trades: Vec<String>,
    orders: Vec<i64>,
    /// the orders the last step changed
    touched: Vec<i64>,
    keys: usize,
}

fn pick<T: Copy>(v: &[T], i: usize) -> Option<T> {
    (!v.is_empty()).then(|| v[i % v.len()])
}

fn owner(merchant_id: i64) -> Identity {
    Identity {
        realm: Realm::Merchant,
        account_id: 1,
        display_name: "店主".into(),
        merchant_id: Some(merchant_id),
        merchant_name: None,
        staff_role: Some(StaffRole::Owner),
        admin_role: None,
    }
}

async fn trade_amount(st: &AppState, trade_no: &str) -> i64 {
    let (amount,): (i64,) = sqlx::query_as("SELECT amount FROM trades WHERE trade_no = $1")
        .bind(trade_no)
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
    amount
}

/// The case's orders now in one of `statuses`.
async fn in_status(st: &AppState, w: &World, statuses: &[&str]) -> Vec<i64> {
    if w.orders.is_empty() {
        return Vec::new();
    }
    let ids: Vec<String> = w.orders.iter().map(i64::to_string).collect();
    let wanted: Vec<String> = statuses.iter().map(|s| format!("'{s}'")).collect();
    let rows: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT id FROM orders WHERE id IN ({}) AND status IN ({}) ORDER BY id",
        ids.join(", "),
        wanted.join(", ")
    ))
    .fetch_all(&st.db.pool)
    .await
    .unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

async fn order_row(st: &AppState, id: i64) -> OrderRow {
    let mut conn = st.db.pool.acquire().await.unwrap();
    order_repo::order(&mut conn, Reader::Platform, id)
        .await
        .unwrap()
        .unwrap()
}

/// Runs one step. Refusals are part of the game (shipping an unpaid order, refunding a settled
/// one, withdrawing too much): they must change nothing, which the checks then see.
async fn step(st: &AppState, w: &mut World, op: &Op) -> bool {
    match op {
        Op::Buy(lines, paid, shop_coupon, platform_coupon) => {
            w.keys += 1;
            let items: Vec<(i64, i64)> = lines.iter().map(|l| (w.pool[l.0].0, l.1)).collect();
            if let Some((i, draw)) = shop_coupon {
                let shop = w.pool[*i].1;
                let input = coupon_input("店铺券", rule_of(*draw), 1, 1);
                give_coupon(st, Some(shop), w.buyer, &input).await;
            }
            if let Some((draw, share)) = platform_coupon {
                let mut input = coupon_input("平台券", rule_of(*draw), 1, 1);
                input.shop_share_bps = *share;
                give_coupon(st, None, w.buyer, &input).await;
            }
            let key = format!("ledger-prop-{:06}", w.keys);
            // the checkout preselects the coupons that take off most
            let Ok(t) = checkout::submit(st, w.buyer, &basket(&items), &key).await else {
                return false;
            };
            if *paid {
                let amount = trade_amount(st, &t.trade_no).await;
                pay(st, &t.trade_no, amount).await.unwrap();
            }
            w.trades.push(t.trade_no);
            w.touched = t.order_ids.clone();
            w.orders.extend(t.order_ids);
            true
        }
        Op::Pay(i) => {
            let mut unpaid = Vec::new();
            for no in &w.trades {
                let (status,): (String,) =
                    sqlx::query_as("SELECT status FROM trades WHERE trade_no = $1")
                        .bind(no)
                        .fetch_one(&st.db.pool)
                        .await
                        .unwrap();
                if status == "unpaid" {
                    unpaid.push(no.clone());
                }
            }
            let Some(no) = unpaid.get(i % unpaid.len().max(1)).cloned() else {
                return false;
            };
            let amount = trade_amount(st, &no).await;
            let ids: Vec<(i64,)> = sqlx::query_as(
                "SELECT id FROM orders WHERE trade_id = (SELECT id FROM trades WHERE trade_no = $1)",
            )
            .bind(&no)
            .fetch_all(&st.db.pool)
            .await
            .unwrap();
            w.touched = ids.into_iter().map(|r| r.0).collect();
            pay(st, &no, amount).await.is_ok()
        }
        Op::Ship(i) => {
            let Some(id) = pick(&in_status(st, w, &["to_ship"]).await, *i) else {
                return false;
            };
            w.touched = vec![id];
            let o = order_row(st, id).await;
            let scope = common::merchant_scope(st, o.merchant_id).await;
            let s = orders::Shipment {
                order_id: id,
                carrier: "中通快递".into(),
                tracking_no: "ZT1234567890".into(),
            };
            orders::ship(st, &scope, &s, IP).await.is_ok()
        }
        Op::Complete(i) => {
            let Some(id) = pick(&in_status(st, w, &["shipped"]).await, *i) else {
                return false;
            };
            w.touched = vec![id];
            orders::confirm_receipt(st, w.buyer, id).await.is_ok()
        }
        Op::Refund(i, pct, all) => {
            let Some(id) = pick(
                &in_status(st, w, &["to_ship", "shipped", "completed"]).await,
                *i,
            ) else {
                return false;
            };
            w.touched = vec![id];
            let items: Vec<(i64, i64, i64)> =
                sqlx::query_as("SELECT id, qty, refund_qty FROM order_items WHERE order_id = $1")
                    .bind(id)
                    .fetch_all(&st.db.pool)
                    .await
                    .unwrap();
            let lines: Vec<(i64, i64)> = items
                .iter()
                .filter(|(_, qty, claimed)| qty > claimed)
                .map(|&(item, qty, claimed)| {
                    let left = qty - claimed;
                    let units = if *all {
                        left
                    } else {
                        (left * *pct as i64 / 100).max(1)
                    };
                    (item, units)
                })
                .collect();
            if lines.is_empty() {
                return false;
            }
            let Ok(r) = after_sales::request(st, w.buyer, &refund_only(id, &lines)).await else {
                return false;
            };
            let o = order_row(st, id).await;
            let scope = common::merchant_scope(st, o.merchant_id).await;
            after_sales::approve(st, &scope, r, IP).await.unwrap();
            wait_refunded(st, w.buyer, r).await;
            true
        }
        Op::Settle => {
            st.clock.advance(std::time::Duration::from_secs(8 * 86_400));
            settlement::settle_now(st, &common::finance(), None, IP)
                .await
                .unwrap()
                > 0
        }
        Op::ConfirmBills => {
            let mut any = false;
            for m in w.merchants.clone() {
                let scope = common::merchant_scope(st, m).await;
                for b in settlement::bills(st, Some(m), None, 1).await.unwrap() {
                    any |= settlement::confirm(st, &scope, &owner(m), b.id, "127.0.0.1")
                        .await
                        .is_ok();
                }
            }
            any
        }
        Op::Withdraw(i, pct) => {
            let Some(m) = pick(&w.merchants, *i) else {
                return false;
            };
            let available = settlement::balances(st, m).await.unwrap().available;
            let amount = available * *pct as i64 / 100;
            let scope = common::merchant_scope(st, m).await;
            let form = WithdrawalForm {
                amount: app::domain::money::yuan_text(amount.max(100)),
                account_name: "店主".into(),
                bank_name: "工商银行".into(),
                account_no: "6222020200112233".into(),
            };
            settlement::request_withdrawal(st, &scope, &owner(m), &form, "127.0.0.1")
                .await
                .is_ok()
        }
        Op::Review(approve) => {
            let pending = settlement::withdrawals(
                st,
                None,
                Some(app::domain::settlement::WithdrawalStatus::Pending),
                1,
            )
            .await
            .unwrap();
            if let Some(wd) = pending.last() {
                let admin = common::finance();
                let text = if *approve {
                    "TRANSFER-0001"
                } else {
                    "信息有误"
                };
                settlement::review_withdrawal(st, &admin, wd.id, *approve, text, IP)
                    .await
                    .unwrap();
                return true;
            }
            false
        }
    }
}

/// The invariants: after a step for the orders it changed; at the end of a case (`end`) for
/// all of the case's orders and against every paid order; `full`: also every account against
/// all its lines and every posting's balance (they grow with the database, so not every time).
async fn check(st: &AppState, orders: &[i64], end: bool, full: bool) -> Result<(), TestCaseError> {
    let mut conn = st.db.pool.acquire().await.unwrap();
    let accounts: Vec<(String, i64, i64, i64)> = if full {
        app::repo::ledger::accounts(&mut conn, None)
            .await
            .unwrap()
            .into_iter()
            .map(|a| (a.kind, a.merchant_id, a.balance, a.lines_sum))
            .collect()
    } else {
        let rows: Vec<(String, i64, i64)> =
            sqlx::query_as("SELECT kind, merchant_id, balance FROM ledger_accounts")
                .fetch_all(&mut *conn)
                .await
                .unwrap();
        rows.into_iter().map(|(k, m, b)| (k, m, b, 0)).collect()
    };
    let mut merchants = 0;
    let mut platform = 0;
    let mut clearing = 0;
    for (kind_text, merchant, balance, lines_sum) in &accounts {
        let kind = AccountKind::parse(kind_text).unwrap();
        prop_assert!(
            *balance >= 0,
            "{} of {} is negative: {}",
            kind_text,
            merchant,
            balance
        );
        if full {
            prop_assert_eq!(
                *balance,
                kind.sign() * lines_sum,
                "{} of {} vs its lines",
                kind_text,
                merchant
            );
        }
        match kind {
            AccountKind::Clearing => clearing += balance,
            AccountKind::CommissionIncome | AccountKind::RefundPayable => platform += balance,
            AccountKind::SubsidyExpense => platform -= balance,
            _ => merchants += balance,
        }
    }
    prop_assert_eq!(
        merchants + platform,
        clearing,
        "merchants + platform = clearing"
    );
    if end {
        let (net_paid,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(pay_amount - refunded_amount), 0) AS BIGINT) FROM orders \
             WHERE paid_at IS NOT NULL",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        prop_assert_eq!(clearing, net_paid, "clearing = paid − refunded");
    }
    if full {
        let unbalanced = app::repo::ledger::unbalanced_postings(&mut conn)
            .await
            .unwrap();
        prop_assert!(
            unbalanced.is_empty(),
            "unbalanced postings: {:?}",
            unbalanced
        );
    }
    let mut rows = Vec::new();
    for id in orders {
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

/// One property run (`common::prop_runner`: a fixed seed, so CI runs the same sequences every
/// time; `LEDGER_SEED` picks another, and the long run splits its cases over processes with
/// different seeds).
async fn run(backend: Backend, default_cases: u32) {
    let app = TestApp::spawn(backend).await;
    app.seed_demo().await;
    let st = app.st.clone();
    let buyer = shopper(&st, 1).await;
    with_address(&st, buyer).await;
    let pool: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT MIN(s.id), s.merchant_id FROM skus s JOIN products p ON p.id = s.product_id \
         WHERE p.status = 'on_sale' AND s.active = 1 GROUP BY s.merchant_id \
         ORDER BY s.merchant_id LIMIT 3",
    )
    .fetch_all(&st.db.pool)
    .await
    .unwrap();
    common::plenty_of_stock(&st, 10000000).await;
    common::end_demo_promotions(&st).await;
    let merchants: Vec<i64> = pool.iter().map(|p| p.1).collect();
    // the first shop: 每满 one unit's price 减 a tenth of it, at most half; the second: 满2件
    // 9折, 满3件 8折 and free shipping
    for (i, &(sku, merchant)) in pool.iter().take(2).enumerate() {
        let (price,): (i64,) = sqlx::query_as("SELECT price FROM skus WHERE id = $1")
            .bind(sku)
            .fetch_one(&st.db.pool)
            .await
            .unwrap();
        let (basis, benefit, tiers, repeat) = if i == 0 {
            let tier = Tier {
                threshold: price,
                off: (price / 10).max(1),
                free_shipping: false,
            };
            (Basis::Amount, Benefit::AmountOff, vec![tier], true)
        } else {
            let tiers = vec![
                Tier {
                    threshold: 2,
                    off: 1000,
                    free_shipping: false,
                },
                Tier {
                    threshold: 3,
                    off: 2000,
                    free_shipping: true,
                },
            ];
            (Basis::Quantity, Benefit::Percent, tiers, false)
        };
        let input = FullReductionInput {
            title: format!("满减{i}"),
            basis,
            benefit,
            tiers,
            repeat,
            repeat_cap: price / 2,
            product_ids: vec![],
            starts_at: 0,
            ends_at: i64::MAX / 2,
        };
        let scope = common::merchant_scope(&st, merchant).await;
        full_reductions::create(&st, &scope, &input, IP)
            .await
            .unwrap();
    }
    let mut runner = common::prop_runner("LEDGER", default_cases);
    let handle = tokio::runtime::Handle::current();
    let tally = Tally::default();
    let keys = std::sync::atomic::AtomicUsize::new(0);
    let case_no = std::sync::atomic::AtomicU32::new(0);
    runner
        .run(&prop::collection::vec(op(pool.len()), 1..40), |ops| {
            tokio::task::block_in_place(|| {
                handle.block_on(async {
                    let n = case_no.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    // every check after every step for the first cases (all of CI's) and one
                    // case in a hundred; the ledger-wide sums grow with the database
                    let thorough = n < 30 || n.is_multiple_of(100);
                    let mut w = World {
                        buyer,
                        pool: pool.clone(),
                        merchants: merchants.clone(),
                        trades: Vec::new(),
                        orders: Vec::new(),
                        touched: Vec::new(),
                        keys: keys.fetch_add(100, std::sync::atomic::Ordering::SeqCst),
                    };
                    for op in &ops {
                        w.touched.clear();
                        if step(&st, &mut w, op).await {
                            tally.add(op);
                        }
                        check(&st, &w.touched, false, thorough).await?;
                    }
                    // every line against every balance: each of the first cases, then 1 in 100
                    check(&st, &w.orders, true, thorough).await
                })
            })
        })
        .unwrap();
    let counts = tally.counts();
    eprintln!("steps that went through: buy, pay, ship, complete, refund, settle, confirm, withdraw, review = {counts:?}");
    // the sequences reached every kind of step (refused ones are checked too, but must not be all)
    assert!(counts.iter().all(|&n| n > 0), "{counts:?}");
    let rec = ledger::reconcile(&st).await.unwrap();
    assert!(rec.drifts.is_empty(), "{:?}", rec.drifts);
    // the trades were discounted by every source, both funders paying
    let sources: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT source, funder, COUNT(*) FROM order_item_discounts GROUP BY source, funder \
         ORDER BY source, funder",
    )
    .fetch_all(&st.db.pool)
    .await
    .unwrap();
    let kinds: Vec<(&str, &str)> = sources
        .iter()
        .map(|(s, f, _)| (s.as_str(), f.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("full_reduction", "shop"),
            ("platform_coupon", "platform"),
            ("platform_coupon", "shop"),
            ("shop_coupon", "shop")
        ],
        "{sources:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn money_invariants_hold_after_every_step_sqlite() {
    run(Backend::Sqlite, 24).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn money_invariants_hold_after_every_step_postgres() {
    run(Backend::Postgres, 12).await;
}
