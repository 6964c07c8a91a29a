//! Coupons and full-reductions through the services, on SQLite and PostgreSQL: claims that never
//! over-issue, a copy used once however many checkouts race for it, coupons unlocked exactly
//! once when a trade closes, refusals that change nothing, and a hand-computed two-shop trade
//! with both coupon kinds and partial refunds checked to the fen on the orders, the after-sale
//! records, the bill and the ledger.

use crate::common::buying::{
    amount_off, basket, coupon_input, create_coupon, give_coupon, pay, percent_off, refund_only,
    shopper, wait_refunded, with_address,
};
use crate::common::{merchant_scope, operator};

use app::domain::coupon::{CopyStatus, TemplateAction};
use app::domain::full_reduction::FullReductionInput;
use app::domain::full_reduction::{Basis, Benefit, Tier};
use app::domain::ledger::AccountKind;
use app::domain::pricing::{DiscountSource, Funder};
use app::domain::reader::Reader;
use app::error::AppError;
use app::repo::ledger as ledger_repo;
use app::services::coupons::{self, Issuer};
use app::services::full_reductions;
use app::services::{after_sales, checkout, orders};
use app::state::AppState;

async fn copy_status(st: &AppState, id: i64) -> (CopyStatus, Option<i64>) {
    let (status, trade): (String, Option<i64>) =
        sqlx::query_as("SELECT status, trade_id FROM coupons WHERE id = $1")
            .bind(id)
            .fetch_one(&st.db.pool)
            .await
            .unwrap();
    (CopyStatus::parse(&status).unwrap(), trade)
}

async fn count(st: &AppState, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&st.db.pool).await.unwrap();
    n
}

/// Sets a SKU's price and stock (fen) and frees its shop's shipping, for figures by hand.
async fn price_sku(st: &AppState, sku: i64, price: i64) {
    sqlx::query("UPDATE skus SET price = $1, stock = 1000 WHERE id = $2")
        .bind(price)
        .bind(sku)
        .execute(&st.db.pool)
        .await
        .unwrap();
}

/// Two SKUs of one shop and one of another: (shop A, a1, a2, shop B, b1).
async fn two_shops(st: &AppState) -> (i64, i64, i64, i64, i64) {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT s.id, s.merchant_id FROM skus s JOIN products p ON p.id = s.product_id \
         WHERE p.status = 'on_sale' AND s.active = 1 ORDER BY s.merchant_id, s.id",
    )
    .fetch_all(&st.db.pool)
    .await
    .unwrap();
    let a = rows
        .iter()
        .find(|r| rows.iter().filter(|x| x.1 == r.1).count() >= 2)
        .unwrap()
        .1;
    let mut of_a = rows.iter().filter(|r| r.1 == a);
    let (a1, a2) = (of_a.next().unwrap().0, of_a.next().unwrap().0);
    let (b1, b) = *rows.iter().find(|r| r.1 != a).unwrap();
    crate::common::end_demo_promotions(st).await;
    // free shipping everywhere, commission 5% for both shops
    sqlx::query("UPDATE products SET shipping_template_id = NULL")
        .execute(&st.db.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM shipping_templates")
        .execute(&st.db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE merchants SET commission_override_bps = 500")
        .execute(&st.db.pool)
        .await
        .unwrap();
    (a, a1, a2, b, b1)
}

/// A demo shopper with an address and one SKU priced ¥20.00 (shipping free, demo
/// full-reductions ended): (shopper, SKU).
async fn buyer_and_sku_at_20_yuan(st: &AppState) -> (i64, i64) {
    let (_, a1, _, _, _) = two_shops(st).await;
    price_sku(st, a1, 2000).await;
    let buyer = shopper(st, 1).await;
    with_address(st, buyer).await;
    (buyer, a1)
}

fn full_reduction(
    title: &str,
    threshold: i64,
    off: i64,
    free_shipping: bool,
) -> FullReductionInput {
    FullReductionInput {
        title: title.into(),
        basis: Basis::Amount,
        benefit: Benefit::AmountOff,
        tiers: vec![Tier {
            threshold,
            off,
            free_shipping,
        }],
        repeat: false,
        repeat_cap: 0,
        product_ids: vec![],
        starts_at: 0,
        ends_at: i64::MAX / 2,
    }
}

backend_tests! {
    /// 500 shoppers claiming a 100-copy coupon at once get exactly 100 copies; one shopper
    /// claiming twenty times at once gets exactly their limit.
    async fn claims_never_over_issue(app: TestApp) {
        let st = &app.st;
        let template = create_coupon(st, None, &coupon_input("限量券", amount_off(0, 100), 100, 1)).await;
        let mut shoppers = Vec::new();
        for n in 0..500 {
            shoppers.push(shopper(st, n).await);
        }
        let tasks: Vec<_> = shoppers
            .iter()
            .map(|&s| {
                let st = st.clone();
                tokio::spawn(async move { coupons::claim(&st, s, template).await })
            })
            .collect();
        let mut won = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => won += 1,
                Err(AppError::Conflict(msg)) => assert_eq!(msg, "优惠券已领完"),
                Err(e) => panic!("{e:?}"),
            }
        }
        assert_eq!(won, 100);
        assert_eq!(count(st, "SELECT COUNT(*) FROM coupons").await, 100);
        assert_eq!(count(st, "SELECT issued_qty FROM coupon_templates").await, 100);

        let mut input = coupon_input("每人三张", amount_off(0, 100), 1000, 3);
        input.per_user_daily_limit = 2;
        let limited = create_coupon(st, None, &input).await;
        let one = shoppers[0];
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let st = st.clone();
                tokio::spawn(async move { coupons::claim(&st, one, limited).await })
            })
            .collect();
        let mut got = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => got += 1,
                Err(AppError::Conflict(msg)) => assert!(msg.contains("已达领取上限"), "{msg}"),
                Err(e) => panic!("{e:?}"),
            }
        }
        assert_eq!(got, 2, "two a day");
        // the next China day allows the third, and no more
        st.clock.advance(std::time::Duration::from_secs(86_400));
        coupons::claim(st, one, limited).await.unwrap();
        assert!(coupons::claim(st, one, limited).await.is_err());
        assert_eq!(
            count(st, &format!("SELECT COUNT(*) FROM coupons WHERE template_id = {limited}")).await,
            3
        );
    }

    /// The same copy in two concurrent checkouts is used once; a cancelled or timed-out trade
    /// gives it back exactly once; a paid one spends it.
    async fn a_copy_is_used_once(app: TestApp) {
        app.seed_demo().await;
        let st = &app.st;
        let (buyer, a1) = buyer_and_sku_at_20_yuan(st).await;
        let copy = give_coupon(st, None, buyer, &coupon_input("无门槛", amount_off(0, 500), 10, 1)).await;
        let mut req = basket(&[(a1, 1)]);
        req.platform_coupon_id = Some(copy);
        let tasks: Vec<_> = (0..8)
            .map(|k| {
                let (st, req) = (st.clone(), req.clone());
                tokio::spawn(async move { checkout::submit(&st, buyer, &req, &format!("race-key-{k:04}")).await })
            })
            .collect();
        let mut made = Vec::new();
        for t in tasks {
            match t.await.unwrap() {
                Ok(trade) => made.push(trade),
                Err(AppError::Conflict(_)) => {}
                Err(e) => panic!("{e:?}"),
            }
        }
        assert_eq!(made.len(), 1, "one checkout gets the coupon, the others are refused");
        assert_eq!(made[0].amount, 1500);
        let (status, trade) = copy_status(st, copy).await;
        assert_eq!(status, CopyStatus::Locked);
        assert!(trade.is_some());

        // cancelled: back once (a second cancel changes nothing)
        orders::cancel_unpaid(st, buyer, made[0].order_ids[0]).await.unwrap();
        assert_eq!(copy_status(st, copy).await, (CopyStatus::Available, None));
        assert!(orders::cancel_unpaid(st, buyer, made[0].order_ids[0]).await.is_err());
        assert_eq!(copy_status(st, copy).await, (CopyStatus::Available, None));

        // timed out: back once
        let t = checkout::submit(st, buyer, &req, "after-cancel-1").await.unwrap();
        assert_eq!(t.amount, 1500);
        st.clock.advance(std::time::Duration::from_secs(3 * 3600));
        orders::run_timers(st).await.unwrap();
        orders::run_timers(st).await.unwrap();
        assert_eq!(copy_status(st, copy).await, (CopyStatus::Available, None));

        // paid: spent, and a later checkout naming it is refused
        let t = checkout::submit(st, buyer, &req, "after-timeout-1").await.unwrap();
        pay(st, &t.trade_no, t.amount).await.unwrap();
        assert_eq!(copy_status(st, copy).await.0, CopyStatus::Used);
        let e = checkout::submit(st, buyer, &req, "after-paid-01").await.unwrap_err();
        assert_eq!(e.to_string(), "优惠券已使用");
    }

    /// Copies of one template are one offer: the checkout weighs and lists the template once
    /// however many copies the shopper holds, uses the one that expires first by itself, and
    /// the very copy the shopper names when they name one.
    async fn copies_of_one_template_are_one_offer(app: TestApp) {
        app.seed_demo().await;
        let st = &app.st;
        let (buyer, a1) = buyer_and_sku_at_20_yuan(st).await;
        // only this kind in the shopper's hands (the demo gives every shopper a 新人券)
        sqlx::query("UPDATE coupons SET status = 'voided' WHERE shopper_id = $1")
            .bind(buyer)
            .execute(&st.db.pool)
            .await
            .unwrap();
        let template = create_coupon(st, None, &coupon_input("囤券", amount_off(0, 300), 100, 50)).await;
        let mut copies = Vec::new();
        for _ in 0..40 {
            copies.push(coupons::claim(st, buyer, template).await.unwrap().id);
        }
        let req = basket(&[(a1, 1)]);
        let preview = checkout::preview(st, buyer, &req).await.unwrap();
        let of_kind: Vec<i64> = preview
            .platform_coupons
            .iter()
            .filter(|c| copies.contains(&c.coupon.id))
            .map(|c| c.coupon.id)
            .collect();
        assert_eq!(of_kind, vec![copies[0]], "the template once, by the copy that expires first");

        let t = checkout::submit(st, buyer, &req, "kind-best-0001").await.unwrap();
        assert_eq!(t.amount, 1700);
        assert_eq!(copy_status(st, copies[0]).await.0, CopyStatus::Locked);

        let mut named = req.clone();
        named.platform_coupon_id = Some(copies[7]);
        let t = checkout::submit(st, buyer, &named, "kind-named-001").await.unwrap();
        assert_eq!(t.amount, 1700);
        assert_eq!(copy_status(st, copies[7]).await.0, CopyStatus::Locked);
        assert_eq!(copy_status(st, copies[1]).await.0, CopyStatus::Available);
    }

    /// Every bad coupon is refused with a clear message, and nothing changes.
    async fn bad_coupons_are_refused(app: TestApp) {
        app.seed_demo().await;
        let st = &app.st;
        let (a, a1, _, b, b1) = two_shops(st).await;
        price_sku(st, a1, 2000).await;
        price_sku(st, b1, 2000).await;
        let buyer = shopper(st, 1).await;
        let other = shopper(st, 2).await;
        with_address(st, buyer).await;
        let theirs = give_coupon(st, None, other, &coupon_input("别人的", amount_off(0, 100), 10, 1)).await;
        let far = give_coupon(st, None, buyer, &coupon_input("满500", amount_off(50_000, 1000), 10, 1)).await;
        let shop_a = give_coupon(st, Some(a), buyer, &coupon_input("A店券", amount_off(0, 100), 10, 1)).await;
        let mut expiring = coupon_input("一天", amount_off(0, 100), 10, 1);
        expiring.validity = app::domain::coupon::Validity::Days { days: 1, next_day: false };
        let expired = give_coupon(st, None, buyer, &expiring).await;
        let trades = count(st, "SELECT COUNT(*) FROM trades").await;

        let submit = |req: app::domain::cart::CheckoutRequest, key: &'static str| async move {
            checkout::submit(st, buyer, &req, key).await.unwrap_err()
        };
        let mut req = basket(&[(a1, 1), (b1, 1)]);
        req.platform_coupon_id = Some(theirs);
        assert!(matches!(submit(req.clone(), "bad-coupon-1").await, AppError::NotFound(_)));
        req.platform_coupon_id = Some(999_999);
        assert!(matches!(submit(req.clone(), "bad-coupon-2").await, AppError::NotFound(_)));
        req.platform_coupon_id = Some(far);
        let e = submit(req.clone(), "bad-coupon-3").await;
        // the shop coupon (preselected for shop A) leaves ¥39.00 of the ¥40.00
        assert_eq!(e.to_string(), "所选优惠券不可用：还差¥461.00可用");
        req.platform_coupon_id = Some(shop_a);
        assert_eq!(submit(req.clone(), "bad-coupon-4").await.to_string(), "店铺优惠券不能作为平台券使用");
        req.platform_coupon_id = Some(0);
        req.shops = vec![app::domain::cart::ShopChoice {
            merchant_id: b,
            delivery: app::domain::order::Delivery::Express,
            remark: String::new(),
            coupon_id: Some(shop_a),
        }];
        assert_eq!(
            submit(req.clone(), "bad-coupon-5").await.to_string(),
            "该店铺优惠券不能用于这家店铺的订单"
        );
        st.clock.advance(std::time::Duration::from_secs(2 * 86_400));
        req.shops.clear();
        req.platform_coupon_id = Some(expired);
        assert_eq!(submit(req.clone(), "bad-coupon-6").await.to_string(), "优惠券已过期");
        assert_eq!(count(st, "SELECT COUNT(*) FROM trades").await, trades);
        assert_eq!(count(st, "SELECT COUNT(*) FROM coupons WHERE status <> 'available'").await, 0);

        // bad templates: percent over 100, a cap of 0, a threshold below the amount off
        let refused = |input: app::domain::coupon::TemplateInput| async move {
            coupons::create(st, Issuer::Platform(&operator()), &input, "127.0.0.1").await.unwrap_err()
        };
        let field = |e: AppError| match e {
            AppError::Invalid { field, .. } => field,
            e => panic!("{e:?}"),
        };
        assert_eq!(field(refused(coupon_input("x", percent_off(10_001, 100), 1, 1)).await), "off_bps");
        assert_eq!(field(refused(coupon_input("x", percent_off(1000, 0), 1, 1)).await), "cap");
        assert_eq!(field(refused(coupon_input("x", amount_off(500, 800), 1, 1)).await), "threshold");
        // a paused template cannot be claimed; a voided one withdraws its unused copies
        let t = create_coupon(st, None, &coupon_input("暂停券", amount_off(0, 100), 10, 2)).await;
        let held = coupons::claim(st, buyer, t).await.unwrap().id;
        coupons::act(st, Issuer::Platform(&operator()), t, TemplateAction::Pause, "127.0.0.1").await.unwrap();
        assert_eq!(coupons::claim(st, buyer, t).await.unwrap_err().to_string(), "该优惠券已暂停，不能领取");
        coupons::act(st, Issuer::Platform(&operator()), t, TemplateAction::Void, "127.0.0.1").await.unwrap();
        assert_eq!(copy_status(st, held).await.0, CopyStatus::Voided);
        // a shop cannot touch the platform's template
        let scope = merchant_scope(st, a).await;
        let e = coupons::act(st, Issuer::Shop(&scope), t, TemplateAction::Pause, "127.0.0.1").await;
        assert!(matches!(e, Err(AppError::NotFound(_))));
    }

    /// Shop A: ¥60.00 × 2 and ¥30.00 × 1 under 满¥100减¥10, with its coupon 满¥50减¥5; shop B:
    /// ¥33.33 × 3; a platform 9折 capped at ¥20 over both. Then partial and full refunds.
    async fn a_hand_computed_trade(app: TestApp) {
        app.seed_demo().await;
        let st = &app.st;
        let (a, a1, a2, b, b1) = two_shops(st).await;
        price_sku(st, a1, 6000).await;
        price_sku(st, a2, 3000).await;
        price_sku(st, b1, 3333).await;
        let scope = merchant_scope(st, a).await;
        full_reductions::create(st, &scope, &full_reduction("店庆满减", 10_000, 1000, false), "127.0.0.1")
            .await
            .unwrap();
        let buyer = shopper(st, 1).await;
        with_address(st, buyer).await;
        let shop_coupon = give_coupon(st, Some(a), buyer, &coupon_input("A店满50减5", amount_off(5000, 500), 10, 1)).await;
        let platform = give_coupon(st, None, buyer, &coupon_input("平台9折券", percent_off(1000, 2000), 10, 1)).await;

        let req = basket(&[(a1, 2), (a2, 1), (b1, 3)]);
        let preview = checkout::preview(st, buyer, &req).await.unwrap();
        // preselected: the shop coupon for A, the platform coupon for the trade
        assert_eq!(preview.platform_coupon_id, Some(platform));
        let pa = preview.shops.iter().find(|s| s.merchant_id == a).unwrap();
        let pb = preview.shops.iter().find(|s| s.merchant_id == b).unwrap();
        assert_eq!(pa.coupon_id, Some(shop_coupon));
        // 满减 ¥10 over 120 : 30 → 8.00 / 2.00; shop coupon ¥5 over 112 : 28 → 4.00 / 1.00;
        // platform 10% of 108 + 27 + 99.99 = 234.99 → 23.49, capped at ¥20.00, split
        // 108 : 27 : 99.99 → 919.19 / 229.80 / 851.02 → 919 / 230 (largest remainder) / 851
        let pays: Vec<(i64, i64)> = pa.lines.iter().chain(&pb.lines).map(|l| (l.discount, l.pay_amount)).collect();
        assert_eq!(pays, vec![(800 + 400 + 919, 9881), (200 + 100 + 230, 2470), (851, 9148)]);
        assert_eq!((pa.amounts.goods, pa.amounts.merchant_discount, pa.amounts.platform_discount), (15_000, 1500, 1149));
        assert_eq!((pb.amounts.goods, pb.amounts.merchant_discount, pb.amounts.platform_discount), (9999, 0, 851));
        assert_eq!((pa.amounts.payable, pb.amounts.payable, preview.total), (12_351, 9148, 21_499));
        let names: Vec<(DiscountSource, &str, i64)> =
            pa.discounts.iter().map(|d| (d.source, d.name.as_str(), d.amount)).collect();
        assert_eq!(
            names,
            vec![
                (DiscountSource::FullReduction, "店庆满减", 1000),
                (DiscountSource::ShopCoupon, "A店满50减5", 500),
                (DiscountSource::PlatformCoupon, "平台9折券", 1149),
            ]
        );

        // the submit agrees to the fen, and the rows are stored per line and funder
        let t = checkout::submit(st, buyer, &req, "hand-computed-1").await.unwrap();
        assert_eq!(t.amount, 21_499);
        assert_eq!(
            count(st, "SELECT CAST(SUM(amount) AS BIGINT) FROM order_item_discounts WHERE funder = 'shop'").await,
            1500
        );
        assert_eq!(
            count(st, "SELECT CAST(SUM(amount) AS BIGINT) FROM order_item_discounts WHERE funder = 'platform'").await,
            2000
        );
        pay(st, &t.trade_no, t.amount).await.unwrap();
        let (oa, ob) = {
            let mut ids = t.order_ids.clone();
            ids.sort_by_key(|id| *id);
            let m: Vec<(i64, i64)> = sqlx::query_as("SELECT id, merchant_id FROM orders WHERE trade_id = (SELECT id FROM trades WHERE trade_no = $1)")
                .bind(&t.trade_no).fetch_all(&st.db.pool).await.unwrap();
            (m.iter().find(|x| x.1 == a).unwrap().0, m.iter().find(|x| x.1 == b).unwrap().0)
        };
        let detail = orders::detail(st, Reader::Shopper(buyer), oa).await.unwrap();
        let shown: Vec<(DiscountSource, Funder, i64)> =
            detail.discounts.iter().map(|d| (d.source, d.funder, d.amount)).collect();
        assert_eq!(
            shown,
            vec![
                (DiscountSource::FullReduction, Funder::Shop, 1000),
                (DiscountSource::ShopCoupon, Funder::Shop, 500),
                (DiscountSource::PlatformCoupon, Funder::Platform, 1149),
            ]
        );
        let items = |order: i64| async move {
            let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
                "SELECT id, sku_id, pay_amount FROM order_items WHERE order_id = $1 ORDER BY id",
            )
            .bind(order)
            .fetch_all(&st.db.pool)
            .await
            .unwrap();
            rows
        };
        let ia = items(oa).await;
        let ib = items(ob).await;
        let item = |rows: &[(i64, i64, i64)], sku: i64| *rows.iter().find(|r| r.1 == sku).unwrap();
        let (l0, l1, l2) = (item(&ia, a1), item(&ia, a2), item(&ib, b1));
        assert_eq!((l0.2, l1.2, l2.2), (9881, 2470, 9148));

        // refund 1 of 2 of line 0: ⌊9881 / 2⌋ = 49.40; the coupons stay spent
        let refund = |order: i64, lines: Vec<(i64, i64)>| async move {
            let id = after_sales::request(st, buyer, &refund_only(order, &lines)).await.unwrap();
            let scope = merchant_scope(st, if order == oa { a } else { b }).await;
            after_sales::approve(st, &scope, id, "127.0.0.1").await.unwrap();
            wait_refunded(st, buyer, id).await;
            after_sales::view(st, Reader::Shopper(buyer), id).await.unwrap()
        };
        let v = refund(oa, vec![(l0.0, 1)]).await;
        assert_eq!(v.amount, 4940);
        assert_eq!(v.coupon_note, "「A店满50减5」部分退款，优惠券不退回；「平台9折券」部分退款，优惠券不退回");
        // 1 of 3 of line 2: ⌊9148 / 3⌋ = 30.49
        assert_eq!(refund(ob, vec![(l2.0, 1)]).await.amount, 3049);
        // the rest of order A, before shipment: the last unit takes the remainder (49.41), and
        // the shop coupon (every line it touched refunded) comes back; the platform coupon
        // also touched shop B's line, which is not all refunded
        let v = refund(oa, vec![(l0.0, 1), (l1.0, 1)]).await;
        assert_eq!(v.amount, 4941 + 2470);
        assert_eq!(v.coupon_note, "「A店满50减5」整单发货前退款，优惠券已退回；「平台9折券」部分退款，优惠券不退回");
        assert_eq!(copy_status(st, shop_coupon).await.0, CopyStatus::Available);
        assert_eq!(copy_status(st, platform).await.0, CopyStatus::Used);

        // order B ships and completes: commission 5% of 99.99 = 5.00 less its refunded share
        // ⌊500 × 3049 / 9148⌋ = 1.66 → 3.34; subsidy 8.51 less ⌊851 × 3049 / 9148⌋ = 2.83 →
        // 5.68; the shop holds 91.48 − 30.49 + 5.68 − 3.34 = 63.33
        let scope_b = merchant_scope(st, b).await;
        orders::ship(
            st,
            &scope_b,
            &orders::Shipment { order_id: ob, carrier: "顺丰".into(), tracking_no: "SF1234567890".into() },
            "127.0.0.1",
        )
        .await
        .unwrap();
        orders::confirm_receipt(st, buyer, ob).await.unwrap();
        let mut conn = st.db.pool.acquire().await.unwrap();
        let mut held = ledger_repo::order_holdings(&mut conn, ob).await.unwrap();
        held.sort();
        assert_eq!(
            held,
            vec![
                (AccountKind::Clearing, 6099),
                (AccountKind::CommissionIncome, -334),
                (AccountKind::SubsidyExpense, 568),
                (AccountKind::MerchantPending, -6333),
            ]
        );
        // order A, refunded in full, holds nothing anywhere
        let a_held = ledger_repo::order_holdings(&mut conn, oa).await.unwrap();
        assert!(a_held.iter().all(|(_, v)| *v == 0), "{a_held:?}");
        let row = app::repo::orders::order(&mut conn, Reader::Platform, ob).await.unwrap().unwrap();
        let money = app::services::ledger::order_money(&mut conn, &[row]).await.unwrap();
        let bill = app::domain::ledger::settlement_amounts(&money[0]);
        assert_eq!(
            bill.columns(),
            [9999, 0, 851, 0, 334, 9999 - 334 - 6333, 6333]
        );
        let rec = app::services::ledger::reconcile(st).await.unwrap();
        assert!(rec.drifts.is_empty(), "{:?}", rec.drifts);

        // the usage reports: the platform coupon spent (¥20.00 off a trade that paid ¥214.99),
        // the shop coupon given back
        let report = coupons::list(st, Issuer::Platform(&operator())).await.unwrap();
        let p = report.iter().find(|t| t.name == "平台9折券").unwrap();
        assert_eq!((p.usage.issued, p.usage.used, p.usage.discount, p.usage.gmv), (1, 1, 2000, 21_499));
        let shop_report = coupons::list(st, Issuer::Shop(&merchant_scope(st, a).await)).await.unwrap();
        let s = shop_report.iter().find(|t| t.name == "A店满50减5").unwrap();
        assert_eq!((s.usage.issued, s.usage.used, s.usage.discount), (1, 0, 0));
        let csv = coupons::usage_csv(st, Issuer::Platform(&operator())).await.unwrap();
        assert!(csv.contains(",平台9折券,9折 最高减¥20.00,进行中,10,1,1,0,0,20.00,214.99\r\n"), "{csv}");
    }

    /// A sign-up template gives each new shopper one copy, until its copies run out.
    async fn new_shoppers_get_sign_up_coupons(app: TestApp) {
        let st = &app.st;
        let mut input = coupon_input("新人券", amount_off(0, 300), 2, 1);
        input.distribution = app::domain::coupon::Distribution::SignUp;
        create_coupon(st, None, &input).await;
        let mut held = Vec::new();
        for phone in ["13800000101", "13800000102", "13800000103"] {
            let me = app::services::accounts::register_shopper(st, phone, "jishi2026", "")
                .await
                .unwrap();
            let mine = coupons::mine(st, me.account_id, coupons::MyTab::Available).await.unwrap();
            held.push(mine.len());
        }
        assert_eq!(held, vec![1, 1, 0], "two copies for the first two");
        // a sign-up coupon is not claimable in the coupon centre
        assert!(coupons::claimable(st, None, None).await.unwrap().is_empty());
    }

    /// Overlapping full-reductions on one product are refused at save time; a free-shipping
    /// tier waives the shop's shipping.
    async fn full_reductions_do_not_overlap(app: TestApp) {
        app.seed_demo().await;
        let st = &app.st;
        let (a, a1, _, _, _) = {
            let rows: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT s.id, s.merchant_id FROM skus s JOIN products p ON p.id = s.product_id \
                 WHERE p.status = 'on_sale' AND s.active = 1 AND EXISTS (SELECT 1 FROM shipping_templates t \
                 WHERE t.merchant_id = s.merchant_id AND t.is_default = 1) ORDER BY s.id",
            )
            .fetch_all(&st.db.pool)
            .await
            .unwrap();
            (rows[0].1, rows[0].0, 0, 0, 0)
        };
        crate::common::end_demo_promotions(st).await;
        let scope = merchant_scope(st, a).await;
        let buyer = shopper(st, 1).await;
        with_address(st, buyer).await;
        price_sku(st, a1, 1000).await;
        let before = checkout::preview(st, buyer, &basket(&[(a1, 1)])).await.unwrap();
        assert!(before.shipping > 0, "the shop charges shipping to 贵州");
        full_reductions::create(st, &scope, &full_reduction("满10包邮", 1000, 0, true), "127.0.0.1")
            .await
            .unwrap();
        let e = full_reductions::create(st, &scope, &full_reduction("又一个", 5000, 500, false), "127.0.0.1")
            .await
            .unwrap_err();
        assert!(e.to_string().contains("已参加同时段的满减活动「满10包邮」"), "{e}");
        let after = checkout::preview(st, buyer, &basket(&[(a1, 1)])).await.unwrap();
        assert_eq!(after.shipping, 0);
        assert!(after.shops[0].free_shipping);
        assert_eq!(after.total, 1000);
    }
}
