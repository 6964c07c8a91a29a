//! 拼团 rows (`domain::group_buy`): activities and their SKUs, groups and members (the
//! activity stock and shoppers' shares are `repo::activity_stock`'s). Every seat move is one
//! conditional statement: a group's seats (`held` against `size`, only while it is open and
//! not expired) and each member's and group's state are changed only from the state the move
//! starts at, so two checkouts, payments or timers at once can never both take the last seat.

use sqlx::{AnyConnection, FromRow};

use crate::domain::group_buy::{
    ActivityInput, ActivityStatus, GroupAction, GroupStatus, MemberAction, MemberStatus,
};
use crate::domain::state_machine::{sql_list, Actor, StateMachine};
use crate::error::AppResult;
use crate::infra::db::WriteTx;
use crate::repo::{activity_skus, activity_stock, placeholders, BindAll};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ActivityRow {
    pub id: i64,
    pub merchant_id: i64,
    pub product_id: i64,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub group_size: i64,
    pub lifetime_hours: i64,
    pub per_order_limit: i64,
    pub per_user_limit: i64,
    pub virtual_fill: i64,
    pub virtual_max: i64,
    pub status: String,
    pub created_at: i64,
    /// the product's title and image and the shop's name, for lists
    pub product_title: String,
    pub main_image: String,
    pub shop_name: String,
}

impl ActivityRow {
    pub fn status(&self) -> ActivityStatus {
        ActivityStatus::parse(&self.status).unwrap_or(ActivityStatus::Ended)
    }

    /// Selling at `now`: active, started and not over.
    pub fn selling(&self, now: i64) -> bool {
        self.status() == ActivityStatus::Active && self.starts_at <= now && now < self.ends_at
    }
}

const ACTIVITY_SELECT: &str = "SELECT a.id, a.merchant_id, a.product_id, a.title, a.starts_at, \
     a.ends_at, a.group_size, a.lifetime_hours, a.per_order_limit, a.per_user_limit, \
     a.virtual_fill, a.virtual_max, a.status, a.created_at, p.title AS product_title, \
     p.main_image, m.name AS shop_name \
     FROM group_buy_activities a JOIN products p ON p.id = a.product_id \
     JOIN merchants m ON m.id = a.merchant_id";

/// Inserts an activity with its SKUs, unless one of the SKUs is already in another activity
/// whose time overlaps (then `None`; `repo::activity_skus`).
pub async fn insert_activity(
    tx: &mut WriteTx,
    merchant_id: i64,
    product_id: i64,
    a: &ActivityInput,
    now: i64,
) -> AppResult<Option<i64>> {
    let skus: Vec<i64> = a.skus.iter().map(|s| s.0).collect();
    if activity_skus::overlapping(tx, &skus, a.starts_at, a.ends_at)
        .await?
        .is_some()
    {
        return Ok(None);
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO group_buy_activities (merchant_id, product_id, title, starts_at, ends_at, \
         group_size, lifetime_hours, per_order_limit, per_user_limit, virtual_fill, \
         virtual_max, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(merchant_id)
    .bind(product_id)
    .bind(&a.title)
    .bind(a.starts_at)
    .bind(a.ends_at)
    .bind(a.group_size)
    .bind(a.lifetime_hours)
    .bind(a.per_order_limit)
    .bind(a.per_user_limit)
    .bind(i64::from(a.virtual_fill))
    .bind(a.virtual_max)
    .bind(ActivityStatus::Active)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    for &(sku_id, price, quantity) in &a.skus {
        sqlx::query(
            "INSERT INTO group_buy_skus (activity_id, sku_id, price, quantity) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(sku_id)
        .bind(price)
        .bind(quantity)
        .execute(&mut **tx)
        .await?;
    }
    Ok(Some(id))
}

/// Activities, the latest first: a shop's (`merchant`), or every shop's.
pub async fn activities(
    conn: &mut AnyConnection,
    merchant: Option<i64>,
) -> AppResult<Vec<ActivityRow>> {
    Ok(sqlx::query_as(&format!(
        "{ACTIVITY_SELECT} WHERE ($1 = 0 OR a.merchant_id = $1) ORDER BY a.id DESC LIMIT 200"
    ))
    .bind(merchant.unwrap_or(0))
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn activity(conn: &mut AnyConnection, id: i64) -> AppResult<Option<ActivityRow>> {
    Ok(
        sqlx::query_as(&format!("{ACTIVITY_SELECT} WHERE a.id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// The product's activity selling at `now`, if any.
pub async fn selling_of_product(
    conn: &mut AnyConnection,
    product_id: i64,
    now: i64,
) -> AppResult<Option<ActivityRow>> {
    Ok(sqlx::query_as(&format!(
        "{ACTIVITY_SELECT} WHERE a.product_id = $1 AND a.status = $2 AND a.starts_at <= $3 \
         AND a.ends_at > $3 ORDER BY a.id LIMIT 1"
    ))
    .bind(product_id)
    .bind(ActivityStatus::Active)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Activities selling at `now`, every shop's, ending soonest first.
pub async fn selling(
    conn: &mut AnyConnection,
    now: i64,
    limit: i64,
) -> AppResult<Vec<ActivityRow>> {
    Ok(sqlx::query_as(&format!(
        "{ACTIVITY_SELECT} WHERE a.status = $1 AND a.starts_at <= $2 AND a.ends_at > $2 \
         AND p.status = 'on_sale' ORDER BY a.ends_at, a.id LIMIT $3"
    ))
    .bind(ActivityStatus::Active)
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// active → ended. False when it had ended.
pub async fn end_activity(tx: &mut WriteTx, id: i64, now: i64) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE group_buy_activities SET status = $1, updated_at = $2 WHERE id = $3 \
         AND status = $4",
    )
    .bind(ActivityStatus::Ended)
    .bind(now)
    .bind(id)
    .bind(ActivityStatus::Active)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ActivitySkuRow {
    pub id: i64,
    pub activity_id: i64,
    pub sku_id: i64,
    pub price: i64,
    pub quantity: i64,
    pub sold: i64,
    /// the SKU's normal price, fen, and its spec values (JSON)
    pub sku_price: i64,
    pub spec_values: String,
}

/// The SKUs of `activities`, by activity then SKU.
pub async fn skus_of(
    conn: &mut AnyConnection,
    activities: &[i64],
) -> AppResult<Vec<ActivitySkuRow>> {
    if activities.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as(&format!(
        "SELECT g.id, g.activity_id, g.sku_id, g.price, g.quantity, g.sold, \
         s.price AS sku_price, s.spec_values FROM group_buy_skus g JOIN skus s ON s.id = g.sku_id \
         WHERE g.activity_id IN ({}) ORDER BY g.activity_id, g.sku_id",
        placeholders(1, activities.len())
    ))
    .bind_all(activities.iter().copied())
    .fetch_all(&mut *conn)
    .await?)
}

/// (activity, open groups, succeeded groups) of `activities` with groups.
pub async fn group_counts(
    conn: &mut AnyConnection,
    activities: &[i64],
) -> AppResult<Vec<(i64, i64, i64)>> {
    if activities.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as(&format!(
        "SELECT activity_id, CAST(SUM(CASE WHEN status = $1 THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN status = $2 THEN 1 ELSE 0 END) AS BIGINT) \
         FROM group_buy_groups WHERE activity_id IN ({}) GROUP BY activity_id",
        placeholders(3, activities.len())
    ))
    .bind(GroupStatus::Open)
    .bind(GroupStatus::Succeeded)
    .bind_all(activities.iter().copied())
    .fetch_all(&mut *conn)
    .await?)
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct GroupRow {
    pub id: i64,
    pub activity_id: i64,
    pub merchant_id: i64,
    pub size: i64,
    pub held: i64,
    pub paid: i64,
    pub virtual_count: i64,
    pub status: String,
    pub expires_at: i64,
    pub created_at: i64,
    pub closed_at: Option<i64>,
}

impl GroupRow {
    pub fn status(&self) -> GroupStatus {
        GroupStatus::parse(&self.status).unwrap_or(GroupStatus::Failed)
    }
}

const GROUP_COLS: &str = "id, activity_id, merchant_id, size, held, paid, virtual_count, status, \
     expires_at, created_at, closed_at";

/// A new group holding its leader's seat, pending until the leader pays.
pub async fn insert_group(
    tx: &mut WriteTx,
    activity_id: i64,
    merchant_id: i64,
    size: i64,
    now: i64,
) -> AppResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO group_buy_groups (activity_id, merchant_id, size, held, status, created_at) \
         VALUES ($1, $2, $3, 1, $4, $5) RETURNING id",
    )
    .bind(activity_id)
    .bind(merchant_id)
    .bind(size)
    .bind(GroupStatus::INITIAL)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Takes a seat of an open group of `activity_id` that has one free and has not expired at
/// `now`. False when refused (full, over, or not that activity's).
pub async fn take_seat(
    tx: &mut WriteTx,
    group_id: i64,
    activity_id: i64,
    now: i64,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE group_buy_groups SET held = held + 1 WHERE id = $1 AND activity_id = $2 \
         AND status = $3 AND held < size AND expires_at > $4",
    )
    .bind(group_id)
    .bind(activity_id)
    .bind(GroupStatus::Open)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Seats `shopper` in a group with their order. False when they hold a seat there already
/// (the unique index over seated members decides, so two checkouts at once cannot both pass).
pub async fn insert_member(
    tx: &mut WriteTx,
    group_id: i64,
    shopper_id: i64,
    order_id: i64,
    leader: bool,
    now: i64,
) -> AppResult<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO group_buy_members (group_id, shopper_id, order_id, leader, status, \
         joined_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(group_id)
    .bind(shopper_id)
    .bind(order_id)
    .bind(i64::from(leader))
    .bind(MemberStatus::INITIAL)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}

pub async fn group(conn: &mut AnyConnection, id: i64) -> AppResult<Option<GroupRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {GROUP_COLS} FROM group_buy_groups WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Open groups of an activity with a free seat, not expired at `now`, ending soonest first.
pub async fn joinable(
    conn: &mut AnyConnection,
    activity_id: i64,
    now: i64,
    limit: i64,
) -> AppResult<Vec<GroupRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {GROUP_COLS} FROM group_buy_groups WHERE activity_id = $1 AND status = $2 \
         AND held < size AND expires_at > $3 ORDER BY expires_at, id LIMIT $4"
    ))
    .bind(activity_id)
    .bind(GroupStatus::Open)
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// The groups of an activity other than never-opened ones, the latest first.
pub async fn groups_of_activity(
    conn: &mut AnyConnection,
    activity_id: i64,
) -> AppResult<Vec<GroupRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {GROUP_COLS} FROM group_buy_groups WHERE activity_id = $1 \
         AND status NOT IN ($2, $3) ORDER BY id DESC LIMIT 200"
    ))
    .bind(activity_id)
    .bind(GroupStatus::Pending)
    .bind(GroupStatus::Cancelled)
    .fetch_all(&mut *conn)
    .await?)
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct MemberRow {
    pub id: i64,
    pub group_id: i64,
    pub shopper_id: i64,
    pub order_id: i64,
    pub leader: i64,
    pub status: String,
    pub joined_at: i64,
    pub paid_at: Option<i64>,
    pub nickname: String,
    pub avatar_url: Option<String>,
    pub order_no: String,
    pub trade_id: i64,
}

impl MemberRow {
    pub fn status(&self) -> MemberStatus {
        MemberStatus::parse(&self.status).unwrap_or(MemberStatus::Closed)
    }
}

const MEMBER_SELECT: &str = "SELECT gm.id, gm.group_id, gm.shopper_id, gm.order_id, gm.leader, \
     gm.status, gm.joined_at, gm.paid_at, sh.nickname, sh.avatar_url, o.order_no, o.trade_id \
     FROM group_buy_members gm JOIN shoppers sh ON sh.id = gm.shopper_id \
     JOIN orders o ON o.id = gm.order_id";

/// Every member of `groups`, by group, the leader first, then in the order they joined.
pub async fn members_of(conn: &mut AnyConnection, groups: &[i64]) -> AppResult<Vec<MemberRow>> {
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as(&format!(
        "{MEMBER_SELECT} WHERE gm.group_id IN ({}) \
         ORDER BY gm.group_id, gm.leader DESC, gm.paid_at, gm.id",
        placeholders(1, groups.len())
    ))
    .bind_all(groups.iter().copied())
    .fetch_all(&mut *conn)
    .await?)
}

/// The member an order holds a seat with, if it is a group order.
pub async fn member_of_order(
    conn: &mut AnyConnection,
    order_id: i64,
) -> AppResult<Option<MemberRow>> {
    Ok(
        sqlx::query_as(&format!("{MEMBER_SELECT} WHERE gm.order_id = $1"))
            .bind(order_id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Moves a member by `action` to `to` from the states the table allows. False when it was no
/// longer in such a state.
pub async fn move_member(
    tx: &mut WriteTx,
    member_id: i64,
    (action, by, to): (MemberAction, Actor, MemberStatus),
    now: i64,
) -> AppResult<bool> {
    let from = MemberStatus::sources(action, by, to);
    let paid_at = if to == MemberStatus::Joined {
        Some(now)
    } else {
        None
    };
    let done = sqlx::query(&format!(
        "UPDATE group_buy_members SET status = $1, paid_at = COALESCE($2, paid_at), \
         updated_at = $3 WHERE id = $4 AND status IN ({})",
        sql_list(from)
    ))
    .bind(to)
    .bind(paid_at)
    .bind(now)
    .bind(member_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves a group by `action` to `to` from the states the table allows, recording when it
/// closed when `to` is final. False when it was no longer in such a state.
pub async fn move_group(
    tx: &mut WriteTx,
    group_id: i64,
    (action, by, to): (GroupAction, Actor, GroupStatus),
    now: i64,
) -> AppResult<bool> {
    let from = GroupStatus::sources(action, by, to);
    let closed_at = (to != GroupStatus::Open).then_some(now);
    let done = sqlx::query(&format!(
        "UPDATE group_buy_groups SET status = $1, closed_at = COALESCE($2, closed_at) \
         WHERE id = $3 AND status IN ({})",
        sql_list(from)
    ))
    .bind(to)
    .bind(closed_at)
    .bind(group_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A member's payment counted: `paid` + 1, and, for the leader of a pending group, the group
/// opens until `expires_at`. Returns the group as it is after.
pub async fn count_payment(
    tx: &mut WriteTx,
    group_id: i64,
    opens_until: Option<i64>,
) -> AppResult<GroupRow> {
    if let Some(expires_at) = opens_until {
        sqlx::query(
            "UPDATE group_buy_groups SET status = $1, expires_at = $2 WHERE id = $3 \
             AND status = $4",
        )
        .bind(GroupStatus::Open)
        .bind(expires_at)
        .bind(group_id)
        .bind(GroupStatus::Pending)
        .execute(&mut **tx)
        .await?;
    }
    Ok(sqlx::query_as(&format!(
        "UPDATE group_buy_groups SET paid = paid + 1 WHERE id = $1 RETURNING {GROUP_COLS}"
    ))
    .bind(group_id)
    .fetch_one(&mut **tx)
    .await?)
}

/// A paid member gave their seat back (left): `paid` and `held` − 1, only while the group is
/// open. Returns the group as it is after, or `None` when it was no longer open.
pub async fn give_back_paid_seat(tx: &mut WriteTx, group_id: i64) -> AppResult<Option<GroupRow>> {
    Ok(sqlx::query_as(&format!(
        "UPDATE group_buy_groups SET paid = paid - 1, held = held - 1 WHERE id = $1 \
         AND status = $2 RETURNING {GROUP_COLS}"
    ))
    .bind(group_id)
    .bind(GroupStatus::Open)
    .fetch_optional(&mut **tx)
    .await?)
}

/// Makes the earliest paid member of a group its leader (the leader left).
pub async fn promote_leader(tx: &mut WriteTx, group_id: i64) -> AppResult<()> {
    let next: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM group_buy_members WHERE group_id = $1 AND status = $2 \
         ORDER BY paid_at, id LIMIT 1",
    )
    .bind(group_id)
    .bind(MemberStatus::Joined)
    .fetch_optional(&mut **tx)
    .await?;
    sqlx::query("UPDATE group_buy_members SET leader = 0 WHERE group_id = $1")
        .bind(group_id)
        .execute(&mut **tx)
        .await?;
    if let Some((id,)) = next {
        sqlx::query("UPDATE group_buy_members SET leader = 1 WHERE id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Records how many virtual members filled a group.
pub async fn set_virtual(tx: &mut WriteTx, group_id: i64, count: i64) -> AppResult<()> {
    sqlx::query("UPDATE group_buy_groups SET virtual_count = $1 WHERE id = $2")
        .bind(count)
        .bind(group_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Open groups whose time was up at `now`, the oldest first.
pub async fn due(conn: &mut AnyConnection, now: i64, limit: i64) -> AppResult<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM group_buy_groups WHERE status = $1 AND expires_at <= $2 \
         ORDER BY expires_at, id LIMIT $3",
    )
    .bind(GroupStatus::Open)
    .bind(now)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Paid members whose group is over without taking their order to 待发货 (it failed, or it
/// filled while their payment was on its way): each is owed a full refund. (member, order)
pub async fn owed_refunds(conn: &mut AnyConnection, limit: i64) -> AppResult<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT gm.id, gm.order_id FROM group_buy_members gm \
         JOIN group_buy_groups g ON g.id = gm.group_id JOIN orders o ON o.id = gm.order_id \
         WHERE gm.status = $1 AND g.status IN ($2, $3) AND o.status = 'grouping' \
         ORDER BY gm.id LIMIT $4",
    )
    .bind(MemberStatus::Joined)
    .bind(GroupStatus::Failed)
    .bind(GroupStatus::Succeeded)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?)
}

/// Gives back the seats, activity stock and shoppers' shares of the group lines of
/// `order_ids` (their trades just closed unpaid, in this transaction): each unpaid member is
/// closed, and a pending group whose leader's order this was is cancelled.
pub async fn release_of_orders(tx: &mut WriteTx, order_ids: &[i64], now: i64) -> AppResult<()> {
    if order_ids.is_empty() {
        return Ok(());
    }
    let members: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT id, group_id, leader FROM group_buy_members WHERE status = $1 \
         AND order_id IN ({})",
        placeholders(2, order_ids.len())
    ))
    .bind(MemberStatus::Unpaid)
    .bind_all(order_ids.iter().copied())
    .fetch_all(&mut **tx)
    .await?;
    let close = (MemberAction::Close, Actor::System, MemberStatus::Closed);
    for (member_id, group_id, leader) in members {
        if !move_member(tx, member_id, close, now).await? {
            continue;
        }
        sqlx::query("UPDATE group_buy_groups SET held = held - 1 WHERE id = $1")
            .bind(group_id)
            .execute(&mut **tx)
            .await?;
        if leader == 1 {
            let cancel = (GroupAction::Close, Actor::System, GroupStatus::Cancelled);
            move_group(tx, group_id, cancel, now).await?;
        }
    }
    activity_stock::release_of_orders(tx, activity_stock::GROUP_BUY, order_ids).await?;
    Ok(())
}

/// The orders of a group's paid members still waiting for it (待成团).
pub async fn grouping_orders(tx: &mut WriteTx, group_id: i64) -> AppResult<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT gm.order_id FROM group_buy_members gm JOIN orders o ON o.id = gm.order_id \
         WHERE gm.group_id = $1 AND gm.status = $2 AND o.status = 'grouping' ORDER BY gm.id",
    )
    .bind(group_id)
    .bind(MemberStatus::Joined)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// The trades of a group's unpaid members (closed when the group ends).
pub async fn unpaid_trades(conn: &mut AnyConnection, group_id: i64) -> AppResult<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT o.trade_id FROM group_buy_members gm JOIN orders o ON o.id = gm.order_id \
         WHERE gm.group_id = $1 AND gm.status = $2",
    )
    .bind(group_id)
    .bind(MemberStatus::Unpaid)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// (group, member status) of every seat `shopper` holds or held in `groups`.
pub async fn seats_of(
    conn: &mut AnyConnection,
    shopper_id: i64,
    groups: &[i64],
) -> AppResult<Vec<(i64, String, i64)>> {
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as(&format!(
        "SELECT group_id, status, order_id FROM group_buy_members WHERE shopper_id = $1 \
         AND status IN ({}) AND group_id IN ({})",
        sql_list(MemberStatus::SEATED),
        placeholders(2, groups.len())
    ))
    .bind(shopper_id)
    .bind_all(groups.iter().copied())
    .fetch_all(&mut *conn)
    .await?)
}

/// The group a shopper's trade holds a seat in, if it is a 拼团 trade.
pub async fn group_of_trade(
    conn: &mut AnyConnection,
    shopper_id: i64,
    trade_no: &str,
) -> AppResult<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT gm.group_id FROM group_buy_members gm JOIN orders o ON o.id = gm.order_id \
         JOIN trades t ON t.id = o.trade_id WHERE t.trade_no = $1 AND gm.shopper_id = $2",
    )
    .bind(trade_no)
    .bind(shopper_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.0))
}
