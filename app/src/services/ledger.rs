//! Posting to the ledger from the events of an order's life, and the reconciliation check.
//!
//! Every function here runs inside the caller's transaction, beside the state change it
//! records, so the ledger and the orders can never disagree about whether something happened.

use std::collections::HashMap;

use sqlx::AnyConnection;

use crate::domain::ledger::{
    order_shares, AccountKind, ItemMoney, LedgerEvent, OrderMoney, OrderShares,
};
use crate::domain::presale_deposit::BalanceStatus;
use crate::domain::reader::Reader;
use crate::domain::settlement::{Drift, Reconciliation};
use crate::error::{AppError, AppResult};
use crate::repo::ledger::{self as repo, NewLine};
use crate::repo::orders::{self as order_repo, OrderRow};
use crate::repo::presale_balances as balance_repo;
use crate::repo::trades as trade_repo;
use crate::state::AppState;

/// The money of these orders as the ledger sees it: items, refunds the provider confirmed, and
/// how far each order has gone.
pub async fn order_money(
    conn: &mut AnyConnection,
    orders: &[OrderRow],
) -> AppResult<Vec<OrderMoney>> {
    let ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
    let items = order_repo::items_of_orders(conn, &ids).await?;
    let refunded = repo::refunded_items(conn, &ids).await?;
    let shipping = repo::refunded_shipping(conn, &ids).await?;
    let balances = balance_repo::of_orders(conn, &ids).await?;
    Ok(orders
        .iter()
        .map(|o| {
            let balance = balances.iter().find(|b| b.order_id == o.id);
            let unpaid = balance.filter(|b| b.status != BalanceStatus::Paid);
            (o, unpaid)
        })
        .map(|(o, unpaid)| OrderMoney {
            items: items
                .iter()
                .filter(|i| i.order_id == o.id)
                .map(|i| {
                    let (_, rq, ra) = refunded
                        .iter()
                        .find(|r| r.0 == i.id)
                        .copied()
                        .unwrap_or_default();
                    ItemMoney {
                        qty: i.qty,
                        gross: i.gross,
                        merchant_discount: i.merchant_discount,
                        platform_discount: i.platform_discount,
                        commission_bps: i.commission_bps,
                        refunded_qty: rq,
                        refunded_amount: ra,
                    }
                })
                .collect(),
            shipping_fee: o.shipping_fee,
            shipping_refunded: shipping.iter().find(|s| s.0 == o.id).map_or(0, |s| s.1),
            paid: o.paid_at.is_some(),
            completed: o.completed_at.is_some(),
            unpaid_balance: unpaid.map_or(0, |b| b.balance),
            deposit_kept: unpaid.is_some_and(|b| b.status == BalanceStatus::Kept),
        })
        .collect())
}

/// What the ledger holds for an order, on the accounts' normal sides (the merchant's pending
/// and available together).
fn held(holdings: &[(AccountKind, i64)]) -> OrderShares {
    let sum = |kinds: &[AccountKind]| -> i64 {
        holdings
            .iter()
            .filter(|(k, _)| kinds.contains(k))
            .map(|(k, v)| k.sign() * v)
            .sum()
    };
    OrderShares {
        clearing: sum(&[AccountKind::Clearing]),
        merchant: sum(&[AccountKind::MerchantPending, AccountKind::MerchantAvailable]),
        commission: sum(&[AccountKind::CommissionIncome]),
        subsidy: sum(&[AccountKind::SubsidyExpense]),
    }
}

/// Posts `event` for `source_id`: whatever brings the ledger's holdings for `order_id` to what
/// the order's state now says they should be. Posting the same event again posts nothing.
pub async fn post_order(
    conn: &mut AnyConnection,
    event: LedgerEvent,
    source_id: i64,
    order_id: i64,
    now: i64,
) -> AppResult<()> {
    let order = order_repo::order(conn, Reader::Platform, order_id)
        .await?
        .ok_or_else(|| AppError::internal("posting for a missing order"))?;
    let money = order_money(conn, std::slice::from_ref(&order)).await?;
    let target = order_shares(&money[0]);
    let now_held = held(&repo::order_holdings(conn, order_id).await?);
    let diff = OrderShares {
        clearing: target.clearing - now_held.clearing,
        merchant: target.merchant - now_held.merchant,
        commission: target.commission - now_held.commission,
        subsidy: target.subsidy - now_held.subsidy,
    };
    let lines: Vec<NewLine> = diff
        .lines(AccountKind::MerchantPending)
        .into_iter()
        .map(|(kind, amount)| NewLine {
            kind,
            merchant_id: if kind.is_merchant() {
                order.merchant_id
            } else {
                0
            },
            order_id: Some(order.id),
            amount,
        })
        .collect();
    repo::post(
        conn,
        event,
        source_id,
        order.merchant_id,
        &order.order_no,
        &lines,
        now,
    )
    .await?;
    Ok(())
}

/// A stray payment (paid after its trade closed, or paid twice): held as owed back to the payer
/// until it is sent back. Source: the stray payment.
pub async fn post_stray_payment(
    conn: &mut AnyConnection,
    stray_id: i64,
    trade_no: &str,
    amount: i64,
    now: i64,
) -> AppResult<()> {
    let lines = [
        platform_line(AccountKind::Clearing, amount),
        platform_line(AccountKind::RefundPayable, -amount),
    ];
    repo::post(
        conn,
        LedgerEvent::StrayPayment,
        stray_id,
        0,
        trade_no,
        &lines,
        now,
    )
    .await?;
    Ok(())
}

/// That payment sent back.
pub async fn post_stray_refund(
    conn: &mut AnyConnection,
    stray_id: i64,
    trade_no: &str,
    amount: i64,
    now: i64,
) -> AppResult<()> {
    let lines = [
        platform_line(AccountKind::RefundPayable, amount),
        platform_line(AccountKind::Clearing, -amount),
    ];
    repo::post(
        conn,
        LedgerEvent::StrayRefund,
        stray_id,
        0,
        trade_no,
        &lines,
        now,
    )
    .await?;
    Ok(())
}

fn platform_line(kind: AccountKind, amount: i64) -> NewLine {
    NewLine {
        kind,
        merchant_id: 0,
        order_id: None,
        amount,
    }
}

/// A line on a merchant's own accounts (settlement, withdrawals).
pub fn merchant_line(
    kind: AccountKind,
    merchant_id: i64,
    order_id: Option<i64>,
    amount: i64,
) -> NewLine {
    NewLine {
        kind,
        merchant_id,
        order_id,
        amount,
    }
}

/// Differences between what the ledger holds for these orders (`holdings`: per order, by
/// account kind) and what their items, refunds and state say it should hold.
async fn order_drifts(
    conn: &mut AnyConnection,
    orders: &[OrderRow],
    holdings: &HashMap<i64, Vec<(AccountKind, i64)>>,
) -> AppResult<Vec<Drift>> {
    let mut drifts = Vec::new();
    let money = order_money(conn, orders).await?;
    for (o, m) in orders.iter().zip(&money) {
        let target = order_shares(m);
        let got = held(holdings.get(&o.id).map_or(&[][..], Vec::as_slice));
        for (name, want, have) in [
            ("平台清算户", target.clearing, got.clearing),
            ("商家应得", target.merchant, got.merchant),
            ("佣金", target.commission, got.commission),
            ("平台补贴", target.subsidy, got.subsidy),
        ] {
            if want != have {
                drifts.push(Drift {
                    subject: format!("订单 {} {name}", o.order_no),
                    expected: want,
                    actual: have,
                });
            }
        }
        if m.refunded() != o.refunded_amount {
            drifts.push(Drift {
                subject: format!("订单 {} 已退款（退款单合计）", o.order_no),
                expected: m.refunded(),
                actual: o.refunded_amount,
            });
        }
    }
    Ok(drifts)
}

/// The reconciliation of some orders only (the property tests check each step's orders).
pub async fn check_orders(conn: &mut AnyConnection, orders: &[OrderRow]) -> AppResult<Vec<Drift>> {
    let mut holdings = HashMap::new();
    for o in orders {
        holdings.insert(o.id, repo::order_holdings(conn, o.id).await?);
    }
    order_drifts(conn, orders, &holdings).await
}

/// Checks the ledger against the orders, payments and refunds, and against itself. Every
/// difference is listed; none means every fen is where the orders say it is.
pub async fn reconcile(st: &AppState) -> AppResult<Reconciliation> {
    let now = st.clock.now_ms();
    // one moment for every figure: a payment landing between two reads is no drift
    let mut conn = st.db.begin_snapshot().await?;
    let mut drifts = Vec::new();
    // the ledger against itself: postings balance, balances are the sums of their lines
    for (id, event, sum) in repo::unbalanced_postings(&mut conn).await? {
        drifts.push(Drift {
            subject: format!("记账凭证 #{id}（{event}）借贷不平"),
            expected: 0,
            actual: sum,
        });
    }
    let accounts = repo::accounts(&mut conn, None).await?;
    let mut clearing_balance = 0;
    let mut withdrawn_total = 0;
    for a in &accounts {
        let Some(kind) = AccountKind::parse(&a.kind) else {
            continue;
        };
        match kind {
            AccountKind::Clearing => clearing_balance += a.balance,
            AccountKind::MerchantWithdrawn => withdrawn_total += a.balance,
            _ => {}
        }
        if a.balance != kind.sign() * a.lines_sum {
            drifts.push(Drift {
                subject: format!("账户 #{}（{}）余额与分录合计", a.id, kind.label()),
                expected: kind.sign() * a.lines_sum,
                actual: a.balance,
            });
        }
        if a.balance < 0 {
            drifts.push(Drift {
                subject: format!("账户 #{}（{}）余额为负", a.id, kind.label()),
                expected: 0,
                actual: a.balance,
            });
        }
    }
    // every paid order against what its items, refunds and state say
    let orders = order_repo::paid_orders(&mut conn).await?;
    let mut holdings: HashMap<i64, Vec<(AccountKind, i64)>> = HashMap::new();
    for (order, kind, sum) in repo::all_order_holdings(&mut conn).await? {
        holdings.entry(order).or_default().push((kind, sum));
    }
    for chunk in orders.chunks(200) {
        drifts.extend(order_drifts(&mut conn, chunk, &holdings).await?);
    }
    // a 预售 deposit order holds its balance only once the balance is paid
    let unpaid_balances = balance_repo::unpaid_total(&mut conn).await?;
    let paid_total: i64 = orders.iter().map(|o| o.pay_amount).sum::<i64>() - unpaid_balances;
    let refunded_total: i64 = orders.iter().map(|o| o.refunded_amount).sum();
    // payments: each paid trade's amount is what its orders owed it (a balance's trade: the
    // balance)
    let mut trades = trade_repo::paid_trade_totals(&mut conn).await?;
    trades.extend(balance_repo::paid_trade_totals(&mut conn).await?);
    for (trade_no, amount, orders_sum) in trades {
        if amount != orders_sum {
            drifts.push(Drift {
                subject: format!("支付单 {trade_no} 金额与订单合计"),
                expected: orders_sum,
                actual: amount,
            });
        }
    }
    // stray payments still to send back sit in clearing beside the orders' money
    let stray_unreturned = crate::repo::payments::stray_payments_unreturned(&mut conn).await?;
    let expected_clearing = paid_total - refunded_total + stray_unreturned;
    if clearing_balance != expected_clearing {
        drifts.push(Drift {
            subject: "平台清算户 = 实收 − 已退款".into(),
            expected: expected_clearing,
            actual: clearing_balance,
        });
    }
    Ok(Reconciliation {
        checked_at: now,
        orders_checked: orders.len() as i64,
        postings_checked: repo::posting_count(&mut conn).await?,
        paid_total,
        refunded_total,
        clearing_balance,
        withdrawn_total,
        drifts,
    })
}
