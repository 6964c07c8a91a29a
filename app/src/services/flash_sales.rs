//! 秒杀: the platform's events and its review of the shops' applications, the shops' applying,
//! the shoppers' 秒杀 board, and what a checkout of a flash-sale line must pass (pricing step 1
//! in `domain::pricing`; the stock moves in `repo::flash_sales`).
//!
//! A rush is admitted in memory (`infra::flash_gate`, through [`admit`]): while the checkouts in
//! flight hold every unit left, later buyers are answered 已抢光 before they price or wait for
//! the writer; a sold-out item answers from memory until a closed trade gives units back. (One
//! instance's memory; several instances share it in Redis later.)

use std::time::Duration;

use crate::domain::audit::AuditTarget;
use crate::domain::flash_sale::{
    sold_percent, ActivityPrice, BoardSlot, EventForm, EventPage, EventView, FlashSaleBoard,
    ItemAction, ItemForm, ItemStatus, ItemView, SkuChoice, SkuNow, SlotPhase,
};
use crate::domain::money::price_text;
use crate::domain::permission::Permission;
use crate::domain::state_machine::{Actor, StateMachine};
use crate::domain::time::{china_day, datetime_text};
use crate::error::{AppError, AppResult};
use crate::infra::flash_gate::{Admission, Ticket};
use crate::repo::audit;
use crate::repo::flash_sales::{self as repo, EventRow, ItemRow, NewItem};
use crate::services::admins::AdminScope;
use crate::services::merchants::MerchantScope;
use crate::state::AppState;

/// `["250g","礼盒"]` → `250g 礼盒`.
fn spec_text(values: &str) -> String {
    crate::domain::product::spec_label(
        &serde_json::from_str::<Vec<String>>(values).unwrap_or_default(),
    )
}

fn event_view(e: &EventRow, now: i64) -> EventView {
    let slots = e.slots();
    let hours: Vec<String> = crate::domain::flash_sale::parse_hours(&e.slot_hours)
        .iter()
        .map(|h| format!("{h:02}:00"))
        .collect();
    let day = |d: i64| crate::domain::time::day_text(crate::domain::time::day_start(d));
    EventView {
        id: e.id,
        title: e.title.clone(),
        schedule: format!(
            "{} ~ {}，每天 {}，每场 {} 分钟",
            day(e.first_day),
            day(e.last_day),
            hours.join(" "),
            e.slot_minutes
        ),
        apply_until: datetime_text(e.apply_until),
        accepting: e.status() == crate::domain::flash_sale::EventStatus::Active
            && now < e.apply_until,
        allow_platform_coupon: e.allow_platform_coupon != 0,
        status: e.status.clone(),
        status_label: e.status().label().into(),
        slots,
        pending: 0,
        approved: 0,
    }
}

fn item_view(i: &ItemRow, now: i64) -> ItemView {
    ItemView {
        id: i.id,
        event_id: i.event_id,
        merchant_id: i.merchant_id,
        shop_name: i.shop_name.clone(),
        product_id: i.product_id,
        sku_id: i.sku_id,
        title: i.title.clone(),
        spec_label: spec_text(&i.spec_values),
        image: i.main_image.clone(),
        slot: i.slot(),
        phase: i.slot().phase(now).as_str().into(),
        price: i.price,
        normal_price: i.sku_price,
        quantity: i.quantity,
        sold: i.sold,
        sold_percent: sold_percent(i.sold, i.quantity),
        per_user_limit: i.per_user_limit,
        per_order_limit: i.per_order_limit,
        status: i.status.clone(),
        status_label: i.status().label().into(),
        reason: i.reason.clone(),
    }
}

/// Creates an event (营销 → 秒杀活动). Errors: 403 without 管理平台营销; 422 naming the field.
pub async fn create_event(
    st: &AppState,
    admin: &AdminScope,
    form: &EventForm,
    ip: &str,
) -> AppResult<i64> {
    admin.require(Permission::ManageMarketing)?;
    let now = st.clock.now_ms();
    let input = form.parse(now)?;
    let mut tx = st.db.begin_write().await?;
    let id = repo::insert_event(&mut tx, &input, now).await?;
    let entry = admin
        .entry("flash_sale_create", &input.title, ip)
        .on(AuditTarget::FlashSaleEvent, id);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Ends an event early: none of its items sells any more (orders placed stay as they are).
/// Errors: 403; 404; 409 when it had ended.
pub async fn end_event(st: &AppState, admin: &AdminScope, id: i64, ip: &str) -> AppResult<()> {
    admin.require(Permission::ManageMarketing)?;
    let e = repo::event(&mut *st.db.pool.acquire().await?, id)
        .await?
        .ok_or_else(|| AppError::not_found("秒杀活动不存在"))?;
    let mut tx = st.db.begin_write().await?;
    if !repo::end_event(&mut tx, id, st.clock.now_ms()).await? {
        tx.rollback().await?;
        return Err(AppError::Conflict("活动已结束".into()));
    }
    let entry = admin
        .entry("flash_sale_end", &e.title, ip)
        .on(AuditTarget::FlashSaleEvent, id)
        .change("进行中", "已结束");
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Every event, the latest first: the platform's list (`merchant` None, counting every
/// shop's applications), or a shop's to apply to (counting its own).
pub async fn events(st: &AppState, merchant: Option<i64>) -> AppResult<Vec<EventView>> {
    let now = st.clock.now_ms();
    let mut conn = st.db.pool.acquire().await?;
    let rows = repo::events(&mut conn).await?;
    let counts = repo::counts(&mut conn, merchant).await?;
    Ok(rows
        .iter()
        .map(|e| {
            let mut v = event_view(e, now);
            if let Some(&(_, pending, approved)) = counts.iter().find(|c| c.0 == e.id) {
                (v.pending, v.approved) = (pending, approved);
            }
            v
        })
        .collect())
}

/// The platform's page of one event: every application.
pub async fn platform_page(st: &AppState, admin: &AdminScope, id: i64) -> AppResult<EventPage> {
    admin.require(Permission::ManageMarketing)?;
    let (event, items) = event_items(st, id, None).await?;
    Ok(EventPage {
        event,
        items,
        skus: Vec::new(),
        now: st.clock.now_ms(),
    })
}

/// A shop's page of one event: its own applications and its SKUs on sale to apply.
pub async fn shop_page(st: &AppState, scope: &MerchantScope, id: i64) -> AppResult<EventPage> {
    let (event, items) = event_items(st, id, Some(scope.merchant_id)).await?;
    let skus = repo::skus_of_shop(&mut *st.db.pool.acquire().await?, scope.merchant_id)
        .await?
        .into_iter()
        .map(|(sku_id, title, spec, price, stock)| {
            let spec = spec_text(&spec);
            SkuChoice {
                sku_id,
                name: if spec.is_empty() {
                    title
                } else {
                    format!("{title} · {spec}")
                },
                price,
                stock,
            }
        })
        .collect();
    Ok(EventPage {
        event,
        items,
        skus,
        now: st.clock.now_ms(),
    })
}

/// An event and its applications: all of them for the platform, the shop's own for a shop.
/// Errors: 404.
pub async fn event_items(
    st: &AppState,
    event_id: i64,
    merchant: Option<i64>,
) -> AppResult<(EventView, Vec<ItemView>)> {
    let now = st.clock.now_ms();
    let mut conn = st.db.pool.acquire().await?;
    let e = repo::event(&mut conn, event_id)
        .await?
        .ok_or_else(|| AppError::not_found("秒杀活动不存在"))?;
    let items = repo::items_of_event(&mut conn, event_id, merchant).await?;
    let mut view = event_view(&e, now);
    let count = |s: ItemStatus| items.iter().filter(|i| i.status() == s).count() as i64;
    (view.pending, view.approved) = (count(ItemStatus::Pending), count(ItemStatus::Approved));
    Ok((view, items.iter().map(|i| item_view(i, now)).collect()))
}

/// A shop applies one of its SKUs to one slot of an event. Errors: 403 for a suspended shop;
/// 404 for an event or SKU that is not there (or another shop's SKU); 409 after the deadline or
/// when the event ended; 422 naming the field (`starts_at` not a slot of the event, a SKU not
/// on sale, or already in an overlapping application, and the form's rules).
pub async fn apply(
    st: &AppState,
    scope: &MerchantScope,
    form: &ItemForm,
    ip: &str,
) -> AppResult<i64> {
    if !scope.shop_active {
        return Err(AppError::Forbidden("店铺已暂停营业，不能报名活动".into()));
    }
    let now = st.clock.now_ms();
    let mut conn = st.db.pool.acquire().await?;
    let e = repo::event(&mut conn, form.event_id)
        .await?
        .ok_or_else(|| AppError::not_found("秒杀活动不存在"))?;
    if !event_view(&e, now).accepting {
        return Err(AppError::Conflict("活动报名已截止".into()));
    }
    let slot = e
        .slots()
        .into_iter()
        .find(|s| s.starts_at == form.starts_at)
        .ok_or_else(|| AppError::invalid("starts_at", "请选择活动的一个场次"))?;
    if slot.starts_at <= now {
        return Err(AppError::invalid(
            "starts_at",
            "该场次已开始，请选择之后的场次",
        ));
    }
    let sku = crate::repo::cart::offers(&mut conn, &[form.sku_id])
        .await?
        .into_iter()
        .find(|o| o.merchant_id == scope.merchant_id)
        .ok_or_else(|| AppError::not_found("商品规格不存在"))?;
    drop(conn);
    if crate::services::cart::unavailable(st, &sku).is_some() {
        return Err(AppError::invalid("sku_id", "只有在售的商品可以报名"));
    }
    let input = form.parse(SkuNow {
        price: sku.price,
        free_stock: sku.stock,
    })?;
    let mut tx = st.db.begin_write().await?;
    let item = NewItem {
        event_id: e.id,
        merchant_id: scope.merchant_id,
        product_id: sku.product_id,
        sku_id: sku.sku_id,
        slot,
        input: &input,
        now,
    };
    let Some(id) = repo::insert_item(&mut tx, &item).await? else {
        tx.rollback().await?;
        return Err(AppError::invalid(
            "sku_id",
            "该规格在这段时间已有秒杀、拼团或预售活动，同一规格同一时间只能参加一个活动",
        ));
    };
    let detail = format!(
        "{}：{} 秒杀价 {} × {} 件",
        e.title,
        sku.title,
        price_text(input.price),
        input.quantity
    );
    let entry = scope
        .entry("flash_sale_apply", &detail, ip)
        .on(AuditTarget::FlashSaleItem, id);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// The platform approves or rejects an application (a rejection says why), or the shop
/// withdraws its own pending one. Errors: 403; 404 (another shop's is not there for a shop);
/// 409 when it is no longer pending; 422 for a rejection without a reason.
pub async fn decide(
    st: &AppState,
    who: Decider<'_>,
    item_id: i64,
    action: ItemAction,
    reason: &str,
    ip: &str,
) -> AppResult<()> {
    let (by, merchant) = match who {
        Decider::Platform(admin) => {
            admin.require(Permission::ManageMarketing)?;
            (Actor::Platform, None)
        }
        Decider::Shop(scope) => (Actor::Merchant, Some(scope.merchant_id)),
    };
    let reason = reason.trim();
    if action == ItemAction::Reject && reason.is_empty() {
        return Err(AppError::invalid("reason", "请填写驳回原因"));
    }
    if reason.chars().count() > 200 {
        return Err(AppError::invalid("reason", "原因不超过 200 个字"));
    }
    let item = repo::item(&mut *st.db.pool.acquire().await?, item_id, merchant)
        .await?
        .ok_or_else(|| AppError::not_found("秒杀报名不存在"))?;
    let from = item.status();
    let to = from.targets(action, by).next().ok_or_else(|| {
        AppError::Conflict(format!(
            "报名状态为「{}」，不能{}",
            from.label(),
            action.label()
        ))
    })?;
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    if !repo::move_item(&mut tx, item_id, action, by, to, reason, now).await? {
        tx.rollback().await?;
        return Err(AppError::Conflict("报名状态已变化，请刷新".into()));
    }
    let detail = format!("{} {}", item.title, reason);
    let entry = match who {
        Decider::Platform(admin) => admin.entry("flash_sale_review", &detail, ip),
        Decider::Shop(scope) => scope.entry("flash_sale_withdraw", &detail, ip),
    };
    let mut entry = entry
        .on(AuditTarget::FlashSaleItem, item_id)
        .change(from.label(), to.label());
    entry.merchant_id = Some(item.merchant_id);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Who decides on an application.
#[derive(Clone, Copy)]
pub enum Decider<'a> {
    Platform(&'a AdminScope),
    Shop(&'a MerchantScope),
}

/// Slots over from now to the end of tomorrow (China time) that have items; slots already over
/// are left out.
pub async fn board(st: &AppState) -> AppResult<FlashSaleBoard> {
    let now = st.clock.now_ms();
    let until = crate::domain::time::day_start(china_day(now) + 2);
    let rows = repo::approved_between(&mut *st.db.pool.acquire().await?, now, until).await?;
    let mut out: Vec<BoardSlot> = Vec::new();
    for r in &rows {
        let view = item_view(r, now);
        match out.iter_mut().find(|s| s.slot == r.slot()) {
            Some(s) => s.items.push(view),
            None => out.push(BoardSlot {
                slot: r.slot(),
                phase: r.slot().phase(now).as_str().into(),
                label: datetime_text(r.starts_at)
                    .get(5..)
                    .unwrap_or_default()
                    .to_string(),
                items: vec![view],
            }),
        }
    }
    Ok(FlashSaleBoard { now, slots: out })
}

/// A product's running or next flash-sale items (for its page), soonest first, with the
/// server's time for their countdowns.
pub async fn of_product(st: &AppState, product_id: i64) -> AppResult<FlashSaleBoard> {
    let mut b = board(st).await?;
    for s in &mut b.slots {
        s.items.retain(|i| i.product_id == product_id);
    }
    b.slots.retain(|s| !s.items.is_empty());
    Ok(b)
}

/// The flash-sale price of a 立即抢购 line (`qty` of `sku_id` as item `item_id`) for
/// `shopper_id` at `now`: read only, before the checkout's write. Errors: 404 for an item that
/// is not there or not of this SKU; 409 sold out (from memory when known), a slot not running,
/// an event ended; 422 above the per-order limit or what the shopper may still buy.
pub async fn price_for(
    st: &AppState,
    conn: &mut sqlx::AnyConnection,
    shopper_id: i64,
    (sku_id, item_id, qty): (i64, i64, i64),
    now: i64,
) -> AppResult<ActivityPrice> {
    if st.flash_gate.sold_out(item_id) {
        return Err(sold_out());
    }
    let item = repo::item(conn, item_id, None)
        .await?
        .filter(|i| i.sku_id == sku_id)
        .ok_or_else(|| AppError::not_found("秒杀商品不存在"))?;
    let event = repo::event(conn, item.event_id)
        .await?
        .ok_or_else(|| AppError::not_found("秒杀活动不存在"))?;
    if item.status() != ItemStatus::Approved
        || event.status() != crate::domain::flash_sale::EventStatus::Active
    {
        return Err(AppError::Conflict("秒杀活动已结束".into()));
    }
    match item.slot().phase(now) {
        SlotPhase::Running => {}
        SlotPhase::Upcoming => {
            return Err(AppError::Conflict(format!(
                "秒杀将于 {} 开始",
                datetime_text(item.starts_at)
            )))
        }
        SlotPhase::Over => return Err(AppError::Conflict("本场秒杀已结束".into())),
    }
    if item.sold >= item.quantity {
        st.flash_gate.mark_sold_out(item_id);
        return Err(sold_out());
    }
    if qty > item.per_order_limit {
        return Err(AppError::invalid(
            "qty",
            format!("秒杀商品每单限购 {} 件", item.per_order_limit),
        ));
    }
    let had = repo::held(conn, shopper_id, &[item_id])
        .await?
        .first()
        .map_or(0, |(_, q)| *q);
    if had + qty > item.per_user_limit {
        return Err(over_limit(item.per_user_limit, had));
    }
    Ok(ActivityPrice {
        item_id,
        price: item.price,
        per_order_limit: item.per_order_limit,
        per_user_limit: item.per_user_limit,
        allow_platform_coupon: event.allow_platform_coupon != 0,
    })
}

/// Admits the checkout keyed `key`, buying `qty` units of item `item_id`
/// (`infra::flash_gate`): a ticket reserving them, to hold until the trade commits (dropped, it
/// frees them for the next buyer). Reads the item's unsold units and holding keys when the gate
/// does not know them; while another buyer reads them with no figure to use meanwhile (the
/// first wave of a rush), waits for that read instead of reading too. `None` when the item is
/// not there (pricing answers the 404) or no answer came after three asks (the database's
/// guarded take still decides). Errors: 409 sold out,
/// when sold and reserved units cover all.
pub async fn admit(
    st: &AppState,
    conn: &mut sqlx::AnyConnection,
    (item_id, key): (i64, &str),
    qty: i64,
) -> AppResult<Option<Ticket>> {
    // a buyer waits for another's read at most this long before asking again (that reader
    // may be slow or fail; then the next asker reads)
    const WAIT_FOR_READ: Duration = Duration::from_millis(300);
    for _ in 0..3 {
        match st.flash_gate.admit(item_id, key, qty) {
            Admission::Admitted(ticket) => return Ok(Some(ticket)),
            Admission::SoldOut => return Err(sold_out()),
            Admission::Wait(read) => {
                let _ = tokio::time::timeout(WAIT_FOR_READ, read).await;
            }
            Admission::Unknown => {
                let read = async {
                    let Some(left) = repo::unsold(conn, item_id).await? else {
                        return Ok(None);
                    };
                    Ok::<_, AppError>(Some((left, repo::holding_keys(conn, item_id).await?)))
                };
                match read.await {
                    Ok(Some((left, keys))) => st.flash_gate.learn(item_id, left, keys),
                    Ok(None) => {
                        st.flash_gate.read_failed(item_id);
                        return Ok(None);
                    }
                    Err(e) => {
                        st.flash_gate.read_failed(item_id);
                        return Err(e);
                    }
                }
            }
        }
    }
    Ok(None)
}

/// 409: nothing left of the item.
pub fn sold_out() -> AppError {
    AppError::Conflict("秒杀商品已抢光".into())
}

/// 422 on `qty`: the shopper holds `had` of `limit` already.
pub fn over_limit(limit: i64, had: i64) -> AppError {
    AppError::invalid(
        "qty",
        format!("秒杀商品每人限购 {limit} 件，您已购买 {had} 件"),
    )
}
