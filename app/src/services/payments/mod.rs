//! Payments: the one notification handler every provider delivers to, paying, closing unpaid
//! trades at their providers, and stray payments (`stray`). The providers themselves, behind the
//! `PaymentProvider` port, are in `infra::payments`.
//!
//! A provider only talks to the outside: it prepares a payment, verifies and decodes the
//! notifications it sends, and asks for refunds. What a notification changes (trade paid, orders
//! to ship, sales counted; refunds recorded) is decided here, once, for every provider, and is
//! idempotent: each notification is recorded by its id, and every state change is a conditional
//! update, so replays and concurrent deliveries change nothing more.

pub mod refunds;
pub mod stray;

use std::sync::Arc;

use crate::domain::ledger::LedgerEvent;
use crate::domain::order::{OrderAction, OrderStatus, TradeStatus};
use crate::domain::order_view::TradeToPay;
use crate::domain::reader::Reader;
use crate::domain::state_machine::Actor;
use crate::error::{AppError, AppResult};
use crate::infra::payments::{
    simulated, wechat_pay, Notification, NotificationKind, PayAction, PaymentProvider,
    PrepayRequest,
};
use crate::repo::orders as order_repo;
use crate::repo::payments as repo;
use crate::repo::trades as trade_repo;
use crate::services::{group_seats, ledger, presale_balances, presales};
use crate::state::AppState;

/// Handles a notification from `provider` (raw headers and body, as received). Returns Ok for
/// anything the provider may stop re-sending (done now, or done before); an error for a bad
/// signature or a notification that does not match our records (it changes nothing).
pub async fn handle_notification(
    st: &AppState,
    provider: &str,
    headers: &http::HeaderMap,
    body: &[u8],
) -> AppResult<()> {
    let p = st.payments.get(provider)?;
    let n = p.verify_notification(headers, body)?;
    match n.kind {
        NotificationKind::Payment => on_payment(st, p.name(), &n).await,
        NotificationKind::Refund => {
            if stray::on_refund_notification(st, p.name(), &n).await? {
                return Ok(());
            }
            crate::services::after_sales::on_refund_notification(st, p.name(), &n).await
        }
    }
}

async fn on_payment(st: &AppState, provider: &str, n: &Notification) -> AppResult<()> {
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    let trade = trade_repo::trade_by_no(&mut tx, &n.reference)
        .await?
        .ok_or_else(|| {
            tracing::warn!(trade_no = %n.reference, "payment notification for an unknown trade");
            AppError::bad_request("unknown trade")
        })?;
    if n.success && n.amount != trade.amount {
        tracing::error!(
            trade_no = %n.reference, paid = n.amount, expected = trade.amount,
            "payment notification amount does not match the trade"
        );
        return Err(AppError::bad_request("amount mismatch"));
    }
    let first = repo::record_notification(
        &mut tx,
        provider,
        &n.notify_id,
        "payment",
        &n.reference,
        n.amount,
        now,
    )
    .await?;
    if !first || !n.success {
        // a replay, or a failed payment: nothing to change
        tx.commit().await?;
        return Ok(());
    }
    if !trade_repo::mark_trade_paid(&mut tx, trade.id, provider, &n.provider_ref, now).await? {
        // closed or paid meanwhile: read it again as it is now, and send back what it cannot keep
        let trade = trade_repo::trade_by_id(&mut tx, trade.id)
            .await?
            .ok_or_else(|| AppError::internal("trade vanished"))?;
        let stray = match stray::kind_of(&trade, provider, n) {
            Some(kind) => stray::record(&mut tx, &trade, kind, provider, n, now).await?,
            None => None,
        };
        tx.commit().await?;
        if let Some(id) = stray {
            stray::refund(st, id).await?;
        }
        return Ok(());
    }
    // a 预售 order's balance has a trade of its own
    if presale_balances::on_trade_paid(&mut tx, trade.id, provider_label(provider), now).await? {
        tx.commit().await?;
        return Ok(());
    }
    // the coupons the checkout locked are spent now
    crate::repo::coupons::use_of_trade(&mut tx, trade.id, now).await?;
    let orders = order_repo::orders_of_trade(&mut tx, trade.id).await?;
    let mut late_group_payment = false;
    for o in &orders {
        // a 预售 deposit waits for its balance (待付尾款), a 拼团 order for its group (待成团);
        // the rest go to 待发货
        let to = match presale_balances::deposit_paid_status(&mut tx, o.id).await? {
            Some(to) => to,
            None => group_seats::paid_status(&mut tx, o.id).await?,
        };
        order_repo::transition(&mut tx, o.id, OrderAction::Pay, Actor::Shopper, to, now).await?;
        order_repo::add_event(
            &mut tx,
            o.id,
            "paid",
            provider_label(provider),
            "shopper",
            now,
        )
        .await?;
        ledger::post_order(&mut tx, LedgerEvent::Payment, o.id, o.id, now).await?;
        // a 预售 order's ship promise counts from now (a deposit order's from its balance)
        if to != OrderStatus::AwaitingBalance {
            presales::on_paid(&mut tx, o.id, now).await?;
        }
        if group_seats::on_paid(&mut tx, o.id, now).await? == group_seats::Paid::Late {
            late_group_payment = true;
        }
    }
    let ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
    let mut items = order_repo::items_of_orders(&mut tx, &ids).await?;
    // in one order (by product) however the trade's items came, so concurrent payments of
    // overlapping products lock them in the same order
    items.sort_by_key(|i| i.product_id);
    for i in &items {
        crate::repo::products::add_sales(&mut tx, i.product_id, i.qty).await?;
    }
    tx.commit().await?;
    if late_group_payment {
        // its group was over before the money came: the group timers' next pass refunds it
        // (`services::group_buys::refund_owed`)
        tracing::info!(trade_no = %n.reference, "a 拼团 payment for a group that is over");
    }
    Ok(())
}

/// Closes, at their providers, the orders of trades that closed unpaid (a few at a time; one
/// that fails is tried again a minute later by the timers).
pub async fn close_at_providers(st: &AppState) {
    const AT_ONCE: usize = 8;
    let now = st.clock.now_ms();
    let due = match trade_repo::take_provider_closes(&st.db.pool, now, now + 60_000, 200).await {
        Ok(due) => due,
        Err(e) => {
            tracing::error!("provider closes not read: {e:?}");
            return;
        }
    };
    for chunk in due.chunks(AT_ONCE) {
        let mut calls = tokio::task::JoinSet::new();
        for (id, trade_no, provider) in chunk.iter().cloned() {
            let st = st.clone();
            calls.spawn(async move {
                let p = st.payments.get(&provider)?;
                p.close(&trade_no).await?;
                trade_repo::provider_closed(&st.db.pool, id).await
            });
        }
        while let Some(done) = calls.join_next().await {
            if let Ok(Err(e)) = done {
                tracing::warn!("closing a provider order failed, tried again later: {e:?}");
            }
        }
    }
}

/// The shopper's word for a provider (on the order timeline).
pub fn provider_label(name: &str) -> &'static str {
    match name {
        simulated::NAME => "模拟支付",
        wechat_pay::NAME => "微信支付",
        _ => "在线支付",
    }
}

/// What the client does to pay a trade, and the trade's amount (fen) it pays.
#[derive(Debug)]
pub struct Prepared {
    pub action: PayAction,
    /// fen: the whole trade, one payment for every shop's order
    pub amount: i64,
}

/// Prepares paying a trade of this shopper with `provider`.
/// Errors: 404 for a trade that is not this shopper's, 409 when it is paid or closed.
pub async fn prepay(
    st: &AppState,
    shopper_id: i64,
    trade_no: &str,
    provider: &Arc<dyn PaymentProvider>,
) -> AppResult<Prepared> {
    let trade = trade_repo::trade_by_no(&mut *st.db.pool.acquire().await?, trade_no)
        .await?
        .filter(|t| t.shopper_id == shopper_id)
        .ok_or_else(|| AppError::not_found("订单不存在"))?;
    match trade.status {
        TradeStatus::Paid => return Err(AppError::Conflict("该订单已支付".into())),
        TradeStatus::Closed => return Err(AppError::Conflict("订单已超时关闭，请重新下单".into())),
        TradeStatus::Unpaid => {}
    }
    if trade.pay_deadline <= st.clock.now_ms() {
        return Err(AppError::Conflict("订单已超时关闭，请重新下单".into()));
    }
    let openid = crate::repo::accounts::shopper_openid(&st.db.pool, shopper_id).await?;
    // noted before the provider hears of it, so a close is owed whatever happens next
    trade_repo::set_prepaid_with(&mut *st.db.pool.acquire().await?, trade.id, provider.name())
        .await?;
    let action = provider
        .prepay(&PrepayRequest {
            trade_no: trade.trade_no.clone(),
            amount: trade.amount,
            description: format!("集市订单 {}", trade.trade_no),
            expires_at: trade.pay_deadline,
            openid,
        })
        .await?;
    Ok(Prepared {
        action,
        amount: trade.amount,
    })
}

pub async fn trade_to_pay(st: &AppState, shopper_id: i64, trade_no: &str) -> AppResult<TradeToPay> {
    let mut conn = st.db.pool.acquire().await?;
    let trade = trade_repo::trade_by_no(&mut conn, trade_no)
        .await?
        .filter(|t| t.shopper_id == shopper_id)
        .ok_or_else(|| AppError::not_found("订单不存在"))?;
    let mut orders: Vec<(i64, i64)> = order_repo::orders_of_trade(&mut conn, trade.id)
        .await?
        .iter()
        .map(|o| (o.merchant_id, o.pay_amount))
        .collect();
    // a 预售 deposit trade pays the deposit; a balance's trade, its order's balance
    let balance = crate::repo::presale_balances::of_trade(&mut conn, trade.id).await?;
    if let Some(b) = &balance {
        let o = order_repo::order(&mut conn, Reader::Shopper(shopper_id), b.order_id)
            .await?
            .ok_or_else(|| AppError::internal("a balance without its order"))?;
        orders.push((o.merchant_id, b.balance));
    } else if let [(_, amount)] = orders.as_mut_slice() {
        *amount = trade.amount;
    }
    let ids: Vec<i64> = orders.iter().map(|o| o.0).collect();
    let names = order_repo::shop_names(&mut conn, &ids).await?;
    Ok(TradeToPay {
        shops: orders
            .iter()
            .map(|&(merchant_id, amount)| {
                let name = names.iter().find(|n| n.0 == merchant_id);
                (name.map(|n| n.1.clone()).unwrap_or_default(), amount)
            })
            .collect(),
        trade_no: trade.trade_no,
        amount: trade.amount,
        status: trade.status,
        pay_deadline: trade.pay_deadline,
        simulated: st.payments.get(simulated::NAME).is_ok(),
    })
}

/// The shopper confirms on the simulated provider's pay page: the provider sends its signed
/// notification to the one handler, exactly as it would over HTTP.
pub async fn pay_simulated(st: &AppState, shopper_id: i64, trade_no: &str) -> AppResult<()> {
    let provider = st.payments.get(simulated::NAME)?;
    let prepared = prepay(st, shopper_id, trade_no, provider).await?;
    debug_assert!(matches!(prepared.action, PayAction::Page { .. }));
    let (headers, body) = st
        .simulated_pay
        .payment_notification(trade_no, prepared.amount);
    handle_notification(st, simulated::NAME, &headers, &body).await
}
