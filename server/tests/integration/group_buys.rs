//! 拼团 through the services, on both databases: a shop's activity (bad input refused with
//! the field, overlapping activities refused), opening a group by paying, joining through the
//! group, nobody twice, the full group going to 待发货 at once and shipping blocked before;
//! a group whose time is up failing with every paid member refunded in full, or filling with
//! virtual members where allowed; leaving; twenty payers racing for the last seat; a group
//! expiring while a member pays; and the timers picking up after a restart.

use std::time::Duration;

use crate::common;
use crate::common::buying::{basket, free_sku, pay, shopper, with_address};

use app::domain::cart::CheckoutRequest;
use app::domain::group_buy::{ActivityForm, SkuLineForm};
use app::domain::reader::Reader;
use app::domain::time::datetime_text;
use app::error::AppError;
use app::services::group_buys;
use app::services::{checkout, orders};
use app::state::AppState;

const IP: &str = "127.0.0.1";

/// An activity form selling `sku` at ¥9.90 in groups of `size`, 24 h to fill, 10 units.
pub(crate) fn form(st: &AppState, product: i64, sku: i64, size: i64) -> ActivityForm {
    let now = st.clock.now_ms();
    ActivityForm {
        product_id: product,
        title: "<b>两人团</b>".into(),
        starts_at: datetime_text(now - 60_000),
        ends_at: datetime_text(now + 3 * 86_400_000),
        group_size: size.to_string(),
        lifetime_hours: "24".into(),
        per_order_limit: "1".into(),
        per_user_limit: "2".into(),
        virtual_fill: None,
        virtual_max: String::new(),
        skus: vec![SkuLineForm {
            sku_id: sku,
            price: "9.90".into(),
            quantity: "10".into(),
        }],
    }
}

/// Creates an activity of `size` on a fresh SKU: (activity, SKU, merchant).
async fn new_activity(
    st: &AppState,
    size: i64,
    adjust: impl FnOnce(&mut ActivityForm),
) -> (i64, i64, i64) {
    let (merchant, product, sku, _) = free_sku(st).await;
    let scope = common::merchant_scope(st, merchant).await;
    let mut f = form(st, product, sku, size);
    adjust(&mut f);
    let id = group_buys::create_activity(st, &scope, &f, IP)
        .await
        .unwrap();
    (id, sku, merchant)
}

pub(crate) fn open(activity: i64, sku: i64) -> CheckoutRequest {
    CheckoutRequest {
        group_buy_id: Some(activity),
        ..basket(&[(sku, 1)])
    }
}

pub(crate) fn join(activity: i64, group: i64, sku: i64) -> CheckoutRequest {
    CheckoutRequest {
        group_id: Some(group),
        ..open(activity, sku)
    }
}

async fn buyer(st: &AppState, n: usize) -> i64 {
    let b = shopper(st, n).await;
    with_address(st, b).await;
    b
}

/// Opens a group as `leader` and pays for it: (group, order).
async fn opened(st: &AppState, leader: i64, activity: i64, sku: i64) -> (i64, i64) {
    let t = checkout::submit(
        st,
        leader,
        &open(activity, sku),
        &format!("open-{leader:06}"),
    )
    .await
    .unwrap();
    pay(st, &t.trade_no, t.amount).await.unwrap();
    let group = group_buys::group_of_order(st, Reader::Shopper(leader), t.order_ids[0])
        .await
        .unwrap()
        .unwrap();
    (group, t.order_ids[0])
}

/// Joins `group` as `who` and pays: the order.
async fn joined(st: &AppState, who: i64, activity: i64, group: i64, sku: i64) -> i64 {
    let t = checkout::submit(
        st,
        who,
        &join(activity, group, sku),
        &format!("join-{who:06}"),
    )
    .await
    .unwrap();
    pay(st, &t.trade_no, t.amount).await.unwrap();
    t.order_ids[0]
}

async fn text(st: &AppState, sql: &str, id: i64) -> String {
    let (s,): (String,) = sqlx::query_as(sql)
        .bind(id)
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
    s
}

async fn order_status(st: &AppState, id: i64) -> String {
    text(st, "SELECT status FROM orders WHERE id = $1", id).await
}

async fn group_status(st: &AppState, id: i64) -> String {
    text(st, "SELECT status FROM group_buy_groups WHERE id = $1", id).await
}

async fn number(st: &AppState, sql: &str, id: i64) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .bind(id)
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
    n
}

/// Waits until the order has been refunded in full by the simulated provider.
async fn wait_refunded_in_full(st: &AppState, order_id: i64) {
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

/// A change to a good form that makes it bad.
type Adjust = fn(&mut ActivityForm);

fn field(e: AppError) -> String {
    match e {
        AppError::Invalid { field, .. } => field,
        other => panic!("not a field error: {other:?}"),
    }
}

backend_tests! {
    /// The demo starts with two selling activities and a group with one seat left, which the
    /// first demo shopper completes; seeding again adds nothing while the group is open.
    async fn the_demo_has_a_group_with_a_seat_left(app: TestApp) {
        app.seed_demo().await;
        let st = app.st.clone();
        // in the order `jishi seed-demo` runs them: the 秒杀 slots hold SKUs first
        app::seed::demo_flash_sales::seed(&st).await.unwrap();
        app::seed::demo_group_buys::seed(&st).await.unwrap();
        app::seed::demo_group_buys::seed(&st).await.unwrap();
        let selling = group_buys::selling(&st).await.unwrap();
        assert_eq!(selling.len(), 2);
        let (group, activity): (i64, i64) = sqlx::query_as(
            "SELECT id, activity_id FROM group_buy_groups WHERE status = 'open'",
        )
        .fetch_one(&st.db.pool).await.unwrap();
        let first: (i64,) = sqlx::query_as("SELECT id FROM shoppers WHERE nickname = '茶友小王'")
            .fetch_one(&st.db.pool).await.unwrap();
        let page = group_buys::group_page(&st, Some(first.0), group).await.unwrap();
        assert_eq!((page.group.seats_left, page.cannot_join.as_str()), (1, ""));
        let sku = page.activity.skus[0].sku_id;
        let t = checkout::submit(&st, first.0, &join(activity, group, sku), "demo-join-1").await.unwrap();
        pay(&st, &t.trade_no, t.amount).await.unwrap();
        assert_eq!(group_status(&st, group).await, "succeeded");
    }

    /// A shop's form refuses bad input naming the field, and a SKU already in an activity of
    /// the same time; a group opens when its leader pays (not before: nobody else sees it),
    /// its order waits 待成团 and cannot be shipped; nobody joins twice; the last member's
    /// payment moves every order to 待发货 at once; a full group takes nobody more.
    async fn a_group_opens_fills_and_ships(app: TestApp) {
        app.seed_demo().await;
        let st = app.st.clone();
        let (merchant, product, sku, price) = free_sku(&st).await;
        let scope = common::merchant_scope(&st, merchant).await;
        let bad = |adjust: fn(&mut ActivityForm)| {
            let mut f = form(&st, product, sku, 2);
            adjust(&mut f);
            f
        };
        let cases: [(Adjust, &str); 4] = [
            (|f| f.group_size = "11".into(), "group_size"),
            (|f| f.skus[0].price = "100000".into(), "skus"),
            (|f| f.skus[0].quantity = "101".into(), "skus"),
            (|f| f.per_order_limit = "3".into(), "per_order_limit"),
        ];
        for (adjust, name) in cases {
            let e = group_buys::create_activity(&st, &scope, &bad(adjust), IP).await.unwrap_err();
            assert_eq!(field(e), name);
        }
        // another shop's product is not there for this shop
        let (other,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM merchants WHERE id <> $1")
            .bind(merchant).fetch_one(&st.db.pool).await.unwrap();
        let stranger = common::merchant_scope(&st, other).await;
        let e = group_buys::create_activity(&st, &stranger, &form(&st, product, sku, 2), IP).await;
        assert!(matches!(e, Err(AppError::NotFound(_))), "{e:?}");
        assert_eq!(app.count("SELECT COUNT(*) FROM group_buy_activities").await, demo_activities(&app).await);
        let activity = group_buys::create_activity(&st, &scope, &form(&st, product, sku, 2), IP).await.unwrap();
        let again = group_buys::create_activity(&st, &scope, &form(&st, product, sku, 3), IP).await;
        assert_eq!(field(again.unwrap_err()), "skus", "one SKU, one activity at a time");

        let (a, b, c) = (buyer(&st, 1).await, buyer(&st, 2).await, buyer(&st, 3).await);
        let preview = checkout::preview(&st, a, &open(activity, sku)).await.unwrap();
        assert_eq!(preview.shops[0].lines[0].unit_price, 990);
        assert!(price > 990);
        assert_eq!(preview.shops[0].lines[0].discount, 0, "no shop discounts on a group line");
        let t = checkout::submit(&st, a, &open(activity, sku), "open-leader-1").await.unwrap();
        let order_a = t.order_ids[0];
        let group = group_buys::group_of_order(&st, Reader::Shopper(a), order_a).await.unwrap().unwrap();
        assert_eq!(group_status(&st, group).await, "pending");
        // nobody else sees, or joins, a group its leader has not paid for
        assert!(matches!(group_buys::group_page(&st, Some(b), group).await, Err(AppError::NotFound(_))));
        assert!(checkout::submit(&st, b, &join(activity, group, sku), "join-early-1").await.is_err());
        pay(&st, &t.trade_no, t.amount).await.unwrap();
        assert_eq!(group_status(&st, group).await, "open");
        assert_eq!(order_status(&st, order_a).await, "grouping");
        let page = group_buys::group_page(&st, Some(b), group).await.unwrap();
        assert_eq!((page.group.paid, page.group.seats_left, page.cannot_join.as_str()), (1, 1, ""));
        assert_eq!(page.group.members.len(), 1);
        assert!(page.group.members[0].leader);
        // the product page offers the group to others, not to its own leader
        let joinable = |viewer| {
            let st = st.clone();
            async move {
                let strip = group_buys::of_product(&st, viewer, product).await.unwrap().unwrap();
                strip.groups.iter().map(|g| g.id).collect::<Vec<_>>()
            }
        };
        assert_eq!(joinable(Some(b)).await, vec![group]);
        assert_eq!(joinable(None).await, vec![group]);
        assert!(joinable(Some(a)).await.is_empty());
        let left = page.group.expires_at - st.clock.now_ms();
        assert!((24 * 3_600_000 - 10_000..=24 * 3_600_000).contains(&left), "24 h from the leader's payment: {left} ms");
        // shipping waits for the group
        let ship = orders::Shipment {
            order_id: order_a,
            carrier: "顺丰速运".into(),
            tracking_no: "SF1234567890".into(),
        };
        assert!(orders::ship(&st, &scope, &ship, IP).await.is_err());
        // the leader cannot join their own group
        let own = checkout::submit(&st, a, &join(activity, group, sku), "join-own-01").await.unwrap_err();
        assert!(own.to_string().contains("已在这个团"), "{own}");

        let order_b = joined(&st, b, activity, group, sku).await;
        assert_eq!(group_status(&st, group).await, "succeeded");
        assert_eq!(order_status(&st, order_a).await, "to_ship");
        assert_eq!(order_status(&st, order_b).await, "to_ship");
        orders::ship(&st, &scope, &ship, IP).await.unwrap();
        // full: nobody more
        let late = checkout::submit(&st, c, &join(activity, group, sku), "join-full-01").await.unwrap_err();
        assert!(matches!(late, AppError::Conflict(_)), "{late:?}");
        assert_eq!(number(&st, "SELECT sold FROM group_buy_skus WHERE activity_id = $1", activity).await, 2);
    }

    /// Time is up with a seat short: the group fails, the paid leader is refunded in full,
    /// the unpaid member's trade closes, the activity stock, the shoppers' shares and the SKU
    /// stock all come back. With virtual members allowed, the same group succeeds instead.
    async fn an_expired_group_fails_or_fills(app: TestApp) {
        app.seed_demo().await;
        let st = app.st.clone();
        let (activity, sku, _) = new_activity(&st, 2, |_| {}).await;
        let stock_before = number(&st, "SELECT stock FROM skus WHERE id = $1", sku).await;
        let (a, b) = (buyer(&st, 1).await, buyer(&st, 2).await);
        let (group, order_a) = opened(&st, a, activity, sku).await;
        let t_b = checkout::submit(&st, b, &join(activity, group, sku), "join-unpaid").await.unwrap();
        assert_eq!(number(&st, "SELECT held FROM group_buy_groups WHERE id = $1", group).await, 2);
        st.clock.advance(Duration::from_secs(24 * 3600 + 1));
        // (the app's own timers may get there first: the states tell)
        group_buys::run_timers(&st).await.unwrap();
        assert_eq!(group_status(&st, group).await, "failed");
        wait_refunded_in_full(&st, order_a).await;
        assert_eq!(order_status(&st, t_b.order_ids[0]).await, "cancelled");
        assert_eq!(number(&st, "SELECT sold FROM group_buy_skus WHERE activity_id = $1", activity).await, 0);
        assert_eq!(number(&st, "SELECT stock FROM skus WHERE id = $1", sku).await, stock_before);
        assert_eq!(app.count(&format!("SELECT CAST(COALESCE(SUM(qty), 0) AS BIGINT) FROM group_buy_buyers WHERE activity_id = {activity}")).await, 0);
        // the timers again: nothing refunded twice
        group_buys::run_timers(&st).await.unwrap();
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM after_sales WHERE order_id = {order_a}")).await, 1);

        // three seats, one virtual allowed: two paid members fill it at the end
        let (activity, sku, _) = new_activity(&st, 3, |f| {
            f.virtual_fill = Some("on".into());
            f.virtual_max = "1".into();
        }).await;
        let (c, d) = (buyer(&st, 3).await, buyer(&st, 4).await);
        let (group, order_c) = opened(&st, c, activity, sku).await;
        let order_d = joined(&st, d, activity, group, sku).await;
        assert_eq!(group_status(&st, group).await, "open");
        st.clock.advance(Duration::from_secs(24 * 3600 + 1));
        group_buys::run_timers(&st).await.unwrap();
        assert_eq!(group_status(&st, group).await, "succeeded");
        assert_eq!(number(&st, "SELECT virtual_count FROM group_buy_groups WHERE id = $1", group).await, 1);
        assert_eq!(order_status(&st, order_c).await, "to_ship");
        assert_eq!(order_status(&st, order_d).await, "to_ship");
        let page = group_buys::group_page(&st, None, group).await.unwrap();
        assert_eq!(page.group.members.len(), 2, "virtual members are never shown as people");
    }

    /// A member leaves an open group and is refunded in full; the leader leaving hands the
    /// group to the earliest member; the last one leaving fails it (closing seats still unpaid).
    /// A full group cannot be left.
    async fn members_leave_an_open_group(app: TestApp) {
        app.seed_demo().await;
        let st = app.st.clone();
        let (activity, sku, _) = new_activity(&st, 3, |_| {}).await;
        let (a, b) = (buyer(&st, 1).await, buyer(&st, 2).await);
        let (group, order_a) = opened(&st, a, activity, sku).await;
        let order_b = joined(&st, b, activity, group, sku).await;
        // another shopper cannot make them leave
        assert!(matches!(group_buys::leave(&st, b, order_a).await, Err(AppError::NotFound(_))));
        group_buys::leave(&st, a, order_a).await.unwrap();
        wait_refunded_in_full(&st, order_a).await;
        let page = group_buys::group_page(&st, None, group).await.unwrap();
        assert_eq!((page.group.paid, page.group.seats_left), (1, 2));
        assert!(page.group.members[0].leader, "the earliest member leads");
        assert!(matches!(group_buys::leave(&st, a, order_a).await, Err(AppError::Conflict(_))));
        group_buys::leave(&st, b, order_b).await.unwrap();
        wait_refunded_in_full(&st, order_b).await;
        assert_eq!(group_status(&st, group).await, "failed");

        let (activity, sku, _) = new_activity(&st, 2, |_| {}).await;
        let (c, d) = (buyer(&st, 3).await, buyer(&st, 4).await);
        let (group, order_c) = opened(&st, c, activity, sku).await;
        joined(&st, d, activity, group, sku).await;
        assert!(matches!(group_buys::leave(&st, c, order_c).await, Err(AppError::Conflict(_))));
        assert_eq!(order_status(&st, order_c).await, "to_ship");

        // the only paid member leaves while another holds a seat unpaid: the group fails, the
        // unpaid seat's trade closes with its stock back, and paying it later is sent back
        let (activity, sku, _) = new_activity(&st, 2, |_| {}).await;
        let (e, f) = (buyer(&st, 5).await, buyer(&st, 6).await);
        let (group, order_e) = opened(&st, e, activity, sku).await;
        let t_f = checkout::submit(&st, f, &join(activity, group, sku), "join-then-empty").await.unwrap();
        group_buys::leave(&st, e, order_e).await.unwrap();
        wait_refunded_in_full(&st, order_e).await;
        assert_eq!(group_status(&st, group).await, "failed");
        assert_eq!(order_status(&st, t_f.order_ids[0]).await, "cancelled");
        assert_eq!(number(&st, "SELECT sold FROM group_buy_skus WHERE activity_id = $1", activity).await, 0);
        assert_eq!(number(&st, "SELECT stock FROM skus WHERE id = $1", sku).await, 100);
        pay(&st, &t_f.trade_no, t_f.amount).await.unwrap();
        for _ in 0..3000 {
            if app.count(&format!("SELECT COUNT(*) FROM stray_payments s JOIN trades t ON t.id = s.trade_id WHERE t.trade_no = '{}' AND s.status = 'refunded'", t_f.trade_no)).await == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM stray_payments s JOIN trades t ON t.id = s.trade_id WHERE t.trade_no = '{}' AND s.status = 'refunded'", t_f.trade_no)).await, 1);
        assert_eq!(order_status(&st, t_f.order_ids[0]).await, "cancelled");
    }

    /// Twenty shoppers at once for the last seat: exactly one takes it, the others a clean
    /// 409; the group fills with the winner's payment.
    async fn twenty_payers_race_for_the_last_seat(app: TestApp) {
        app.seed_demo().await;
        let st = app.st.clone();
        let (activity, sku, _) = new_activity(&st, 2, |f| f.skus[0].quantity = "50".into()).await;
        let leader = buyer(&st, 1).await;
        let (group, _) = opened(&st, leader, activity, sku).await;
        let mut racers = Vec::new();
        for n in 0..20 {
            racers.push(buyer(&st, 100 + n).await);
        }
        let tasks: Vec<_> = racers
            .into_iter()
            .map(|b| {
                let st = st.clone();
                tokio::spawn(async move {
                    let t = checkout::submit(&st, b, &join(activity, group, sku), &format!("race-{b:06}")).await?;
                    pay(&st, &t.trade_no, t.amount).await.map(|_| t)
                })
            })
            .collect();
        let (mut won, mut refused) = (Vec::new(), 0);
        for t in tasks {
            match t.await.unwrap() {
                Ok(t) => won.push(t),
                Err(AppError::Conflict(_)) => refused += 1,
                Err(e) => panic!("unexpected answer: {e:?}"),
            }
        }
        assert_eq!((won.len(), refused), (1, 19));
        assert_eq!(group_status(&st, group).await, "succeeded");
        assert_eq!(order_status(&st, won[0].order_ids[0]).await, "to_ship");
        assert_eq!(number(&st, "SELECT held FROM group_buy_groups WHERE id = $1", group).await, 2);
        assert_eq!(number(&st, "SELECT sold FROM group_buy_skus WHERE activity_id = $1", activity).await, 2);
    }

    /// A group expiring while its last member's payment arrives, and the server restarting
    /// between the steps: whichever comes first, nothing is lost or paid twice — the group
    /// either succeeded with every order to ship, or failed with every payment refunded in
    /// full (the late one as a late payment or through the group's refund).
    async fn a_group_expiring_while_a_member_pays(app: TestApp) {
        app.seed_demo().await;
        let st = app.st.clone();
        for round in 0..3 {
            let (activity, sku, _) = new_activity(&st, 2, |_| {}).await;
            let (a, b) = (buyer(&st, 10 + 2 * round).await, buyer(&st, 11 + 2 * round).await);
            let (group, order_a) = opened(&st, a, activity, sku).await;
            let t = checkout::submit(&st, b, &join(activity, group, sku), &format!("join-late-{round}")).await.unwrap();
            st.clock.advance(Duration::from_secs(24 * 3600 + 1));
            let payment = {
                let st = st.clone();
                let t = t.clone();
                tokio::spawn(async move { pay(&st, &t.trade_no, t.amount).await })
            };
            let timers = {
                let st = st.clone();
                tokio::spawn(async move { group_buys::run_timers(&st).await })
            };
            payment.await.unwrap().unwrap();
            timers.await.unwrap().unwrap();
            // a restart: a new state over the same database runs the timers once more
            let restarted = server::startup::build_state((*st.config).clone()).await.unwrap();
            restarted.clock.advance(Duration::from_secs(2 * (24 * 3600 + 1) * (round as u64 + 1)));
            group_buys::run_timers(&restarted).await.unwrap();
            match group_status(&st, group).await.as_str() {
                "succeeded" => {
                    assert_eq!(order_status(&st, order_a).await, "to_ship");
                    assert_eq!(order_status(&st, t.order_ids[0]).await, "to_ship");
                }
                "failed" => {
                    wait_refunded_in_full(&st, order_a).await;
                    let b_order = t.order_ids[0];
                    // b's money comes back once: through the group's refund, or as a late payment
                    for _ in 0..3000 {
                        let refunds = app.count(&format!("SELECT COUNT(*) FROM after_sales WHERE order_id = {b_order} AND status = 'refunded'")).await
                            + app.count(&format!("SELECT COUNT(*) FROM stray_payments s JOIN trades tr ON tr.id = s.trade_id WHERE tr.trade_no = '{}' AND s.status = 'refunded'", t.trade_no)).await;
                        let pending = app.count(&format!("SELECT COUNT(*) FROM orders WHERE id = {b_order} AND status IN ('grouping', 'to_ship')")).await;
                        if refunds == 1 && pending == 0 {
                            break;
                        }
                        assert!(refunds <= 1, "refunded twice");
                        tokio::time::sleep(Duration::from_millis(2)).await;
                    }
                    assert_eq!(app.count(&format!("SELECT COUNT(*) FROM orders WHERE id = {b_order} AND status IN ('grouping', 'to_ship')")).await, 0);
                }
                other => panic!("group left {other}"),
            }
            assert_eq!(app.count("SELECT COUNT(*) FROM orders WHERE status = 'grouping'").await, 0);
        }
    }
}

/// Activities the demo marketplace starts with.
async fn demo_activities(app: &common::TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM group_buy_activities WHERE title <> '<b>两人团</b>'")
        .await
}
