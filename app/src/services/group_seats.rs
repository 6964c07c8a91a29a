//! 拼团 at checkout and payment: what a checkout of a group line must pass and take (the
//! group price, activity stock, the shopper's share and a seat), and what a payment does to
//! its group (the member joins, the leader's payment opens it, the last seat's payment moves
//! every member's order to 待发货). Apart from `services::group_buys` (pages, leaving, timers)
//! so the checkout and the payment handler depend on nothing that refunds.

use crate::domain::group_buy::{
    expires_at, GroupAction, GroupPrice, GroupStatus, MemberAction, MemberStatus,
};
use crate::domain::order::{OrderAction, OrderStatus};
use crate::domain::state_machine::Actor;
use crate::domain::time::datetime_text;
use crate::error::{AppError, AppResult};
use crate::infra::db::WriteTx;
use crate::repo::activity_stock::{self, GROUP_BUY};
use crate::repo::group_buys::{self as repo, GroupRow};
use crate::repo::orders as order_repo;

/// The group price of a 拼团 line (`qty` of `sku_id` in activity `activity_id`, joining
/// `group_id` or opening a group) for `shopper_id` at `now`: read only, before the checkout's
/// write (which takes the seat and stock by conditional updates). Errors: 404 for an activity
/// or group that is not there or a SKU not in the activity; 409 for an activity not selling, a
/// group full, over or the shopper's own, activity stock gone; 422 above the per-order limit or
/// what the shopper may still buy.
pub async fn price_for(
    conn: &mut sqlx::AnyConnection,
    shopper_id: i64,
    (activity_id, group_id): (i64, Option<i64>),
    (sku_id, qty): (i64, i64),
    now: i64,
) -> AppResult<GroupPrice> {
    let a = repo::activity(conn, activity_id)
        .await?
        .ok_or_else(|| AppError::not_found("拼团活动不存在"))?;
    if !a.selling(now) {
        return Err(AppError::Conflict(if now < a.starts_at {
            format!("拼团将于 {} 开始", datetime_text(a.starts_at))
        } else {
            "拼团活动已结束".into()
        }));
    }
    let sku = repo::skus_of(conn, &[a.id])
        .await?
        .into_iter()
        .find(|s| s.sku_id == sku_id)
        .ok_or_else(|| AppError::not_found("该规格不参加拼团"))?;
    if sku.sold + qty > sku.quantity {
        return Err(sold_out());
    }
    if qty > a.per_order_limit {
        return Err(AppError::invalid(
            "qty",
            format!("拼团商品每单限购 {} 件", a.per_order_limit),
        ));
    }
    let had = activity_stock::held(conn, GROUP_BUY, shopper_id, a.id).await?;
    if had + qty > a.per_user_limit {
        return Err(over_limit(a.per_user_limit, had));
    }
    if let Some(gid) = group_id {
        let g = repo::group(conn, gid)
            .await?
            .filter(|g| g.activity_id == a.id && g.status() != GroupStatus::Pending)
            .ok_or_else(|| AppError::not_found("拼团不存在"))?;
        if !repo::seats_of(conn, shopper_id, &[gid]).await?.is_empty() {
            return Err(own_group());
        }
        if g.status() != GroupStatus::Open || g.expires_at <= now || g.held >= g.size {
            return Err(group_closed());
        }
    }
    Ok(GroupPrice {
        activity_id: a.id,
        activity_sku_id: sku.id,
        price: sku.price,
        per_user_limit: a.per_user_limit,
        group_id,
    })
}

/// 409: the activity stock of the SKU is gone.
pub fn sold_out() -> AppError {
    AppError::Conflict("拼团商品已售罄".into())
}

/// 409: the group is full, over, or expired.
pub fn group_closed() -> AppError {
    AppError::Conflict("这个团已满或已结束，可以参加其他团或自己开团".into())
}

/// 409: the shopper holds a seat in the group already.
pub fn own_group() -> AppError {
    AppError::Conflict("您已在这个团中，不能重复参团".into())
}

/// 422 on `qty`: the shopper holds `had` of `limit` already.
pub fn over_limit(limit: i64, had: i64) -> AppError {
    AppError::invalid(
        "qty",
        format!("拼团商品每人限购 {limit} 件，您已购买 {had} 件"),
    )
}

/// Takes what a 拼团 checkout holds, in its write transaction, before the SKU's stock (the
/// order closing a trade gives them back in): the activity stock, the shopper's share, and a
/// seat (a new pending group, or one of the open group joined). Returns the group. Errors as
/// [`price_for`], for what changed since the pricing read.
pub async fn take_for_checkout(
    tx: &mut WriteTx,
    shopper_id: i64,
    g: &GroupPrice,
    (merchant_id, qty): (i64, i64),
    now: i64,
) -> AppResult<i64> {
    if !activity_stock::take(tx, GROUP_BUY, g.activity_sku_id, qty).await? {
        return Err(sold_out());
    }
    let share = (g.activity_id, shopper_id);
    if !activity_stock::hold_for_shopper(tx, GROUP_BUY, share, qty, g.per_user_limit).await? {
        let had = activity_stock::held(tx, GROUP_BUY, shopper_id, g.activity_id).await?;
        return Err(over_limit(g.per_user_limit, had));
    }
    match g.group_id {
        Some(gid) => {
            if !repo::take_seat(tx, gid, g.activity_id, now).await? {
                return Err(group_closed());
            }
            Ok(gid)
        }
        None => {
            let a = repo::activity(tx, g.activity_id)
                .await?
                .ok_or_else(|| AppError::internal("activity vanished"))?;
            repo::insert_group(tx, g.activity_id, merchant_id, a.group_size, now).await
        }
    }
}

/// What paying a group order did, for the payment to finish after its commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paid {
    /// not a group order: to 待发货 as usual
    NotGroup,
    /// the member is seated and paid; the order waits for the group (待成团), or went to
    /// 待发货 with the rest when this payment filled it
    Seated,
    /// the group was over before this payment counted: the member is owed a refund
    Late,
}

/// The target of paying `order_id` (in the payment's transaction, before the order moves):
/// 待成团 for a group order, 待发货 otherwise.
pub async fn paid_status(tx: &mut WriteTx, order_id: i64) -> AppResult<OrderStatus> {
    Ok(match repo::member_of_order(tx, order_id).await? {
        Some(_) => OrderStatus::Grouping,
        None => OrderStatus::ToShip,
    })
}

/// Counts the payment of `order_id` (already moved to 待成团) in its group, in the payment's
/// transaction: the member joins; a leader's payment opens the group for its lifetime; the
/// payment that fills it moves every member's order to 待发货 at once.
pub async fn on_paid(tx: &mut WriteTx, order_id: i64, now: i64) -> AppResult<Paid> {
    let Some(m) = repo::member_of_order(tx, order_id).await? else {
        return Ok(Paid::NotGroup);
    };
    let pay = (MemberAction::Pay, Actor::Shopper, MemberStatus::Joined);
    if !repo::move_member(tx, m.id, pay, now).await? {
        return Ok(Paid::Late);
    }
    let g = repo::group(tx, m.group_id)
        .await?
        .ok_or_else(|| AppError::internal("member without group"))?;
    let opens_until = if m.leader == 1 && g.status() == GroupStatus::Pending {
        let a = repo::activity(tx, g.activity_id)
            .await?
            .ok_or_else(|| AppError::internal("group without activity"))?;
        Some(expires_at(now, a.lifetime_hours, a.ends_at))
    } else {
        None
    };
    let g = repo::count_payment(tx, m.group_id, opens_until).await?;
    order_repo::add_event(tx, order_id, "group_joined", "", "shopper", now).await?;
    match g.status() {
        GroupStatus::Open if g.paid >= g.size => {
            succeed(tx, &g, (GroupAction::Fill, Actor::Shopper), now).await?;
            Ok(Paid::Seated)
        }
        GroupStatus::Open => Ok(Paid::Seated),
        _ => Ok(Paid::Late),
    }
}

/// Moves an open group to succeeded and every paid member's order to 待发货.
pub async fn succeed(
    tx: &mut WriteTx,
    g: &GroupRow,
    (action, by): (GroupAction, Actor),
    now: i64,
) -> AppResult<bool> {
    if !repo::move_group(tx, g.id, (action, by, GroupStatus::Succeeded), now).await? {
        return Ok(false);
    }
    let note = if action == GroupAction::FillVirtual {
        "到期由系统补位成团"
    } else {
        "满员成团"
    };
    for order_id in repo::grouping_orders(tx, g.id).await? {
        let moved = order_repo::transition(
            tx,
            order_id,
            OrderAction::GroupSucceeded,
            Actor::System,
            OrderStatus::ToShip,
            now,
        )
        .await?;
        if moved {
            order_repo::add_event(tx, order_id, "group_succeeded", note, "system", now).await?;
        }
    }
    Ok(true)
}
