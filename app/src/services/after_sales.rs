//! After-sales: the shopper asks for money back on chosen units of an order (with or without
//! returning them), the merchant decides, the platform arbitrates a refusal, and the refund runs
//! through the payment provider that took the money.
//!
//! Over-refunding is impossible by construction: a request claims units of order items with a
//! conditional update (see `domain::order::item_refund` for the amount), claims are released
//! only when a request is rejected or withdrawn, and the database checks that no item and no
//! order ever gives back more than was paid.

use crate::domain::after_sale::{
    may_request, AfterSaleAction, AfterSaleItemView, AfterSaleRequest, AfterSaleStatus,
    AfterSaleView,
};
use crate::domain::audit::AuditTarget;
use crate::domain::ledger::LedgerEvent;
use crate::domain::merchant::check_text;
use crate::domain::order::{item_refund, ItemRefundState, OrderAction, OrderStatus};
use crate::domain::permission::Permission;
use crate::domain::presale_deposit::BalanceStatus;
use crate::domain::reader::Reader;
use crate::domain::state_machine::{Actor, StateMachine};
use crate::domain::subscribe_message::{after_sale_result, SubscribeEvent};
use crate::error::{AppError, AppResult};
use crate::infra::numbers::new_number;
use crate::infra::payments::{Notification, RefundOutcome, RefundRequest};
use crate::repo::after_sales::{self as repo, AfterSaleRow, NewAfterSale};
use crate::repo::audit::{self, AuditEntry};
use crate::repo::orders as order_repo;
use crate::repo::presale_balances as balance_repo;
use crate::repo::products as product_repo;
use crate::repo::stock::{self as stock_repo, StockLine};
use crate::repo::trades as trade_repo;
use crate::services::admins::AdminScope;
use crate::services::ledger;
use crate::services::merchants::MerchantScope;
use crate::services::payments::refunds::record_refund_notification;
use crate::services::subscriptions;
use crate::services::uploads::check_image_keys;
use crate::state::AppState;

const PAGE_SIZE: i64 = 20;

/// The shopper asks for a refund of some units of one of their orders.
pub async fn request(st: &AppState, shopper_id: i64, req: &AfterSaleRequest) -> AppResult<i64> {
    let reason = check_text("reason", "售后原因", &req.reason, 2, 200)?;
    if req.photos.len() > 6 {
        return Err(AppError::invalid("photos", "最多上传 6 张图片"));
    }
    let photos: Vec<&str> = req.photos.iter().map(String::as_str).collect();
    check_image_keys(st, &photos).await?;
    if req.lines.is_empty() || req.lines.len() > 50 {
        return Err(AppError::invalid("lines", "请选择要退的商品和数量"));
    }
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    let order = order_repo::order(&mut tx, Reader::Shopper(shopper_id), req.order_id)
        .await?
        .ok_or_else(|| AppError::not_found("订单不存在"))?;
    refuse_if_settled(&mut tx, order.id).await?;
    let status = order.status;
    may_request(status, req.kind)?;
    let window = st.config.orders.after_sale_days * 86_400_000;
    if status == OrderStatus::Completed && order.completed_at.is_some_and(|t| t + window < now) {
        return Err(AppError::bad_request("已超过售后期限"));
    }
    let items = order_repo::items_of_orders(&mut tx, &[order.id]).await?;
    let mut lines = req.lines.clone();
    lines.sort_by_key(|l| l.order_item_id);
    lines.dedup_by_key(|l| l.order_item_id);
    let mut claimed = Vec::new();
    for line in &lines {
        let item = items
            .iter()
            .find(|i| i.id == line.order_item_id)
            .ok_or_else(|| AppError::invalid("lines", "所选商品不属于该订单"))?;
        let state = ItemRefundState {
            qty: item.qty,
            pay_amount: item.pay_amount,
            refund_qty: item.refund_qty,
            refund_amount: item.refund_amount,
        };
        let amount = item_refund(state, line.qty).map_err(|_| {
            AppError::invalid(
                "lines",
                format!(
                    "「{}」最多可申请 {} 件",
                    item.title,
                    item.qty - item.refund_qty
                ),
            )
        })?;
        let ok = repo::claim(
            &mut tx,
            item.id,
            item.refund_qty,
            item.refund_amount,
            line.qty,
            amount,
        )
        .await?;
        if !ok {
            return Err(AppError::Conflict("售后申请已变化，请刷新后重试".into()));
        }
        claimed.push((item.id, line.qty, amount));
    }
    // the shipping fee goes back with the last unit of an order that never shipped
    let every_unit = items.iter().all(|i| {
        let more = claimed.iter().find(|c| c.0 == i.id).map_or(0, |c| c.1);
        i.refund_qty + more == i.qty
    });
    // ... once: not if another after-sale of the order holds it (open or refunded), whatever
    // was asked, withdrawn or refused before
    let shipping_amount = if every_unit
        && status == OrderStatus::ToShip
        && !shipping_held(&mut tx, order.id, None).await?
    {
        order.shipping_fee
    } else {
        0
    };
    let goods: i64 = claimed.iter().map(|c| c.2).sum();
    let id = repo::insert(
        &mut tx,
        &NewAfterSale {
            after_sale_no: &new_number(),
            order_id: order.id,
            merchant_id: order.merchant_id,
            shopper_id,
            kind: req.kind,
            reason: &reason,
            photos: &req.photos.join(" "),
            amount: goods + shipping_amount,
            shipping_amount,
            refund_no: &format!("R{}", new_number()),
            status: AfterSaleStatus::INITIAL,
            now,
        },
    )
    .await?;
    for (item_id, qty, amount) in &claimed {
        repo::insert_item(&mut tx, id, *item_id, *qty, *amount).await?;
    }
    split_over_payments(&mut tx, order.id, id, goods + shipping_amount).await?;
    order_repo::add_event(
        &mut tx,
        order.id,
        "after_sale",
        req.kind.label(),
        "shopper",
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A refund of everything of `order_id` not yet claimed (every unit and the shipping fee) that
/// the system makes without asking anyone (a 拼团 that failed, a member who left a group): an
/// after-sale inserted straight at refunding, in the caller's transaction. Returns its id, to
/// pass to [`refund`] after the commit (the timers ask again if that is lost), or `None` when
/// nothing was left to refund.
pub async fn refund_whole_order(
    tx: &mut crate::infra::db::WriteTx,
    order_id: i64,
    reason: &str,
    now: i64,
) -> AppResult<Option<i64>> {
    let order = order_repo::order(tx, Reader::Platform, order_id)
        .await?
        .ok_or_else(|| AppError::internal("refund of a missing order"))?;
    let items = order_repo::items_of_orders(tx, &[order.id]).await?;
    let mut claimed = Vec::new();
    for item in items.iter().filter(|i| i.refund_qty < i.qty) {
        let state = ItemRefundState {
            qty: item.qty,
            pay_amount: item.pay_amount,
            refund_qty: item.refund_qty,
            refund_amount: item.refund_amount,
        };
        let qty = item.qty - item.refund_qty;
        let amount = item_refund(state, qty)
            .map_err(|_| AppError::internal("whole-order refund above what was paid"))?;
        if !repo::claim(
            tx,
            item.id,
            item.refund_qty,
            item.refund_amount,
            qty,
            amount,
        )
        .await?
        {
            return Err(AppError::internal("order items changed under a write lock"));
        }
        claimed.push((item.id, qty, amount));
    }
    let shipping_amount = if shipping_held(tx, order.id, None).await? {
        0
    } else {
        order.shipping_fee
    };
    if claimed.is_empty() && shipping_amount == 0 {
        return Ok(None);
    }
    let id = insert_system_refund(tx, &order, &claimed, shipping_amount, reason, now).await?;
    let goods: i64 = claimed.iter().map(|c| c.2).sum();
    split_over_payments(tx, order.id, id, goods + shipping_amount).await?;
    Ok(Some(id))
}

/// The after-sale the system opens for itself (no shopper asked, no shop consents): inserted
/// straight at refunding with the `(order item id, units, fen)` it already claimed and
/// `shipping_amount` fen of the shipping fee, plus the order's event. Returns its id.
async fn insert_system_refund(
    tx: &mut crate::infra::db::WriteTx,
    order: &crate::repo::orders::OrderRow,
    claimed: &[(i64, i64, i64)],
    shipping_amount: i64,
    reason: &str,
    now: i64,
) -> AppResult<i64> {
    let goods: i64 = claimed.iter().map(|c| c.2).sum();
    let id = repo::insert(
        tx,
        &NewAfterSale {
            after_sale_no: &new_number(),
            order_id: order.id,
            merchant_id: order.merchant_id,
            shopper_id: order.shopper_id,
            kind: crate::domain::after_sale::AfterSaleKind::RefundOnly,
            reason,
            photos: "",
            amount: goods + shipping_amount,
            shipping_amount,
            refund_no: &format!("R{}", new_number()),
            status: AfterSaleStatus::Refunding,
            now,
        },
    )
    .await?;
    for (item_id, qty, amount) in claimed {
        repo::insert_item(tx, id, *item_id, *qty, *amount).await?;
    }
    order_repo::add_event(tx, order.id, "after_sale", reason, "system", now).await?;
    Ok(id)
}

/// An after-sale of a 预售 order whose balance was paid goes back through both its payments:
/// as much as the balance's trade still holds through it, the rest through the order's own
/// trade (the deposit's). Each provider refunds only what its own payment took.
async fn split_over_payments(
    tx: &mut crate::infra::db::WriteTx,
    order_id: i64,
    after_sale_id: i64,
    amount: i64,
) -> AppResult<()> {
    let Some(b) = balance_repo::of_order(tx, order_id).await? else {
        return Ok(());
    };
    if b.status != BalanceStatus::Paid {
        return Ok(());
    }
    let taken = repo::balance_parts_of_order(tx, order_id, after_sale_id).await?;
    let part = amount.min(b.balance - taken);
    if part > 0 {
        let no = format!("R{}", new_number());
        repo::set_balance_part(tx, after_sale_id, &no, part).await?;
    }
    Ok(())
}

/// Refunds the deposit of a 预售 order whose balance was missed (the presale said a missed
/// balance's deposit goes back): an after-sale inserted straight at refunding for every unit,
/// the deposit its amount, in the caller's transaction (`services::presale_balances`). Returns
/// its id, to pass to [`refund`] after the commit.
pub async fn refund_deposit(
    tx: &mut crate::infra::db::WriteTx,
    order_id: i64,
    deposit: i64,
    reason: &str,
    now: i64,
) -> AppResult<Option<i64>> {
    let order = order_repo::order(tx, Reader::Platform, order_id)
        .await?
        .ok_or_else(|| AppError::internal("refund of a missing order"))?;
    let items = order_repo::items_of_orders(tx, &[order.id]).await?;
    let open: Vec<_> = items.iter().filter(|i| i.refund_qty == 0).collect();
    if open.len() != items.len() || items.is_empty() {
        return Err(AppError::internal(
            "a deposit order with refunds before its balance",
        ));
    }
    let weights: Vec<i64> = open.iter().map(|i| i.pay_amount).collect();
    let parts = crate::domain::order::apportion(deposit, &weights);
    let mut claimed = Vec::with_capacity(open.len());
    for (item, amount) in open.iter().zip(parts) {
        if !repo::claim(tx, item.id, 0, 0, item.qty, amount).await? {
            return Err(AppError::internal("order items changed under a write lock"));
        }
        claimed.push((item.id, item.qty, amount));
    }
    let id = insert_system_refund(tx, &order, &claimed, 0, reason, now).await?;
    Ok(Some(id))
}

/// The shopper takes back everything of an order whose shop broke its ship promise (a 预售
/// order not shipped by `ship_by`, `domain::presale::may_refund_late`): refunded in full at
/// once, without a reason or the shop's consent. Units already claimed by an open after-sale
/// stay with it. Errors: 404 for an order that is not the shopper's; 409 when the promise is
/// not broken (no promise, not due yet, shipped, closed) or nothing is left to refund.
pub async fn refund_late(st: &AppState, shopper_id: i64, order_id: i64) -> AppResult<i64> {
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    let order = order_repo::order(&mut tx, Reader::Shopper(shopper_id), order_id)
        .await?
        .ok_or_else(|| AppError::not_found("订单不存在"))?;
    if !crate::domain::presale::may_refund_late(order.status, order.ship_by, now) {
        tx.rollback().await?;
        return Err(AppError::Conflict(
            "商家承诺的发货时间未到或订单已发货，不能直接退款，可申请售后".into(),
        ));
    }
    let reason = "商家逾期未发货，全额退款";
    let Some(id) = refund_whole_order(&mut tx, order.id, reason, now).await? else {
        tx.rollback().await?;
        return Err(AppError::Conflict("该订单已全部申请退款".into()));
    };
    tx.commit().await?;
    refund(st, id).await?;
    Ok(id)
}

/// One after-sale, if the scope may see it.
pub async fn view(st: &AppState, scope: Reader, id: i64) -> AppResult<AfterSaleView> {
    let mut conn = st.db.pool.acquire().await?;
    let row = repo::by_id(&mut conn, id)
        .await?
        .filter(|r| visible(scope, r))
        .ok_or_else(|| AppError::not_found("售后单不存在"))?;
    Ok(views(st, scope, vec![row]).await?.remove(0))
}

/// The after-sales the scope may see, newest first, optionally only open ones.
pub async fn list(
    st: &AppState,
    scope: Reader,
    statuses: &[AfterSaleStatus],
    page: u32,
) -> AppResult<Vec<AfterSaleView>> {
    let offset = (page.clamp(1, 1000) as i64 - 1) * PAGE_SIZE;
    let rows = repo::list(&st.db.pool, scope, statuses, PAGE_SIZE, offset).await?;
    views(st, scope, rows).await
}

/// The after-sales of one order the scope may see.
pub async fn of_order(
    st: &AppState,
    scope: Reader,
    order_id: i64,
) -> AppResult<Vec<AfterSaleView>> {
    let rows = repo::of_order(&mut *st.db.pool.acquire().await?, order_id)
        .await?
        .into_iter()
        .filter(|r| visible(scope, r))
        .collect();
    views(st, scope, rows).await
}

fn visible(scope: Reader, r: &AfterSaleRow) -> bool {
    match scope {
        Reader::Shopper(id) => r.shopper_id == id,
        Reader::Merchant(id) => r.merchant_id == id,
        Reader::Platform => true,
    }
}

async fn views(
    st: &AppState,
    scope: Reader,
    rows: Vec<AfterSaleRow>,
) -> AppResult<Vec<AfterSaleView>> {
    let mut conn = st.db.pool.acquire().await?;
    let order_ids: Vec<i64> = rows.iter().map(|r| r.order_id).collect();
    let order_items = order_repo::items_of_orders(&mut conn, &order_ids).await?;
    let mut shop_ids: Vec<i64> = rows.iter().map(|r| r.merchant_id).collect();
    shop_ids.sort_unstable();
    shop_ids.dedup();
    let shops = order_repo::shop_names(&mut conn, &shop_ids).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let order = order_repo::order(&mut conn, Reader::Platform, r.order_id).await?;
        let items = repo::items(&mut conn, r.id)
            .await?
            .into_iter()
            .filter_map(|i| {
                let oi = order_items.iter().find(|o| o.id == i.order_item_id)?;
                Some(AfterSaleItemView {
                    order_item_id: i.order_item_id,
                    title: oi.title.clone(),
                    spec_label: oi.spec_label.clone(),
                    image: oi.image.clone(),
                    qty: i.qty,
                    amount: i.amount,
                })
            })
            .collect();
        out.push(AfterSaleView {
            id: r.id,
            after_sale_no: r.after_sale_no,
            order_id: r.order_id,
            order_no: order.map(|o| o.order_no).unwrap_or_default(),
            shop_id: r.merchant_id,
            shop_name: shops
                .iter()
                .find(|s| s.0 == r.merchant_id)
                .map(|s| s.1.clone())
                .unwrap_or_default(),
            kind: r.kind,
            status: r.status,
            actions: r.status.actions_for(scope.actor()),
            reason: r.reason,
            photos: r.photos.split_whitespace().map(str::to_string).collect(),
            items,
            amount: r.amount,
            shipping_amount: r.shipping_amount,
            reject_reason: r.reject_reason,
            return_carrier: r.return_carrier,
            return_tracking: r.return_tracking,
            refunded_at: r.refunded_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
            coupon_note: r.coupon_note,
        });
    }
    Ok(out)
}

async fn merchant_row(st: &AppState, scope: &MerchantScope, id: i64) -> AppResult<AfterSaleRow> {
    repo::by_id(&mut *st.db.pool.acquire().await?, id)
        .await?
        .filter(|r| r.merchant_id == scope.merchant_id)
        .ok_or_else(|| AppError::not_found("售后单不存在"))
}

async fn shopper_row(st: &AppState, shopper_id: i64, id: i64) -> AppResult<AfterSaleRow> {
    repo::by_id(&mut *st.db.pool.acquire().await?, id)
        .await?
        .filter(|r| r.shopper_id == shopper_id)
        .ok_or_else(|| AppError::not_found("售后单不存在"))
}

fn changed() -> AppError {
    AppError::Conflict("售后单状态已变化，请刷新".into())
}

/// What a move does besides changing the state.
#[derive(Default)]
struct Effects<'a> {
    /// give the claimed units back (rejected, withdrawn, closed)
    release: bool,
    /// the reason the shopper sees (rejection, arbitration)
    note: Option<&'a str>,
    /// the audit row, written in the move's transaction; its `detail` is completed with the
    /// after-sale number and "before → after"
    audit: Option<AuditEntry<'a>>,
}

/// Makes the move `action` by `by` to `to` (409 when the table forbids it from the state read,
/// or the state changed meanwhile) with its effects, in one transaction; a move to refunding
/// then asks the provider.
async fn advance(
    st: &AppState,
    row: &AfterSaleRow,
    (action, by, to): (AfterSaleAction, Actor, AfterSaleStatus),
    effects: Effects<'_>,
) -> AppResult<()> {
    row.status.check(action, by, to)?;
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    if !repo::transition(&mut tx, row.id, action, by, to, now).await? {
        tx.rollback().await?;
        return Err(changed());
    }
    if effects.release {
        repo::release(&mut tx, row.id).await?;
    }
    if let Some(reason) = effects.note {
        repo::set_reject_reason(&mut tx, row.id, reason).await?;
    }
    if let Some(result) = after_sale_result(row.status, to) {
        subscriptions::owe(
            &mut tx,
            st,
            SubscribeEvent::AfterSaleDecided,
            row.order_id,
            now,
            |v| {
                v.after_sale_no = row.after_sale_no.clone();
                v.result = result.to_string();
                v.reason = effects.note.unwrap_or_default().to_string();
            },
        )
        .await?;
    }
    if let Some(entry) = effects.audit {
        let detail = format!("{} {}", row.after_sale_no, entry.detail);
        let entry = AuditEntry {
            detail: detail.trim_end(),
            ..entry
        }
        .on(AuditTarget::AfterSale, row.id)
        .change(row.status.label(), to.label());
        audit::record(&mut *tx, &entry).await?;
    }
    tx.commit().await?;
    if to == AfterSaleStatus::Refunding {
        refund(st, row.id).await?;
    }
    Ok(())
}

/// The merchant accepts: refund-only requests are refunded now, returns wait for the goods.
pub async fn approve(st: &AppState, scope: &MerchantScope, id: i64, ip: &str) -> AppResult<()> {
    let row = merchant_row(st, scope, id).await?;
    let to = AfterSaleStatus::approved(row.kind);
    let effects = Effects {
        audit: Some(scope.entry("after_sale_approve", "", ip)),
        ..Effects::default()
    };
    advance(
        st,
        &row,
        (AfterSaleAction::Approve, Actor::Merchant, to),
        effects,
    )
    .await
}

/// The merchant refuses, with a reason the shopper sees; the units are free to ask for again.
pub async fn reject(
    st: &AppState,
    scope: &MerchantScope,
    id: i64,
    reason: &str,
    ip: &str,
) -> AppResult<()> {
    let reason = check_text("reason", "拒绝原因", reason, 2, 200)?;
    let row = merchant_row(st, scope, id).await?;
    let effects = Effects {
        release: true,
        note: Some(&reason),
        audit: Some(scope.entry("after_sale_reject", &reason, ip)),
    };
    let step = (
        AfterSaleAction::Reject,
        Actor::Merchant,
        AfterSaleStatus::Rejected,
    );
    advance(st, &row, step, effects).await
}

/// The shopper has sent the goods back.
pub async fn return_sent(
    st: &AppState,
    shopper_id: i64,
    id: i64,
    carrier: &str,
    tracking: &str,
) -> AppResult<()> {
    let carrier = check_text("carrier", "快递公司", carrier, 2, 20)?;
    let tracking = tracking.trim();
    if !(6..=30).contains(&tracking.len()) || !tracking.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(AppError::invalid(
            "tracking_no",
            "请填写正确的快递单号（6-30 位字母或数字）",
        ));
    }
    let row = shopper_row(st, shopper_id, id).await?;
    let (action, to) = (AfterSaleAction::SendBack, AfterSaleStatus::Returned);
    row.status.check(action, Actor::Shopper, to)?;
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    if !repo::transition(&mut tx, row.id, action, Actor::Shopper, to, now).await? {
        tx.rollback().await?;
        return Err(changed());
    }
    repo::set_return_tracking(&mut tx, row.id, &carrier, &tracking.to_uppercase()).await?;
    tx.commit().await?;
    Ok(())
}

/// The merchant has the returned goods: the refund runs.
pub async fn confirm_returned(
    st: &AppState,
    scope: &MerchantScope,
    id: i64,
    ip: &str,
) -> AppResult<()> {
    let row = merchant_row(st, scope, id).await?;
    advance(
        st,
        &row,
        (
            AfterSaleAction::ConfirmReturned,
            Actor::Merchant,
            AfterSaleStatus::Refunding,
        ),
        Effects {
            audit: Some(scope.entry("after_sale_received", "", ip)),
            ..Effects::default()
        },
    )
    .await
}

/// The shopper withdraws a request that is not decided yet.
pub async fn withdraw(st: &AppState, shopper_id: i64, id: i64) -> AppResult<()> {
    let row = shopper_row(st, shopper_id, id).await?;
    advance(
        st,
        &row,
        (
            AfterSaleAction::Withdraw,
            Actor::Shopper,
            AfterSaleStatus::Closed,
        ),
        Effects {
            release: true,
            ..Effects::default()
        },
    )
    .await
}

/// The shopper asks the platform to look at a refusal. The units are claimed again, so this
/// fails if they were asked for meanwhile by another request.
pub async fn appeal(st: &AppState, shopper_id: i64, id: i64) -> AppResult<()> {
    let row = shopper_row(st, shopper_id, id).await?;
    let (action, to) = (AfterSaleAction::Appeal, AfterSaleStatus::Arbitrating);
    row.status.check(action, Actor::Shopper, to)?;
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    refuse_if_settled(&mut tx, row.order_id).await?;
    if !repo::transition(&mut tx, row.id, action, Actor::Shopper, to, now).await? {
        tx.rollback().await?;
        return Err(changed());
    }
    if row.shipping_amount > 0 && shipping_held(&mut tx, row.order_id, Some(row.id)).await? {
        tx.rollback().await?;
        return Err(AppError::Conflict(
            "运费已在其他售后申请中退还，不能再申请平台介入".into(),
        ));
    }
    let items = order_repo::items_of_orders(&mut tx, &[row.order_id]).await?;
    for claim in repo::items(&mut tx, row.id).await? {
        let item = items
            .iter()
            .find(|i| i.id == claim.order_item_id)
            .ok_or_else(|| AppError::internal("after-sale item without order item"))?;
        let ok = repo::claim(
            &mut tx,
            item.id,
            item.refund_qty,
            item.refund_amount,
            claim.qty,
            claim.amount,
        )
        .await?;
        if !ok {
            tx.rollback().await?;
            return Err(AppError::Conflict(
                "这些商品已有其他售后申请，不能再申请平台介入".into(),
            ));
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Whether an after-sale of the order other than `except` holds its shipping fee.
async fn shipping_held(
    conn: &mut sqlx::AnyConnection,
    order_id: i64,
    except: Option<i64>,
) -> AppResult<bool> {
    Ok(repo::of_order(conn, order_id)
        .await?
        .iter()
        .any(|a| Some(a.id) != except && a.shipping_amount > 0 && a.status.holds_claim()))
}

/// Takes the order's row (as the settlement run does) and refuses once a bill has settled it:
/// its money has gone to the merchant, so nothing more may be claimed from it.
async fn refuse_if_settled(conn: &mut sqlx::AnyConnection, order_id: i64) -> AppResult<()> {
    crate::repo::settlement::lock_orders(conn, &[order_id]).await?;
    if crate::repo::settlement::is_settled(conn, order_id).await? {
        return Err(AppError::bad_request("该订单已结算，不能再申请售后"));
    }
    Ok(())
}

/// A platform admin decides an appealed request: for the shopper (the refund, or for returns
/// the return, goes ahead) or for the merchant (closed).
pub async fn arbitrate(
    st: &AppState,
    admin: &AdminScope,
    id: i64,
    for_shopper: bool,
    note: &str,
    ip: &str,
) -> AppResult<()> {
    admin.require(Permission::HandleOrders)?;
    let note = check_text("note", "处理意见", note, 2, 200)?;
    let row = repo::by_id(&mut *st.db.pool.acquire().await?, id)
        .await?
        .ok_or_else(|| AppError::not_found("售后单不存在"))?;
    let step = if for_shopper {
        let to = AfterSaleStatus::approved(row.kind);
        (AfterSaleAction::ArbitrateForShopper, Actor::Platform, to)
    } else {
        let to = AfterSaleStatus::Closed;
        (AfterSaleAction::ArbitrateForMerchant, Actor::Platform, to)
    };
    let effects = Effects {
        release: !for_shopper,
        note: Some(&note),
        audit: Some(AuditEntry {
            merchant_id: Some(row.merchant_id),
            ..admin.entry("after_sale_arbitrate", &note, ip)
        }),
    };
    advance(st, &row, step, effects).await
}

/// Asks the provider that took the money to pay back an after-sale in `refunding`: one
/// refund through the order's trade, or, for a 预售 order paid in two payments, a part through
/// each trade not yet confirmed. An error leaves it there; the timers ask again (the provider
/// treats a repeated refund_no as one).
pub async fn refund(st: &AppState, id: i64) -> AppResult<()> {
    let mut conn = st.db.pool.acquire().await?;
    let row = repo::by_id(&mut conn, id)
        .await?
        .filter(|r| r.status == AfterSaleStatus::Refunding)
        .ok_or_else(changed)?;
    let order = order_repo::order(&mut conn, Reader::Platform, row.order_id)
        .await?
        .ok_or_else(|| AppError::internal("after-sale without order"))?;
    let mut parts = Vec::new();
    if let Some(no) = row.balance_refund_no.clone() {
        if row.balance_refunded_at.is_none() {
            let trade_id = balance_repo::of_order(&mut conn, order.id)
                .await?
                .and_then(|b| b.trade_id)
                .ok_or_else(|| AppError::internal("a balance part without its trade"))?;
            parts.push((no, row.balance_amount, trade_id));
        }
    }
    if row.balance_refund_no.is_none() || row.trade_refunded_at.is_none() {
        parts.push((
            row.refund_no.clone(),
            row.amount - row.balance_amount,
            order.trade_id,
        ));
    }
    for (refund_no, amount, trade_id) in parts {
        let trade = trade_repo::trade_by_id(&mut conn, trade_id)
            .await?
            .ok_or_else(|| AppError::internal("order without trade"))?;
        let provider = st.payments.get(&trade.provider)?;
        if amount == 0 {
            // units a coupon made free: nothing to send back (providers refuse a refund of 0),
            // so the refund is recorded at once, through the same path as a confirmed one
            let n = Notification::refund_confirmed(&refund_no, 0);
            on_refund_notification(st, provider.name(), &n).await?;
            continue;
        }
        let outcome = provider
            .refund(&RefundRequest {
                refund_no: refund_no.clone(),
                trade_no: trade.trade_no.clone(),
                provider_txn_id: trade.provider_txn_id.clone(),
                amount,
                total: trade.amount,
                reason: row.reason.clone(),
            })
            .await;
        match outcome {
            Ok(RefundOutcome::Processing) => {}
            Ok(RefundOutcome::Done) => {
                let n = Notification::refund_confirmed(&refund_no, amount);
                on_refund_notification(st, provider.name(), &n).await?;
            }
            Err(e) => tracing::error!(refund_no = %refund_no, "refund request failed: {e:?}"),
        }
    }
    Ok(())
}

/// Records a refund the provider confirmed: the after-sale is refunded, the order's refunded
/// total grows, unshipped goods go back into stock, and an order with every unit refunded
/// before it was received is closed. Idempotent like payment notifications.
pub async fn on_refund_notification(
    st: &AppState,
    provider: &str,
    n: &Notification,
) -> AppResult<()> {
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    let row = repo::by_refund_no(&mut tx, &n.reference)
        .await?
        .ok_or_else(|| {
            tracing::warn!(refund_no = %n.reference, "refund notification for an unknown refund");
            AppError::bad_request("unknown refund")
        })?;
    let balance_part = row.balance_refund_no.as_deref() == Some(n.reference.as_str());
    let asked = if balance_part {
        row.balance_amount
    } else {
        row.amount - row.balance_amount
    };
    let first = record_refund_notification(&mut tx, provider, n, asked, now).await?;
    if !first || !n.success {
        tx.commit().await?;
        return Ok(());
    }
    if row.balance_refund_no.is_some() {
        // two parts: the after-sale is refunded when the second is confirmed (the stamp's
        // update waits for a concurrent one, so one of two racing confirmations sees both)
        repo::confirm_part(&mut tx, row.id, balance_part, now).await?;
        let both = repo::by_id(&mut tx, row.id)
            .await?
            .is_some_and(|r| r.balance_refunded_at.is_some() && r.trade_refunded_at.is_some());
        if !both {
            tx.commit().await?;
            return Ok(());
        }
    }
    let refunded = (
        AfterSaleAction::ConfirmRefund,
        Actor::System,
        AfterSaleStatus::Refunded,
    );
    if !repo::transition(&mut tx, row.id, refunded.0, refunded.1, refunded.2, now).await? {
        tx.commit().await?;
        return Ok(());
    }
    repo::add_refunded_to_order(&mut tx, row.order_id, row.amount).await?;
    ledger::post_order(&mut tx, LedgerEvent::Refund, row.id, row.order_id, now).await?;
    let note = format!("¥{}", crate::domain::money::yuan_text(row.amount));
    order_repo::add_event(&mut tx, row.order_id, "refunded", &note, "system", now).await?;
    subscriptions::owe(
        &mut tx,
        st,
        SubscribeEvent::Refunded,
        row.order_id,
        now,
        |v| {
            v.amount = Some(row.amount);
            v.after_sale_no = row.after_sale_no.clone();
        },
    )
    .await?;
    let order = order_repo::order(&mut tx, Reader::Platform, row.order_id)
        .await?
        .ok_or_else(|| AppError::internal("refund of a missing order"))?;
    let items = order_repo::items_of_orders(&mut tx, &[order.id]).await?;
    let lines: Vec<StockLine> = repo::items(&mut tx, row.id)
        .await?
        .iter()
        .filter(|c| c.qty > 0)
        .filter_map(|c| {
            let i = items.iter().find(|i| i.id == c.order_item_id)?;
            Some(StockLine {
                product_id: i.product_id,
                sku_id: i.sku_id,
                qty: c.qty,
            })
        })
        .collect();
    // a refunded unit was not a sale (shipped or not)
    for l in &lines {
        product_repo::lower_sales(&mut tx, l.product_id, l.qty).await?;
    }
    // units that never left the shop go back on sale, and, for activity lines, back into
    // the activity's stock and off the shopper's limit
    if matches!(order.status, OrderStatus::ToShip | OrderStatus::Grouping) {
        stock_repo::return_stock(&mut tx, &lines).await?;
        let units: Vec<(i64, i64)> = repo::items(&mut tx, row.id)
            .await?
            .iter()
            .map(|c| (c.order_item_id, c.qty))
            .collect();
        crate::repo::flash_sales::release_units(&mut tx, order.shopper_id, &units).await?;
        use crate::repo::activity_stock::{release_units, GROUP_BUY, PRESALE};
        for tables in [GROUP_BUY, PRESALE] {
            release_units(&mut tx, tables, order.shopper_id, &units).await?;
        }
    }
    // every unit claimed, and no claim still waiting: everything has come back
    let all_refunded = items.iter().all(|i| i.refund_qty == i.qty)
        && repo::of_order(&mut tx, order.id)
            .await?
            .iter()
            .all(|a| !a.status.is_open());
    if all_refunded {
        let (action, by) = (OrderAction::RefundAll, Actor::System);
        if order_repo::transition(&mut tx, order.id, action, by, OrderStatus::Cancelled, now)
            .await?
        {
            order_repo::set_cancel_reason(&mut tx, order.id, "全部退款，交易关闭").await?;
            order_repo::add_event(&mut tx, order.id, "cancelled", "全部退款", "system", now)
                .await?;
        }
    }
    if let Some(note) = crate::services::coupons::after_refund(&mut tx, order.id, now).await? {
        repo::set_coupon_note(&mut tx, row.id, &note).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Asks again for refunds the provider has not confirmed within ten minutes.
pub async fn retry_stuck_refunds(st: &AppState) -> AppResult<usize> {
    let now = st.clock.now_ms();
    let ids = repo::take_stuck_refunds(&st.db.pool, now - 10 * 60_000, now).await?;
    for id in &ids {
        refund(st, *id).await?;
    }
    Ok(ids.len())
}
