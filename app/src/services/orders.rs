//! Orders after checkout: reading them (each party only its own), cancelling an unpaid trade,
//! shipping, confirming receipt, and the timers' two jobs (closing unpaid trades, confirming
//! shipped orders). Every state change is a conditional update from the expected state, so a
//! timer and a person acting at the same moment cannot both win.

use std::collections::BTreeMap;

use sqlx::AnyConnection;

use crate::domain::audit::AuditTarget;
use crate::domain::ledger::LedgerEvent;
use crate::domain::order::{Delivery, OrderAction, OrderStatus, TradeAction};
use crate::domain::order_view::{
    event_label, OrderDetail, OrderDiscount, OrderEventView, OrderItemView, OrderPage,
    OrderSummary, OrderTab,
};
use crate::domain::presale::{may_refund_late, ship_by_text, ShipPromiseView};
use crate::domain::reader::Reader;
use crate::domain::state_machine::{Actor, StateMachine};
use crate::domain::subscribe_message::SubscribeEvent;
use crate::error::{AppError, AppResult};
use crate::repo::orders::{self as repo, ItemRow, OrderRow};
use crate::repo::shipping as shipping_repo;
use crate::repo::stock::{self as stock_repo, StockLine};
use crate::repo::trades as trade_repo;
use crate::services::merchants::MerchantScope;
use crate::state::AppState;

pub const ORDERS_PAGE_SIZE: i64 = 10;

/// A page of the orders `scope` may see under `tab`.
pub async fn list(st: &AppState, scope: Reader, tab: OrderTab, page: u32) -> AppResult<OrderPage> {
    let page = page.clamp(1, 1000);
    let (rows, total) = repo::list(
        &st.db.pool,
        scope,
        tab.statuses(matches!(scope, Reader::Shopper(_))),
        tab == OrderTab::AfterSale,
        tab == OrderTab::ToReview && matches!(scope, Reader::Shopper(_)),
        ORDERS_PAGE_SIZE,
        (page as i64 - 1) * ORDERS_PAGE_SIZE,
    )
    .await?;
    let mut conn = st.db.pool.acquire().await?;
    Ok(OrderPage {
        orders: summaries(&mut conn, scope, rows, st.clock.now_ms()).await?,
        total,
        page,
        page_size: ORDERS_PAGE_SIZE as u32,
    })
}

/// One order with its timeline, if `scope` may see it (otherwise "not found", never "forbidden":
/// another party's order ids reveal nothing).
pub async fn detail(st: &AppState, scope: Reader, id: i64) -> AppResult<OrderDetail> {
    let mut conn = st.db.pool.acquire().await?;
    let row = repo::order(&mut conn, scope, id)
        .await?
        .ok_or_else(|| AppError::not_found("订单不存在"))?;
    let events = repo::events(&mut conn, id).await?;
    let mut discounts: Vec<OrderDiscount> = Vec::new();
    for d in repo::discounts_of_orders(&mut conn, &[id]).await? {
        let same = |x: &&mut OrderDiscount| {
            x.source == d.source && x.name == d.name && x.funder == d.funder
        };
        match discounts.iter_mut().find(same) {
            Some(x) => x.amount += d.amount,
            None => discounts.push(OrderDiscount {
                source: d.source,
                name: d.name,
                funder: d.funder,
                amount: d.amount,
            }),
        }
    }
    let pickup_address = if row.delivery == Delivery::Pickup {
        shipping_repo::pickup_address(&st.db.pool, row.merchant_id).await?
    } else {
        String::new()
    };
    let phone = match scope {
        Reader::Platform => row.phone_masked.clone(),
        _ if row.phone_enc.is_empty() => String::new(),
        _ => st.cipher.decrypt(&row.phone_enc)?,
    };
    let street = match scope {
        Reader::Platform => String::new(),
        _ if row.detail_enc.is_empty() => String::new(),
        _ => st.cipher.decrypt(&row.detail_enc)?,
    };
    let address = format!("{} {street}", row.region).trim().to_string();
    let (receiver, remark, carrier, tracking_no, cancel_reason) = (
        row.receiver.clone(),
        row.remark.clone(),
        row.carrier.clone(),
        row.tracking_no.clone(),
        row.cancel_reason.clone(),
    );
    let (paid_at, shipped_at, auto_confirm_at, completed_at) = (
        row.paid_at,
        row.shipped_at,
        row.auto_confirm_at,
        row.completed_at,
    );
    let summary = summaries(&mut conn, scope, vec![row], st.clock.now_ms())
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("order summary missing"))?;
    Ok(OrderDetail {
        summary,
        receiver,
        phone,
        address,
        pickup_address,
        remark,
        carrier,
        tracking_no,
        paid_at,
        shipped_at,
        auto_confirm_at,
        completed_at,
        cancel_reason,
        discounts,
        timeline: events
            .into_iter()
            .map(|e| OrderEventView {
                label: event_label(&e.kind).to_string(),
                kind: e.kind,
                note: e.note,
                at: e.created_at,
            })
            .collect(),
    })
}

async fn summaries(
    conn: &mut AnyConnection,
    scope: Reader,
    rows: Vec<OrderRow>,
    now: i64,
) -> AppResult<Vec<OrderSummary>> {
    // the platform's commission is between the platform and the shop
    let with_commission = !matches!(scope, Reader::Shopper(_));
    let ids: Vec<i64> = rows.iter().map(|o| o.id).collect();
    let items = repo::items_of_orders(conn, &ids).await?;
    let mut trade_ids: Vec<i64> = rows.iter().map(|o| o.trade_id).collect();
    trade_ids.dedup();
    let trades = trade_repo::trades_by_ids(conn, &trade_ids).await?;
    let mut shop_ids: Vec<i64> = rows.iter().map(|o| o.merchant_id).collect();
    shop_ids.sort_unstable();
    shop_ids.dedup();
    let shops = repo::shop_names(conn, &shop_ids).await?;
    let open = repo::with_open_after_sale(conn, &ids).await?;
    let balances = crate::repo::presale_balances::of_orders(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|o| {
            let trade = trades.iter().find(|t| t.0 == o.trade_id);
            let status = o.status;
            OrderSummary {
                id: o.id,
                order_no: o.order_no,
                trade_no: trade.map(|t| t.1.clone()).unwrap_or_default(),
                status,
                shop_id: o.merchant_id,
                shop_name: shops
                    .iter()
                    .find(|s| s.0 == o.merchant_id)
                    .map(|s| s.1.clone())
                    .unwrap_or_default(),
                items: items
                    .iter()
                    .filter(|i| i.order_id == o.id)
                    .map(|i| item_view(i, with_commission))
                    .collect(),
                goods_amount: o.goods_amount,
                discount: o.merchant_discount + o.platform_discount,
                shipping_fee: o.shipping_fee,
                pay_amount: o.pay_amount,
                refunded_amount: o.refunded_amount,
                delivery: o.delivery,
                created_at: o.created_at,
                pay_deadline: (status == OrderStatus::Unpaid).then(|| trade.map_or(0, |t| t.2)),
                ship_promise: o.ship_by.map(|ship_by| ShipPromiseView {
                    ship_by,
                    text: ship_by_text(ship_by),
                    late: may_refund_late(status, o.ship_by, now),
                }),
                // none for an order closed before its deposit came
                balance: balances
                    .iter()
                    .find(|b| b.order_id == o.id)
                    .filter(|_| o.paid_at.is_some() || status == OrderStatus::Unpaid)
                    .map(|b| crate::services::presale_balances::view(b, status, now)),
                after_sale_open: open.contains(&o.id),
                to_review: o.review_pending == 1 && matches!(scope, Reader::Shopper(_)),
                actions: status.actions_for(scope.actor()),
            }
        })
        .collect())
}

fn item_view(i: &ItemRow, with_commission: bool) -> OrderItemView {
    OrderItemView {
        id: i.id,
        product_id: i.product_id,
        sku_id: i.sku_id,
        title: i.title.clone(),
        spec_label: i.spec_label.clone(),
        image: i.image.clone(),
        unit_price: i.unit_price,
        qty: i.qty,
        pay_amount: i.pay_amount,
        refund_qty: i.refund_qty,
        refund_amount: i.refund_amount,
        commission_bps: with_commission.then_some(i.commission_bps),
        commission: with_commission.then(|| {
            crate::domain::ledger::commission(i.gross - i.merchant_discount, i.commission_bps)
        }),
    }
}

/// The shopper cancels an unpaid order. One payment covers all orders of the checkout, so the
/// whole trade closes (every shop's order of it) and all its stock returns.
pub async fn cancel_unpaid(st: &AppState, shopper_id: i64, order_id: i64) -> AppResult<()> {
    let order = repo::order(
        &mut *st.db.pool.acquire().await?,
        Reader::Shopper(shopper_id),
        order_id,
    )
    .await?
    .ok_or_else(|| AppError::not_found("订单不存在"))?;
    order
        .status
        .check(OrderAction::Cancel, Actor::Shopper, OrderStatus::Cancelled)?;
    if !close_trade(st, order.trade_id, TradeAction::Cancel, Actor::Shopper).await? {
        return Err(AppError::Conflict("订单状态已变化，请刷新".into()));
    }
    Ok(())
}

/// Closes an unpaid trade: its orders are cancelled and their stock returns. False when the
/// trade was no longer unpaid (paid or closed a moment ago): then nothing changes.
pub async fn close_trade(
    st: &AppState,
    trade_id: i64,
    action: TradeAction,
    by: Actor,
) -> AppResult<bool> {
    let closed = close_trades(st, &[trade_id], action, by).await?;
    Ok(closed == 1)
}

/// The order move, timeline event, reason and actor name of closing a trade by `action`.
fn closing(action: TradeAction) -> (OrderAction, &'static str, &'static str) {
    match action {
        TradeAction::TimeOut => (OrderAction::TimeOut, "timed_out", "超时未支付"),
        TradeAction::Cancel | TradeAction::Pay => (OrderAction::Cancel, "cancelled", "买家取消"),
    }
}

/// Closes those of `trade_ids` still unpaid, all in one transaction: their orders are
/// cancelled, their coupons unlocked, their 秒杀 and 拼团 activity stock and the buyers' shares
/// of it return (and their group seats), their stock returns (one update per SKU however many orders held it), and a
/// provider that prepared a payment of one is asked to close it there, so it can no longer be
/// paid. Returns how many closed.
pub async fn close_trades(
    st: &AppState,
    trade_ids: &[i64],
    action: TradeAction,
    by: Actor,
) -> AppResult<usize> {
    let now = st.clock.now_ms();
    let (order_action, event, reason) = closing(action);
    let mut tx = st.db.begin_write().await?;
    let closed = trade_repo::close_trades(&mut tx, trade_ids, action, by, now).await?;
    if closed.is_empty() {
        tx.rollback().await?;
        return Ok(0);
    }
    let order_ids =
        repo::cancel_orders_of_trades(&mut tx, &closed, order_action, by, reason, now).await?;
    repo::add_events(&mut tx, &order_ids, event, reason, by.as_str(), now).await?;
    // the activity stock before the SKUs', the lock order of a checkout taking them
    let released = crate::repo::flash_sales::release_of_orders(&mut tx, &order_ids).await?;
    crate::repo::group_buys::release_of_orders(&mut tx, &order_ids, now).await?;
    let presale = crate::repo::activity_stock::PRESALE;
    crate::repo::activity_stock::release_of_orders(&mut tx, presale, &order_ids).await?;
    let mut by_sku: BTreeMap<i64, StockLine> = BTreeMap::new();
    for i in repo::items_of_orders(&mut tx, &order_ids).await? {
        by_sku
            .entry(i.sku_id)
            .or_insert(StockLine {
                product_id: i.product_id,
                sku_id: i.sku_id,
                qty: 0,
            })
            .qty += i.qty;
    }
    let lines: Vec<StockLine> = by_sku.into_values().collect();
    stock_repo::return_stock(&mut tx, &lines).await?;
    // the coupons come back with the stock, once: only this transaction closed these trades
    crate::repo::coupons::unlock_of_trades(&mut tx, &closed, now).await?;
    tx.commit().await?;
    st.flash_gate.returned(&released);
    // without waiting: a slow provider must not hold up a cancel or the timers
    let st = st.clone();
    tokio::spawn(async move { crate::services::payments::close_at_providers(&st).await });
    Ok(closed.len())
}

/// The shopper confirms receipt of a shipped order.
pub async fn confirm_receipt(st: &AppState, shopper_id: i64, order_id: i64) -> AppResult<()> {
    let order = repo::order(
        &mut *st.db.pool.acquire().await?,
        Reader::Shopper(shopper_id),
        order_id,
    )
    .await?
    .ok_or_else(|| AppError::not_found("订单不存在"))?;
    if !complete(st, order.id, OrderAction::ConfirmReceipt, Actor::Shopper).await? {
        return Err(OrderStatus::refusal(
            order.status,
            OrderAction::ConfirmReceipt,
        ));
    }
    Ok(())
}

async fn complete(st: &AppState, order_id: i64, action: OrderAction, by: Actor) -> AppResult<bool> {
    let now = st.clock.now_ms();
    let to = OrderStatus::Completed;
    let mut tx = st.db.begin_write().await?;
    if !repo::transition(&mut tx, order_id, action, by, to, now).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    let event = match by {
        Actor::System => "auto_completed",
        _ => "completed",
    };
    repo::add_event(&mut tx, order_id, event, "", by.as_str(), now).await?;
    crate::services::ledger::post_order(&mut tx, LedgerEvent::Completion, order_id, order_id, now)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// What a merchant enters to ship an order.
#[derive(Debug, Clone)]
pub struct Shipment {
    pub order_id: i64,
    pub carrier: String,
    pub tracking_no: String,
}

/// Ships one of the merchant's paid orders. A pickup order is "shipped" when the goods are
/// ready to collect (carrier 到店自提, no tracking number).
pub async fn ship(st: &AppState, scope: &MerchantScope, s: &Shipment, ip: &str) -> AppResult<()> {
    let order = repo::order(
        &mut *st.db.pool.acquire().await?,
        Reader::Merchant(scope.merchant_id),
        s.order_id,
    )
    .await?
    .ok_or_else(|| AppError::not_found("订单不存在"))?;
    order
        .status
        .check(OrderAction::Ship, Actor::Merchant, OrderStatus::Shipped)?;
    let pickup = order.delivery == Delivery::Pickup;
    let (carrier, tracking_no) = if pickup {
        ("到店自提".to_string(), String::new())
    } else {
        (
            check_carrier(&s.carrier)?,
            check_tracking_no(&s.tracking_no)?,
        )
    };
    let now = st.clock.now_ms();
    let auto_confirm_at = now + st.config.orders.auto_confirm_days * 86_400_000;
    let mut tx = st.db.begin_write().await?;
    let shipped = repo::ship(
        &mut tx,
        scope.merchant_id,
        order.id,
        &carrier,
        &tracking_no,
        now,
        auto_confirm_at,
    )
    .await?;
    if !shipped {
        tx.rollback().await?;
        return Err(AppError::Conflict(format!(
            "订单 {} 不是待发货状态",
            order.order_no
        )));
    }
    let note = format!("{carrier} {tracking_no}").trim().to_string();
    repo::add_event(&mut tx, order.id, "shipped", &note, "merchant", now).await?;
    crate::services::subscriptions::owe(&mut tx, st, SubscribeEvent::Shipped, order.id, now, |v| {
        v.carrier = carrier.clone();
        v.tracking_no = tracking_no.clone();
    })
    .await?;
    let detail = format!("{} {note}", order.order_no);
    let entry = scope
        .entry("order_ship", detail.trim_end(), ip)
        .on(AuditTarget::Order, order.id)
        .change(order.status.label(), OrderStatus::Shipped.label());
    crate::repo::audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Ships several orders; each succeeds or fails on its own. Returns the failures' messages.
pub async fn ship_batch(
    st: &AppState,
    scope: &MerchantScope,
    shipments: &[Shipment],
    ip: &str,
) -> AppResult<Vec<String>> {
    if shipments.is_empty() || shipments.len() > 100 {
        return Err(AppError::bad_request("一次可发货 1-100 个订单"));
    }
    let mut failures = Vec::new();
    for s in shipments {
        if let Err(e) = ship(st, scope, s, ip).await {
            if matches!(e, AppError::Internal) {
                return Err(e);
            }
            failures.push(format!("订单 #{}：{e}", s.order_id));
        }
    }
    Ok(failures)
}

fn check_carrier(input: &str) -> AppResult<String> {
    let t = input.trim();
    if t.is_empty() || t.chars().count() > 20 {
        return Err(AppError::invalid("carrier", "请选择或填写快递公司"));
    }
    Ok(t.to_string())
}

fn check_tracking_no(input: &str) -> AppResult<String> {
    let t = input.trim();
    let ok = (6..=30).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric());
    if !ok {
        return Err(AppError::invalid(
            "tracking_no",
            "请填写正确的快递单号（6-30 位字母或数字）",
        ));
    }
    Ok(t.to_uppercase())
}

/// Trades closed per transaction by the timers: big enough that closing keeps up with checkout
/// under load, small enough to stay within every database's bind-variable limit.
const CLOSE_BATCH: i64 = 500;

/// One pass of the order timers: closes unpaid trades past their deadline and confirms shipped
/// orders past theirs. The state lives in the database, so a restart loses nothing: the next
/// pass after it finds whatever fell due meanwhile. Returns (trades closed, orders confirmed).
pub async fn run_timers(st: &AppState) -> AppResult<(usize, usize)> {
    let now = st.clock.now_ms();
    let mut closed = 0;
    // every due trade, batch after batch: a backlog holds stock from other buyers
    loop {
        let due = trade_repo::due_trades(&st.db.pool, now, CLOSE_BATCH).await?;
        closed += close_trades(st, &due, TradeAction::TimeOut, Actor::System).await?;
        if (due.len() as i64) < CLOSE_BATCH {
            break;
        }
    }
    let mut confirmed = 0;
    for id in repo::due_confirmations(&st.db.pool, now, 200).await? {
        if complete(st, id, OrderAction::AutoConfirm, Actor::System).await? {
            confirmed += 1;
        }
    }
    Ok((closed, confirmed))
}
