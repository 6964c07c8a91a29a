//! Orders (one per merchant of a trade; trades are in `repo::trades`), their items and the order
//! timeline.
//! Every read of an order is scoped: by shopper, by merchant, or (admin) explicitly unscoped.

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::domain::after_sale::AfterSaleStatus;
use crate::domain::order::{Delivery, OrderAction, OrderStatus};
use crate::domain::pricing::{DiscountSource, Funder};
use crate::domain::reader::Reader;
use crate::domain::state_machine::{sql_list, Actor, StateMachine};
use crate::error::AppResult;
use crate::repo::{placeholders, value_rows, BindAll};

#[derive(Debug, Clone, FromRow)]
pub struct OrderRow {
    pub id: i64,
    pub order_no: String,
    pub trade_id: i64,
    pub merchant_id: i64,
    pub shopper_id: i64,
    pub status: OrderStatus,
    pub goods_amount: i64,
    pub merchant_discount: i64,
    pub platform_discount: i64,
    pub shipping_fee: i64,
    pub pay_amount: i64,
    pub refunded_amount: i64,
    pub delivery: Delivery,
    pub receiver: String,
    pub phone_enc: String,
    pub phone_masked: String,
    pub region: String,
    pub detail_enc: String,
    pub remark: String,
    pub carrier: String,
    pub tracking_no: String,
    pub paid_at: Option<i64>,
    pub shipped_at: Option<i64>,
    pub auto_confirm_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub cancelled_at: Option<i64>,
    pub cancel_reason: String,
    pub created_at: i64,
    /// 1 while a line of the completed order waits for its review
    pub review_pending: i64,
    /// the shop's ship promise (预售): shipped before this instant, epoch ms
    pub ship_by: Option<i64>,
}

const ORDER_COLS: &str = "id, order_no, trade_id, merchant_id, shopper_id, status, goods_amount, \
    merchant_discount, platform_discount, shipping_fee, pay_amount, refunded_amount, delivery, \
    receiver, phone_enc, phone_masked, region, detail_enc, remark, carrier, tracking_no, paid_at, \
    shipped_at, auto_confirm_at, completed_at, cancelled_at, cancel_reason, created_at, \
    review_pending, ship_by";

pub struct NewOrder<'a> {
    pub order_no: &'a str,
    pub trade_id: i64,
    pub merchant_id: i64,
    pub shopper_id: i64,
    pub goods_amount: i64,
    pub merchant_discount: i64,
    pub platform_discount: i64,
    pub shipping_fee: i64,
    pub pay_amount: i64,
    pub delivery: Delivery,
    pub receiver: &'a str,
    pub phone_enc: &'a str,
    pub phone_masked: &'a str,
    pub region: &'a str,
    pub detail_enc: &'a str,
    pub remark: &'a str,
    pub now: i64,
}

/// Inserts a trade's orders in one statement. Returns (order id, merchant id) per order
/// (a trade has one order per merchant; the rows may come back in any order).
pub async fn insert_orders(
    conn: &mut AnyConnection,
    orders: &[NewOrder<'_>],
) -> AppResult<Vec<(i64, i64)>> {
    const COLS: usize = 19;
    let sql = format!(
        "INSERT INTO orders (order_no, trade_id, merchant_id, shopper_id, status, goods_amount, \
         merchant_discount, platform_discount, shipping_fee, pay_amount, delivery, receiver, \
         phone_enc, phone_masked, region, detail_enc, remark, created_at, updated_at) \
         VALUES {} RETURNING id, merchant_id",
        value_rows(orders.len(), COLS)
    );
    let mut q = sqlx::query_as(&sql);
    for o in orders {
        q = q
            .bind(o.order_no)
            .bind(o.trade_id)
            .bind(o.merchant_id)
            .bind(o.shopper_id)
            .bind(OrderStatus::INITIAL)
            .bind(o.goods_amount)
            .bind(o.merchant_discount)
            .bind(o.platform_discount)
            .bind(o.shipping_fee)
            .bind(o.pay_amount)
            .bind(o.delivery)
            .bind(o.receiver)
            .bind(o.phone_enc)
            .bind(o.phone_masked)
            .bind(o.region)
            .bind(o.detail_enc)
            .bind(o.remark)
            .bind(o.now)
            .bind(o.now);
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct ItemRow {
    pub id: i64,
    pub order_id: i64,
    pub merchant_id: i64,
    pub product_id: i64,
    pub sku_id: i64,
    pub title: String,
    pub spec_label: String,
    pub image: String,
    pub unit_price: i64,
    pub qty: i64,
    pub gross: i64,
    pub merchant_discount: i64,
    pub platform_discount: i64,
    pub pay_amount: i64,
    pub commission_bps: i64,
    pub refund_qty: i64,
    pub refund_amount: i64,
}

const ITEM_COLS: &str = "id, order_id, merchant_id, product_id, sku_id, title, spec_label, image, \
    unit_price, qty, gross, merchant_discount, platform_discount, pay_amount, commission_bps, \
    refund_qty, refund_amount";

pub struct NewItem<'a> {
    pub order_id: i64,
    pub merchant_id: i64,
    pub product_id: i64,
    pub sku_id: i64,
    pub title: &'a str,
    pub spec_label: &'a str,
    pub image: &'a str,
    pub unit_price: i64,
    pub qty: i64,
    pub merchant_discount: i64,
    pub platform_discount: i64,
    pub commission_bps: i64,
    /// the 秒杀 item the line was bought as
    pub flash_sale_item_id: Option<i64>,
    /// the 拼团 SKU (`group_buy_skus`) the line was bought as
    pub group_buy_sku_id: Option<i64>,
    /// the 预售 SKU (`presale_skus`) the line was bought as
    pub presale_sku_id: Option<i64>,
}

/// Inserts order items in one statement; returns (item id, order id, SKU id) of each (an
/// order holds a SKU once).
pub async fn insert_items(
    conn: &mut AnyConnection,
    items: &[NewItem<'_>],
) -> AppResult<Vec<(i64, i64, i64)>> {
    const COLS: usize = 17;
    let sql = format!(
        "INSERT INTO order_items (order_id, merchant_id, product_id, sku_id, title, spec_label, \
         image, unit_price, qty, gross, merchant_discount, platform_discount, pay_amount, \
         commission_bps, flash_sale_item_id, group_buy_sku_id, presale_sku_id) VALUES {} \
         RETURNING id, order_id, sku_id",
        value_rows(items.len(), COLS)
    );
    let mut q = sqlx::query_as(&sql);
    for i in items {
        let gross = i.unit_price * i.qty;
        q = q
            .bind(i.order_id)
            .bind(i.merchant_id)
            .bind(i.product_id)
            .bind(i.sku_id)
            .bind(i.title)
            .bind(i.spec_label)
            .bind(i.image)
            .bind(i.unit_price)
            .bind(i.qty)
            .bind(gross)
            .bind(i.merchant_discount)
            .bind(i.platform_discount)
            .bind(gross - i.merchant_discount - i.platform_discount)
            .bind(i.commission_bps)
            .bind(i.flash_sale_item_id)
            .bind(i.group_buy_sku_id)
            .bind(i.presale_sku_id);
    }
    Ok(q.fetch_all(&mut *conn).await?)
}

/// One line discount row (see `domain::pricing`).
pub struct NewDiscount {
    pub order_item_id: i64,
    pub order_id: i64,
    pub source: DiscountSource,
    pub source_id: i64,
    pub funder: Funder,
    pub amount: i64,
}

/// Inserts an order's line discount rows in one statement.
pub async fn insert_discounts(conn: &mut AnyConnection, rows: &[NewDiscount]) -> AppResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO order_item_discounts (order_item_id, order_id, source, source_id, funder, \
         amount) VALUES {}",
        value_rows(rows.len(), 6)
    );
    let mut q = sqlx::query(&sql);
    for r in rows {
        q = q
            .bind(r.order_item_id)
            .bind(r.order_id)
            .bind(r.source)
            .bind(r.source_id)
            .bind(r.funder)
            .bind(r.amount);
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

/// An order's line discount rows with the name of their source (the promotion's title or the
/// coupon's name).
#[derive(Debug, Clone, FromRow)]
pub struct DiscountRowView {
    pub order_id: i64,
    pub order_item_id: i64,
    pub source: DiscountSource,
    pub source_id: i64,
    pub funder: Funder,
    pub amount: i64,
    pub name: String,
}

pub async fn discounts_of_orders(
    conn: &mut AnyConnection,
    order_ids: &[i64],
) -> AppResult<Vec<DiscountRowView>> {
    if order_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT d.order_id, d.order_item_id, d.source, d.source_id, d.funder, d.amount, \
         COALESCE(f.title, t.name, pa.title, '') AS name \
         FROM order_item_discounts d \
         LEFT JOIN full_reductions f ON d.source = 'full_reduction' AND f.id = d.source_id \
         LEFT JOIN coupons c ON d.source IN ('shop_coupon', 'platform_coupon') \
             AND c.id = d.source_id \
         LEFT JOIN coupon_templates t ON t.id = c.template_id \
         LEFT JOIN presale_activities pa ON d.source = 'deposit_inflation' \
             AND pa.id = d.source_id \
         WHERE d.order_id IN ({}) ORDER BY d.id",
        placeholders(1, order_ids.len())
    );
    Ok(sqlx::query_as(&sql)
        .bind_all(order_ids.iter().copied())
        .fetch_all(&mut *conn)
        .await?)
}

/// The discounts on orders paid in `[from, to)` (epoch ms), summed by source and funder:
/// (source, funder, fen, orders). Before any refund.
pub async fn discount_costs(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
) -> AppResult<Vec<(String, String, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT d.source, d.funder, CAST(SUM(d.amount) AS BIGINT), \
         CAST(COUNT(DISTINCT d.order_id) AS BIGINT) \
         FROM order_item_discounts d JOIN orders o ON o.id = d.order_id \
         WHERE o.paid_at >= $1 AND o.paid_at < $2 \
         GROUP BY d.source, d.funder ORDER BY d.source, d.funder",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn orders_of_trade(conn: &mut AnyConnection, trade_id: i64) -> AppResult<Vec<OrderRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ORDER_COLS} FROM orders WHERE trade_id = $1 ORDER BY id"
    ))
    .bind(trade_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn items_of_orders(
    conn: &mut AnyConnection,
    order_ids: &[i64],
) -> AppResult<Vec<ItemRow>> {
    if order_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {ITEM_COLS} FROM order_items WHERE order_id IN ({}) ORDER BY id",
        placeholders(1, order_ids.len())
    );
    let q = sqlx::query_as(&sql).bind_all(order_ids.iter().copied());
    Ok(q.fetch_all(&mut *conn).await?)
}

/// SQL condition on `orders` for what `reader` may see, with its bind value, numbered from `$n`.
fn condition(reader: Reader, n: usize) -> (String, Option<i64>) {
    match reader {
        Reader::Shopper(id) => (format!("shopper_id = ${n}"), Some(id)),
        Reader::Merchant(id) => (format!("merchant_id = ${n}"), Some(id)),
        Reader::Platform => ("1 = 1".into(), None),
    }
}

/// One order if the scope may see it.
pub async fn order(
    conn: &mut AnyConnection,
    scope: Reader,
    id: i64,
) -> AppResult<Option<OrderRow>> {
    let (cond, bind) = condition(scope, 2);
    let sql = format!("SELECT {ORDER_COLS} FROM orders WHERE id = $1 AND {cond}");
    let mut q = sqlx::query_as(&sql).bind(id);
    if let Some(b) = bind {
        q = q.bind(b);
    }
    Ok(q.fetch_optional(&mut *conn).await?)
}

/// A page of the orders the scope may see, newest first, optionally in some statuses, only
/// those with an after-sale, or only those with a line waiting for a review.
pub async fn list(
    pool: &AnyPool,
    scope: Reader,
    statuses: &[OrderStatus],
    with_after_sale: bool,
    waiting_review: bool,
    limit: i64,
    offset: i64,
) -> AppResult<(Vec<OrderRow>, i64)> {
    let (cond, bind) = condition(scope, 1);
    let first = if bind.is_some() { 2 } else { 1 };
    let mut status_cond = if statuses.is_empty() {
        String::new()
    } else {
        format!(" AND status IN ({})", placeholders(first, statuses.len()))
    };
    if with_after_sale {
        status_cond.push_str(" AND id IN (SELECT order_id FROM after_sales)");
    }
    if waiting_review {
        status_cond.push_str(" AND review_pending = 1");
    }
    let next = first + statuses.len();
    let sql = format!(
        "SELECT {ORDER_COLS} FROM orders WHERE {cond}{status_cond} ORDER BY id DESC \
         LIMIT ${next} OFFSET ${}",
        next + 1
    );
    let mut q = sqlx::query_as(&sql);
    if let Some(b) = bind {
        q = q.bind(b);
    }
    q = q.bind_all(statuses.iter().copied());
    let rows = q.bind(limit).bind(offset).fetch_all(pool).await?;
    let count_sql = format!("SELECT COUNT(*) FROM orders WHERE {cond}{status_cond}");
    let mut q = sqlx::query_as::<_, (i64,)>(&count_sql);
    if let Some(b) = bind {
        q = q.bind(b);
    }
    q = q.bind_all(statuses.iter().copied());
    let (total,) = q.fetch_one(pool).await?;
    Ok((rows, total))
}

/// Makes the move `action` by `by` to `to`, once, from any state the order table allows it
/// from; false when the order was in none of them. The move stamps its time column.
pub async fn transition(
    conn: &mut AnyConnection,
    id: i64,
    action: OrderAction,
    by: Actor,
    to: OrderStatus,
    now: i64,
) -> AppResult<bool> {
    let from = OrderStatus::sources(action, by, to);
    if from.is_empty() {
        return Ok(false);
    }
    let stamp = match to {
        // a 拼团 order is paid when it enters 待成团; its group's success keeps that time
        // so is a 预售 order when its deposit is paid; its balance keeps that time
        OrderStatus::Grouping | OrderStatus::AwaitingBalance => ", paid_at = $3",
        OrderStatus::ToShip => ", paid_at = COALESCE(paid_at, $3)",
        // a completed order's lines wait for their reviews (`services::reviews`)
        OrderStatus::Completed => ", completed_at = $3, review_pending = 1",
        OrderStatus::Cancelled => ", cancelled_at = $3",
        OrderStatus::Unpaid | OrderStatus::Shipped => "",
    };
    let sql = format!(
        "UPDATE orders SET status = $1, updated_at = $3{stamp} WHERE id = $2 AND status IN ({})",
        sql_list(from)
    );
    let done = sqlx::query(&sql)
        .bind(to)
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// unpaid → cancelled (`action` by `by`) for the orders of these trades, with the reason: their
/// ids.
pub async fn cancel_orders_of_trades(
    conn: &mut AnyConnection,
    trade_ids: &[i64],
    action: OrderAction,
    by: Actor,
    reason: &str,
    now: i64,
) -> AppResult<Vec<i64>> {
    let to = OrderStatus::Cancelled;
    let from = OrderStatus::sources(action, by, to);
    if trade_ids.is_empty() || from.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "UPDATE orders SET status = $3, cancelled_at = $1, updated_at = $1, \
         cancel_reason = $2 WHERE status IN ({}) AND trade_id IN ({}) RETURNING id",
        sql_list(from),
        placeholders(4, trade_ids.len())
    );
    let rows: Vec<(i64,)> = sqlx::query_as(&sql)
        .bind(now)
        .bind(reason)
        .bind(to)
        .bind_all(trade_ids.iter().copied())
        .fetch_all(&mut *conn)
        .await?;
    let mut ids: Vec<i64> = rows.into_iter().map(|(id,)| id).collect();
    ids.sort_unstable();
    Ok(ids)
}

pub async fn set_cancel_reason(conn: &mut AnyConnection, id: i64, reason: &str) -> AppResult<()> {
    sqlx::query("UPDATE orders SET cancel_reason = $1 WHERE id = $2")
        .bind(reason)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// to_ship → shipped (the merchant ships) for the merchant's own order; false otherwise.
pub async fn ship(
    conn: &mut AnyConnection,
    merchant_id: i64,
    id: i64,
    carrier: &str,
    tracking_no: &str,
    now: i64,
    auto_confirm_at: i64,
) -> AppResult<bool> {
    let to = OrderStatus::Shipped;
    let done = sqlx::query(&format!(
        "UPDATE orders SET status = $7, carrier = $1, tracking_no = $2, shipped_at = $3, \
         auto_confirm_at = $4, updated_at = $3 \
         WHERE id = $5 AND merchant_id = $6 AND status IN ({})",
        sql_list(OrderStatus::sources(OrderAction::Ship, Actor::Merchant, to))
    ))
    .bind(carrier)
    .bind(tracking_no)
    .bind(now)
    .bind(auto_confirm_at)
    .bind(id)
    .bind(merchant_id)
    .bind(to)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Shipped orders whose time to confirm receipt is up.
pub async fn due_confirmations(pool: &AnyPool, now: i64, limit: i64) -> AppResult<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT id FROM orders WHERE status IN ({}) AND auto_confirm_at <= $1 \
         AND NOT EXISTS (SELECT 1 FROM after_sales a WHERE a.order_id = orders.id \
         AND a.status IN ({})) ORDER BY auto_confirm_at LIMIT $2",
        sql_list(OrderStatus::sources(
            OrderAction::AutoConfirm,
            Actor::System,
            OrderStatus::Completed
        )),
        sql_list(AfterSaleStatus::open())
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

#[derive(Debug, Clone, FromRow)]
pub struct EventRow {
    pub kind: String,
    pub note: String,
    pub actor: String,
    pub created_at: i64,
}

pub async fn add_event(
    conn: &mut AnyConnection,
    order_id: i64,
    kind: &str,
    note: &str,
    actor: &str,
    now: i64,
) -> AppResult<()> {
    add_events(conn, &[order_id], kind, note, actor, now).await
}

/// The same event on several orders (a trade's orders placed, paid or closed together).
pub async fn add_events(
    conn: &mut AnyConnection,
    order_ids: &[i64],
    kind: &str,
    note: &str,
    actor: &str,
    now: i64,
) -> AppResult<()> {
    if order_ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO order_events (order_id, kind, note, actor, created_at) VALUES {}",
        value_rows(order_ids.len(), 5)
    );
    let mut q = sqlx::query(&sql);
    for id in order_ids {
        q = q.bind(*id).bind(kind).bind(note).bind(actor).bind(now);
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

pub async fn events(conn: &mut AnyConnection, order_id: i64) -> AppResult<Vec<EventRow>> {
    Ok(sqlx::query_as(
        "SELECT kind, note, actor, created_at FROM order_events WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Shop names by merchant id.
pub async fn shop_names(conn: &mut AnyConnection, ids: &[i64]) -> AppResult<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, name FROM merchants WHERE id IN ({})",
        placeholders(1, ids.len())
    );
    let q = sqlx::query_as(&sql).bind_all(ids.iter().copied());
    Ok(q.fetch_all(&mut *conn).await?)
}

/// Which of these orders have an after-sale still open.
pub async fn with_open_after_sale(conn: &mut AnyConnection, ids: &[i64]) -> AppResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT DISTINCT order_id FROM after_sales WHERE order_id IN ({}) \
         AND status IN ({})",
        placeholders(1, ids.len()),
        sql_list(AfterSaleStatus::open())
    );
    let q = sqlx::query_as::<_, (i64,)>(&sql).bind_all(ids.iter().copied());
    Ok(q.fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|(id,)| id)
        .collect())
}

/// Every order that was ever paid (the reconciliation check), oldest first.
pub async fn paid_orders(conn: &mut AnyConnection) -> AppResult<Vec<OrderRow>> {
    let sql = format!("SELECT {ORDER_COLS} FROM orders WHERE paid_at IS NOT NULL ORDER BY id");
    Ok(sqlx::query_as(&sql).fetch_all(&mut *conn).await?)
}

/// How many orders a shopper has placed (any state).
pub async fn count_of_shopper(pool: &AnyPool, shopper_id: i64) -> AppResult<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM orders WHERE shopper_id = $1")
        .bind(shopper_id)
        .fetch_one(pool)
        .await?;
    Ok(n)
}
