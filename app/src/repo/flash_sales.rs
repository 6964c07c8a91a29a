//! 秒杀 rows (`domain::flash_sale`): events, the shops' applications (items) and what each
//! shopper holds of each item. Every stock move is one conditional statement: the activity
//! stock (`sold` against `quantity`) and a shopper's share (`flash_sale_buyers.qty` against the
//! per-user limit) are taken only while enough is left, so two checkouts at once can never
//! both take the last unit, and are given back once, by the transaction that closes the trade.

use sqlx::{AnyConnection, FromRow};

use crate::domain::flash_sale::{
    hours_text, parse_hours, slots, EventInput, EventStatus, ItemInput, ItemStatus, Slot,
};
use crate::domain::state_machine::{sql_list, Actor, StateMachine};
use crate::error::AppResult;
use crate::infra::db::WriteTx;
use crate::repo::{activity_skus, placeholders, BindAll};

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct EventRow {
    pub id: i64,
    pub title: String,
    pub first_day: i64,
    pub last_day: i64,
    pub slot_hours: String,
    pub slot_minutes: i64,
    pub apply_until: i64,
    pub allow_platform_coupon: i64,
    pub status: String,
    pub created_at: i64,
}

impl EventRow {
    pub fn status(&self) -> EventStatus {
        EventStatus::parse(&self.status).unwrap_or(EventStatus::Ended)
    }

    pub fn slots(&self) -> Vec<Slot> {
        slots(
            self.first_day,
            self.last_day,
            &parse_hours(&self.slot_hours),
            self.slot_minutes,
        )
    }
}

const EVENT_COLUMNS: &str = "id, title, first_day, last_day, slot_hours, slot_minutes, \
     apply_until, allow_platform_coupon, status, created_at";

pub async fn insert_event(tx: &mut WriteTx, e: &EventInput, now: i64) -> AppResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO flash_sale_events (title, first_day, last_day, slot_hours, slot_minutes, \
         apply_until, allow_platform_coupon, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(&e.title)
    .bind(e.first_day)
    .bind(e.last_day)
    .bind(hours_text(&e.slot_hours))
    .bind(e.slot_minutes)
    .bind(e.apply_until)
    .bind(i64::from(e.allow_platform_coupon))
    .bind(EventStatus::Active)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Every event, the latest first.
pub async fn events(conn: &mut AnyConnection) -> AppResult<Vec<EventRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {EVENT_COLUMNS} FROM flash_sale_events ORDER BY first_day DESC, id DESC"
    ))
    .fetch_all(&mut *conn)
    .await?)
}

/// Events whose last day is `from_day` or later (running or to come).
pub async fn current_events(conn: &mut AnyConnection, from_day: i64) -> AppResult<Vec<EventRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {EVENT_COLUMNS} FROM flash_sale_events WHERE status = $1 AND last_day >= $2 \
         ORDER BY first_day, id"
    ))
    .bind(EventStatus::Active)
    .bind(from_day)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn event(conn: &mut AnyConnection, id: i64) -> AppResult<Option<EventRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {EVENT_COLUMNS} FROM flash_sale_events WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// (event, pending applications, approved ones) of every event with applications; with
/// `merchant`, that shop's only.
pub async fn counts(
    conn: &mut AnyConnection,
    merchant: Option<i64>,
) -> AppResult<Vec<(i64, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT event_id, CAST(SUM(CASE WHEN status = $1 THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN status = $2 THEN 1 ELSE 0 END) AS BIGINT) \
         FROM flash_sale_items WHERE ($3 = 0 OR merchant_id = $3) GROUP BY event_id",
    )
    .bind(ItemStatus::Pending)
    .bind(ItemStatus::Approved)
    .bind(merchant.unwrap_or(0))
    .fetch_all(&mut *conn)
    .await?)
}

/// A shop's SKUs on sale (active SKUs of on-sale products): (SKU, title, spec values JSON,
/// price, stock).
pub async fn skus_of_shop(
    conn: &mut AnyConnection,
    merchant_id: i64,
) -> AppResult<Vec<(i64, String, String, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT s.id, p.title, s.spec_values, s.price, s.stock FROM skus s \
         JOIN products p ON p.id = s.product_id \
         WHERE s.merchant_id = $1 AND s.active = 1 AND p.status = 'on_sale' \
         ORDER BY p.id, s.id",
    )
    .bind(merchant_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// active → ended. False when it had ended already.
pub async fn end_event(tx: &mut WriteTx, id: i64, now: i64) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE flash_sale_events SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
    )
    .bind(EventStatus::Ended)
    .bind(now)
    .bind(id)
    .bind(EventStatus::Active)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ItemRow {
    pub id: i64,
    pub event_id: i64,
    pub merchant_id: i64,
    pub product_id: i64,
    pub sku_id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub price: i64,
    pub quantity: i64,
    pub sold: i64,
    pub per_user_limit: i64,
    pub per_order_limit: i64,
    pub status: String,
    pub reason: String,
    pub created_at: i64,
    /// the product's title and the shop's name, for lists
    pub title: String,
    pub shop_name: String,
    pub main_image: String,
    /// the SKU's normal price, fen
    pub sku_price: i64,
    /// JSON, one value per spec dimension
    pub spec_values: String,
}

impl ItemRow {
    pub fn status(&self) -> ItemStatus {
        ItemStatus::parse(&self.status).unwrap_or(ItemStatus::Withdrawn)
    }

    pub fn slot(&self) -> Slot {
        Slot {
            starts_at: self.starts_at,
            ends_at: self.ends_at,
        }
    }
}

const ITEM_SELECT: &str = "SELECT i.id, i.event_id, i.merchant_id, i.product_id, i.sku_id, \
     i.starts_at, i.ends_at, i.price, i.quantity, i.sold, i.per_user_limit, i.per_order_limit, \
     i.status, i.reason, i.created_at, p.title, m.name AS shop_name, p.main_image, \
     s.price AS sku_price, s.spec_values \
     FROM flash_sale_items i JOIN products p ON p.id = i.product_id \
     JOIN merchants m ON m.id = i.merchant_id JOIN skus s ON s.id = i.sku_id";

pub struct NewItem<'a> {
    pub event_id: i64,
    pub merchant_id: i64,
    pub product_id: i64,
    pub sku_id: i64,
    pub slot: Slot,
    pub input: &'a ItemInput,
    pub now: i64,
}

/// Applies a SKU to a slot, unless the SKU is already in an activity whose time overlaps the
/// slot (then `None`; `repo::activity_skus`).
pub async fn insert_item(tx: &mut WriteTx, n: &NewItem<'_>) -> AppResult<Option<i64>> {
    if activity_skus::overlapping(tx, &[n.sku_id], n.slot.starts_at, n.slot.ends_at)
        .await?
        .is_some()
    {
        return Ok(None);
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO flash_sale_items (event_id, merchant_id, product_id, sku_id, starts_at, \
         ends_at, price, quantity, per_user_limit, per_order_limit, status, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) \
         RETURNING id",
    )
    .bind(n.event_id)
    .bind(n.merchant_id)
    .bind(n.product_id)
    .bind(n.sku_id)
    .bind(n.slot.starts_at)
    .bind(n.slot.ends_at)
    .bind(n.input.price)
    .bind(n.input.quantity)
    .bind(n.input.per_user_limit)
    .bind(n.input.per_order_limit)
    .bind(ItemStatus::INITIAL)
    .bind(n.now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Some(id))
}

/// One item; with `merchant`, only that shop's.
pub async fn item(
    conn: &mut AnyConnection,
    id: i64,
    merchant: Option<i64>,
) -> AppResult<Option<ItemRow>> {
    let row: Option<ItemRow> = sqlx::query_as(&format!("{ITEM_SELECT} WHERE i.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.filter(|r| merchant.is_none_or(|m| m == r.merchant_id)))
}

/// The items of an event (any status), by slot then id; with `merchant`, only that shop's.
pub async fn items_of_event(
    conn: &mut AnyConnection,
    event_id: i64,
    merchant: Option<i64>,
) -> AppResult<Vec<ItemRow>> {
    Ok(sqlx::query_as(&format!(
        "{ITEM_SELECT} WHERE i.event_id = $1 AND ($2 = 0 OR i.merchant_id = $2) \
         ORDER BY i.starts_at, i.id"
    ))
    .bind(event_id)
    .bind(merchant.unwrap_or(0))
    .fetch_all(&mut *conn)
    .await?)
}

/// Approved items of active events whose slot ends after `from` and starts before `to`: what
/// the 秒杀 page and product pages show.
pub async fn approved_between(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
) -> AppResult<Vec<ItemRow>> {
    Ok(sqlx::query_as(&format!(
        "{ITEM_SELECT} JOIN flash_sale_events e ON e.id = i.event_id \
         WHERE i.status = $1 AND e.status = $2 AND i.ends_at > $3 AND i.starts_at < $4 \
         ORDER BY i.starts_at, i.id"
    ))
    .bind(ItemStatus::Approved)
    .bind(EventStatus::Active)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?)
}

/// Moves an item by `action` (from the states the table allows) to `to`, with a reason.
/// False when it was no longer in such a state.
pub async fn move_item(
    tx: &mut WriteTx,
    id: i64,
    action: crate::domain::flash_sale::ItemAction,
    by: Actor,
    to: ItemStatus,
    reason: &str,
    now: i64,
) -> AppResult<bool> {
    let from = ItemStatus::sources(action, by, to);
    let done = sqlx::query(&format!(
        "UPDATE flash_sale_items SET status = $1, reason = $2, updated_at = $3 \
         WHERE id = $4 AND status IN ({})",
        sql_list(from)
    ))
    .bind(to)
    .bind(reason)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Units of an item not yet sold (`quantity - sold`), as committed; `None` when there is no
/// such item.
pub async fn unsold(conn: &mut AnyConnection, item_id: i64) -> AppResult<Option<i64>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT quantity - sold FROM flash_sale_items WHERE id = $1")
            .bind(item_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(left,)| left))
}

/// The checkout keys (`trades.idempotency_key`) of the trades whose orders hold units of an
/// item (not cancelled: a closed trade gave its units back).
pub async fn holding_keys(conn: &mut AnyConnection, item_id: i64) -> AppResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT t.idempotency_key FROM order_items i \
         JOIN orders o ON o.id = i.order_id JOIN trades t ON t.id = o.trade_id \
         WHERE i.flash_sale_item_id = $1 AND o.status <> $2",
    )
    .bind(item_id)
    .bind(crate::domain::order::OrderStatus::Cancelled.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(k,)| k).collect())
}

/// Takes `qty` of an approved item's activity stock if that much is left. Returns what is
/// left after, or `None` when refused (sold out, or no longer approved).
pub async fn take(tx: &mut WriteTx, item_id: i64, qty: i64) -> AppResult<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE flash_sale_items SET sold = sold + $1 WHERE id = $2 AND status = $3 \
         AND sold + $1 <= quantity RETURNING quantity - sold",
    )
    .bind(qty)
    .bind(item_id)
    .bind(ItemStatus::Approved)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(left,)| left))
}

/// Adds `qty` to what `shopper` holds of an item, unless that would pass `limit`. False when
/// refused. One upsert, so a shopper's two checkouts at once cannot both pass the limit.
pub async fn hold_for_shopper(
    tx: &mut WriteTx,
    item_id: i64,
    shopper_id: i64,
    qty: i64,
    limit: i64,
) -> AppResult<bool> {
    if qty > limit {
        return Ok(false);
    }
    let row: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO flash_sale_buyers (item_id, shopper_id, qty) VALUES ($1, $2, $3) \
         ON CONFLICT (item_id, shopper_id) DO UPDATE SET qty = flash_sale_buyers.qty + $3 \
         WHERE flash_sale_buyers.qty + $3 <= $4 RETURNING qty",
    )
    .bind(item_id)
    .bind(shopper_id)
    .bind(qty)
    .bind(limit)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}

/// What `shopper` holds of each of `items` (placed orders not closed).
pub async fn held(
    conn: &mut AnyConnection,
    shopper_id: i64,
    items: &[i64],
) -> AppResult<Vec<(i64, i64)>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as(&format!(
        "SELECT item_id, qty FROM flash_sale_buyers WHERE shopper_id = $1 AND item_id IN ({})",
        placeholders(2, items.len())
    ))
    .bind(shopper_id)
    .bind_all(items.iter().copied())
    .fetch_all(&mut *conn)
    .await?)
}

/// Gives back the activity stock and the shoppers' shares of the flash-sale lines of
/// `order_ids` (their trades just closed unpaid, in this transaction). Returns the items given
/// back to, for the sold-out board.
pub async fn release_of_orders(tx: &mut WriteTx, order_ids: &[i64]) -> AppResult<Vec<i64>> {
    if order_ids.is_empty() {
        return Ok(Vec::new());
    }
    let lines: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT oi.flash_sale_item_id, o.shopper_id, oi.qty FROM order_items oi \
         JOIN orders o ON o.id = oi.order_id \
         WHERE oi.flash_sale_item_id IS NOT NULL AND oi.order_id IN ({})",
        placeholders(1, order_ids.len())
    ))
    .bind_all(order_ids.iter().copied())
    .fetch_all(&mut **tx)
    .await?;
    let mut items = Vec::new();
    for (item_id, shopper_id, qty) in lines {
        sqlx::query("UPDATE flash_sale_items SET sold = sold - $1 WHERE id = $2")
            .bind(qty)
            .bind(item_id)
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "UPDATE flash_sale_buyers SET qty = qty - $1 WHERE item_id = $2 AND shopper_id = $3",
        )
        .bind(qty)
        .bind(item_id)
        .bind(shopper_id)
        .execute(&mut **tx)
        .await?;
        if !items.contains(&item_id) {
            items.push(item_id);
        }
    }
    Ok(items)
}

/// Gives back to their items' activity stock, and to the shopper's share, the refunded units
/// `(order item, qty)` that are flash-sale lines (refunded before they shipped).
pub async fn release_units(
    tx: &mut WriteTx,
    shopper_id: i64,
    units: &[(i64, i64)],
) -> AppResult<()> {
    for &(order_item_id, qty) in units {
        let item: Option<(i64,)> = sqlx::query_as(
            "SELECT flash_sale_item_id FROM order_items \
             WHERE id = $1 AND flash_sale_item_id IS NOT NULL",
        )
        .bind(order_item_id)
        .fetch_optional(&mut **tx)
        .await?;
        let Some((item_id,)) = item else { continue };
        sqlx::query("UPDATE flash_sale_items SET sold = sold - $1 WHERE id = $2")
            .bind(qty)
            .bind(item_id)
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "UPDATE flash_sale_buyers SET qty = qty - $1 WHERE item_id = $2 AND shopper_id = $3",
        )
        .bind(qty)
        .bind(item_id)
        .bind(shopper_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
