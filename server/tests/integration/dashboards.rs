//! Property: the dashboards' figures — closed days read from the daily aggregates, the rest
//! live — equal a direct recomputation from the orders, after-sales, sign-ups and ledger lines,
//! for any history of sign-ups, purchases, payments, completions and refunds spread over days
//! (starting late on the last evening of a month, so histories cross China midnight and the
//! month end), on SQLite and PostgreSQL: per day and over the whole period, for the platform and
//! for each shop; before the job closes the days, after, and after a rebuild from scratch.
//! Also: the consoles' CSV and who may read which dashboard.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::buying::{basket, pay, refund_only, wait_refunded, with_address};
use crate::common::{self, TestApp};

use app::domain::dashboard::{DayRange, Figures};
use app::domain::time::{china_day, day_start, days_from_civil, ChinaTime, DAY_MS};
use app::infra::db::Backend;
use app::services::{after_sales, checkout, dashboards, orders};
use app::state::AppState;
use proptest::prelude::*;

const IP: &str = "127.0.0.1";

#[derive(Debug, Clone)]
enum Op {
    /// buyer, lines (SKU pool index, quantity), paid at once?
    Buy(usize, Vec<(usize, i64)>, bool),
    Pay(usize),
    /// ship and confirm receipt (books the commission)
    Complete(usize),
    /// an order; all of it or one unit of its first line
    Refund(usize, bool),
    /// hours
    Advance(u64),
    SignUp,
}

fn op(pool: usize) -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..3, prop::collection::vec((0..pool, 1i64..=3), 1..3), prop::bool::weighted(0.7))
            .prop_map(|(b, lines, paid)| Op::Buy(b, lines, paid)),
        1 => any::<usize>().prop_map(Op::Pay),
        2 => any::<usize>().prop_map(Op::Complete),
        2 => (any::<usize>(), any::<bool>()).prop_map(|(o, all)| Op::Refund(o, all)),
        3 => (1u64..=20).prop_map(Op::Advance),
        1 => Just(Op::SignUp),
    ]
}

struct World {
    buyers: Vec<i64>,
    /// (sku, merchant)
    pool: Vec<(i64, i64)>,
    trades: Vec<String>,
    orders: Vec<i64>,
    keys: usize,
}

/// A shopper signing up now (the mall's clock: the test moves it).
async fn sign_up(st: &AppState, n: usize) -> i64 {
    let now = st.clock.now_ms();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO shoppers (nickname, status, created_at, updated_at) \
         VALUES ($1, 'active', $2, $2) RETURNING id",
    )
    .bind(format!("看板买家{n}"))
    .bind(now)
    .fetch_one(&st.db.pool)
    .await
    .unwrap();
    id
}

async fn orders_in(st: &AppState, w: &World, statuses: &[&str]) -> Vec<(i64, i64, i64)> {
    if w.orders.is_empty() {
        return Vec::new();
    }
    let ids: Vec<String> = w.orders.iter().map(i64::to_string).collect();
    let wanted: Vec<String> = statuses.iter().map(|s| format!("'{s}'")).collect();
    sqlx::query_as(&format!(
        "SELECT id, merchant_id, shopper_id FROM orders WHERE id IN ({}) AND status IN ({}) \
         ORDER BY id",
        ids.join(", "),
        wanted.join(", ")
    ))
    .fetch_all(&st.db.pool)
    .await
    .unwrap()
}

async fn step(st: &AppState, w: &mut World, op: &Op) {
    match op {
        Op::Buy(b, lines, paid) => {
            w.keys += 1;
            let buyer = w.buyers[b % w.buyers.len()];
            let items: Vec<(i64, i64)> = lines.iter().map(|l| (w.pool[l.0].0, l.1)).collect();
            let key = format!("board-{:06}", w.keys);
            let Ok(t) = checkout::submit(st, buyer, &basket(&items), &key).await else {
                return;
            };
            if *paid {
                pay(st, &t.trade_no, t.amount).await.unwrap();
            }
            w.trades.push(t.trade_no);
            w.orders.extend(t.order_ids);
        }
        Op::Pay(i) => {
            let unpaid: Vec<(String, i64)> = sqlx::query_as(
                "SELECT trade_no, amount FROM trades WHERE status = 'unpaid' ORDER BY id",
            )
            .fetch_all(&st.db.pool)
            .await
            .unwrap();
            if let Some((no, amount)) = unpaid.get(i % unpaid.len().max(1)) {
                let _ = pay(st, no, *amount).await;
            }
        }
        Op::Complete(i) => {
            let open = orders_in(st, w, &["to_ship"]).await;
            let Some(&(id, merchant, shopper)) = open.get(i % open.len().max(1)) else {
                return;
            };
            let scope = common::merchant_scope(st, merchant).await;
            let s = orders::Shipment {
                order_id: id,
                carrier: "中通快递".into(),
                tracking_no: "ZT1234567890".into(),
            };
            orders::ship(st, &scope, &s, IP).await.unwrap();
            orders::confirm_receipt(st, shopper, id).await.unwrap();
        }
        Op::Refund(i, all) => {
            let open = orders_in(st, w, &["to_ship", "shipped", "completed"]).await;
            let Some(&(id, merchant, shopper)) = open.get(i % open.len().max(1)) else {
                return;
            };
            let items: Vec<(i64, i64, i64)> = sqlx::query_as(
                "SELECT id, qty, refund_qty FROM order_items WHERE order_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(&st.db.pool)
            .await
            .unwrap();
            let lines: Vec<(i64, i64)> = items
                .iter()
                .filter(|(_, qty, claimed)| qty > claimed)
                .map(|&(item, qty, claimed)| (item, if *all { qty - claimed } else { 1 }))
                .take(if *all { usize::MAX } else { 1 })
                .collect();
            if lines.is_empty() {
                return;
            }
            let Ok(r) = after_sales::request(st, shopper, &refund_only(id, &lines)).await else {
                return;
            };
            let scope = common::merchant_scope(st, merchant).await;
            after_sales::approve(st, &scope, r, IP).await.unwrap();
            wait_refunded(st, shopper, r).await;
        }
        Op::Advance(hours) => st
            .clock
            .advance(std::time::Duration::from_secs(hours * 3600)),
        Op::SignUp => {
            sign_up(st, w.keys).await;
            w.keys += 1;
        }
    }
}

/// The figures recomputed in Rust from the rows themselves: per (shop, day) with shop 0 the
/// platform, and the payers of each (shop, day) for distinct counts over a period.
#[derive(Default)]
struct Truth {
    days: BTreeMap<(i64, i64), Figures>,
    payers: BTreeMap<(i64, i64), BTreeSet<i64>>,
}

impl Truth {
    async fn read(st: &AppState) -> Truth {
        let mut t = Truth::default();
        let day = |ms: i64| china_day(ms);
        let paid: Vec<(i64, i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT id, merchant_id, shopper_id, paid_at, pay_amount, merchant_discount, \
             platform_discount FROM orders WHERE paid_at IS NOT NULL ORDER BY paid_at, id",
        )
        .fetch_all(&st.db.pool)
        .await
        .unwrap();
        let units: BTreeMap<i64, i64> = {
            let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT order_id, qty FROM order_items")
                .fetch_all(&st.db.pool)
                .await
                .unwrap();
            let mut m = BTreeMap::new();
            for (o, q) in rows {
                *m.entry(o).or_insert(0) += q;
            }
            m
        };
        let mut first_buy: BTreeMap<(i64, i64), i64> = BTreeMap::new();
        for &(id, m, s, at, amount, md, pd) in &paid {
            let d = day(at);
            for key in [(m, d), (0, d)] {
                let f = t.days.entry(key).or_default();
                f.gmv += amount;
                f.paid_orders += 1;
                f.units += units.get(&id).copied().unwrap_or(0);
                f.merchant_discount += md;
                f.platform_discount += pd;
                t.payers.entry(key).or_default().insert(s);
            }
            for shop in [m, 0] {
                first_buy.entry((shop, s)).or_insert(d);
            }
        }
        for ((shop, _), d) in first_buy {
            t.days.entry((shop, d)).or_default().new_buyers += 1;
        }
        let refunds: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT merchant_id, refunded_at, amount FROM after_sales WHERE status = 'refunded'",
        )
        .fetch_all(&st.db.pool)
        .await
        .unwrap();
        for (m, at, amount) in refunds {
            for key in [(m, day(at)), (0, day(at))] {
                let f = t.days.entry(key).or_default();
                f.refunds += amount;
                f.refund_count += 1;
            }
        }
        let commission: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT o.merchant_id, l.created_at, l.amount FROM ledger_lines l \
             JOIN ledger_accounts a ON a.id = l.account_id JOIN orders o ON o.id = l.order_id \
             WHERE a.kind = 'commission_income'",
        )
        .fetch_all(&st.db.pool)
        .await
        .unwrap();
        for (m, at, amount) in commission {
            for key in [(m, day(at)), (0, day(at))] {
                t.days.entry(key).or_default().commission -= amount;
            }
        }
        let signups: Vec<(i64,)> = sqlx::query_as("SELECT created_at FROM shoppers")
            .fetch_all(&st.db.pool)
            .await
            .unwrap();
        for (at,) in signups {
            t.days.entry((0, day(at))).or_default().new_shoppers += 1;
        }
        for (key, set) in &t.payers {
            t.days.entry(*key).or_default().payers = set.len() as i64;
        }
        t
    }

    fn period(&self, shop: i64, r: DayRange) -> Figures {
        let mut f = Figures::default();
        let mut payers: BTreeSet<i64> = BTreeSet::new();
        for d in r.from_day..=r.to_day {
            if let Some(x) = self.days.get(&(shop, d)) {
                f.add(x);
            }
            if let Some(p) = self.payers.get(&(shop, d)) {
                payers.extend(p);
            }
        }
        f.payers = payers.len() as i64;
        f
    }
}

fn kpi(d: &app::domain::dashboard::Dashboard, key: &str) -> i64 {
    d.period.iter().find(|k| k.key == key).unwrap().value
}

/// Every figure of the platform's and each shop's dashboard over `range` and for each of its
/// days against the truth.
async fn compare(
    st: &AppState,
    shops: &[i64],
    range: DayRange,
    when: &str,
) -> Result<(), TestCaseError> {
    let truth = Truth::read(st).await;
    let admin = common::operator();
    for shop in std::iter::once(0).chain(shops.iter().copied()) {
        let d = if shop == 0 {
            dashboards::platform(st, &admin, range).await.unwrap()
        } else {
            let scope = common::merchant_scope(st, shop).await;
            dashboards::shop(st, &scope, range).await.unwrap()
        };
        let want = truth.period(shop, range);
        let mut pairs = vec![
            ("gmv", want.gmv),
            ("paid_orders", want.paid_orders),
            ("payers", want.payers),
            ("refunds", want.refunds),
            ("net", want.net()),
            ("new_buyers", want.new_buyers),
            ("coupon_cost", want.coupon_cost()),
            ("commission", want.commission),
            ("average_order", want.average_order()),
        ];
        if shop == 0 {
            pairs.push(("new_shoppers", want.new_shoppers));
        }
        for (key, v) in pairs {
            prop_assert_eq!(
                kpi(&d, key),
                v,
                "{} of shop {} over {:?} ({})",
                key,
                shop,
                range,
                when
            );
        }
        prop_assert_eq!(d.trend.len() as i64, range.days());
        for (i, p) in d.trend.iter().enumerate() {
            let day = range.from_day + i as i64;
            let f = truth.days.get(&(shop, day)).copied().unwrap_or_default();
            prop_assert_eq!(
                (p.gmv, p.paid_orders, p.payers, p.refunds),
                (f.gmv, f.paid_orders, f.payers, f.refunds),
                "day {} of shop {} ({})",
                p.day,
                shop,
                when
            );
        }
        let sold: i64 = d.categories.iter().map(|c| c.gmv).sum();
        prop_assert_eq!(sold, want.gmv - shipping_in(st, shop, range).await);
    }
    Ok(())
}

/// Shipping fees on the orders paid in `range` (GMV counts them; product sales do not).
async fn shipping_in(st: &AppState, shop: i64, range: DayRange) -> i64 {
    let (from, to) = range.bounds_ms();
    let (fee,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(shipping_fee), 0) AS BIGINT) FROM orders \
         WHERE paid_at >= $1 AND paid_at < $2 AND ($3 = 0 OR merchant_id = $3)",
    )
    .bind(from)
    .bind(to)
    .bind(shop)
    .fetch_one(&st.db.pool)
    .await
    .unwrap();
    fee
}

/// Moves the clock to 22:30 China time on the last day of the month, a little ahead.
fn to_month_end_evening(st: &AppState) {
    let now = ChinaTime::of_ms(st.clock.now_ms());
    let (y, m) = if now.month == 12 {
        (now.year + 1, 1)
    } else {
        (now.year, now.month + 1)
    };
    let first_of_next = days_from_civil(y, m, 1);
    let target = day_start(first_of_next) - DAY_MS + 22 * 3_600_000 + 30 * 60_000;
    let ahead = target - st.clock.now_ms();
    st.clock
        .advance(std::time::Duration::from_millis(ahead.max(0) as u64));
}

async fn run(backend: Backend, default_cases: u32) {
    let app = TestApp::spawn(backend).await;
    app.seed_demo().await;
    let st = app.st.clone();
    common::plenty_of_stock(&st, 10_000_000).await;
    to_month_end_evening(&st);
    let start_day = china_day(st.clock.now_ms());
    let mut buyers = Vec::new();
    for n in 0..3 {
        let b = sign_up(&st, 1000 + n).await;
        with_address(&st, b).await;
        buyers.push(b);
    }
    let pool: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT MIN(s.id), s.merchant_id FROM skus s JOIN products p ON p.id = s.product_id \
         WHERE p.status = 'on_sale' AND s.active = 1 GROUP BY s.merchant_id \
         ORDER BY s.merchant_id LIMIT 3",
    )
    .fetch_all(&st.db.pool)
    .await
    .unwrap();
    let shops: Vec<i64> = pool.iter().map(|p| p.1).collect();
    let mut runner = common::prop_runner("DASHBOARD", default_cases);
    let handle = tokio::runtime::Handle::current();
    let keys = std::sync::atomic::AtomicUsize::new(0);
    runner
        .run(&prop::collection::vec(op(pool.len()), 4..24), |ops| {
            tokio::task::block_in_place(|| {
                handle.block_on(async {
                    let mut w = World {
                        buyers: buyers.clone(),
                        pool: pool.clone(),
                        trades: Vec::new(),
                        orders: Vec::new(),
                        keys: keys.fetch_add(100, std::sync::atomic::Ordering::SeqCst),
                    };
                    for op in &ops {
                        step(&st, &mut w, op).await;
                    }
                    // seed-demo's shoppers signed up on the wall clock's day, before the start
                    let today = china_day(st.clock.now_ms());
                    let all = DayRange {
                        from_day: start_day - 1,
                        to_day: today,
                    };
                    compare(&st, &shops, all, "live").await?;
                    dashboards::close_days(&st).await.unwrap();
                    compare(&st, &shops, all, "closed").await?;
                    let last = DayRange {
                        from_day: today,
                        to_day: today,
                    };
                    compare(&st, &shops, last, "today").await?;
                    Ok(())
                })
            })
        })
        .unwrap();
    // the histories crossed the month end and were closed day by day
    let today = china_day(st.clock.now_ms());
    assert!(
        today > start_day + 1,
        "the clock moved {} days",
        today - start_day
    );
    let closed = app
        .count("SELECT COUNT(*) FROM daily_stats WHERE merchant_id = 0")
        .await;
    assert!(closed >= today - start_day, "{closed} days closed");
    // a rebuild from nothing stores the very same days
    let before: Vec<(i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT day, merchant_id, gmv, payers, refunds, commission FROM daily_stats \
         ORDER BY day, merchant_id",
    )
    .fetch_all(&st.db.pool)
    .await
    .unwrap();
    dashboards::rebuild(&st).await.unwrap();
    let after: Vec<(i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT day, merchant_id, gmv, payers, refunds, commission FROM daily_stats \
         ORDER BY day, merchant_id",
    )
    .fetch_all(&st.db.pool)
    .await
    .unwrap();
    assert_eq!(before, after);
    assert!(
        before.iter().any(|r| r.2 > 0) && before.iter().any(|r| r.4 > 0),
        "some closed day had sales and some refunds"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboards_equal_a_recomputation_from_orders_sqlite() {
    run(Backend::Sqlite, 6).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboards_equal_a_recomputation_from_orders_postgres() {
    run(Backend::Postgres, 4).await;
}

backend_tests! {
    /// Over HTTP: each shop reads only its own dashboard (the shop comes from the session, never
    /// from the request), the platform's is the consoles' admins', a bad period is a 422 in
    /// Chinese, and the CSV of each table follows the same rules.
    async fn dashboards_over_http_keep_to_their_readers(app: TestApp) {
        app.seed_demo().await;
        let staff = app.signed_in("merchant", "miao_batik", "jishi2026").await;
        let admin = app.signed_in("admin", "reviewer", "jishi2026").await;
        let r = staff.call("/api/merchant/overview", &[("days", "30")]).await;
        assert_eq!(r.status, http::StatusCode::OK, "{}", r.text);
        let board = r.json();
        assert_eq!(board["shop_name"], "丹寨苗族蜡染");
        assert_eq!(board["range"]["days"], 30);
        assert!(board["top_shops"].as_array().unwrap().is_empty());
        let todos: Vec<&str> = board["todos"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["label"].as_str().unwrap())
            .collect();
        assert!(todos.contains(&"待发货订单") && todos.contains(&"待回复评价"), "{todos:?}");
        let r = staff
            .call("/api/merchant/overview", &[("from", "2026-02-30")])
            .await;
        assert_eq!(r.status, http::StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["msg"], "请输入日期，例如 2026-11-01");
        let r = staff.call("/api/merchant/overview", &[("days", "8")]).await;
        assert_eq!(r.status, http::StatusCode::UNPROCESSABLE_ENTITY);
        // a shop's staff cannot open the platform's, in any form
        assert_eq!(staff.call("/api/admin/overview", &[]).await.status, http::StatusCode::FORBIDDEN);
        assert_eq!(staff.get("/admin/overview/trend.csv").await.status, http::StatusCode::FORBIDDEN);
        assert_eq!(admin.get("/merchant/overview/trend.csv").await.status, http::StatusCode::FORBIDDEN);
        let r = admin.call("/api/admin/overview", &[("days", "7")]).await;
        assert_eq!(r.status, http::StatusCode::OK, "{}", r.text);
        assert!(r.json()["shop_name"].is_null());
        let csv = staff.get("/merchant/overview/kpis.csv?days=7").await;
        assert_eq!(csv.status, http::StatusCode::OK);
        assert!(csv.text.contains("成交额"), "{}", csv.text);
        assert_eq!(
            staff.get("/merchant/overview/other.csv").await.status,
            http::StatusCode::NOT_FOUND
        );
        assert_eq!(app.client().get("/merchant/overview/kpis.csv").await.status, http::StatusCode::UNAUTHORIZED);
    }
}

/// The paid orders of today on a dashboard read over HTTP.
fn paid_today(board: &serde_json::Value) -> i64 {
    board["today"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key"] == "paid_orders")
        .unwrap()["value"]
        .as_i64()
        .unwrap()
}

fn todo_count(board: &serde_json::Value, label: &str) -> i64 {
    board["todos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["label"] == label)
        .unwrap()["count"]
        .as_i64()
        .unwrap()
}

async fn read(who: &common::Client, path: &str, days: &str) -> serde_json::Value {
    let r = who.call(path, &[("days", days)]).await;
    assert_eq!(r.status, http::StatusCode::OK, "{}", r.text);
    r.json()
}

/// `dashboards.cache_seconds`: a computed 概览 is shown again (same figures, same "数据截至")
/// until it expires, per reader and range: another shop, the platform and another range count
/// afresh, and the to-dos are always live.
async fn cache_keeps_figures_per_reader(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.dashboards.cache_seconds = 3600).await;
    app.seed_demo().await;
    let st = app.st.clone();
    common::plenty_of_stock(&st, 1_000).await;
    let tea = app.signed_in("merchant", "duyun_tea", "jishi2026").await;
    let batik = app.signed_in("merchant", "miao_batik", "jishi2026").await;
    let admin = app.signed_in("admin", "finance", "jishi2026").await;
    let tea_before = read(&tea, "/api/merchant/overview", "7").await;
    let platform_before = read(&admin, "/api/admin/overview", "7").await;
    let batik_before = read(&batik, "/api/merchant/overview", "7").await;

    // a shopper buys from the tea shop and pays
    let (sku,): (i64,) = sqlx::query_as(
        "SELECT MIN(s.id) FROM skus s JOIN products p ON p.id = s.product_id \
         JOIN merchants m ON m.id = s.merchant_id \
         WHERE p.status = 'on_sale' AND s.active = 1 AND m.name = $1",
    )
    .bind(tea_before["shop_name"].as_str().unwrap())
    .fetch_one(&st.db.pool)
    .await
    .unwrap();
    let buyer = crate::common::buying::shopper(&st, 77).await;
    with_address(&st, buyer).await;
    let t = checkout::submit(&st, buyer, &basket(&[(sku, 1)]), "cache-000001")
        .await
        .unwrap();
    pay(&st, &t.trade_no, t.amount).await.unwrap();

    let tea_again = read(&tea, "/api/merchant/overview", "7").await;
    assert_eq!(tea_again["as_of"], tea_before["as_of"], "kept, and says so");
    assert_eq!(paid_today(&tea_again), paid_today(&tea_before));
    assert_eq!(
        todo_count(&tea_again, "待发货订单"),
        todo_count(&tea_before, "待发货订单") + 1,
        "the to-dos are live"
    );
    let platform_again = read(&admin, "/api/admin/overview", "7").await;
    assert_eq!(paid_today(&platform_again), paid_today(&platform_before));
    // another range of the same shop is counted afresh and sees the order
    let tea_30 = read(&tea, "/api/merchant/overview", "30").await;
    assert_eq!(paid_today(&tea_30), paid_today(&tea_before) + 1);
    // another shop reads its own figures, never the tea shop's kept ones
    let batik_again = read(&batik, "/api/merchant/overview", "7").await;
    assert_eq!(batik_again["shop_name"], batik_before["shop_name"]);
    assert_ne!(batik_again["shop_name"], tea_before["shop_name"]);
    assert_eq!(paid_today(&batik_again), paid_today(&batik_before));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_cache_keeps_figures_per_reader_sqlite() {
    cache_keeps_figures_per_reader(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_cache_keeps_figures_per_reader_postgres() {
    cache_keeps_figures_per_reader(Backend::Postgres).await;
}
