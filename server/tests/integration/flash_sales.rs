//! 秒杀 through the services, on both databases: the platform's event, a shop's application
//! and its review (bad input refused with the field and nothing saved), buying in a running
//! slot at the activity price with no shop discounts, the per-order and per-user limits, the
//! shorter payment timeout giving both stocks back exactly once, and many buyers racing for
//! the last units: nothing oversold, every other answer a clean "sold out".

use std::time::Duration;

use crate::common;
use crate::common::buying::{basket, pay, shopper, with_address};

use app::domain::cart::CheckoutRequest;
use app::domain::flash_sale::{EventForm, ItemAction, ItemForm};
use app::domain::time::{china_day, datetime_text, day_start, day_text};
use app::error::AppError;
use app::services::flash_sales::{self, Decider};
use app::services::{checkout, orders, payments};
use app::state::AppState;

const IP: &str = "127.0.0.1";

/// An event whose first slot starts at 10:00 China time tomorrow, two slots a day, one hour
/// each, applications until 09:00 tomorrow.
fn event_form(st: &AppState) -> EventForm {
    let tomorrow = day_start(china_day(st.clock.now_ms()) + 1);
    EventForm {
        title: "<b>周末秒杀</b>".into(),
        first_day: day_text(tomorrow),
        last_day: day_text(tomorrow),
        slot_hours: "10 20".into(),
        slot_minutes: "60".into(),
        apply_until: datetime_text(tomorrow + 9 * 3_600_000),
        allow_platform_coupon: None,
    }
}

/// A SKU of a demo shop with its price and stock: (merchant, SKU, price, stock).
async fn a_sku(st: &AppState) -> (i64, i64, i64, i64) {
    sqlx::query_as(
        "SELECT s.merchant_id, s.id, s.price, s.stock FROM skus s \
         JOIN products p ON p.id = s.product_id \
         WHERE p.status = 'on_sale' AND s.active = 1 AND s.price > 1000 ORDER BY s.id LIMIT 1",
    )
    .fetch_one(&st.db.pool)
    .await
    .unwrap()
}

async fn sold(st: &AppState, item: i64) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT sold FROM flash_sale_items WHERE id = $1")
        .bind(item)
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
    n
}

async fn stock(st: &AppState, sku: i64) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT stock FROM skus WHERE id = $1")
        .bind(sku)
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
    n
}

fn flash_basket(sku: i64, qty: i64, item: i64) -> CheckoutRequest {
    CheckoutRequest {
        flash_sale_item_id: Some(item),
        ..basket(&[(sku, qty)])
    }
}

fn field(e: AppError) -> String {
    match e {
        AppError::Invalid { field, .. } => field,
        other => panic!("not a field error: {other:?}"),
    }
}

/// Creates the event, applies the SKU to its first slot (`qty` units at ¥9.90, limits 2 per
/// person and 1 per order), approves it and moves the clock into the slot: (item id, SKU,
/// its normal price).
async fn running_item(st: &AppState, qty: i64) -> (i64, i64, i64) {
    let admin = common::operator();
    let event = flash_sales::create_event(st, &admin, &event_form(st), IP)
        .await
        .unwrap();
    let (merchant, sku, price, _) = a_sku(st).await;
    let scope = common::merchant_scope(st, merchant).await;
    let (view, _) = flash_sales::event_items(st, event, None).await.unwrap();
    let form = ItemForm {
        event_id: event,
        sku_id: sku,
        starts_at: view.slots[0].starts_at,
        price: "9.90".into(),
        quantity: qty.to_string(),
        per_user_limit: "2".into(),
        per_order_limit: "1".into(),
    };
    let item = flash_sales::apply(st, &scope, &form, IP).await.unwrap();
    flash_sales::decide(
        st,
        Decider::Platform(&admin),
        item,
        ItemAction::Approve,
        "",
        IP,
    )
    .await
    .unwrap();
    let ahead = view.slots[0].starts_at + 60_000 - st.clock.now_ms();
    st.clock.advance(Duration::from_millis(ahead as u64));
    (item, sku, price)
}

backend_tests! {
    /// The platform's form and a shop's application refuse bad input naming the field, and
    /// save nothing; a shop sees only its own applications; the review needs a reason to
    /// reject and moves an application once.
    async fn events_and_applications_are_judged(app: TestApp) {
        app.seed_demo().await;
        let st = app.st.clone();
        let admin = common::operator();
        let bad = EventForm { slot_hours: "10 25".into(), ..event_form(&st) };
        assert_eq!(field(flash_sales::create_event(&st, &admin, &bad, IP).await.unwrap_err()), "slot_hours");
        let reviewer = app::seed::admin_as(&st, app::domain::account::AdminRole::Reviewer).await.unwrap();
        assert!(matches!(
            flash_sales::create_event(&st, &reviewer, &event_form(&st), IP).await,
            Err(AppError::Forbidden(_))
        ));
        assert_eq!(app.count("SELECT COUNT(*) FROM flash_sale_events").await, 0);
        let event = flash_sales::create_event(&st, &admin, &event_form(&st), IP).await.unwrap();
        let (view, _) = flash_sales::event_items(&st, event, None).await.unwrap();
        assert_eq!(view.slots.len(), 2);
        assert!(view.accepting);

        let (merchant, sku, price, stock_now) = a_sku(&st).await;
        let scope = common::merchant_scope(&st, merchant).await;
        let form = |price: &str, qty: i64| ItemForm {
            event_id: event,
            sku_id: sku,
            starts_at: view.slots[0].starts_at,
            price: price.into(),
            quantity: qty.to_string(),
            per_user_limit: "2".into(),
            per_order_limit: "1".into(),
        };
        let at_normal = app::domain::money::price_text(price).trim_start_matches('¥').to_string();
        assert_eq!(field(flash_sales::apply(&st, &scope, &form(&at_normal, 1), IP).await.unwrap_err()), "price");
        assert_eq!(field(flash_sales::apply(&st, &scope, &form("9.9", stock_now + 1), IP).await.unwrap_err()), "quantity");
        let off_slot = ItemForm { starts_at: view.slots[0].starts_at + 1, ..form("9.9", 1) };
        assert_eq!(field(flash_sales::apply(&st, &scope, &off_slot, IP).await.unwrap_err()), "starts_at");
        // another shop cannot apply this SKU
        let (other,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM merchants WHERE id <> $1")
            .bind(merchant).fetch_one(&st.db.pool).await.unwrap();
        let stranger = common::merchant_scope(&st, other).await;
        assert!(matches!(flash_sales::apply(&st, &stranger, &form("9.9", 1), IP).await, Err(AppError::NotFound(_))));
        assert_eq!(app.count("SELECT COUNT(*) FROM flash_sale_items").await, 0);

        let item = flash_sales::apply(&st, &scope, &form("9.9", 5), IP).await.unwrap();
        // the same SKU in the same slot again: refused
        assert_eq!(field(flash_sales::apply(&st, &scope, &form("8.8", 1), IP).await.unwrap_err()), "sku_id");
        let (_, mine) = flash_sales::event_items(&st, event, Some(merchant)).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].status, "pending");
        let (_, theirs) = flash_sales::event_items(&st, event, Some(other)).await.unwrap();
        assert!(theirs.is_empty());
        // a shop cannot approve, nor withdraw another shop's
        assert!(flash_sales::decide(&st, Decider::Shop(&stranger), item, ItemAction::Withdraw, "", IP).await.is_err());
        assert_eq!(
            field(flash_sales::decide(&st, Decider::Platform(&admin), item, ItemAction::Reject, " ", IP).await.unwrap_err()),
            "reason"
        );
        flash_sales::decide(&st, Decider::Platform(&admin), item, ItemAction::Reject, "价格不够低", IP).await.unwrap();
        assert!(matches!(
            flash_sales::decide(&st, Decider::Platform(&admin), item, ItemAction::Approve, "", IP).await,
            Err(AppError::Conflict(_))
        ));
        let (_, mine) = flash_sales::event_items(&st, event, Some(merchant)).await.unwrap();
        assert_eq!((mine[0].status.as_str(), mine[0].reason.as_str()), ("rejected", "价格不够低"));
        // rejected: the slot is free for a new application
        flash_sales::apply(&st, &scope, &form("8.8", 1), IP).await.unwrap();
        // past the deadline (09:00, the first slot at 10:00) nobody applies
        let ahead = view.slots[0].starts_at - 30 * 60_000 - st.clock.now_ms();
        st.clock.advance(Duration::from_millis(ahead as u64));
        let late = flash_sales::apply(&st, &scope, &form("7.7", 1), IP).await;
        assert!(matches!(late, Err(AppError::Conflict(_))), "{late:?}");
        assert_eq!(
            app.count("SELECT COUNT(*) FROM audit_log WHERE target_kind IN ('flash_sale_event', 'flash_sale_item')").await,
            4
        );
    }

    /// Buying in the slot: the activity price, no full-reduction or coupon on the line, the
    /// shorter deadline; the per-order and per-user limits; the trade timing out gives the
    /// activity stock, the buyer's share and the SKU stock back once.
    async fn buying_in_a_slot_and_timing_out(app: TestApp) {
        app.seed_demo().await;
        let st = app.st.clone();
        let buyer = shopper(&st, 1).await;
        with_address(&st, buyer).await;
        // an upcoming slot sells nothing yet
        let admin = common::operator();
        let (item, sku, _) = running_item(&st, 5).await;
        let before = stock(&st, sku).await;
        assert_eq!(
            field(checkout::submit(&st, buyer, &flash_basket(sku, 2, item), "flash-000001").await.unwrap_err()),
            "qty",
            "one per order"
        );
        // a normal purchase of the SKU is not a flash-sale one
        let normal = checkout::preview(&st, buyer, &basket(&[(sku, 1)])).await.unwrap();
        let flash = checkout::preview(&st, buyer, &flash_basket(sku, 1, item)).await.unwrap();
        assert_eq!(flash.shops[0].lines[0].unit_price, 990);
        assert!(normal.shops[0].lines[0].unit_price > 990);
        assert_eq!(flash.shops[0].lines[0].discount, 0, "no shop discounts on a flash-sale line");

        let now = st.clock.now_ms();
        let t = checkout::submit(&st, buyer, &flash_basket(sku, 1, item), "flash-000002").await.unwrap();
        let timeout = t.pay_deadline - now;
        assert!((10 * 60_000..10 * 60_000 + 5_000).contains(&timeout), "{timeout} ms to pay");
        assert_eq!((sold(&st, item).await, stock(&st, sku).await), (1, before - 1));
        let (unit, tagged): (i64, Option<i64>) = sqlx::query_as(
            "SELECT unit_price, flash_sale_item_id FROM order_items WHERE order_id = $1",
        )
        .bind(t.order_ids[0]).fetch_one(&st.db.pool).await.unwrap();
        assert_eq!((unit, tagged), (990, Some(item)));
        let t2 = checkout::submit(&st, buyer, &flash_basket(sku, 1, item), "flash-000003").await.unwrap();
        pay(&st, &t2.trade_no, t2.amount).await.unwrap();
        let e = checkout::submit(&st, buyer, &flash_basket(sku, 1, item), "flash-000004").await.unwrap_err();
        assert!(e.to_string().contains("每人限购 2 件"), "{e}");
        assert_eq!(sold(&st, item).await, 2);

        // the unpaid one times out: its unit comes back to the item, the buyer and the SKU
        st.clock.advance(Duration::from_secs(11 * 60));
        let (closed, _) = orders::run_timers(&st).await.unwrap();
        assert_eq!(closed, 1);
        orders::run_timers(&st).await.unwrap();
        assert_eq!((sold(&st, item).await, stock(&st, sku).await), (1, before - 1));
        // its payment arriving after the close reopens nothing and takes no stock again; the
        // money goes back as a late payment
        let late = st.simulated_pay.payment_notification(&t.trade_no, t.amount);
        for _ in 0..2 {
            payments::handle_notification(&st, "simulated", &late.0, &late.1).await.unwrap();
        }
        assert_eq!((sold(&st, item).await, stock(&st, sku).await), (1, before - 1));
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM stray_payments s JOIN trades t ON t.id = s.trade_id \
                 WHERE t.trade_no = '{}' AND s.kind = 'late'",
                t.trade_no
            ))
            .await,
            1
        );
        assert_eq!(
            app.count(&format!("SELECT qty FROM flash_sale_buyers WHERE item_id = {item} AND shopper_id = {buyer}")).await,
            1
        );
        // so the buyer may buy one more
        checkout::submit(&st, buyer, &flash_basket(sku, 1, item), "flash-000005").await.unwrap();

        // the platform ends the event: nothing more sells
        let (event,): (i64,) = sqlx::query_as("SELECT event_id FROM flash_sale_items WHERE id = $1")
            .bind(item).fetch_one(&st.db.pool).await.unwrap();
        flash_sales::end_event(&st, &admin, event, IP).await.unwrap();
        let other = shopper(&st, 2).await;
        with_address(&st, other).await;
        let e = checkout::submit(&st, other, &flash_basket(sku, 1, item), "flash-000006").await.unwrap_err();
        assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
    }

    /// The admission in memory (`infra::flash_gate`) never keeps a unit from a buyer: a buyer
    /// let in whose checkout then fails (over the per-user limit) frees the unit for the next
    /// one; a sold-out item answers 已抢光 from memory; a trade closing gives its unit back at
    /// once, not after the memory's few seconds.
    async fn units_a_failed_or_closed_checkout_held_sell_again(app: TestApp) {
        app.seed_demo().await;
        let st = app.st.clone();
        let (item, sku, _) = running_item(&st, 3).await;
        let mut buyers = Vec::new();
        for n in 0..3 {
            let b = shopper(&st, 200 + n).await;
            with_address(&st, b).await;
            buyers.push(b);
        }
        let (x, y, z) = (buyers[0], buyers[1], buyers[2]);
        for key in ["gate-x-1", "gate-x-2"] {
            let t = checkout::submit(&st, x, &flash_basket(sku, 1, item), key).await.unwrap();
            pay(&st, &t.trade_no, t.amount).await.unwrap();
        }
        let e = checkout::submit(&st, x, &flash_basket(sku, 1, item), "gate-x-3").await.unwrap_err();
        assert_eq!(field(e), "qty", "x is at the per-user limit");
        let last = checkout::submit(&st, y, &flash_basket(sku, 1, item), "gate-y-1").await.unwrap();
        assert_eq!(sold(&st, item).await, 3);
        let e = checkout::submit(&st, z, &flash_basket(sku, 1, item), "gate-z-1").await.unwrap_err();
        assert!(matches!(&e, AppError::Conflict(m) if m == "秒杀商品已抢光"), "{e:?}");
        // the same key asked again still answers with the trade it made
        let again = checkout::submit(&st, y, &flash_basket(sku, 1, item), "gate-y-1").await.unwrap();
        assert_eq!(again.trade_no, last.trade_no);
        // an instance that starts now learns the winners' keys from the database: the winner
        // asking again is let through to their trade, a loser hears 已抢光 before any read
        let mut fresh = st.clone();
        fresh.flash_gate = Default::default();
        let e = checkout::submit(&fresh, z, &flash_basket(sku, 1, item), "gate-z-1").await.unwrap_err();
        assert!(matches!(&e, AppError::Conflict(_)), "{e:?}");
        assert!(fresh.flash_gate.gone_for(item, "gate-z-9"));
        assert!(!fresh.flash_gate.gone_for(item, "gate-y-1") && !fresh.flash_gate.gone_for(item, "gate-x-2"));
        let again = checkout::submit(&fresh, y, &flash_basket(sku, 1, item), "gate-y-1").await.unwrap();
        assert_eq!(again.trade_no, last.trade_no);

        st.clock.advance(Duration::from_secs(11 * 60));
        let (closed, _) = orders::run_timers(&st).await.unwrap();
        assert_eq!(closed, 1, "y did not pay");
        checkout::submit(&st, z, &flash_basket(sku, 1, item), "gate-z-2").await.unwrap();
        assert_eq!(sold(&st, item).await, 3);
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM order_items i JOIN orders o ON o.id = i.order_id \
                 WHERE i.flash_sale_item_id = {item} AND o.status <> 'cancelled'")).await,
            3
        );
    }

    /// Thirty buyers at once for five units: exactly five trades, the others a clean 409 sold
    /// out, the item and the SKU down by exactly five.
    async fn thirty_buyers_race_for_five_units(app: TestApp) {
        app.seed_demo().await;
        let st = app.st.clone();
        let (item, sku, _) = running_item(&st, 5).await;
        let before = stock(&st, sku).await;
        let mut buyers = Vec::new();
        for n in 0..30 {
            let b = shopper(&st, 100 + n).await;
            with_address(&st, b).await;
            buyers.push(b);
        }
        let tasks: Vec<_> = buyers
            .into_iter()
            .map(|b| {
                let st = st.clone();
                tokio::spawn(async move {
                    checkout::submit(&st, b, &flash_basket(sku, 1, item), &format!("race-{b:06}")).await
                })
            })
            .collect();
        let (mut won, mut sold_out) = (0, 0);
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => won += 1,
                Err(AppError::Conflict(m)) if m == "秒杀商品已抢光" => sold_out += 1,
                Err(e) => panic!("unexpected answer: {e:?}"),
            }
        }
        assert_eq!((won, sold_out), (5, 25));
        assert_eq!(sold(&st, item).await, 5);
        assert_eq!(stock(&st, sku).await, before - 5);
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM order_items WHERE flash_sale_item_id = {item}")).await,
            5
        );
    }
}
