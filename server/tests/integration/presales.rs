//! 预售 through the services, on both databases: a shop's presale (bad input refused with the
//! field, a SKU in another activity of the same time refused), buying at the presale price
//! with no shop discounts, the ship promise fixed on the order when it is paid (a day, or N
//! days from the payment), limits, an unpaid order giving the presale stock back, a broken
//! promise refunded in full at the shopper's word (once, and only when broken), and twenty
//! buyers racing for the last units.

use std::time::Duration;

use crate::common;
use crate::common::buying::{basket, free_sku, pay, shopper, with_address};

use app::domain::cart::CheckoutRequest;
use app::domain::group_buy::{ActivityForm, SkuLineForm};
use app::domain::order::OrderStatus;
use app::domain::presale::PresaleForm;
use app::domain::reader::Reader;
use app::domain::time::{datetime_text, day_text, DAY_MS};
use app::error::AppError;
use app::services::{after_sales, checkout, group_buys, ledger, orders, presales};
use app::state::AppState;

const IP: &str = "127.0.0.1";

/// A presale of `sku` at ¥9.90, 10 units, selling for three days, shipping by the fifth day.
fn form(st: &AppState, product: i64, sku: i64) -> PresaleForm {
    let now = st.clock.now_ms();
    PresaleForm {
        product_id: product,
        title: "<i>脐橙预售</i>".into(),
        starts_at: datetime_text(now - 60_000),
        ends_at: datetime_text(now + 3 * DAY_MS),
        ship_mode: "date".into(),
        ship_date: day_text(now + 5 * DAY_MS),
        ship_days: String::new(),
        per_order_limit: "2".into(),
        per_user_limit: "3".into(),
        skus: vec![SkuLineForm {
            sku_id: sku,
            price: "9.90".into(),
            quantity: "10".into(),
        }],
        ..PresaleForm::default()
    }
}

pub(crate) fn buy(presale: i64, sku: i64, qty: i64) -> CheckoutRequest {
    CheckoutRequest {
        presale_id: Some(presale),
        ..basket(&[(sku, qty)])
    }
}

pub(crate) async fn buyer(st: &AppState, n: usize) -> i64 {
    let b = shopper(st, n).await;
    with_address(st, b).await;
    b
}

pub(crate) async fn number(st: &AppState, sql: &str, id: i64) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .bind(id)
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
    n
}

pub(crate) fn field(e: AppError) -> String {
    match e {
        AppError::Invalid { field, .. } => field,
        other => panic!("not a field error: {other:?}"),
    }
}

/// Waits until the order has been refunded in full by the simulated provider.
pub(crate) async fn wait_refunded_in_full(st: &AppState, order_id: i64) {
    for _ in 0..3000 {
        let (paid, refunded, status): (i64, i64, String) =
            sqlx::query_as("SELECT pay_amount, refunded_amount, status FROM orders WHERE id = $1")
                .bind(order_id)
                .fetch_one(&st.db.pool)
                .await
                .unwrap();
        if refunded == paid && status == "cancelled" {
            return;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    panic!("order {order_id} was not refunded in full");
}

type Adjust = fn(&mut PresaleForm);

backend_tests! {
    /// The demo starts with two fruit presales selling, one paid in full, one with a deposit,, on SKUs in no other activity; seeding again adds nothing while they sell.
    async fn the_demo_has_a_fruit_presale_selling(app: TestApp) {
        app.seed_demo().await;
        let st = app.st.clone();
        // in the order `jishi seed-demo` runs them
        app::seed::demo_flash_sales::seed(&st).await.unwrap();
        app::seed::demo_group_buys::seed(&st).await.unwrap();
        app::seed::demo_presales::seed(&st).await.unwrap();
        app::seed::demo_presales::seed(&st).await.unwrap();
        let selling = presales::selling(&st).await.unwrap();
        assert_eq!(selling.len(), 2);
        // and a 定金 presale of the orchard's 石榴
        let fruit = selling.iter().find(|p| p.deposit.is_some()).expect("a deposit presale");
        assert!(fruit.product_title.contains("石榴"), "{}", fruit.product_title);
        let plan = fruit.deposit.as_ref().unwrap();
        assert!(plan.skus.iter().all(|d| d.deposit_value == 3 * d.deposit));
        let p = selling.iter().find(|p| p.deposit.is_none()).unwrap();
        assert!(p.product_title.contains("橙"), "{}", p.product_title);
        assert!(!p.skus.is_empty() && p.skus.iter().all(|s| s.price < s.normal_price));
        assert!(p.ship_text.ends_with("前发货"), "{}", p.ship_text);
        let shopper: (i64,) = sqlx::query_as("SELECT id FROM shoppers WHERE nickname = '茶友小王'")
            .fetch_one(&st.db.pool).await.unwrap();
        let sku = p.skus[0].sku_id;
        let t = checkout::submit(&st, shopper.0, &buy(p.id, sku, 1), "demo-presale-1").await.unwrap();
        pay(&st, &t.trade_no, t.amount).await.unwrap();
        let detail = orders::detail(&st, Reader::Shopper(shopper.0), t.order_ids[0]).await.unwrap();
        assert!(detail.summary.ship_promise.is_some());
    }

    /// Bad forms name their field; a SKU in a 拼团 of the same time cannot be in a presale,
    /// nor the other way round. The presale sells at its price with no shop discounts, within
    /// its limits; the paid order carries the promised day; an unpaid one closing gives the
    /// presale stock back; before the day the shopper cannot refund at a word, after it they
    /// can, once, and everything comes back (money, SKU stock, presale stock, their share)
    /// with the ledger still balanced.
    async fn a_presale_keeps_its_ship_promise_or_refunds(app: TestApp) {
        app.seed_demo().await;
        let st = app.st.clone();
        let (merchant, product, sku, price) = free_sku(&st).await;
        let scope = common::merchant_scope(&st, merchant).await;
        let cases: [(Adjust, &str); 5] = [
            (|f| f.ship_date = "2020-01-01".into(), "ship_date"),
            (|f| f.skus[0].price = "100000".into(), "skus"),
            (|f| f.skus[0].quantity = "101".into(), "skus"),
            (|f| f.per_order_limit = "4".into(), "per_order_limit"),
            (|f| f.ship_mode = "someday".into(), "ship_mode"),
        ];
        for (adjust, name) in cases {
            let mut f = form(&st, product, sku);
            adjust(&mut f);
            let e = presales::create(&st, &scope, &f, IP).await.unwrap_err();
            assert_eq!(field(e), name);
        }
        let before = app.count("SELECT COUNT(*) FROM presale_activities").await;
        let presale = presales::create(&st, &scope, &form(&st, product, sku), IP).await.unwrap();
        assert_eq!(app.count("SELECT COUNT(*) FROM presale_activities").await, before + 1);
        let again = presales::create(&st, &scope, &form(&st, product, sku), IP).await;
        assert_eq!(field(again.unwrap_err()), "skus", "one SKU, one activity at a time");
        let now = st.clock.now_ms();
        let group = ActivityForm {
            product_id: product,
            title: "两人团".into(),
            starts_at: datetime_text(now + DAY_MS),
            ends_at: datetime_text(now + 2 * DAY_MS),
            group_size: "2".into(),
            lifetime_hours: "24".into(),
            per_order_limit: "1".into(),
            per_user_limit: "1".into(),
            virtual_fill: None,
            virtual_max: String::new(),
            skus: vec![SkuLineForm { sku_id: sku, price: "5".into(), quantity: "5".into() }],
        };
        let e = group_buys::create_activity(&st, &scope, &group, IP).await.unwrap_err();
        assert_eq!(field(e), "skus", "a 拼团 over a presale's time");
        let view = presales::of_product(&st, product).await.unwrap().unwrap();
        assert_eq!((view.id, view.from_price, view.title.as_str()), (presale, 990, "<i>脐橙预售</i>"));
        assert!(view.ship_text.ends_with("前发货"), "{}", view.ship_text);

        let (a, b) = (buyer(&st, 1).await, buyer(&st, 2).await);
        let preview = checkout::preview(&st, a, &buy(presale, sku, 2)).await.unwrap();
        let line = &preview.shops[0].lines[0];
        assert_eq!((line.unit_price, line.discount), (990, 0));
        assert!(price > 990);
        // above the per-order limit, or from the cart: refused before anything is taken
        let e = checkout::submit(&st, a, &buy(presale, sku, 3), "presale-too-many").await.unwrap_err();
        assert_eq!(field(e), "qty");
        let from_cart = CheckoutRequest { from_cart: true, ..buy(presale, sku, 1) };
        assert!(matches!(checkout::submit(&st, a, &from_cart, "presale-from-cart").await, Err(AppError::BadRequest(_))));

        let t = checkout::submit(&st, a, &buy(presale, sku, 2), "presale-a-0001").await.unwrap();
        let order = t.order_ids[0];
        assert_eq!(number(&st, "SELECT sold FROM presale_skus WHERE activity_id = $1", presale).await, 2);
        // the shopper holds 2 of 3: one more order of 2 is over the per-user limit
        let e = checkout::submit(&st, a, &buy(presale, sku, 2), "presale-a-0002").await.unwrap_err();
        assert_eq!(field(e), "qty");
        // an unpaid order closing gives its presale stock and share back
        let t_b = checkout::submit(&st, b, &buy(presale, sku, 1), "presale-b-0001").await.unwrap();
        orders::cancel_unpaid(&st, b, t_b.order_ids[0]).await.unwrap();
        assert_eq!(number(&st, "SELECT sold FROM presale_skus WHERE activity_id = $1", presale).await, 2);
        assert_eq!(number(&st, "SELECT qty FROM presale_buyers WHERE shopper_id = $1", b).await, 0);

        pay(&st, &t.trade_no, t.amount).await.unwrap();
        let detail = orders::detail(&st, Reader::Shopper(a), order).await.unwrap();
        let promise = detail.summary.ship_promise.clone().expect("a presale order carries its promise");
        let ship_by = match view.ship {
            app::domain::presale::ShipPromise::Date { before } => before,
            other => panic!("a day was promised: {other:?}"),
        };
        assert_eq!((promise.ship_by, promise.late), (ship_by, false));
        assert_eq!(detail.summary.status, OrderStatus::ToShip);
        let early = after_sales::refund_late(&st, a, order).await.unwrap_err();
        assert!(matches!(early, AppError::Conflict(_)), "{early:?}");
        // another shopper's order is not there for them
        assert!(matches!(after_sales::refund_late(&st, b, order).await, Err(AppError::NotFound(_))));

        st.clock.advance(Duration::from_millis((ship_by - st.clock.now_ms()) as u64));
        let detail = orders::detail(&st, Reader::Shopper(a), order).await.unwrap();
        assert!(detail.summary.ship_promise.unwrap().late);
        let stock_before = number(&st, "SELECT stock FROM skus WHERE id = $1", sku).await;
        after_sales::refund_late(&st, a, order).await.unwrap();
        wait_refunded_in_full(&st, order).await;
        assert!(matches!(after_sales::refund_late(&st, a, order).await, Err(AppError::Conflict(_))));
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM after_sales WHERE order_id = {order}")).await, 1);
        assert_eq!(number(&st, "SELECT stock FROM skus WHERE id = $1", sku).await, stock_before + 2);
        assert_eq!(number(&st, "SELECT sold FROM presale_skus WHERE activity_id = $1", presale).await, 0);
        assert_eq!(number(&st, "SELECT qty FROM presale_buyers WHERE shopper_id = $1", a).await, 0);
        let rec = ledger::reconcile(&st).await.unwrap();
        assert!(rec.drifts.is_empty(), "{:?}", rec.drifts);
    }

    /// A promise of N days counts from the payment, not the order; a shipped order keeps no
    /// refund at a word however late; a presale ended early sells no more.
    async fn days_count_from_the_payment_and_shipping_keeps_the_promise(app: TestApp) {
        app.seed_demo().await;
        let st = app.st.clone();
        let (merchant, product, sku, _) = free_sku(&st).await;
        let scope = common::merchant_scope(&st, merchant).await;
        let mut f = form(&st, product, sku);
        f.ship_mode = "days".into();
        f.ship_days = "7".into();
        let presale = presales::create(&st, &scope, &f, IP).await.unwrap();
        let a = buyer(&st, 1).await;
        let t = checkout::submit(&st, a, &buy(presale, sku, 1), "presale-days-01").await.unwrap();
        st.clock.advance(Duration::from_secs(600));
        let paid_at = st.clock.now_ms();
        pay(&st, &t.trade_no, t.amount).await.unwrap();
        let order = t.order_ids[0];
        let ship_by = number(&st, "SELECT ship_by FROM orders WHERE id = $1", order).await;
        assert!((paid_at + 7 * DAY_MS..paid_at + 7 * DAY_MS + 5_000).contains(&ship_by), "{ship_by} vs paid {paid_at}");
        let ship = orders::Shipment {
            order_id: order,
            carrier: "顺丰速运".into(),
            tracking_no: "SF1234567890".into(),
        };
        orders::ship(&st, &scope, &ship, IP).await.unwrap();
        st.clock.advance(Duration::from_secs(8 * 86_400));
        let e = after_sales::refund_late(&st, a, order).await.unwrap_err();
        assert!(matches!(e, AppError::Conflict(_)), "{e:?}");

        presales::end(&st, app::services::merchants::Ender::Shop(&scope), presale, IP).await.unwrap();
        let e = checkout::submit(&st, a, &buy(presale, sku, 1), "presale-days-02").await.unwrap_err();
        assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
        assert!(presales::of_product(&st, product).await.unwrap().is_none());
    }

    /// Twenty shoppers at once for the last five units: exactly five orders, fifteen clean
    /// sold-out answers, and the presale and SKU stock agree.
    async fn twenty_buyers_race_for_the_last_units(app: TestApp) {
        app.seed_demo().await;
        let st = app.st.clone();
        let (merchant, product, sku, _) = free_sku(&st).await;
        let scope = common::merchant_scope(&st, merchant).await;
        let mut f = form(&st, product, sku);
        f.skus[0].quantity = "5".into();
        let presale = presales::create(&st, &scope, &f, IP).await.unwrap();
        let stock_before = number(&st, "SELECT stock FROM skus WHERE id = $1", sku).await;
        let mut racers = Vec::new();
        for n in 0..20 {
            racers.push(buyer(&st, 100 + n).await);
        }
        let tasks: Vec<_> = racers
            .into_iter()
            .map(|b| {
                let st = st.clone();
                tokio::spawn(async move {
                    checkout::submit(&st, b, &buy(presale, sku, 1), &format!("race-{b:06}")).await
                })
            })
            .collect();
        let (mut won, mut refused) = (0, 0);
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => won += 1,
                Err(AppError::Conflict(m)) => {
                    assert!(m.contains("售罄"), "{m}");
                    refused += 1;
                }
                Err(e) => panic!("unexpected answer: {e:?}"),
            }
        }
        assert_eq!((won, refused), (5, 15));
        assert_eq!(number(&st, "SELECT sold FROM presale_skus WHERE activity_id = $1", presale).await, 5);
        assert_eq!(number(&st, "SELECT stock FROM skus WHERE id = $1", sku).await, stock_before - 5);
    }
}
