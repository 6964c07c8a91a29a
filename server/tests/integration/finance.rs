//! Money after payment: a hand-computed multi-shop scenario with discounts of both kinds and a
//! partial refund, settled into bills, confirmed, objected to, withdrawn and reconciled to the
//! fen; the settlement job run twice, halfway and concurrently; withdrawals racing for the same
//! balance; the ledger refusing to be rewritten — on SQLite and PostgreSQL.

use crate::common;
use crate::common::buying::{
    basket, discount, pay, refund_only, shopper, wait_refunded, with_address,
};
use http::StatusCode;

use app::domain::account::{AdminRole, Identity, Realm, StaffRole};
use app::domain::settlement::{period_days, period_text, BillStatus, WithdrawalForm};
use app::error::AppError;
use app::services::admins::AdminScope;
use app::services::{
    after_sales, checkout, finance_reports, ledger, merchants, orders, settlement,
};
use app::state::AppState;

const DAY: std::time::Duration = std::time::Duration::from_secs(86_400);
const DAY_MS: i64 = 86_400_000;
const IP: &str = "127.0.0.1";

fn finance_admin() -> AdminScope {
    AdminScope {
        admin_id: 1,
        role: AdminRole::Finance,
        display_name: "财务小周".into(),
    }
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

/// Two SKUs of two different shops, priced and stocked as the scenario needs.
async fn two_skus(st: &AppState, price_a: i64, price_b: i64) -> [(i64, i64); 2] {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT s.id, s.merchant_id, s.product_id FROM skus s \
         JOIN products p ON p.id = s.product_id \
         WHERE p.status = 'on_sale' AND s.active = 1 ORDER BY s.id",
    )
    .fetch_all(&st.db.pool)
    .await
    .unwrap();
    let a = rows[0];
    let b = *rows.iter().find(|r| r.1 != a.1).unwrap();
    for ((sku, _, product), price) in [(a, price_a), (b, price_b)] {
        sqlx::query("UPDATE skus SET price = $1, stock = 1000 WHERE id = $2")
            .bind(price)
            .bind(sku)
            .execute(&st.db.pool)
            .await
            .unwrap();
        st.shop_front
            .reload_product(&st.db.pool, product)
            .await
            .unwrap();
    }
    [(a.0, a.1), (b.0, b.1)]
}

/// (order id, its one item id, shipping fee) of a trade's order in `merchant_id`'s shop.
async fn order_of(st: &AppState, trade_no: &str, merchant_id: i64) -> (i64, i64, i64) {
    sqlx::query_as(
        "SELECT o.id, i.id, o.shipping_fee FROM orders o JOIN order_items i ON i.order_id = o.id \
         JOIN trades t ON t.id = o.trade_id WHERE t.trade_no = $1 AND o.merchant_id = $2",
    )
    .bind(trade_no)
    .bind(merchant_id)
    .fetch_one(&st.db.pool)
    .await
    .unwrap()
}

async fn trade_amount(st: &AppState, trade_no: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT amount FROM trades WHERE trade_no = $1")
        .bind(trade_no)
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
    n
}

fn shipment(order_id: i64) -> orders::Shipment {
    orders::Shipment {
        order_id,
        carrier: "顺丰速运".into(),
        tracking_no: "SF1234567890".into(),
    }
}

/// A paid, shipped and received single-shop order of `qty` × `sku`: its id.
async fn completed_order(st: &AppState, buyer: i64, sku: i64, merchant: i64, key: &str) -> i64 {
    let t = checkout::submit(st, buyer, &basket(&[(sku, 1)]), key)
        .await
        .unwrap();
    pay(st, &t.trade_no, t.amount).await.unwrap();
    let scope = common::merchant_scope(st, merchant).await;
    orders::ship(st, &scope, &shipment(t.order_ids[0]), IP)
        .await
        .unwrap();
    orders::confirm_receipt(st, buyer, t.order_ids[0])
        .await
        .unwrap();
    t.order_ids[0]
}

/// Every bill with its orders, in a comparable form.
async fn bills_dump(st: &AppState) -> Vec<(i64, i64, i64, Vec<(i64, i64)>)> {
    let mut out = Vec::new();
    for b in settlement::bills(st, None, None, 1).await.unwrap() {
        let d = settlement::bill(st, None, b.id).await.unwrap();
        out.push((
            b.merchant_id,
            b.period_end,
            b.amounts.net,
            d.orders
                .iter()
                .map(|o| (o.order_id, o.amounts.net))
                .collect(),
        ));
    }
    out.sort();
    out
}

backend_tests! {
    /// The Money rules' example over two shops, computed by hand. Shop A (5 %): 2 × ¥100.00
    /// with ¥10.00 off from the shop and ¥5.00 from the platform. Shop B (8 %): 3 × ¥50.00 with
    /// ¥3.00 from the platform, one unit refunded after shipping.
    async fn a_hand_computed_scenario_settles_to_the_fen(app: TestApp) {
        app.seed_demo().await;
        let st = &app.st;
        crate::common::end_demo_promotions(st).await;
        let admin = finance_admin();
        let buyer = shopper(st, 1).await;
        with_address(st, buyer).await;
        let [(a, shop_a), (b, shop_b)] = two_skus(st, 10_000, 5_000).await;
        merchants::set_commission_override(st, &admin, shop_a, "5", IP).await.unwrap();
        merchants::set_commission_override(st, &admin, shop_b, "8", IP).await.unwrap();
        assert!(merchants::set_commission_override(st, &admin, shop_b, "101", IP).await.is_err());

        let t = checkout::submit(st, buyer, &basket(&[(a, 2), (b, 3)]), "finance-hand-1").await.unwrap();
        let (order_a, item_a, ship_a) = order_of(st, &t.trade_no, shop_a).await;
        let (order_b, item_b, ship_b) = order_of(st, &t.trade_no, shop_b).await;
        discount(st, item_a, 1_000, 500).await;
        discount(st, item_b, 0, 300).await;
        let paid = trade_amount(st, &t.trade_no).await;
        assert_eq!(paid, 18_500 + ship_a + 14_700 + ship_b);
        pay(st, &t.trade_no, paid).await.unwrap();
        let bal = settlement::balances(st, shop_a).await.unwrap();
        assert_eq!(bal.pending, 18_500 + ship_a, "paid, not completed: all of it is held");

        let scope_a = common::merchant_scope(st, shop_a).await;
        let scope_b = common::merchant_scope(st, shop_b).await;
        orders::ship(st, &scope_a, &shipment(order_a), IP).await.unwrap();
        orders::ship(st, &scope_b, &shipment(order_b), IP).await.unwrap();
        let r = after_sales::request(st, buyer, &refund_only(order_b, &[(item_b, 1)])).await.unwrap();
        after_sales::approve(st, &scope_b, r, IP).await.unwrap();
        wait_refunded(st, buyer, r).await;
        orders::confirm_receipt(st, buyer, order_a).await.unwrap();
        orders::confirm_receipt(st, buyer, order_b).await.unwrap();

        // A: B = 190.00, C = 9.50 → owed 180.50 + shipping; B: a third refunded (49.00), so
        // two thirds of C = 12.00 and of the subsidy 3.00 stay: 98.00 + 2.00 − 8.00 + shipping
        let net_a = 18_050 + ship_a;
        let net_b = 9_200 + ship_b;
        assert_eq!(settlement::balances(st, shop_a).await.unwrap().pending, net_a);
        assert_eq!(settlement::balances(st, shop_b).await.unwrap().pending, net_b);

        // nothing is due before the after-sale window has closed
        assert_eq!(settlement::run(st).await.unwrap(), 0);
        let paid_at = st.clock.now_ms();
        st.clock.advance(15 * DAY);
        assert_eq!(settlement::run(st).await.unwrap(), 2);
        assert_eq!(settlement::run(st).await.unwrap(), 0, "a second run cuts nothing");
        let bill_a = settlement::bills(st, Some(shop_a), None, 1).await.unwrap().remove(0);
        let bill_b = settlement::bills(st, Some(shop_b), None, 1).await.unwrap().remove(0);
        let la = settlement::bill(st, Some(shop_a), bill_a.id).await.unwrap().orders.remove(0).amounts;
        assert_eq!(
            (la.gross, la.merchant_discount, la.platform_subsidy, la.shipping, la.commission, la.refunds, la.net),
            (20_000, 1_000, 500, ship_a, 950, 0, net_a)
        );
        let lb = settlement::bill(st, Some(shop_b), bill_b.id).await.unwrap().orders.remove(0).amounts;
        assert_eq!(
            (lb.gross, lb.merchant_discount, lb.platform_subsidy, lb.shipping, lb.commission, lb.refunds, lb.net),
            (15_000, 0, 300, ship_b, 800, 4_900 + 100, net_b)
        );
        assert_eq!(bill_b.amounts, lb, "the bill's totals are its orders'");
        assert!(matches!(settlement::bill(st, Some(shop_b), bill_a.id).await, Err(AppError::NotFound(_))));
        assert!(matches!(settlement::confirm(st, &scope_b, &owner(shop_b), bill_a.id, "127.0.0.1").await, Err(AppError::NotFound(_))));

        // a settled order takes no more after-sales
        let late = after_sales::request(st, buyer, &refund_only(order_a, &[(item_a, 1)])).await;
        assert!(late.unwrap_err().to_string().contains("已结算"));

        settlement::confirm(st, &scope_a, &owner(shop_a), bill_a.id, "127.0.0.1").await.unwrap();
        assert!(settlement::confirm(st, &scope_a, &owner(shop_a), bill_a.id, "127.0.0.1").await.is_err(), "confirmed once");
        settlement::object(st, &scope_b, bill_b.id, "退款金额与我方记录不符", "127.0.0.1").await.unwrap();
        assert_eq!(settlement::bill(st, None, bill_b.id).await.unwrap().bill.status, BillStatus::Disputed);
        assert!(settlement::confirm(st, &scope_b, &owner(shop_b), bill_b.id, "127.0.0.1").await.is_err());
        settlement::confirm_disputed(st, &admin, bill_b.id, IP).await.unwrap();
        let bal_a = settlement::balances(st, shop_a).await.unwrap();
        assert_eq!((bal_a.pending, bal_a.available), (0, net_a));
        assert_eq!(settlement::balances(st, shop_b).await.unwrap().available, net_b);

        // withdrawals: the owner only, never more than is available
        let form = |amount: &str| WithdrawalForm {
            amount: amount.into(),
            account_name: "黔南茶业有限公司".into(),
            bank_name: "中国农业银行都匀支行".into(),
            account_no: "6228 4800 1234 5678".into(),
        };
        let staff = app::services::merchants::MerchantScope { role: StaffRole::Staff, ..scope_a };
        assert!(matches!(settlement::request_withdrawal(st, &staff, &owner(shop_a), &form("100"), "127.0.0.1").await, Err(AppError::Forbidden(_))));
        let too_much = app::domain::money::yuan_text(net_a + 1);
        assert!(settlement::request_withdrawal(st, &scope_a, &owner(shop_a), &form(&too_much), "127.0.0.1").await.unwrap_err().to_string().contains("余额不足"));
        assert!(settlement::request_withdrawal(st, &scope_a, &owner(shop_a), &WithdrawalForm { account_no: "12ab".into(), ..form("10") }, "127.0.0.1").await.is_err());
        let w1 = settlement::request_withdrawal(st, &scope_a, &owner(shop_a), &form("100"), "127.0.0.1").await.unwrap();
        let w2 = settlement::request_withdrawal(st, &scope_a, &owner(shop_a), &form("20.5"), "127.0.0.1").await.unwrap();
        let bal = settlement::balances(st, shop_a).await.unwrap();
        assert_eq!((bal.available, bal.withdrawing), (net_a - 12_050, 12_050));
        settlement::review_withdrawal(st, &admin, w1, true, "ABC2026112400001", IP).await.unwrap();
        settlement::review_withdrawal(st, &admin, w2, false, "账户名与营业执照不符", IP).await.unwrap();
        assert!(settlement::review_withdrawal(st, &admin, w1, false, "再驳回一次", IP).await.is_err(), "decided once");
        let bal = settlement::balances(st, shop_a).await.unwrap();
        assert_eq!((bal.available, bal.withdrawing, bal.withdrawn), (net_a - 10_000, 0, 10_000));
        let ws = settlement::withdrawals(st, Some(shop_a), None, 1).await.unwrap();
        assert_eq!(ws.len(), 2);
        assert!(ws.iter().all(|w| w.account_no == "**** 5678"), "only the last four digits are kept");
        assert!(settlement::withdrawals(st, Some(shop_b), None, 1).await.unwrap().is_empty());

        // the whole ledger against the orders: no drift; the platform keeps C − Dp
        let rec = ledger::reconcile(st).await.unwrap();
        assert!(rec.drifts.is_empty(), "{:?}", rec.drifts);
        assert_eq!((rec.paid_total, rec.refunded_total), (paid, 4_900));
        assert_eq!(rec.clearing_balance, paid - 4_900);
        let report = finance_reports::period_report(st, paid_at - DAY_MS, st.clock.now_ms() + DAY_MS).await.unwrap();
        assert_eq!(report.gmv, paid);
        assert_eq!(
            (report.total.paid, report.total.refunds, report.total.commission, report.total.subsidies),
            (paid, 4_900, 950 + 800, 500 + 200)
        );
        assert_eq!(report.total.merchant_income, net_a + net_b);
        assert_eq!(report.total.settled, net_a + net_b);
        assert_eq!(report.total.withdrawn, 10_000);
        assert_eq!(report.total.payable_at_end, net_a + net_b - 10_000);
        assert_eq!(
            report.total.merchant_income + report.total.commission - report.total.subsidies,
            paid - 4_900,
            "merchants plus platform = paid − refunded"
        );
        let lines = finance_reports::ledger_page(st, Some(shop_b), 1).await.unwrap().lines;
        assert!(!lines.is_empty() && lines.iter().all(|l| l.merchant_id == shop_b));
    }

    /// Running the job twice, after one that stopped halfway, or twice at once cuts the same
    /// bills: one per merchant and period, every settleable order in exactly one of them.
    async fn the_settlement_job_cuts_the_same_bills_however_often_it_runs(app: TestApp) {
        app.seed_demo().await;
        let st = &app.st;
        let buyer = shopper(st, 1).await;
        with_address(st, buyer).await;
        let skus: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT MIN(s.id), s.merchant_id FROM skus s JOIN products p ON p.id = s.product_id \
             WHERE p.status = 'on_sale' AND s.active = 1 AND s.stock >= 10 \
             GROUP BY s.merchant_id ORDER BY s.merchant_id LIMIT 3",
        )
        .fetch_all(&st.db.pool)
        .await
        .unwrap();
        assert_eq!(skus.len(), 3);
        let mut ids = Vec::new();
        for (n, (sku, m)) in skus.iter().enumerate() {
            for k in 0..2 {
                ids.push(completed_order(st, buyer, *sku, *m, &format!("settle-{n}-{k}")).await);
            }
        }
        st.clock.advance(15 * DAY);
        // a run that stopped after the first merchant, then the full run
        assert_eq!(settlement::run_for(st, Some(skus[0].1)).await.unwrap(), 1);
        assert_eq!(settlement::run(st).await.unwrap(), 2);
        let first = bills_dump(st).await;
        assert_eq!(first.len(), 3, "one bill per merchant");
        let mut billed: Vec<i64> = first.iter().flat_map(|b| b.3.iter().map(|o| o.0)).collect();
        billed.sort();
        assert_eq!(billed, ids, "every order in exactly one bill");
        assert_eq!(settlement::run(st).await.unwrap(), 0);
        assert_eq!(bills_dump(st).await, first);

        // new orders, two runs at once
        for (n, (sku, m)) in skus.iter().enumerate() {
            completed_order(st, buyer, *sku, *m, &format!("settle-again-{n}")).await;
        }
        st.clock.advance(15 * DAY);
        let (x, y) = tokio::join!(settlement::run(st), settlement::run(st));
        assert_eq!(x.unwrap() + y.unwrap(), 3);
        let all = bills_dump(st).await;
        assert_eq!(all.len(), 6);
        let mut billed: Vec<i64> = all.iter().flat_map(|b| b.3.iter().map(|o| o.0)).collect();
        let n = billed.len();
        billed.dedup();
        assert_eq!(billed.len(), n, "no order twice");
        assert_eq!(n, 9);
        let rec = ledger::reconcile(st).await.unwrap();
        assert!(rec.drifts.is_empty(), "{:?}", rec.drifts);
    }

    /// Eight withdrawals race for one balance: those that fit succeed, the rest are refused,
    /// and the balance never goes below zero.
    async fn racing_withdrawals_never_overdraw(app: TestApp) {
        app.seed_demo().await;
        let st = &app.st;
        let buyer = shopper(st, 1).await;
        with_address(st, buyer).await;
        let (sku, m): (i64, i64) = sqlx::query_as(
            "SELECT s.id, s.merchant_id FROM skus s JOIN products p ON p.id = s.product_id \
             WHERE p.status = 'on_sale' AND s.active = 1 AND s.stock >= 10 ORDER BY s.id LIMIT 1",
        )
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
        completed_order(st, buyer, sku, m, "withdraw-race-1").await;
        st.clock.advance(8 * DAY);
        settlement::settle_now(st, &common::finance(), Some(m), "127.0.0.1").await.unwrap();
        let scope = common::merchant_scope(st, m).await;
        let bill = settlement::bills(st, Some(m), None, 1).await.unwrap().remove(0);
        settlement::confirm(st, &scope, &owner(m), bill.id, "127.0.0.1").await.unwrap();
        let available = settlement::balances(st, m).await.unwrap().available;
        assert!(available >= 300, "the order settled some money: {available}");
        let each = available * 2 / 5;
        let amount = app::domain::money::yuan_text(each);
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let st = st.clone();
                let amount = amount.clone();
                tokio::spawn(async move {
                    let form = WithdrawalForm {
                        amount,
                        account_name: "店主".into(),
                        bank_name: "建设银行".into(),
                        account_no: "6217000012345678".into(),
                    };
                    settlement::request_withdrawal(&st, &scope, &owner(scope.merchant_id), &form, "127.0.0.1").await
                })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => ok += 1,
                Err(e) => assert!(e.to_string().contains("余额不足"), "{e}"),
            }
        }
        assert_eq!(ok, 2, "two fit in the balance");
        let bal = settlement::balances(st, m).await.unwrap();
        assert_eq!((bal.available, bal.withdrawing), (available - 2 * each, 2 * each));
        let rec = ledger::reconcile(st).await.unwrap();
        assert!(rec.drifts.is_empty(), "{:?}", rec.drifts);
    }

    /// Lines and postings are written once: the database refuses to change or remove them.
    async fn the_ledger_is_append_only(app: TestApp) {
        app.seed_demo().await;
        let st = &app.st;
        let buyer = shopper(st, 1).await;
        with_address(st, buyer).await;
        let (sku, m): (i64, i64) = sqlx::query_as(
            "SELECT s.id, s.merchant_id FROM skus s JOIN products p ON p.id = s.product_id \
             WHERE p.status = 'on_sale' AND s.active = 1 AND s.stock >= 10 ORDER BY s.id LIMIT 1",
        )
        .fetch_one(&st.db.pool)
        .await
        .unwrap();
        completed_order(st, buyer, sku, m, "append-only-1").await;
        assert!(app.count("SELECT COUNT(*) FROM ledger_lines").await > 0);
        for sql in [
            "UPDATE ledger_lines SET amount = amount + 1",
            "DELETE FROM ledger_lines",
            "UPDATE ledger_postings SET memo = 'x'",
            "DELETE FROM ledger_postings",
        ] {
            assert!(sqlx::query(sql).execute(&st.db.pool).await.is_err(), "{sql} went through");
        }
        let rec = ledger::reconcile(st).await.unwrap();
        assert!(rec.drifts.is_empty(), "{:?}", rec.drifts);
    }
}

backend_tests! {
    /// Over HTTP, as the consoles call it: a shop reads and confirms only its own bills and
    /// exports only its own rows; only super and finance admins reach the finance desk.
    async fn bills_balances_and_exports_are_each_shops_own(app: TestApp) {
        app.seed_demo().await;
        let st = &app.st;
        let buyer = shopper(st, 1).await;
        with_address(st, buyer).await;
        let shop = |name: &str| format!("SELECT id FROM merchants WHERE name = '{name}'");
        let tea = app.count(&shop("都匀毛尖茶庄")).await;
        let chili = app.count(&shop("遵义辣椒酱坊")).await;
        let sku = app
            .count(&format!("SELECT MIN(s.id) FROM skus s JOIN products p ON p.id = s.product_id WHERE s.merchant_id = {tea} AND p.status = 'on_sale' AND s.stock > 5"))
            .await;
        completed_order(st, buyer, sku, tea, "http-finance-1").await;
        st.clock.advance(8 * DAY);
        assert_eq!(settlement::settle_now(st, &common::finance(), None, "127.0.0.1").await.unwrap(), 1);
        let bill = settlement::bills(st, Some(tea), None, 1).await.unwrap().remove(0);
        let id = bill.id.to_string();

        let intruder = app.signed_in("merchant", "zunyi_chili", common::DEMO_PASSWORD).await;
        for path in ["/api/merchant/finance/bills/detail", "/api/merchant/finance/bills/confirm"] {
            let r = intruder.call(path, &[("id", &id)]).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.text);
        }
        let r = intruder.call("/api/merchant/finance/bills/object", &[("id", &id), ("note", "不是我的账单")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        assert!(intruder.call("/api/merchant/finance/bills", &[]).await.json().as_array().unwrap().is_empty());
        let overview = intruder.call("/api/merchant/finance", &[]).await.json();
        assert_eq!(overview["balances"]["pending"], 0);
        let lines = intruder.call("/api/merchant/finance/ledger", &[]).await.json();
        assert!(lines["lines"].as_array().unwrap().is_empty(), "no lines of another shop");
        let csv = intruder.get(&format!("/merchant/finance/export/bills/{id}.csv")).await;
        assert_eq!(csv.status, StatusCode::NOT_FOUND);
        let csv = intruder.get("/merchant/finance/export/bills.csv").await;
        assert!(!csv.text.contains(&bill.bill_no));
        assert_eq!(settlement::bill(st, None, bill.id).await.unwrap().bill.status, BillStatus::Pending, "nothing changed");
        // bad input: a withdrawal over the balance, in a form a user understands
        let r = intruder.call("/api/merchant/finance/withdraw", &[("amount", "10"), ("account_name", "遵义辣椒坊"), ("bank_name", "贵州银行"), ("account_no", "6228480012345678")]).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
        assert!(r.text.contains("可提现余额不足"), "{}", r.text);
        assert_eq!(settlement::balances(st, chili).await.unwrap().withdrawing, 0);

        let owner = app.signed_in("merchant", "duyun_tea", common::DEMO_PASSWORD).await;
        let csv = owner.get(&format!("/merchant/finance/export/bills/{id}.csv")).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.headers[http::header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
        assert!(csv.text.contains(&bill.bill_no) && csv.text.contains("结算金额"));
        // the page and the CSV read the period the same way: first and last day, inclusive
        let (first, last) = period_days(bill.period_start, bill.period_end);
        let page = owner.get(&format!("/merchant/finance/bills/{id}")).await;
        assert!(page.text.contains(&period_text(bill.period_start, bill.period_end)), "{}", page.text);
        let list = owner.get("/merchant/finance/export/bills.csv").await;
        assert!(list.text.contains(&format!("{first},{last},")), "{}", list.text);
        let r = owner.call("/api/merchant/finance/bills/confirm", &[("id", &id)]).await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{}", r.text);
        assert_eq!(settlement::balances(st, tea).await.unwrap().available, bill.amounts.net);

        let operator = app.signed_in("admin", "operator", common::DEMO_PASSWORD).await;
        assert_eq!(operator.call("/api/admin/finance/bills", &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(operator.get("/admin/finance/export/ledger.csv").await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.client().get("/admin/finance/export/bills.csv").await.status, StatusCode::UNAUTHORIZED);
        let finance = app.signed_in("admin", "finance", common::DEMO_PASSWORD).await;
        let report = finance.get("/admin/finance/export/report.csv").await;
        assert_eq!(report.status, StatusCode::OK);
        assert!(report.text.contains("都匀毛尖茶庄") && report.text.contains("合计"));
        let r = finance.get("/admin/finance/export/report.csv?from=2026-13-01").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let rec = finance.call("/api/admin/finance/reconcile", &[]).await.json();
        assert_eq!(rec["drifts"], serde_json::json!([]));
    }
}
