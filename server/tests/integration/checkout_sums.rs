//! Property: any multi-shop checkout adds up to the fen. For random baskets over the demo
//! catalogue (several shops, repeated SKUs, express or pickup per shop, several provinces):
//! what the shopper pays = Σ orders' payable = Σ (goods − discounts + shipping); goods = Σ items'
//! unit price × quantity at the database's prices; one order per shop; the preview shows the
//! total that is charged; stock falls by exactly what was bought. A refused checkout changes
//! nothing. On SQLite and PostgreSQL.

use crate::common::TestApp;

use std::collections::{BTreeMap, BTreeSet};

use app::domain::address::AddressInput;
use app::domain::cart::{CheckoutRequest, LineRequest, ShopChoice};
use app::domain::order::Delivery;
use app::infra::db::Backend;
use app::services::{addresses, checkout};
use app::state::AppState;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const PROVINCES: [&str; 4] = ["贵州省", "广东省", "西藏自治区", "北京市"];

#[derive(Debug, Clone)]
struct Case {
    /// (index into the SKU pool, quantity)
    lines: Vec<(usize, i64)>,
    province: usize,
    /// per shop index: pickup wanted (honoured where the shop offers it)
    pickup: Vec<bool>,
}

fn case(pool: usize) -> impl Strategy<Value = Case> {
    (
        prop::collection::vec((0..pool, 1i64..=3), 1..7),
        0..PROVINCES.len(),
        prop::collection::vec(any::<bool>(), 16),
    )
        .prop_map(|(lines, province, pickup)| Case {
            lines,
            province,
            pickup,
        })
}

#[derive(Debug, Clone, Copy)]
struct Sku {
    id: i64,
    merchant: i64,
    price: i64,
}

async fn sku_pool(st: &AppState) -> Vec<Sku> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT s.id, s.merchant_id, s.price FROM skus s JOIN products p ON p.id = s.product_id \
         WHERE p.status = 'on_sale' AND s.active = 1 ORDER BY s.id",
    )
    .fetch_all(&st.db.pool)
    .await
    .unwrap();
    // up to five SKUs of every shop
    let mut per_shop: BTreeMap<i64, usize> = BTreeMap::new();
    rows.into_iter()
        .filter(|(_, merchant, _)| {
            let n = per_shop.entry(*merchant).or_default();
            *n += 1;
            *n <= 5
        })
        .map(|(id, merchant, price)| Sku {
            id,
            merchant,
            price,
        })
        .collect()
}

async fn stocks(st: &AppState, ids: &[i64]) -> BTreeMap<i64, i64> {
    let mut out = BTreeMap::new();
    for id in ids {
        let (n,): (i64,) = sqlx::query_as("SELECT stock FROM skus WHERE id = $1")
            .bind(id)
            .fetch_one(&st.db.pool)
            .await
            .unwrap();
        out.insert(*id, n);
    }
    out
}

async fn check(st: &AppState, buyer: i64, addresses: &[i64], pool: &[Sku], n: usize, c: Case) {
    let shops: Vec<i64> = pool
        .iter()
        .map(|s| s.merchant)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let req = CheckoutRequest {
        lines: c
            .lines
            .iter()
            .map(|&(i, qty)| LineRequest {
                sku_id: pool[i].id,
                qty,
            })
            .collect(),
        address_id: Some(addresses[c.province]),
        shops: shops
            .iter()
            .enumerate()
            .map(|(i, &merchant_id)| ShopChoice {
                merchant_id,
                delivery: if c.pickup[i % c.pickup.len()] {
                    Delivery::Pickup
                } else {
                    Delivery::Express
                },
                remark: String::new(),
                coupon_id: None,
            })
            .collect(),
        from_cart: false,
        platform_coupon_id: None,
        ..CheckoutRequest::default()
    };
    let ids: Vec<i64> = pool.iter().map(|s| s.id).collect();
    let before = stocks(st, &ids).await;
    let trades_before: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM trades")
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
    let preview = checkout::preview(st, buyer, &req).await;
    let submitted = checkout::submit(st, buyer, &req, &format!("property-case-{n:04}")).await;
    let (preview, trade) = match (preview, submitted) {
        (Ok(p), Ok(t)) => (p, t),
        (preview, Err(refused)) => {
            // refused: a shop without pickup (the preview refuses too), or one that does not
            // deliver there (the preview shows which); nothing moved
            if let Ok(p) = &preview {
                assert!(
                    p.shops.iter().any(|s| !s.delivers),
                    "the preview priced what submit refused: {refused:?}"
                );
            }
            assert_eq!(stocks(st, &ids).await, before);
            let trades: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM trades")
                .fetch_one(&st.db.pool)
                .await
                .unwrap();
            assert_eq!(trades, trades_before);
            return;
        }
        (p, t) => panic!("preview and submit disagree: {p:?} / {t:?}"),
    };
    assert_eq!(
        preview.total, trade.amount,
        "the preview shows what is charged"
    );
    assert!(preview.shops.iter().all(|s| s.delivers));

    let orders: Vec<(i64, i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT id, merchant_id, goods_amount, merchant_discount, platform_discount, shipping_fee, \
         pay_amount FROM orders WHERE trade_id = (SELECT id FROM trades WHERE trade_no = $1)",
    )
    .bind(&trade.trade_no)
    .fetch_all(&st.db.pool)
    .await
    .unwrap();
    let (amount,): (i64,) = sqlx::query_as("SELECT amount FROM trades WHERE trade_no = $1")
        .bind(&trade.trade_no)
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
    assert_eq!(
        amount,
        orders.iter().map(|o| o.6).sum::<i64>(),
        "paid = Σ orders' payable"
    );

    let mut bought: BTreeMap<i64, i64> = BTreeMap::new();
    for &(i, qty) in &c.lines {
        *bought.entry(pool[i].id).or_default() += qty;
    }
    let merchants: BTreeSet<i64> = bought
        .keys()
        .map(|id| pool.iter().find(|s| s.id == *id).unwrap().merchant)
        .collect();
    assert_eq!(orders.len(), merchants.len(), "one order per shop");
    for (id, merchant, goods, md, pd, shipping, pay) in &orders {
        assert!(merchants.contains(merchant));
        assert_eq!(*pay, goods - md - pd + shipping);
        assert!(*shipping >= 0);
        let items: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT sku_id, unit_price, qty, gross, pay_amount FROM order_items WHERE order_id = $1",
        )
        .bind(id)
        .fetch_all(&st.db.pool)
        .await
        .unwrap();
        assert_eq!(
            *goods,
            items.iter().map(|i| i.3).sum::<i64>(),
            "goods = Σ items"
        );
        assert_eq!(goods - md - pd, items.iter().map(|i| i.4).sum::<i64>());
        for (sku, unit, qty, gross, _) in items {
            let s = pool.iter().find(|s| s.id == sku).unwrap();
            assert_eq!(
                s.merchant, *merchant,
                "every item is in its own shop's order"
            );
            assert_eq!(unit, s.price, "the database's price");
            assert_eq!(gross, unit * qty);
            assert_eq!(qty, bought[&sku], "repeated lines add up");
        }
    }
    let after = stocks(st, &ids).await;
    for id in &ids {
        assert_eq!(
            before[id] - after[id],
            bought.get(id).copied().unwrap_or(0),
            "stock of SKU {id}"
        );
    }
}

async fn run(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.seed_demo().await;
    let st = app.st.clone();
    let (buyer,): (i64,) = sqlx::query_as(
        "INSERT INTO shoppers (nickname, status, created_at, updated_at) \
         VALUES ('算账', 'active', 0, 0) RETURNING id",
    )
    .fetch_one(&st.db.pool)
    .await
    .unwrap();
    let mut address_ids = Vec::new();
    for p in PROVINCES {
        let input = AddressInput {
            receiver: "钱多多".into(),
            phone: "13800138000".into(),
            province: p.into(),
            city: "某市".into(),
            district: "某区".into(),
            detail: "某路 1 号".into(),
            is_default: false,
        };
        address_ids.push(addresses::save(&st, buyer, None, &input).await.unwrap());
    }
    sqlx::query("UPDATE skus SET stock = 100000")
        .execute(&st.db.pool)
        .await
        .unwrap();
    let pool = sku_pool(&st).await;
    assert!(
        pool.iter()
            .map(|s| s.merchant)
            .collect::<BTreeSet<_>>()
            .len()
            >= 3,
        "several shops"
    );

    let mut runner = TestRunner::new(Config {
        cases: 24,
        ..Config::default()
    });
    let n = std::sync::atomic::AtomicUsize::new(0);
    let handle = tokio::runtime::Handle::current();
    runner
        .run(&case(pool.len()), |c| {
            let k = n.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::task::block_in_place(|| {
                handle.block_on(check(&st, buyer, &address_ids, &pool, k, c))
            });
            Ok(())
        })
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multi_shop_checkouts_add_up_sqlite() {
    run(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multi_shop_checkouts_add_up_postgres() {
    run(Backend::Postgres).await
}
