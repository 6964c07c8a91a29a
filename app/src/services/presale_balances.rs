//! 预售 定金+尾款: paying a deposit order's balance, and what a missed balance window does
//! (`domain::presale_deposit`). The balance is paid with a trade of its own, made when the
//! shopper starts paying it and open until the window closes, so the provider paths (prepay,
//! notification, a late payment sent back) are those of every trade.
//!
//! A balance payment and the window's close are ordered by the balance's trade: the timer
//! closes that trade (a conditional update) before it marks the balance missed, and a payment
//! marks the trade paid (also conditional) in the transaction that marks the balance paid.
//! Whichever comes first wins; a payment that loses is refunded as a late payment.

use crate::domain::ledger::LedgerEvent;
use crate::domain::order::{OrderAction, OrderStatus, TradeAction, TradeStatus};
use crate::domain::presale_deposit::{
    balance_open, BalanceAction, BalanceStatus, BalanceView, MissedBalance,
};
use crate::domain::reader::Reader;
use crate::domain::state_machine::Actor;
use crate::domain::subscribe_message::SubscribeEvent;
use crate::domain::time::datetime_text;
use crate::error::{AppError, AppResult};
use crate::infra::db::WriteTx;
use crate::infra::numbers::new_number;
use crate::repo::activity_stock::{self, PRESALE};
use crate::repo::orders as order_repo;
use crate::repo::presale_balances::{self as repo, BalanceRow};
use crate::repo::stock::{self as stock_repo, StockLine};
use crate::repo::trades::{self as trade_repo, NewTrade};
use crate::services::{after_sales, ledger, presales, subscriptions};
use crate::state::AppState;

/// The status a deposit order's first payment moves it to (待付尾款); `None` for an order
/// without a balance.
pub async fn deposit_paid_status(
    tx: &mut WriteTx,
    order_id: i64,
) -> AppResult<Option<OrderStatus>> {
    Ok(repo::of_order(tx, order_id)
        .await?
        .map(|_| OrderStatus::AwaitingBalance))
}

/// The shopper starts paying an order's balance: the balance's trade (made once, open until
/// the window closes), to pay like any trade. Errors: 404 for an order that is not theirs or
/// has no balance; 409 when the balance is not due (paid, missed) or outside its window.
pub async fn start_paying(st: &AppState, shopper_id: i64, order_id: i64) -> AppResult<String> {
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    let order = order_repo::order(&mut tx, Reader::Shopper(shopper_id), order_id)
        .await?
        .ok_or_else(|| AppError::not_found("订单不存在"))?;
    let b = repo::of_order(&mut tx, order.id)
        .await?
        .ok_or_else(|| AppError::not_found("该订单没有尾款"))?;
    if b.status != BalanceStatus::Due || order.status != OrderStatus::AwaitingBalance {
        tx.rollback().await?;
        return Err(AppError::Conflict(format!(
            "尾款{}",
            match b.status {
                BalanceStatus::Due => "暂不能支付",
                s => s.label(),
            }
        )));
    }
    if let Err(e) = balance_open(b.starts_at, b.ends_at, now) {
        tx.rollback().await?;
        return Err(e);
    }
    if let Some(trade_id) = b.trade_id {
        let trade = trade_repo::trade_by_id(&mut tx, trade_id)
            .await?
            .ok_or_else(|| AppError::internal("balance trade vanished"))?;
        tx.rollback().await?;
        return match trade.status {
            TradeStatus::Unpaid => Ok(trade.trade_no),
            TradeStatus::Paid => Err(AppError::Conflict("尾款已支付".into())),
            TradeStatus::Closed => Err(AppError::Conflict("尾款支付已截止".into())),
        };
    }
    let trade_no = new_number();
    let key = format!("balance-{}", order.id);
    let trade = NewTrade {
        trade_no: &trade_no,
        shopper_id,
        idempotency_key: &key,
        amount: b.balance,
        pay_deadline: b.ends_at,
        now,
    };
    let Some(trade_id) = trade_repo::insert_trade(&mut tx, &trade).await? else {
        // a second tap raced this one: answer with the trade it made
        tx.rollback().await?;
        let mut conn = st.db.pool.acquire().await?;
        return trade_repo::trade_by_key(&mut conn, shopper_id, &key)
            .await?
            .map(|t| t.trade_no)
            .ok_or_else(|| AppError::internal("a balance trade vanished"));
    };
    if !repo::set_trade(&mut tx, order.id, trade_id).await? {
        tx.rollback().await?;
        return Err(AppError::Conflict("尾款状态已变化，请刷新".into()));
    }
    tx.commit().await?;
    Ok(trade_no)
}

/// The 预售 deposit order a trade pays the deposit or the balance of, if any (the trade was
/// just paid by its shopper).
pub async fn order_of_trade(st: &AppState, trade_no: &str) -> AppResult<Option<i64>> {
    let mut conn = st.db.pool.acquire().await?;
    let Some(trade) = trade_repo::trade_by_no(&mut conn, trade_no).await? else {
        return Ok(None);
    };
    if let Some(b) = repo::of_trade(&mut conn, trade.id).await? {
        return Ok(Some(b.order_id));
    }
    let orders = order_repo::orders_of_trade(&mut conn, trade.id).await?;
    match orders.as_slice() {
        [o] => Ok(repo::of_order(&mut conn, o.id).await?.map(|b| b.order_id)),
        _ => Ok(None),
    }
}

/// A paid trade that is a balance's, in the payment's transaction (the trade was just marked
/// paid): the balance is paid, the order goes to 待发货 with its ship promise counted from now,
/// and the ledger takes the balance. False when the trade is no balance's.
pub async fn on_trade_paid(
    tx: &mut WriteTx,
    trade_id: i64,
    provider_label: &str,
    now: i64,
) -> AppResult<bool> {
    let Some(b) = repo::of_trade(tx, trade_id).await? else {
        return Ok(false);
    };
    let pay = (BalanceAction::Pay, Actor::Shopper, BalanceStatus::Paid);
    if !repo::transition(tx, b.order_id, pay, now).await? {
        // the window's close closes this trade before it moves the balance, so a trade that
        // could be marked paid has a due balance
        return Err(AppError::internal(
            "a balance paid twice or after it was missed",
        ));
    }
    let (action, by) = (OrderAction::PayBalance, Actor::Shopper);
    if !order_repo::transition(tx, b.order_id, action, by, OrderStatus::ToShip, now).await? {
        return Err(AppError::internal(
            "a balance paid for an order not awaiting it",
        ));
    }
    let note = format!(
        "尾款 ¥{}，{provider_label}",
        crate::domain::money::yuan_text(b.balance)
    );
    order_repo::add_event(tx, b.order_id, "balance_paid", &note, "shopper", now).await?;
    ledger::post_order(tx, LedgerEvent::BalancePayment, b.order_id, b.order_id, now).await?;
    presales::on_paid(tx, b.order_id, now).await?;
    Ok(true)
}

/// A balance as the order pages show it at `now`, its order in `order` (before the deposit
/// is paid, the balance waits for it).
pub fn view(b: &BalanceRow, order: OrderStatus, now: i64) -> BalanceView {
    let deposit_due = order == OrderStatus::Unpaid;
    let short = |ms: i64| datetime_text(ms).get(5..).unwrap_or_default().to_string();
    BalanceView {
        deposit: b.deposit,
        inflation: b.inflation,
        balance: b.balance,
        starts_at: b.starts_at,
        ends_at: b.ends_at,
        window: format!("{} ~ {}", short(b.starts_at), short(b.ends_at)),
        status: b.status,
        status_label: if deposit_due {
            "待付定金".into()
        } else {
            b.status.label().into()
        },
        missed_policy: b.missed,
        missed_policy_label: b.missed.label().into(),
        payable_now: !deposit_due
            && b.status == BalanceStatus::Due
            && balance_open(b.starts_at, b.ends_at, now).is_ok(),
    }
}

/// Ends the balances whose window closed unpaid (a few hundred a pass; the rest next pass):
/// each order is cancelled with its stock back on sale, and its deposit refunded or kept as
/// the presale said. Returns how many ended.
pub async fn run_timers(st: &AppState) -> AppResult<usize> {
    let now = st.clock.now_ms();
    let due = repo::missed_by(&mut *st.db.pool.acquire().await?, now, 200).await?;
    let mut ended = 0;
    for b in &due {
        if let Some(refund) = miss(st, b, now).await? {
            ended += 1;
            if let Some(after_sale) = refund {
                // a failed ask is asked again by the refund retries
                after_sales::refund(st, after_sale).await?;
            }
        }
    }
    Ok(ended)
}

/// Tells the shoppers whose balance window has opened (尾款支付提醒: a subscription message with
/// the balance in fen and the window's close, owed once per balance in the transaction that
/// marks it told; nothing is owed when no template is configured). Returns how many were told.
pub async fn remind_open(st: &AppState) -> AppResult<usize> {
    let now = st.clock.now_ms();
    let due = repo::to_remind(&mut *st.db.pool.acquire().await?, now, 200).await?;
    let mut told = 0;
    for b in &due {
        let mut tx = st.db.begin_write().await?;
        if !repo::mark_reminded(&mut tx, b.order_id, now).await? {
            tx.rollback().await?;
            continue;
        }
        let event = SubscribeEvent::BalanceDue;
        subscriptions::owe(&mut tx, st, event, b.order_id, now, |v| {
            v.amount = Some(b.balance);
            v.deadline = b.ends_at;
        })
        .await?;
        tx.commit().await?;
        told += 1;
    }
    Ok(told)
}

/// One missed balance, in one transaction. `None` when it was paid or ended meanwhile; else
/// the after-sale refunding the deposit, if the policy refunds it.
async fn miss(st: &AppState, b: &BalanceRow, now: i64) -> AppResult<Option<Option<i64>>> {
    let mut tx = st.db.begin_write().await?;
    if let Some(trade_id) = b.trade_id {
        // first the trade: a payment that comes after this is sent back as late
        let (action, by) = (TradeAction::TimeOut, Actor::System);
        trade_repo::close_trades(&mut tx, &[trade_id], action, by, now).await?;
    }
    let to = b.missed.missed_status();
    if !repo::transition(
        &mut tx,
        b.order_id,
        (BalanceAction::Miss, Actor::System, to),
        now,
    )
    .await?
    {
        tx.rollback().await?;
        return Ok(None);
    }
    let (action, by) = (OrderAction::MissBalance, Actor::System);
    if !order_repo::transition(&mut tx, b.order_id, action, by, OrderStatus::Cancelled, now).await?
    {
        return Err(AppError::internal(
            "a missed balance of an order not awaiting it",
        ));
    }
    let reason = b.missed.label();
    order_repo::set_cancel_reason(&mut tx, b.order_id, reason).await?;
    order_repo::add_event(&mut tx, b.order_id, "balance_missed", reason, "system", now).await?;
    if b.missed == MissedBalance::Keep {
        // before the stock: every writer takes the ledger's accounts before products and SKUs
        // (as a refund's confirmation does), so two of them never wait on each other
        ledger::post_order(
            &mut tx,
            LedgerEvent::DepositKept,
            b.order_id,
            b.order_id,
            now,
        )
        .await?;
    }
    // the units never left the shop: back on sale, in the presale's stock and off the
    // shopper's limit, and not a sale
    let items = order_repo::items_of_orders(&mut tx, &[b.order_id]).await?;
    activity_stock::release_of_orders(&mut tx, PRESALE, &[b.order_id]).await?;
    let lines: Vec<StockLine> = items
        .iter()
        .map(|i| StockLine {
            product_id: i.product_id,
            sku_id: i.sku_id,
            qty: i.qty,
        })
        .collect();
    stock_repo::return_stock(&mut tx, &lines).await?;
    let refund = match b.missed {
        MissedBalance::Keep => {
            // (a refund lowers the sales of what it refunds when it is confirmed)
            for i in &items {
                crate::repo::products::lower_sales(&mut tx, i.product_id, i.qty).await?;
            }
            None
        }
        MissedBalance::Refund => {
            after_sales::refund_deposit(&mut tx, b.order_id, b.deposit, reason, now).await?
        }
    };
    tx.commit().await?;
    Ok(Some(refund))
}
