//! 拼团: a shop's activities, the shoppers' groups (open by paying, join through a share
//! link, leave), what a checkout of a group line must pass (pricing step 1 in
//! `domain::pricing`; seats and stock in `repo::group_buys`), what a payment does to a group,
//! and the timers: a group whose time is up fills with virtual members or fails, and every paid
//! member of a group that is over without them is refunded in full.
//!
//! The timers keep their state in the database (deadlines and states on the rows), so a
//! restart between any two steps loses nothing: the next pass picks up what is due.

use crate::domain::activity_form::ActivityPhase;
use crate::domain::audit::AuditTarget;
use crate::domain::group_buy::{
    at_expiry, masked_name, ActivityForm, ActivityPage, ActivitySkuView, ActivityStatus,
    ActivityView, AtExpiry, GroupAction, GroupDetail, GroupPage, GroupStatus, GroupView,
    MemberAction, MemberFace, MemberRow as MemberLine, MemberStatus, ProductGroupBuy,
};
use crate::domain::order::TradeAction;
use crate::domain::permission::Permission;
use crate::domain::reader::Reader;
use crate::domain::state_machine::{Actor, StateMachine};
use crate::domain::time::datetime_text;
use crate::error::{AppError, AppResult};
use crate::repo::audit;
use crate::repo::group_buys::{self as repo, ActivityRow, ActivitySkuRow, GroupRow, MemberRow};
use crate::repo::orders as order_repo;
use crate::services::activity_forms::{self, spec_text};
use crate::services::group_seats;
use crate::services::merchants::{Ender, MerchantScope};
use crate::state::AppState;

fn activity_view(
    a: &ActivityRow,
    skus: &[ActivitySkuRow],
    counts: &[(i64, i64, i64)],
    now: i64,
) -> ActivityView {
    let skus: Vec<ActivitySkuView> = skus
        .iter()
        .filter(|s| s.activity_id == a.id)
        .map(|s| ActivitySkuView {
            sku_id: s.sku_id,
            spec_label: spec_text(&s.spec_values),
            price: s.price,
            normal_price: s.sku_price,
            quantity: s.quantity,
            sold: s.sold,
        })
        .collect();
    let (open_groups, succeeded_groups) = counts
        .iter()
        .find(|c| c.0 == a.id)
        .map_or((0, 0), |c| (c.1, c.2));
    let short = |ms: i64| datetime_text(ms).get(5..).unwrap_or_default().to_string();
    let ended_early = a.status() == ActivityStatus::Ended;
    let phase = ActivityPhase::at(ended_early, a.starts_at, a.ends_at, now);
    ActivityView {
        id: a.id,
        merchant_id: a.merchant_id,
        shop_name: a.shop_name.clone(),
        product_id: a.product_id,
        product_title: a.product_title.clone(),
        image: a.main_image.clone(),
        title: a.title.clone(),
        starts_at: a.starts_at,
        ends_at: a.ends_at,
        window: format!("{} ~ {}", short(a.starts_at), short(a.ends_at)),
        group_size: a.group_size,
        lifetime_hours: a.lifetime_hours,
        per_order_limit: a.per_order_limit,
        per_user_limit: a.per_user_limit,
        virtual_fill: a.virtual_fill != 0,
        virtual_max: a.virtual_max,
        status: a.status.clone(),
        phase,
        phase_label: phase.label().into(),
        selling: a.selling(now),
        from_price: skus.iter().map(|s| s.price).min().unwrap_or(0),
        from_normal_price: skus.iter().map(|s| s.normal_price).min().unwrap_or(0),
        skus,
        open_groups,
        succeeded_groups,
    }
}

/// Views of activity rows with their SKUs and group counts.
async fn activity_views(
    conn: &mut sqlx::AnyConnection,
    rows: &[ActivityRow],
    now: i64,
) -> AppResult<Vec<ActivityView>> {
    let ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
    let skus = repo::skus_of(conn, &ids).await?;
    let counts = repo::group_counts(conn, &ids).await?;
    Ok(rows
        .iter()
        .map(|a| activity_view(a, &skus, &counts, now))
        .collect())
}

fn group_view(g: &GroupRow, members: &[MemberRow]) -> GroupView {
    let faces: Vec<MemberFace> = members
        .iter()
        .filter(|m| m.group_id == g.id && m.status() == MemberStatus::Joined)
        .map(|m| MemberFace {
            name: masked_name(&m.nickname),
            avatar: m.avatar_url.clone().unwrap_or_default(),
            leader: m.leader == 1,
            joined_at: m.paid_at.unwrap_or(m.joined_at),
        })
        .collect();
    GroupView {
        id: g.id,
        activity_id: g.activity_id,
        size: g.size,
        paid: g.paid,
        seats_left: if g.status() == GroupStatus::Open {
            g.size - g.held
        } else {
            0
        },
        virtual_count: g.virtual_count,
        status: g.status.clone(),
        status_label: g.status().label().into(),
        expires_at: g.expires_at,
        members: faces,
    }
}

/// A shop creates an activity (营销中心 → 拼团). Errors: 403 for a suspended shop; 404 for a
/// product that is not the shop's or not on sale; 422 naming the field (the form's rules, and
/// a SKU already in an activity or 秒杀 slot whose time overlaps).
pub async fn create_activity(
    st: &AppState,
    scope: &MerchantScope,
    form: &ActivityForm,
    ip: &str,
) -> AppResult<i64> {
    if !scope.shop_active {
        return Err(AppError::Forbidden("店铺已暂停营业，不能创建活动".into()));
    }
    let now = st.clock.now_ms();
    let skus = activity_forms::skus_now(st, scope, form.product_id).await?;
    let input = form.parse(now, &skus)?;
    let mut tx = st.db.begin_write().await?;
    let Some(id) =
        repo::insert_activity(&mut tx, scope.merchant_id, form.product_id, &input, now).await?
    else {
        tx.rollback().await?;
        return Err(AppError::invalid(
            "skus",
            "所选规格在这段时间已有秒杀、拼团或预售活动，同一规格同一时间只能参加一个活动",
        ));
    };
    let detail = format!("{}：{} 人团", input.title, input.group_size);
    let entry = scope
        .entry("group_buy_create", &detail, ip)
        .on(AuditTarget::GroupBuy, id);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Ends an activity early: no new groups or joins; groups already open run to their end.
/// Errors: 403 without 管理平台营销 (platform); 404 (another shop's, for a shop); 409 ended.
pub async fn end_activity(st: &AppState, who: Ender<'_>, id: i64, ip: &str) -> AppResult<()> {
    if let Ender::Platform(admin) = who {
        admin.require(Permission::ManageMarketing)?;
    }
    let a = repo::activity(&mut *st.db.pool.acquire().await?, id)
        .await?
        .filter(|a| match who {
            Ender::Shop(scope) => a.merchant_id == scope.merchant_id,
            Ender::Platform(_) => true,
        })
        .ok_or_else(|| AppError::not_found("拼团活动不存在"))?;
    let mut tx = st.db.begin_write().await?;
    if !repo::end_activity(&mut tx, id, st.clock.now_ms()).await? {
        tx.rollback().await?;
        return Err(AppError::Conflict("活动已结束".into()));
    }
    let entry = match who {
        Ender::Platform(admin) => admin.entry("group_buy_end", &a.title, ip),
        Ender::Shop(scope) => scope.entry("group_buy_end", &a.title, ip),
    };
    let mut entry = entry
        .on(AuditTarget::GroupBuy, id)
        .change("进行中", "已结束");
    entry.merchant_id = Some(a.merchant_id);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Activities, the latest first: a shop's own (`merchant`), or every shop's (the platform;
/// needs 管理平台营销).
pub async fn activities(st: &AppState, merchant: Option<i64>) -> AppResult<Vec<ActivityView>> {
    let mut conn = st.db.pool.acquire().await?;
    let rows = repo::activities(&mut conn, merchant).await?;
    activity_views(&mut conn, &rows, st.clock.now_ms()).await
}

/// Activities selling now, every shop's, ending soonest first (the H5 拼团 page).
pub async fn selling(st: &AppState) -> AppResult<Vec<ActivityView>> {
    let mut conn = st.db.pool.acquire().await?;
    let now = st.clock.now_ms();
    let rows = repo::selling(&mut conn, now, 50).await?;
    activity_views(&mut conn, &rows, now).await
}

/// An activity with its groups and every member, for its shop (`merchant`; another shop's is
/// 404) or the platform.
pub async fn activity_page(
    st: &AppState,
    merchant: Option<i64>,
    id: i64,
) -> AppResult<ActivityPage> {
    let now = st.clock.now_ms();
    let mut conn = st.db.pool.acquire().await?;
    let a = repo::activity(&mut conn, id)
        .await?
        .filter(|a| merchant.is_none_or(|m| m == a.merchant_id))
        .ok_or_else(|| AppError::not_found("拼团活动不存在"))?;
    let activity = activity_views(&mut conn, std::slice::from_ref(&a), now)
        .await?
        .remove(0);
    let groups = repo::groups_of_activity(&mut conn, id).await?;
    let ids: Vec<i64> = groups.iter().map(|g| g.id).collect();
    let members = repo::members_of(&mut conn, &ids).await?;
    let groups = groups
        .iter()
        .map(|g| GroupDetail {
            group: group_view(g, &members),
            activity_title: a.title.clone(),
            shop_name: a.shop_name.clone(),
            members: members
                .iter()
                .filter(|m| m.group_id == g.id)
                .map(|m| MemberLine {
                    shopper_id: m.shopper_id,
                    name: m.nickname.clone(),
                    leader: m.leader == 1,
                    order_id: m.order_id,
                    order_no: m.order_no.clone(),
                    status: m.status.clone(),
                    status_label: m.status().label().into(),
                    joined_at: m.joined_at,
                })
                .collect(),
        })
        .collect();
    Ok(ActivityPage {
        activity,
        groups,
        now,
    })
}

/// A product's activity selling now with up to five groups a shopper may join (its page);
/// `None` when it has none.
pub async fn of_product(
    st: &AppState,
    viewer: Option<i64>,
    product_id: i64,
) -> AppResult<Option<ProductGroupBuy>> {
    let now = st.clock.now_ms();
    let mut conn = st.db.pool.acquire().await?;
    let Some(a) = repo::selling_of_product(&mut conn, product_id, now).await? else {
        return Ok(None);
    };
    let activity = activity_views(&mut conn, std::slice::from_ref(&a), now)
        .await?
        .remove(0);
    let mut groups = repo::joinable(&mut conn, a.id, now, 5).await?;
    if let Some(shopper) = viewer {
        // a group the viewer sits in is not one to join (their order page leads to it)
        let ids: Vec<i64> = groups.iter().map(|g| g.id).collect();
        let seated = repo::seats_of(&mut conn, shopper, &ids).await?;
        groups.retain(|g| !seated.iter().any(|s| s.0 == g.id));
    }
    let ids: Vec<i64> = groups.iter().map(|g| g.id).collect();
    let members = repo::members_of(&mut conn, &ids).await?;
    Ok(Some(ProductGroupBuy {
        activity,
        groups: groups.iter().map(|g| group_view(g, &members)).collect(),
        now,
    }))
}

/// A group's share page for `viewer` (a signed-in shopper, or a visitor). Errors: 404 for a
/// group that is not there or never opened (its leader has not paid; the leader sees it).
pub async fn group_page(st: &AppState, viewer: Option<i64>, id: i64) -> AppResult<GroupPage> {
    let now = st.clock.now_ms();
    let mut conn = st.db.pool.acquire().await?;
    let g = repo::group(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("拼团不存在"))?;
    let members = repo::members_of(&mut conn, &[g.id]).await?;
    let mine = viewer.and_then(|v| {
        members
            .iter()
            .find(|m| m.shopper_id == v && MemberStatus::SEATED.contains(&m.status()))
    });
    if matches!(g.status(), GroupStatus::Pending | GroupStatus::Cancelled) && mine.is_none() {
        return Err(AppError::not_found("拼团不存在"));
    }
    let a = repo::activity(&mut conn, g.activity_id)
        .await?
        .ok_or_else(|| AppError::internal("group without activity"))?;
    let activity = activity_views(&mut conn, std::slice::from_ref(&a), now)
        .await?
        .remove(0);
    let view = group_view(&g, &members);
    let cannot_join = if mine.is_some() {
        "您已在这个团中"
    } else if g.status() != GroupStatus::Open || g.expires_at <= now {
        "这个团已结束"
    } else if view.seats_left <= 0 {
        "这个团已满"
    } else if !a.selling(now) {
        "活动已结束"
    } else {
        ""
    };
    Ok(GroupPage {
        group: view,
        activity,
        now,
        my_status: mine.map(|m| m.status.clone()),
        my_order_id: mine.map(|m| m.order_id),
        cannot_join: cannot_join.into(),
    })
}

/// A member leaves an open group (拼团中) and is refunded in full; when the leader leaves, the
/// earliest member leads; when the last member leaves, the group fails. Errors: 404 for an
/// order that is not the shopper's group order; 409 when the group is no longer open or the
/// member has not paid or left already.
pub async fn leave(st: &AppState, shopper_id: i64, order_id: i64) -> AppResult<()> {
    let now = st.clock.now_ms();
    let mut conn = st.db.pool.acquire().await?;
    let m = repo::member_of_order(&mut conn, order_id)
        .await?
        .filter(|m| m.shopper_id == shopper_id)
        .ok_or_else(|| AppError::not_found("拼团订单不存在"))?;
    drop(conn);
    let leave = (MemberAction::Leave, Actor::Shopper, MemberStatus::Left);
    m.status().check(leave.0, leave.1, leave.2)?;
    let mut tx = st.db.begin_write().await?;
    let g = repo::group(&mut tx, m.group_id)
        .await?
        .ok_or_else(|| AppError::internal("member without group"))?;
    if g.status() != GroupStatus::Open || !repo::move_member(&mut tx, m.id, leave, now).await? {
        tx.rollback().await?;
        return Err(AppError::Conflict(
            "拼团状态已变化（已成团或已结束），不能退团".into(),
        ));
    }
    let Some(g) = repo::give_back_paid_seat(&mut tx, g.id).await? else {
        tx.rollback().await?;
        return Err(AppError::Conflict("拼团已成团或已结束，不能退团".into()));
    };
    if m.leader == 1 {
        repo::promote_leader(&mut tx, g.id).await?;
    }
    let emptied = g.paid == 0;
    if emptied {
        let empty = (GroupAction::Empty, Actor::Shopper, GroupStatus::Failed);
        repo::move_group(&mut tx, g.id, empty, now).await?;
    }
    let refund =
        crate::services::after_sales::refund_whole_order(&mut tx, order_id, "退出拼团", now)
            .await?;
    order_repo::add_event(&mut tx, order_id, "group_left", "全额退款", "shopper", now).await?;
    tx.commit().await?;
    if emptied {
        close_unpaid_seats(st, g.id).await?;
    }
    if let Some(id) = refund {
        crate::services::after_sales::refund(st, id).await?;
    }
    Ok(())
}

/// Closes the trades of the unpaid orders still holding seats of a group that is over (their
/// stock and seats come back; a payment arriving later is sent back as a late payment).
async fn close_unpaid_seats(st: &AppState, group_id: i64) -> AppResult<()> {
    let unpaid = repo::unpaid_trades(&mut *st.db.pool.acquire().await?, group_id).await?;
    if !unpaid.is_empty() {
        crate::services::orders::close_trades(st, &unpaid, TradeAction::TimeOut, Actor::System)
            .await?;
    }
    Ok(())
}

/// One pass of the group timers: every open group whose time is up fills with virtual members
/// (where its activity allows) or fails; the unpaid orders holding its seats close; every paid
/// member of a group that is over without them is refunded in full. Returns (groups ended,
/// refunds started).
pub async fn run_timers(st: &AppState) -> AppResult<(usize, usize)> {
    let now = st.clock.now_ms();
    let due = repo::due(&mut *st.db.pool.acquire().await?, now, 200).await?;
    let mut ended = 0;
    for id in due {
        if expire(st, id, now).await? {
            ended += 1;
        }
    }
    let refunds = refund_owed(st).await?;
    Ok((ended, refunds))
}

/// Ends one open group whose time is up. False when something else ended it first.
async fn expire(st: &AppState, group_id: i64, now: i64) -> AppResult<bool> {
    let mut tx = st.db.begin_write().await?;
    let Some(g) = repo::group(&mut tx, group_id)
        .await?
        .filter(|g| g.status() == GroupStatus::Open && g.expires_at <= now)
    else {
        tx.rollback().await?;
        return Ok(false);
    };
    let a = repo::activity(&mut tx, g.activity_id)
        .await?
        .ok_or_else(|| AppError::internal("group without activity"))?;
    let done = match at_expiry(g.paid, g.size, a.virtual_fill != 0, a.virtual_max) {
        AtExpiry::FillVirtual(n) => {
            let ok =
                group_seats::succeed(&mut tx, &g, (GroupAction::FillVirtual, Actor::System), now)
                    .await?;
            if ok {
                repo::set_virtual(&mut tx, g.id, n).await?;
            }
            ok
        }
        AtExpiry::Fail => {
            let fail = (GroupAction::Expire, Actor::System, GroupStatus::Failed);
            repo::move_group(&mut tx, g.id, fail, now).await?
        }
    };
    tx.commit().await?;
    // the seats still held by unpaid orders are not needed any more
    close_unpaid_seats(st, group_id).await?;
    Ok(done)
}

/// Refunds in full every paid member of a group that is over without them (failed, or filled
/// while their payment was on its way). Each member moves to refunded and gets its refund
/// after-sale in one transaction, so a refund is started once however often this runs.
pub async fn refund_owed(st: &AppState) -> AppResult<usize> {
    let now = st.clock.now_ms();
    let owed = repo::owed_refunds(&mut *st.db.pool.acquire().await?, 200).await?;
    let mut started = 0;
    for (member_id, order_id) in owed {
        let mut tx = st.db.begin_write().await?;
        let refund = (MemberAction::Refund, Actor::System, MemberStatus::Refunded);
        if !repo::move_member(&mut tx, member_id, refund, now).await? {
            tx.rollback().await?;
            continue;
        }
        let id = crate::services::after_sales::refund_whole_order(
            &mut tx,
            order_id,
            "拼团失败，系统自动退款",
            now,
        )
        .await?;
        tx.commit().await?;
        if let Some(id) = id {
            crate::services::after_sales::refund(st, id).await?;
            started += 1;
        }
    }
    Ok(started)
}

/// The group a shopper's order belongs to (for its order page), if it is a group order.
pub async fn group_of_order(st: &AppState, scope: Reader, order_id: i64) -> AppResult<Option<i64>> {
    let mut conn = st.db.pool.acquire().await?;
    if order_repo::order(&mut conn, scope, order_id)
        .await?
        .is_none()
    {
        return Ok(None);
    }
    Ok(repo::member_of_order(&mut conn, order_id)
        .await?
        .map(|m| m.group_id))
}

/// The group of a shopper's 拼团 trade (where its pay page leads after paying), if it is one.
pub async fn group_of_trade(
    st: &AppState,
    shopper_id: i64,
    trade_no: &str,
) -> AppResult<Option<i64>> {
    repo::group_of_trade(&mut *st.db.pool.acquire().await?, shopper_id, trade_no).await
}
