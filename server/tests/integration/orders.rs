//! Buying: cart, checkout split per merchant, stock under concurrency, idempotent submits,
//! payment notifications (replayed, concurrent, forged), timers across a restart, shipping,
//! receipt and after-sale refunds — on SQLite and PostgreSQL.

use crate::common;
use crate::common::buying::{basket, pay, shopper, with_address};

use std::sync::Arc;

use serde_json::json;

use app::domain::address::AddressInput;
use app::domain::after_sale::{AfterSaleKind, AfterSaleLine, AfterSaleRequest};
use app::domain::cart::ShopChoice;
use app::domain::money::yuan_text;
use app::domain::order::Delivery;
use app::domain::order_view::OrderTab;
use app::domain::reader::Reader;
use app::error::AppError;
use app::repo::products as product_repo;
use app::repo::stock::{self as stock_repo, StockLine, StockTaken};
use app::services::{addresses, after_sales, cart, checkout, jobs, orders, payments};
use app::state::AppState;
use http::StatusCode;

/// A buyable SKU of each of two different shops, with its price.
async fn skus_of_two_shops(st: &AppState) -> [(i64, i64, i64); 2] {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT s.id, s.merchant_id, s.price FROM skus s JOIN products p ON p.id = s.product_id \
         WHERE p.status = 'on_sale' AND s.active = 1 AND s.stock >= 20 ORDER BY s.id",
    )
    .fetch_all(&st.db.pool)
    .await
    .unwrap();
    let a = rows[0];
    let b = *rows.iter().find(|r| r.1 != a.1).unwrap();
    [a, b]
}

async fn stock(st: &AppState, sku: i64) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT stock FROM skus WHERE id = $1")
        .bind(sku)
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
    n
}

async fn set_stock(st: &AppState, sku: i64, n: i64) {
    let (product,): (i64,) =
        sqlx::query_as("UPDATE skus SET stock = $1 WHERE id = $2 RETURNING product_id")
            .bind(n)
            .bind(sku)
            .fetch_one(&st.db.pool)
            .await
            .unwrap();
    st.shop_front
        .reload_product(&st.db.pool, product)
        .await
        .unwrap();
}

async fn trade_status(st: &AppState, trade_no: &str) -> String {
    let (s,): (String,) = sqlx::query_as("SELECT status FROM trades WHERE trade_no = $1")
        .bind(trade_no)
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
    s
}

async fn order_status(st: &AppState, id: i64) -> String {
    let (s,): (String,) = sqlx::query_as("SELECT status FROM orders WHERE id = $1")
        .bind(id)
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
    s
}

backend_tests! {
    async fn one_payment_is_split_into_one_order_per_shop(app: TestApp) {
        app.seed_demo().await;
        let st = &app.st;
        let buyer = shopper(st, 1).await;
        with_address(st, buyer).await;
        let [(a, shop_a, price_a), (b, shop_b, price_b)] = skus_of_two_shops(st).await;
        let (stock_a, stock_b) = (stock(st, a).await, stock(st, b).await);
        cart::add(st, buyer, a, 2).await.unwrap();
        cart::add(st, buyer, b, 1).await.unwrap();
        let view = cart::view(st, buyer).await.unwrap();
        assert_eq!(view.shops.len(), 2, "the cart is grouped by shop");
        assert_eq!(view.selected_goods, 2 * price_a + price_b);

        let mut req = basket(&cart::selected_lines(st, buyer).await.unwrap().iter().map(|l| (l.sku_id, l.qty)).collect::<Vec<_>>());
        req.from_cart = true;
        req.shops = vec![ShopChoice { merchant_id: shop_a, delivery: Delivery::Express, remark: "请用礼盒包装".into(), coupon_id: None }];
        let preview = checkout::preview(st, buyer, &req).await.unwrap();
        assert_eq!(preview.shops.len(), 2);
        assert_eq!(preview.goods, 2 * price_a + price_b);
        assert_eq!(preview.total, preview.goods + preview.shipping);
        assert_eq!(preview.total, preview.shops.iter().map(|s| s.amounts.payable).sum::<i64>());

        let trade = checkout::submit(st, buyer, &req, "key-one-payment").await.unwrap();
        assert_eq!(trade.amount, preview.total, "submit charges what the preview showed");
        assert_eq!(trade.order_ids.len(), 2);
        assert_eq!(stock(st, a).await, stock_a - 2);
        assert_eq!(stock(st, b).await, stock_b - 1);
        assert!(cart::view(st, buyer).await.unwrap().shops.is_empty(), "bought lines leave the cart");
        let sum: i64 = app.count(&format!("SELECT CAST(SUM(pay_amount) AS BIGINT) FROM orders WHERE trade_id = (SELECT id FROM trades WHERE trade_no = '{}')", trade.trade_no)).await;
        assert_eq!(sum, trade.amount, "the trade pays exactly the sum of its orders");
        // the read model shows the new stock at once
        let product_a: i64 = app.count(&format!("SELECT product_id FROM skus WHERE id = {a}")).await;
        let shown = st.shop_front.product(product_a).unwrap();
        assert_eq!(shown.skus.iter().find(|s| s.id == a).unwrap().stock, stock_a - 2);

        // each merchant sees only its own order, the shopper both
        let mine = orders::list(st, Reader::Shopper(buyer), OrderTab::Unpaid, 1).await.unwrap();
        assert_eq!(mine.total, 2);
        let theirs = orders::list(st, Reader::Merchant(shop_a), OrderTab::All, 1).await.unwrap();
        assert_eq!(theirs.orders.len(), 1);
        assert_eq!(theirs.orders[0].shop_id, shop_a);
        let order_b = mine.orders.iter().find(|o| o.shop_id == shop_b).unwrap().id;
        assert!(matches!(orders::detail(st, Reader::Merchant(shop_a), order_b).await, Err(AppError::NotFound(_))));
        let detail = orders::detail(st, Reader::Merchant(shop_a), theirs.orders[0].id).await.unwrap();
        assert_eq!(detail.remark, "请用礼盒包装");
        assert_eq!(detail.phone, "13800138000", "the shipping merchant reads the full phone");
        assert!(detail.address.contains("文峰路 8 号"));
    }

    async fn bad_baskets_are_refused_and_change_nothing(app: TestApp) {
        app.seed_demo().await;
        let st = &app.st;
        let buyer = shopper(st, 1).await;
        let [(a, _, _), _] = skus_of_two_shops(st).await;
        assert!(matches!(checkout::submit(st, buyer, &basket(&[(a, 1)]), "key-no-address").await,
            Err(AppError::Invalid { field, .. }) if field == "address_id"));
        with_address(st, buyer).await;
        for qty in [0, -1, 1000, i64::MAX] {
            assert!(checkout::submit(st, buyer, &basket(&[(a, qty)]), "key-bad-qty-1").await.is_err(), "qty {qty}");
        }
        assert!(matches!(checkout::submit(st, buyer, &basket(&[(999_999, 1)]), "key-unknown").await, Err(AppError::NotFound(_))));
        assert!(checkout::submit(st, buyer, &basket(&[]), "key-empty-1").await.is_err());
        assert!(checkout::submit(st, buyer, &basket(&[(a, 1)]), "short").await.is_err(), "idempotency key too short");
        let before = stock(st, a).await;
        assert!(matches!(checkout::submit(st, buyer, &basket(&[(a, before + 1)]), "key-too-many").await, Err(AppError::Conflict(_))));
        // pickup at a shop that offers none
        let (no_pickup, shop): (i64, i64) = sqlx::query_as(
            "SELECT s.id, s.merchant_id FROM skus s JOIN merchants m ON m.id = s.merchant_id \
             JOIN products p ON p.id = s.product_id \
             WHERE m.pickup_address = '' AND p.status = 'on_sale' AND s.stock > 0 ORDER BY s.id")
            .fetch_one(&st.db.pool).await.unwrap();
        let mut req = basket(&[(no_pickup, 1)]);
        req.shops = vec![ShopChoice { merchant_id: shop, delivery: Delivery::Pickup, remark: String::new(), coupon_id: None }];
        assert!(checkout::submit(st, buyer, &req, "key-no-pickup").await.is_err());
        // someone else's address
        let other = shopper(st, 2).await;
        let theirs = with_address(st, other).await;
        let mut req = basket(&[(a, 1)]);
        req.address_id = Some(theirs);
        assert!(matches!(checkout::submit(st, buyer, &req, "key-foreign-addr").await, Err(AppError::NotFound(_))));
        assert_eq!(app.count("SELECT COUNT(*) FROM trades").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, 0);
        assert_eq!(stock(st, a).await, before);
        // an off-shelf product cannot be bought
        let product: i64 = app.count(&format!("SELECT product_id FROM skus WHERE id = {a}")).await;
        sqlx::query("UPDATE products SET status = 'off_shelf' WHERE id = $1").bind(product).execute(&st.db.pool).await.unwrap();
        st.shop_front.reload_product(&st.db.pool, product).await.unwrap();
        assert!(matches!(checkout::submit(st, buyer, &basket(&[(a, 1)]), "key-off-shelf").await, Err(AppError::Conflict(_))));
        assert!(cart::add(st, buyer, a, 1).await.is_err());
    }

    /// Checkout prices the basket before its write transaction; taking stock is what re-checks,
    /// under lock, that the SKU still sells at the priced price.
    async fn stock_is_taken_only_at_the_price_the_buyer_was_shown(app: TestApp) {
        app.seed_demo().await;
        let st = &app.st;
        let [(sku, _, price), _] = skus_of_two_shops(st).await;
        let product: i64 = app.count(&format!("SELECT product_id FROM skus WHERE id = {sku}")).await;
        let total = || async { product_repo::product_by_id(&st.db.pool, product).await.unwrap().unwrap().total_stock };
        let (stock_before, total_before) = (stock(st, sku).await, total().await);
        let line = StockLine { product_id: product, sku_id: sku, qty: 2 };
        let mut tx = st.db.begin_write().await.unwrap();
        let taken = stock_repo::take_stock(&mut tx, &[(line, price - 1)]).await.unwrap();
        assert_eq!(taken, StockTaken::Refused { sku_id: sku });
        tx.rollback().await.unwrap();
        assert_eq!((stock(st, sku).await, total().await), (stock_before, total_before));
        let mut tx = st.db.begin_write().await.unwrap();
        let taken = stock_repo::take_stock(&mut tx, &[(line, price)]).await.unwrap();
        assert_eq!(taken, StockTaken::Done(vec![(product, sku, stock_before - 2)]));
        tx.commit().await.unwrap();
        assert_eq!((stock(st, sku).await, total().await), (stock_before - 2, total_before - 2));
    }

    /// The shop front hears of a write when it commits, and only then: a transaction rolled back
    /// (or dropped) leaves it as it was.
    async fn the_shop_front_follows_commits_not_rollbacks(app: TestApp) {
        app.seed_demo().await;
        let st = &app.st;
        let [(sku, _, price), _] = skus_of_two_shops(st).await;
        let product: i64 = app.count(&format!("SELECT product_id FROM skus WHERE id = {sku}")).await;
        let shown = || st.shop_front.product(product).unwrap().skus.iter().find(|s| s.id == sku).unwrap().stock;
        let before = shown();
        let line = StockLine { product_id: product, sku_id: sku, qty: 3 };
        let mut tx = st.db.begin_write().await.unwrap();
        stock_repo::take_stock(&mut tx, &[(line, price)]).await.unwrap();
        assert_eq!(shown(), before, "not before the commit");
        tx.rollback().await.unwrap();
        assert_eq!(shown(), before, "nor after a rollback");
        let mut tx = st.db.begin_write().await.unwrap();
        stock_repo::take_stock(&mut tx, &[(line, price)]).await.unwrap();
        drop(tx);
        assert_eq!(shown(), before, "nor after a drop");
        let mut tx = st.db.begin_write().await.unwrap();
        stock_repo::take_stock(&mut tx, &[(line, price)]).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!((shown(), stock(st, sku).await), (before - 3, before - 3));
    }

    async fn two_hundred_parallel_buyers_never_oversell(app: TestApp) {
        app.seed_demo().await;
        let st = Arc::new(app.st.clone());
        let [(a, _, _), _] = skus_of_two_shops(&st).await;
        set_stock(&st, a, 50).await;
        let mut buyers = Vec::new();
        for n in 0..200 {
            let id = shopper(&st, n).await;
            with_address(&st, id).await;
            buyers.push(id);
        }
        let mut tasks = Vec::new();
        for (n, buyer) in buyers.into_iter().enumerate() {
            let st = st.clone();
            tasks.push(tokio::spawn(async move {
                checkout::submit(&st, buyer, &basket(&[(a, 1)]), &format!("parallel-{n:04}")).await
            }));
        }
        let mut sold = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => sold += 1,
                Err(AppError::Conflict(_)) => {}
                Err(e) => panic!("only clean sold-out answers may fail: {e:?}"),
            }
        }
        assert_eq!(sold, 50);
        assert_eq!(stock(&st, a).await, 0);
        assert_eq!(app.count(&format!("SELECT CAST(COALESCE(SUM(qty), 0) AS BIGINT) FROM order_items WHERE sku_id = {a}")).await, 50);
    }

    async fn one_idempotency_key_makes_one_trade(app: TestApp) {
        app.seed_demo().await;
        let st = Arc::new(app.st.clone());
        let buyer = shopper(&st, 1).await;
        with_address(&st, buyer).await;
        let [(a, _, _), (b, _, _)] = skus_of_two_shops(&st).await;
        let before = stock(&st, a).await;
        let mut tasks = Vec::new();
        for _ in 0..10 {
            let st = st.clone();
            tasks.push(tokio::spawn(async move {
                checkout::submit(&st, buyer, &basket(&[(a, 1), (b, 1)]), "double-tap-key").await
            }));
        }
        let mut trade_nos = Vec::new();
        for t in tasks {
            trade_nos.push(t.await.unwrap().unwrap().trade_no);
        }
        trade_nos.dedup();
        assert_eq!(trade_nos.len(), 1, "every submit answers with the same trade");
        assert_eq!(app.count("SELECT COUNT(*) FROM trades").await, 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, 2);
        assert_eq!(stock(&st, a).await, before - 1);
    }

    async fn payment_notifications_change_state_once(app: TestApp) {
        app.seed_demo().await;
        let st = Arc::new(app.st.clone());
        let buyer = shopper(&st, 1).await;
        with_address(&st, buyer).await;
        let [(a, _, _), (b, _, _)] = skus_of_two_shops(&st).await;
        let trade = checkout::submit(&st, buyer, &basket(&[(a, 2), (b, 1)]), "key-notify-10").await.unwrap();
        let sales_before = app.count(&format!("SELECT sales FROM products WHERE id = (SELECT product_id FROM skus WHERE id = {a})")).await;

        // forged and wrong notifications change nothing
        let (mut headers, body) = st.simulated_pay.payment_notification(&trade.trade_no, trade.amount);
        headers.insert("jishi-signature", "AAAA".parse().unwrap());
        assert!(payments::handle_notification(&st, "simulated", &headers, &body).await.is_err());
        let (headers, mut body) = st.simulated_pay.payment_notification(&trade.trade_no, trade.amount);
        body.push(b' ');
        assert!(payments::handle_notification(&st, "simulated", &headers, &body).await.is_err(), "tampered body");
        assert!(pay(&st, &trade.trade_no, trade.amount - 1).await.is_err(), "wrong amount");
        assert_eq!(trade_status(&st, &trade.trade_no).await, "unpaid");

        // the same notification ten times at once: one change
        let (headers, body) = st.simulated_pay.payment_notification(&trade.trade_no, trade.amount);
        let mut tasks = Vec::new();
        for _ in 0..10 {
            let (st, headers, body) = (st.clone(), headers.clone(), body.clone());
            tasks.push(tokio::spawn(async move {
                payments::handle_notification(&st, "simulated", &headers, &body).await
            }));
        }
        for t in tasks {
            t.await.unwrap().expect("every delivery is acknowledged");
        }
        // a second payment of the paid trade (another transaction) changes no order, counts no
        // sales, and is sent back in full
        jobs::start(&st);
        pay(&st, &trade.trade_no, trade.amount).await.unwrap();
        assert_eq!(trade_status(&st, &trade.trade_no).await, "paid");
        for id in &trade.order_ids {
            assert_eq!(order_status(&st, *id).await, "to_ship");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM order_events WHERE kind = 'paid'").await, 2);
        let sales_after = app.count(&format!("SELECT sales FROM products WHERE id = (SELECT product_id FROM skus WHERE id = {a})")).await;
        assert_eq!(sales_after, sales_before + 2, "sales counted once");
        let stray = || async {
            let rows: Vec<(String, String, i64)> = sqlx::query_as(
                "SELECT s.kind, s.status, s.amount FROM stray_payments s \
                 JOIN trades t ON t.id = s.trade_id WHERE t.trade_no = $1",
            )
            .bind(&trade.trade_no)
            .fetch_all(&st.db.pool)
            .await
            .unwrap();
            rows
        };
        for _ in 0..100 {
            if stray().await.first().is_some_and(|r| r.1 == "refunded") { break; }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(stray().await, [("duplicate".to_string(), "refunded".to_string(), trade.amount)]);
        let rec = app::services::ledger::reconcile(&st).await.unwrap();
        assert!(rec.drifts.is_empty(), "{:?}", rec.drifts);
        let refunded = app.count("SELECT COUNT(*) FROM order_events WHERE kind = 'refunded' AND note LIKE '重复付款%'").await;
        assert_eq!(refunded, trade.order_ids.len() as i64, "every order's timeline says so");

        // the HTTP notify endpoint: a forged signature gets a FAIL answer
        let c = app.client();
        let r = c.request(http::Request::post("/api/pay/notify/simulated")
            .header("jishi-signature", "bad").header("jishi-timestamp", "1").header("jishi-nonce", "x")
            .body(axum::body::Body::from(body.clone())).unwrap()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(r.json()["code"], "FAIL");
        let r = c.request(http::Request::post("/api/pay/notify/simulated")
            .header("jishi-signature", headers["jishi-signature"].clone())
            .header("jishi-timestamp", headers["jishi-timestamp"].clone())
            .header("jishi-nonce", headers["jishi-nonce"].clone())
            .body(axum::body::Body::from(body)).unwrap()).await;
        assert_eq!(r.status, StatusCode::OK, "a replay is acknowledged: {}", r.text);
    }

    async fn unpaid_trades_close_after_a_restart_and_stock_returns(app: TestApp) {
        app.seed_demo().await;
        let st = &app.st;
        let buyer = shopper(st, 1).await;
        with_address(st, buyer).await;
        let [(a, _, _), (b, _, _)] = skus_of_two_shops(st).await;
        let (stock_a, stock_b) = (stock(st, a).await, stock(st, b).await);
        let trade = checkout::submit(st, buyer, &basket(&[(a, 3), (b, 2)]), "key-timeout").await.unwrap();
        assert_eq!(stock(st, a).await, stock_a - 3);
        // the deadline passes while the server is down
        let mut config = (*st.config).clone();
        config.orders.sweep_secs = 3600;
        let restarted = server::startup::build_state(config).await.unwrap();
        restarted.clock.advance(std::time::Duration::from_secs(st.config.orders.pay_timeout_minutes as u64 * 60 + 1));
        jobs::run_once(&restarted).await;
        assert_eq!(trade_status(&restarted, &trade.trade_no).await, "closed");
        for id in &trade.order_ids {
            assert_eq!(order_status(&restarted, *id).await, "cancelled");
        }
        assert_eq!(stock(&restarted, a).await, stock_a);
        assert_eq!(stock(&restarted, b).await, stock_b);
        // a payment arriving after the close reopens nothing and is sent back in full, once
        jobs::start(&restarted);
        let late_payment = restarted.simulated_pay.payment_notification(&trade.trade_no, trade.amount);
        for _ in 0..3 {
            payments::handle_notification(&restarted, "simulated", &late_payment.0, &late_payment.1).await.unwrap();
        }
        assert_eq!(trade_status(&restarted, &trade.trade_no).await, "closed");
        assert_eq!(stock(&restarted, a).await, stock_a, "no stock is taken again");
        let late = || async {
            let status: Option<(String,)> = sqlx::query_as(
                "SELECT s.status FROM stray_payments s JOIN trades t ON t.id = s.trade_id \
                 WHERE t.trade_no = $1 AND s.kind = 'late'",
            )
            .bind(&trade.trade_no)
            .fetch_optional(&restarted.db.pool)
            .await
            .unwrap();
            status.map(|(s,)| s)
        };
        for _ in 0..100 {
            if late().await.as_deref() == Some("refunded") { break; }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(late().await.as_deref(), Some("refunded"), "the simulated provider confirmed the refund");
        let refunds = app.count("SELECT COUNT(*) FROM payment_notifications WHERE kind = 'refund'").await;
        assert_eq!(refunds, 1, "one refund for three deliveries of the late payment");
        let events = app.count("SELECT COUNT(*) FROM order_events WHERE kind = 'refunded'").await;
        assert_eq!(events, trade.order_ids.len() as i64, "every cancelled order's timeline says so");
        // and the shopper cannot be asked to pay it
        assert!(payments::prepay(
            &restarted,
            buyer,
            &trade.trade_no,
            restarted.payments.default_provider()
        )
        .await
        .is_err());
    }

    async fn shoppers_cancel_merchants_ship_and_orders_complete(app: TestApp) {
        app.seed_demo().await;
        let st = &app.st;
        let buyer = shopper(st, 1).await;
        let stranger = shopper(st, 2).await;
        with_address(st, buyer).await;
        let [(a, shop_a, _), (b, shop_b, _)] = skus_of_two_shops(st).await;
        // cancel: the whole unpaid trade closes and stock returns
        let before = stock(st, a).await;
        let t1 = checkout::submit(st, buyer, &basket(&[(a, 1), (b, 1)]), "key-cancel-1").await.unwrap();
        assert!(matches!(orders::cancel_unpaid(st, stranger, t1.order_ids[0]).await, Err(AppError::NotFound(_))));
        orders::cancel_unpaid(st, buyer, t1.order_ids[0]).await.unwrap();
        assert_eq!(order_status(st, t1.order_ids[1]).await, "cancelled");
        assert_eq!(stock(st, a).await, before);

        let t2 = checkout::submit(st, buyer, &basket(&[(a, 1), (b, 1)]), "key-ship-2").await.unwrap();
        pay(st, &t2.trade_no, t2.amount).await.unwrap();
        assert!(orders::cancel_unpaid(st, buyer, t2.order_ids[0]).await.is_err(), "paid orders are not cancelled");
        let scope_a = common::merchant_scope(st, shop_a).await;
        let scope_b = common::merchant_scope(st, shop_b).await;
        let order_a = orders::list(st, Reader::Merchant(shop_a), OrderTab::ToShip, 1).await.unwrap().orders[0].id;
        let order_b = orders::list(st, Reader::Merchant(shop_b), OrderTab::ToShip, 1).await.unwrap().orders[0].id;
        let ship = |order_id| orders::Shipment { order_id, carrier: "顺丰速运".into(), tracking_no: "SF1234567890".into() };
        // a merchant cannot ship another shop's order
        assert!(matches!(orders::ship(st, &scope_b, &ship(order_a), "127.0.0.1").await, Err(AppError::NotFound(_))));
        assert!(orders::ship(st, &scope_a, &orders::Shipment { tracking_no: "x".into(), ..ship(order_a) }, "127.0.0.1").await.is_err());
        orders::ship(st, &scope_a, &ship(order_a), "127.0.0.1").await.unwrap();
        assert!(orders::ship(st, &scope_a, &ship(order_a), "127.0.0.1").await.is_err(), "shipped once");
        let failures = orders::ship_batch(st, &scope_b, &[ship(order_b), ship(order_a)], "127.0.0.1").await.unwrap();
        assert_eq!(failures.len(), 1, "the foreign order fails alone: {failures:?}");
        // the shopper confirms one; the other confirms itself when its time is up
        orders::confirm_receipt(st, buyer, order_a).await.unwrap();
        assert_eq!(order_status(st, order_a).await, "completed");
        st.clock.advance(std::time::Duration::from_secs(st.config.orders.auto_confirm_days as u64 * 86_400 + 1));
        jobs::run_once(st).await;
        assert_eq!(order_status(st, order_b).await, "completed");
        let detail = orders::detail(st, Reader::Shopper(buyer), order_b).await.unwrap();
        let kinds: Vec<&str> = detail.timeline.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["placed", "paid", "shipped", "auto_completed"]);
        assert_eq!(detail.tracking_no, "SF1234567890");
    }

    async fn refunds_go_through_the_provider_and_never_exceed_what_was_paid(app: TestApp) {
        app.seed_demo().await;
        let st = &app.st;
        let buyer = shopper(st, 1).await;
        with_address(st, buyer).await;
        let [(a, shop_a, price_a), (b, _, _)] = skus_of_two_shops(st).await;
        let t = checkout::submit(st, buyer, &basket(&[(a, 3), (b, 1)]), "key-refund-1").await.unwrap();
        pay(st, &t.trade_no, t.amount).await.unwrap();
        let scope = common::merchant_scope(st, shop_a).await;
        let order = orders::list(st, Reader::Merchant(shop_a), OrderTab::ToShip, 1).await.unwrap().orders.remove(0);
        let item = order.items[0].id;
        let ask = |qty| AfterSaleRequest {
            order_id: order.id,
            kind: AfterSaleKind::RefundOnly,
            lines: vec![AfterSaleLine { order_item_id: item, qty }],
            reason: "不想要了".into(),
            photos: vec![],
        };
        assert!(after_sales::request(st, buyer, &ask(4)).await.is_err(), "more units than bought");
        let stock_before = stock(st, a).await;
        let first = after_sales::request(st, buyer, &ask(1)).await.unwrap();
        assert!(after_sales::request(st, buyer, &ask(3)).await.is_err(), "only 2 units are left to claim");
        after_sales::approve(st, &scope, first, "127.0.0.1").await.unwrap();
        // the simulated provider confirms the refund with a signed notification
        for _ in 0..100 {
            if after_sales::view(st, app::domain::reader::Reader::Shopper(buyer), first).await.unwrap().status
                == app::domain::after_sale::AfterSaleStatus::Refunded { break; }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let refunded = after_sales::view(st, app::domain::reader::Reader::Shopper(buyer), first).await.unwrap();
        assert_eq!(refunded.status, app::domain::after_sale::AfterSaleStatus::Refunded);
        assert_eq!(refunded.amount, price_a, "one unit of three refunds a third");
        assert_eq!(stock(st, a).await, stock_before + 1, "unshipped goods go back into stock");
        // the other two units: the order is then fully refunded, shipping included, and closed
        let rest = after_sales::request(st, buyer, &ask(2)).await.unwrap();
        after_sales::approve(st, &scope, rest, "127.0.0.1").await.unwrap();
        for _ in 0..100 {
            if order_status(st, order.id).await == "cancelled" { break; }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(order_status(st, order.id).await, "cancelled");
        let refunded_total = app.count(&format!("SELECT refunded_amount FROM orders WHERE id = {}", order.id)).await;
        assert_eq!(refunded_total, order.pay_amount, "everything paid for the order came back, no more");
        assert!(after_sales::request(st, buyer, &ask(1)).await.is_err());
    }

    async fn merchant_shipping_templates_price_the_checkout(app: TestApp) {
        app.seed_demo().await;
        let st = &app.st;
        let staff = app.signed_in("merchant", "zunyi_chili", "jishi2026").await;
        let shop: i64 = app.count("SELECT merchant_id FROM merchant_staff WHERE username = 'zunyi_chili'").await;
        // ¥6 the first piece, ¥1.5 each further; ¥20 / ¥5 to Tibet and Xinjiang; free from ¥500
        let rule = |regions: &[&str], first_fee: &str, extra_fee: &str| json!({"regions": regions, "first": 1, "first_fee": first_fee, "extra": 1, "extra_fee": extra_fee});
        let template = json!({"form": {
            "id": null, "name": "新模板", "charge_by": "piece", "free_over": "500", "make_default": true,
            "rules": [rule(&["西藏自治区", "新疆维吾尔自治区"], "20", "5"), rule(&[], "6", "1.5")],
        }});
        let r = staff.call_json("/api/merchant/shipping/save", &template).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let template_id: i64 = r.text.trim().parse().unwrap();
        let before = app.count("SELECT COUNT(*) FROM shipping_templates WHERE name = '坏模板'").await;
        for bad in [
            json!([{"regions": [], "first": 0, "first_fee": "6", "extra": 1, "extra_fee": "1"}]),
            json!([{"regions": [], "first": 1, "first_fee": "6", "extra": 1, "extra_fee": "-1"}]),
            json!([rule(&["火星"], "6", "1")]),
            json!([rule(&["贵州省"], "6", "1"), rule(&["贵州省", "云南省"], "6", "1")]),
            json!([]),
        ] {
            let r = staff.call_json("/api/merchant/shipping/save", &json!({"form": {"id": null, "name": "坏模板", "charge_by": "piece", "rules": bad}})).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", r.text);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM shipping_templates WHERE name = '坏模板'").await, before);
        let buyer = shopper(st, 1).await;
        let (sku, price): (i64, i64) = sqlx::query_as(
            "SELECT s.id, s.price FROM skus s JOIN products p ON p.id = s.product_id \
             WHERE s.merchant_id = $1 AND p.status = 'on_sale' AND s.stock >= 3 AND s.price < 10000 ORDER BY s.id")
            .bind(shop).fetch_one(&st.db.pool).await.unwrap();
        with_address(st, buyer).await; // 贵州省
        let preview = checkout::preview(st, buyer, &basket(&[(sku, 3)])).await.unwrap();
        let expected = if 3 * price >= 50_000 { 0 } else { 600 + 2 * 150 };
        assert_eq!(preview.shipping, expected);
        let far = addresses::save(st, buyer, None, &AddressInput {
            receiver: "扎西".into(), phone: "13700137000".into(), province: "西藏自治区".into(),
            city: "拉萨市".into(), district: "城关区".into(), detail: "北京中路 1 号".into(), is_default: false,
        }).await.unwrap();
        let mut req = basket(&[(sku, 3)]);
        req.address_id = Some(far);
        let preview = checkout::preview(st, buyer, &req).await.unwrap();
        assert_eq!(preview.shipping, if 3 * price >= 50_000 { 0 } else { 2000 + 2 * 500 });
        // the shop's pickup: free, no address needed
        staff.call("/api/merchant/shipping/pickup", &[("address", "遵义市汇川区 门店自提点")]).await;
        let mut req = basket(&[(sku, 3)]);
        req.shops = vec![ShopChoice { merchant_id: shop, delivery: Delivery::Pickup, remark: String::new(), coupon_id: None }];
        let preview = checkout::preview(st, buyer, &req).await.unwrap();
        assert_eq!(preview.shipping, 0);
        assert_eq!(preview.total, 3 * price);

        // 仅配送指定地区: the same template edited to deliver to Guizhou and Tibet only
        let only = json!({"form": {
            "id": template_id, "name": "仅贵州西藏", "charge_by": "piece", "free_over": "0",
            "rules": [rule(&["贵州省"], "6", "1.5"), rule(&["西藏自治区"], "20", "5")],
        }});
        let r = staff.call_json("/api/merchant/shipping/save", &only).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let settings = staff.call("/api/merchant/shipping", &[]).await.json();
        let saved = settings["templates"].as_array().unwrap().iter().find(|t| t["id"] == template_id).unwrap().clone();
        assert_eq!(saved["rules"].as_array().unwrap().len(), 2, "no rule for everywhere else was added");
        assert!(saved["rules"].as_array().unwrap().iter().all(|r| !r["regions"].as_array().unwrap().is_empty()));
        // saving what the editor shows again changes nothing
        let again = json!({"form": {"id": template_id, "name": saved["name"], "charge_by": saved["charge_by"], "free_over": "0",
            "rules": saved["rules"].as_array().unwrap().iter().map(|r| json!({"regions": r["regions"], "first": r["first"], "first_fee": yuan_text(r["first_fee"].as_i64().unwrap()), "extra": r["extra"], "extra_fee": yuan_text(r["extra_fee"].as_i64().unwrap())})).collect::<Vec<_>>()}});
        assert_eq!(staff.call_json("/api/merchant/shipping/save", &again).await.status, StatusCode::OK);
        let resaved = staff.call("/api/merchant/shipping", &[]).await.json();
        assert_eq!(resaved["templates"], settings["templates"]);

        with_address(st, buyer).await; // 贵州省 again is the default
        let preview = checkout::preview(st, buyer, &basket(&[(sku, 1)])).await.unwrap();
        assert!(preview.shops[0].delivers);
        let yunnan = addresses::save(st, buyer, None, &AddressInput {
            receiver: "李四".into(), phone: "13700137001".into(), province: "云南省".into(),
            city: "昆明市".into(), district: "五华区".into(), detail: "正义路 2 号".into(), is_default: false,
        }).await.unwrap();
        let mut req = basket(&[(sku, 1)]);
        req.address_id = Some(yunnan);
        // the preview shows which shop does not deliver there, without shipping, instead of failing
        let preview = checkout::preview(st, buyer, &req).await.unwrap();
        assert!(!preview.shops[0].delivers);
        assert_eq!(preview.total, price);
        let trades = app.count("SELECT COUNT(*) FROM trades").await;
        let refused = checkout::submit(st, buyer, &req, "not-delivered-0001").await.unwrap_err();
        let text = refused.to_string();
        let shop_name: String = sqlx::query_scalar("SELECT name FROM merchants WHERE id = $1").bind(shop).fetch_one(&st.db.pool).await.unwrap();
        assert!(text.contains(&shop_name) && text.contains("云南省") && text.contains("到店自提"), "{text}");
        assert_eq!(app.count("SELECT COUNT(*) FROM trades").await, trades, "nothing was created");
        // pickup for that shop, same address: goes through
        req.shops = vec![ShopChoice { merchant_id: shop, delivery: Delivery::Pickup, remark: String::new(), coupon_id: None }];
        checkout::submit(st, buyer, &req, "not-delivered-0002").await.unwrap();
    }
}
