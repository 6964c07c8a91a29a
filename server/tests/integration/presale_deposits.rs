//! 预售 定金+尾款 through the services, on both databases: the trade takes the deposit, the
//! order waits in 待付尾款, the balance is paid with a trade of its own only in its window, the
//! deposit's 定金膨胀 is a shop-funded line discount; a refund of a two-payment order goes back
//! through both trades (the balance's first); a missed balance cancels the order with its
//! stock back and refunds or keeps the deposit as the presale said (a kept deposit is the
//! shop's income, less commission); a balance paid as its window closes, with a restart, is
//! either kept or sent back, never both; the ledger reconciles after each.

use std::time::Duration;

use crate::common::buying::free_sku;
use crate::common::buying::pay;
use crate::presales::{buy, buyer, field, number, wait_refunded_in_full};

use app::domain::group_buy::SkuLineForm;
use app::domain::money::yuan_text;
use app::domain::presale::PresaleForm;
use app::domain::presale_deposit::DepositLineForm;
use app::domain::reader::Reader;
use app::domain::time::{datetime_text, DAY_MS};
use app::error::AppError;
use app::services::{after_sales, checkout, ledger, orders, presale_balances, presales};
use app::state::AppState;

const IP: &str = "127.0.0.1";

/// A deposit presale of `sku` at its own price `price`: a tenth of it as the deposit, worth
/// three times that at balance time; sale for a day, balance the day after, shipping within
/// three days of the balance.
pub(crate) fn deposit_form(
    st: &AppState,
    product: i64,
    sku: i64,
    price: i64,
    missed: &str,
) -> PresaleForm {
    let now = st.clock.now_ms();
    let deposit = price / 10;
    PresaleForm {
        product_id: product,
        title: "<i>定金预售</i>".into(),
        starts_at: datetime_text(now - 60_000),
        ends_at: datetime_text(now + DAY_MS),
        ship_mode: "days".into(),
        ship_days: "3".into(),
        per_order_limit: "2".into(),
        per_user_limit: "3".into(),
        skus: vec![SkuLineForm {
            sku_id: sku,
            price: yuan_text(price),
            quantity: "10".into(),
        }],
        pay_mode: "deposit".into(),
        balance_starts_at: datetime_text(now + DAY_MS),
        balance_ends_at: datetime_text(now + 2 * DAY_MS),
        missed_balance: missed.into(),
        deposits: vec![DepositLineForm {
            sku_id: sku,
            deposit: yuan_text(deposit),
            deposit_value: yuan_text(deposit * 3),
        }],
        ..PresaleForm::default()
    }
}

/// A new deposit presale on a fresh SKU: (presale, SKU, price).
async fn new_presale(st: &AppState, missed: &str) -> (i64, i64, i64) {
    let (merchant, product, sku, price) = free_sku(st).await;
    let scope = crate::common::merchant_scope(st, merchant).await;
    let form = deposit_form(st, product, sku, price, missed);
    let id = presales::create(st, &scope, &form, IP).await.unwrap();
    (id, sku, price)
}

async fn text(st: &AppState, sql: &str, id: i64) -> String {
    let (s,): (String,) = sqlx::query_as(sql)
        .bind(id)
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
    s
}

async fn order_status(st: &AppState, order: i64) -> String {
    text(st, "SELECT status FROM orders WHERE id = $1", order).await
}

async fn balance_status(st: &AppState, order: i64) -> String {
    text(
        st,
        "SELECT status FROM presale_balances WHERE order_id = $1",
        order,
    )
    .await
}

async fn balance_of(st: &AppState, order: i64) -> i64 {
    number(
        st,
        "SELECT balance FROM presale_balances WHERE order_id = $1",
        order,
    )
    .await
}

/// Into the balance window of a presale made by [`deposit_form`].
fn into_balance_window(st: &AppState) {
    st.clock.advance(Duration::from_secs(24 * 3600 + 120));
}

/// Past its balance window.
fn past_balance_window(st: &AppState) {
    st.clock.advance(Duration::from_secs(2 * 24 * 3600 + 120));
}

async fn no_drifts(st: &AppState) {
    let rec = ledger::reconcile(st).await.unwrap();
    assert!(rec.drifts.is_empty(), "{:#?}", rec.drifts);
}

/// A deposit order placed and its deposit paid: (order, deposit trade no).
async fn deposit_paid(st: &AppState, shopper: i64, presale: i64, sku: i64, qty: i64) -> i64 {
    let key = format!("deposit-{shopper}-{presale}");
    let t = checkout::submit(st, shopper, &buy(presale, sku, qty), &key)
        .await
        .unwrap();
    pay(st, &t.trade_no, t.amount).await.unwrap();
    t.order_ids[0]
}

backend_tests! {
    /// Deposit, then balance: the trade takes the deposit only, the order waits for its
    /// balance, which is payable only in its window with one trade however often asked; paid,
    /// the order ships within the promise counted from the balance; a refund in full goes back
    /// through both payments, the balance's first.
    async fn a_deposit_then_its_balance(app: TestApp) {
        app.seed_demo().await;
        let st = app.st.clone();
        let (presale, sku, price) = new_presale(&st, "refund").await;
        let view = presales::of_product(&st, number(&st, "SELECT product_id FROM skus WHERE id = $1", sku).await)
            .await.unwrap().unwrap();
        let plan = view.deposit.expect("a deposit presale");
        assert_eq!(plan.skus[0].deposit, price / 10);
        assert_eq!(plan.skus[0].deposit_value, price / 10 * 3);
        let b = buyer(&st, 1).await;
        let t = checkout::submit(&st, b, &buy(presale, sku, 2), "deposit-1").await.unwrap();
        let deposit = price / 10 * 2;
        assert_eq!(t.amount, deposit);
        pay(&st, &t.trade_no, t.amount).await.unwrap();
        let order = t.order_ids[0];
        assert_eq!(order_status(&st, order).await, "awaiting_balance");
        let detail = orders::detail(&st, Reader::Shopper(b), order).await.unwrap();
        let bal = detail.summary.balance.clone().unwrap();
        assert_eq!(bal.deposit, deposit);
        assert_eq!(bal.inflation, 2 * deposit);
        assert_eq!(bal.deposit + bal.balance, detail.summary.pay_amount);
        assert!(!bal.payable_now);
        assert!(detail.summary.ship_promise.is_none());
        // 定金膨胀 is the shop's line discount
        assert_eq!(
            number(&st, "SELECT CAST(SUM(amount) AS BIGINT) FROM order_item_discounts WHERE order_id = $1 AND source = 'deposit_inflation' AND funder = 'shop'", order).await,
            2 * deposit
        );
        no_drifts(&st).await;
        // not before its window, not someone else's
        assert!(matches!(presale_balances::start_paying(&st, b, order).await, Err(AppError::Conflict(_))));
        into_balance_window(&st);
        let other = buyer(&st, 2).await;
        assert!(matches!(presale_balances::start_paying(&st, other, order).await, Err(AppError::NotFound(_))));
        let trade_no = presale_balances::start_paying(&st, b, order).await.unwrap();
        assert_eq!(presale_balances::start_paying(&st, b, order).await.unwrap(), trade_no);
        let balance = balance_of(&st, order).await;
        assert_eq!(balance, bal.balance);
        let paid_at = st.clock.now_ms();
        pay(&st, &trade_no, balance).await.unwrap();
        // the notification again changes nothing
        pay(&st, &trade_no, balance).await.unwrap();
        assert_eq!(order_status(&st, order).await, "to_ship");
        assert_eq!(balance_status(&st, order).await, "paid");
        let ship_by = number(&st, "SELECT ship_by FROM orders WHERE id = $1", order).await;
        assert!((ship_by - (paid_at + 3 * DAY_MS)).abs() < 5_000, "{ship_by} {paid_at}");
        assert!(matches!(presale_balances::start_paying(&st, b, order).await, Err(AppError::Conflict(_))));
        no_drifts(&st).await;
        // past the promise: everything back, through both trades
        st.clock.advance(Duration::from_secs(4 * 24 * 3600));
        let id = after_sales::refund_late(&st, b, order).await.unwrap();
        wait_refunded_in_full(&st, order).await;
        let (amount, part): (i64, i64) = sqlx::query_as("SELECT amount, balance_amount FROM after_sales WHERE id = $1")
            .bind(id).fetch_one(&st.db.pool).await.unwrap();
        assert_eq!((amount, part), (deposit + balance, balance));
        assert_eq!(number(&st, "SELECT COUNT(*) FROM after_sales WHERE id = $1 AND balance_refunded_at IS NOT NULL AND trade_refunded_at IS NOT NULL AND status = 'refunded'", id).await, 1);
        assert_eq!(number(&st, "SELECT sold FROM presale_skus WHERE activity_id = $1", presale).await, 0);
        assert_eq!(number(&st, "SELECT stock FROM skus WHERE id = $1", sku).await, 100);
        no_drifts(&st).await;
    }

    /// A missed balance: the order is cancelled with its stock back; under 退还定金 the deposit
    /// comes back once (the timers running again change nothing); under 定金不退 the shop keeps
    /// it less commission, and a balance paid after the close is sent back.
    async fn a_missed_balance_refunds_or_keeps_the_deposit(app: TestApp) {
        app.seed_demo().await;
        let st = app.st.clone();
        let (refunding, sku_r, price_r) = new_presale(&st, "refund").await;
        let (keeping, sku_k, price_k) = new_presale(&st, "keep").await;
        let (a, b) = (buyer(&st, 1).await, buyer(&st, 2).await);
        let order_r = deposit_paid(&st, a, refunding, sku_r, 1).await;
        let order_k = deposit_paid(&st, b, keeping, sku_k, 1).await;
        into_balance_window(&st);
        // b starts paying, then lets the window pass
        let late_trade = presale_balances::start_paying(&st, b, order_k).await.unwrap();
        past_balance_window(&st);
        assert_eq!(presale_balances::run_timers(&st).await.unwrap(), 2);
        assert_eq!(presale_balances::run_timers(&st).await.unwrap(), 0);
        for (order, sku) in [(order_r, sku_r), (order_k, sku_k)] {
            assert_eq!(order_status(&st, order).await, "cancelled");
            assert_eq!(number(&st, "SELECT stock FROM skus WHERE id = $1", sku).await, 100);
            assert_eq!(number(&st, "SELECT sold FROM presale_skus WHERE sku_id = $1", sku).await, 0);
        }
        // refunded: the deposit, once
        assert_eq!(balance_status(&st, order_r).await, "refunded");
        for _ in 0..3000 {
            if number(&st, "SELECT refunded_amount FROM orders WHERE id = $1", order_r).await > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        assert_eq!(number(&st, "SELECT refunded_amount FROM orders WHERE id = $1", order_r).await, price_r / 10);
        assert_eq!(number(&st, "SELECT COUNT(*) FROM after_sales WHERE order_id = $1", order_r).await, 1);
        // kept: the shop's income less commission, no refund
        assert_eq!(balance_status(&st, order_k).await, "kept");
        assert_eq!(number(&st, "SELECT COUNT(*) FROM after_sales WHERE order_id = $1", order_k).await, 0);
        let deposit = price_k / 10;
        let bps = number(&st, "SELECT commission_bps FROM order_items WHERE order_id = $1", order_k).await;
        let pending = number(&st, "SELECT CAST(-SUM(l.amount) AS BIGINT) FROM ledger_lines l JOIN ledger_accounts c ON c.id = l.account_id WHERE l.order_id = $1 AND c.kind = 'merchant_pending'", order_k).await;
        assert_eq!(pending, deposit - app::domain::ledger::commission(deposit, bps));
        // the balance's trade closed with the window: a payment now is sent back in full
        let balance = balance_of(&st, order_k).await;
        pay(&st, &late_trade, balance).await.unwrap();
        for _ in 0..3000 {
            if number(&st, "SELECT COUNT(*) FROM stray_payments s JOIN trades t ON t.id = s.trade_id WHERE t.id = (SELECT trade_id FROM presale_balances WHERE order_id = $1) AND s.status = 'refunded'", order_k).await == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        assert_eq!(order_status(&st, order_k).await, "cancelled");
        no_drifts(&st).await;
    }

    /// A balance paid just as its window closes, with a restart running the timers again,
    /// three times: the balance is either paid (the order ships) or missed with the deposit
    /// refunded and the late payment sent back — each exactly once.
    async fn a_balance_paid_as_its_window_closes(app: TestApp) {
        app.seed_demo().await;
        let st = app.st.clone();
        for round in 0..3 {
            let (presale, sku, price) = new_presale(&st, "refund").await;
            let b = buyer(&st, 10 + round).await;
            let order = deposit_paid(&st, b, presale, sku, 1).await;
            into_balance_window(&st);
            let trade_no = presale_balances::start_paying(&st, b, order).await.unwrap();
            let balance = balance_of(&st, order).await;
            past_balance_window(&st);
            let payment = {
                let (st, trade_no) = (st.clone(), trade_no.clone());
                tokio::spawn(async move { pay(&st, &trade_no, balance).await })
            };
            let timers = {
                let st = st.clone();
                tokio::spawn(async move { presale_balances::run_timers(&st).await })
            };
            payment.await.unwrap().unwrap();
            timers.await.unwrap().unwrap();
            let restarted = server::startup::build_state((*st.config).clone()).await.unwrap();
            restarted.clock.advance(Duration::from_secs(4 * 24 * 3600 * (round as u64 + 1)));
            presale_balances::run_timers(&restarted).await.unwrap();
            match balance_status(&st, order).await.as_str() {
                "paid" => {
                    assert_eq!(order_status(&st, order).await, "to_ship");
                    assert_eq!(number(&st, "SELECT COUNT(*) FROM stray_payments WHERE trade_id = (SELECT trade_id FROM presale_balances WHERE order_id = $1)", order).await, 0);
                }
                "refunded" => {
                    assert_eq!(order_status(&st, order).await, "cancelled");
                    for _ in 0..3000 {
                        let back = number(&st, "SELECT refunded_amount FROM orders WHERE id = $1", order).await;
                        let stray = number(&st, "SELECT COUNT(*) FROM stray_payments WHERE status = 'refunded' AND trade_id = (SELECT trade_id FROM presale_balances WHERE order_id = $1)", order).await;
                        if back == price / 10 && stray == 1 {
                            break;
                        }
                        tokio::time::sleep(Duration::from_millis(2)).await;
                    }
                    assert_eq!(number(&st, "SELECT refunded_amount FROM orders WHERE id = $1", order).await, price / 10);
                    assert_eq!(number(&st, "SELECT COUNT(*) FROM stray_payments WHERE trade_id = (SELECT trade_id FROM presale_balances WHERE order_id = $1)", order).await, 1);
                }
                other => panic!("balance left {other}"),
            }
            no_drifts(&st).await;
        }
    }

    /// Bad deposit forms name their field and change nothing; a full presale's order and
    /// an unknown one have no balance to pay.
    async fn bad_deposit_input_is_refused(app: TestApp) {
        app.seed_demo().await;
        let st = app.st.clone();
        let (merchant, product, sku, price) = free_sku(&st).await;
        let scope = crate::common::merchant_scope(&st, merchant).await;
        let before = number(&st, "SELECT COUNT(*) FROM presale_activities WHERE id > $1", 0).await;
        type Adjust = fn(&mut PresaleForm, i64);
        let cases: [(Adjust, &str); 5] = [
            (|f, p| f.deposits[0].deposit = yuan_text(p / 5 + 1), "deposits"),
            (|f, _| f.deposits[0].deposit_value = "0.01".into(), "deposits"),
            (|f, _| f.deposits.clear(), "deposits"),
            (|f, _| f.balance_starts_at = f.starts_at.clone(), "balance_starts_at"),
            (|f, _| f.missed_balance = "sometimes".into(), "missed_balance"),
        ];
        for (adjust, expected) in cases {
            let mut f = deposit_form(&st, product, sku, price, "refund");
            adjust(&mut f, price);
            let e = presales::create(&st, &scope, &f, IP).await.unwrap_err();
            assert_eq!(field(e), expected);
        }
        assert_eq!(number(&st, "SELECT COUNT(*) FROM presale_activities WHERE id > $1", 0).await, before);
        let b = buyer(&st, 3).await;
        assert!(matches!(presale_balances::start_paying(&st, b, 9_999_999).await, Err(AppError::NotFound(_))));
    }
}
