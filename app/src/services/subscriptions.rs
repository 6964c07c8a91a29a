//! Subscription messages (订阅消息): the shopper accepts templates in the mini-program (one
//! credit per acceptance), the moves that tell something owe a notice in their own transaction
//! ([`owe`]), and the notice job sends what is owed ([`send_due`]), spending one credit per
//! message. A notice without a credit or an openid is skipped, never retried; WeChat refusing
//! the data (47003) fails it once and is logged; WeChat unreachable or busy is tried again later
//! with growing pauses, at most [`MAX_ATTEMPTS`] times — no retry storms.

use serde::Serialize;
use sqlx::AnyConnection;

use crate::domain::subscribe_message::{fit, goods_text, AskedOn, NoticeValues, SubscribeEvent};
use crate::error::{AppError, AppResult};
use crate::infra::wechat::{SendOutcome, SubscribeMessage};
use crate::repo::orders as order_repo;
use crate::repo::subscriptions as repo;
use crate::state::AppState;

/// Sends of one notice before it is given up.
pub const MAX_ATTEMPTS: i64 = 5;
/// A claim older than this (ms) is taken to belong to a sender that stopped mid-send.
const STALE_CLAIM_MS: i64 = 10 * 60 * 1000;

/// The template ids the client asks the shopper to accept, by where it asks.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SubscribeTemplates {
    /// asked on the pay tap (发货通知, 退款结果)
    pub pay: Vec<String>,
    /// asked on submitting an after-sale (售后结果)
    pub after_sale: Vec<String>,
}

/// The configured templates; empty lists when none is configured.
pub fn templates(st: &AppState) -> SubscribeTemplates {
    let cfg = &st.config.wechat.subscribe;
    let mut out = SubscribeTemplates::default();
    for event in SubscribeEvent::ALL {
        if let Some(t) = cfg.template(event) {
            let list = match event.asked_on() {
                AskedOn::Pay => &mut out.pay,
                AskedOn::AfterSale => &mut out.after_sale,
            };
            list.push(t.template_id.clone());
        }
    }
    out
}

/// The shopper accepted these templates (what `wx.requestSubscribeMessage` answered `accept`
/// for). Errors: 422 for an id that is not a configured template, or more than three (WeChat
/// asks for at most three at once).
pub async fn accept(st: &AppState, shopper_id: i64, accepted: &[String]) -> AppResult<()> {
    let known = templates(st);
    let mut ids: Vec<String> = accepted.iter().map(|s| s.trim().to_string()).collect();
    ids.sort();
    ids.dedup();
    if ids.len() > 3 {
        return Err(AppError::invalid("accepted", "一次最多订阅 3 个消息"));
    }
    if ids
        .iter()
        .any(|id| !known.pay.contains(id) && !known.after_sale.contains(id))
    {
        return Err(AppError::invalid("accepted", "未知的订阅消息模板"));
    }
    if ids.is_empty() {
        return Ok(());
    }
    let mut tx = st.db.begin_write().await?;
    repo::add_credits(&mut tx, shopper_id, &ids, st.clock.now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

/// Owes the shopper of `order_id` a message about `event` (in the caller's transaction, so it
/// is owed exactly when the move commits). `fill` adds what only the caller knows; the order
/// number, goods and time are filled here. Nothing is written when the event has no template.
pub async fn owe(
    conn: &mut AnyConnection,
    st: &AppState,
    event: SubscribeEvent,
    order_id: i64,
    now: i64,
    fill: impl FnOnce(&mut NoticeValues),
) -> AppResult<()> {
    if st.config.wechat.subscribe.template(event).is_none() {
        return Ok(());
    }
    let order = order_repo::order(
        &mut *conn,
        crate::domain::reader::Reader::Platform,
        order_id,
    )
    .await?
    .ok_or_else(|| AppError::internal("notice for a missing order"))?;
    let titles: Vec<String> = order_repo::items_of_orders(&mut *conn, &[order_id])
        .await?
        .into_iter()
        .map(|i| i.title)
        .collect();
    let mut values = NoticeValues {
        order_no: order.order_no.clone(),
        goods: goods_text(&titles),
        at: now,
        ..Default::default()
    };
    fill(&mut values);
    let json = serde_json::to_string(&values).map_err(AppError::internal)?;
    repo::enqueue(conn, order.shopper_id, event.as_str(), order_id, &json, now).await
}

/// The message of one notice under its template; `Err` names the keyword WeChat would refuse.
fn message(
    st: &AppState,
    event: SubscribeEvent,
    openid: &str,
    order_id: i64,
    values: &NoticeValues,
) -> Result<Option<SubscribeMessage>, String> {
    let cfg = &st.config.wechat.subscribe;
    let Some(t) = cfg.template(event) else {
        return Ok(None);
    };
    let mut data = serde_json::Map::new();
    for (keyword, source) in &t.fields {
        let raw = values.source(source).unwrap_or_default();
        // WeChat refuses an empty keyword; 「无」 says there is nothing to say (no reason given)
        let raw = if raw.trim().is_empty() {
            "无".to_string()
        } else {
            raw
        };
        let value = fit(keyword, &raw).map_err(|b| format!("{}: {}", b.keyword, b.why))?;
        data.insert(keyword.clone(), serde_json::json!({ "value": value }));
    }
    Ok(Some(SubscribeMessage {
        touser: openid.to_string(),
        template_id: t.template_id.clone(),
        // every event is about an order: a tap opens it (its after-sales are listed there)
        page: format!("pages/order/index?id={order_id}"),
        data,
        miniprogram_state: cfg.miniprogram_state.clone(),
        lang: "zh_CN",
    }))
}

/// Sends the notices due now (one pass of the notice job). Returns how many were sent.
pub async fn send_due(st: &AppState) -> AppResult<usize> {
    let pool = &st.db.pool;
    let now = st.clock.now_ms();
    let stale = now - STALE_CLAIM_MS;
    let mut sent = 0;
    for n in repo::due(pool, now, stale, 50).await? {
        if !repo::claim(pool, n.id, now, stale).await? {
            continue;
        }
        let outcome = send_one(st, &n, now).await;
        let (status, note, next_at) = match outcome {
            Ok(Done::Sent) => {
                sent += 1;
                ("sent", String::new(), now)
            }
            Ok(Done::Skipped(why)) => ("skipped", why, now),
            Ok(Done::Failed(why)) => {
                tracing::warn!(notice = n.id, "subscription message refused: {why}");
                ("failed", why, now)
            }
            Err(e) if n.attempts + 1 >= MAX_ATTEMPTS => {
                tracing::warn!(notice = n.id, "subscription message given up: {e:?}");
                ("failed", "微信接口多次不可用".to_string(), now)
            }
            // 1, 2, 4, 8 minutes
            Err(_) => (
                "pending",
                String::new(),
                now + (60_000_i64 << n.attempts.min(6)),
            ),
        };
        repo::finish(pool, n.id, status, &note, next_at, st.clock.now_ms()).await?;
    }
    Ok(sent)
}

enum Done {
    Sent,
    Skipped(String),
    Failed(String),
}

/// One claimed notice: spend a credit, send, and give the credit back when WeChat did not take
/// the message. `Err`: worth another try.
async fn send_one(st: &AppState, n: &repo::NoticeRow, now: i64) -> AppResult<Done> {
    let pool = &st.db.pool;
    let Some(event) = SubscribeEvent::parse(&n.event) else {
        return Ok(Done::Failed(format!("unknown event {}", n.event)));
    };
    let Some(openid) = n.openid.as_deref().filter(|o| !o.is_empty()) else {
        return Ok(Done::Skipped("不是小程序用户".into()));
    };
    let values: NoticeValues = serde_json::from_str(&n.notice).map_err(AppError::internal)?;
    let msg = match message(st, event, openid, n.order_id, &values) {
        Ok(Some(m)) => m,
        Ok(None) => return Ok(Done::Skipped("模板已停用".into())),
        Err(why) => return Ok(Done::Failed(why)),
    };
    if !repo::take_credit(pool, n.shopper_id, &msg.template_id, now).await? {
        return Ok(Done::Skipped("用户未订阅".into()));
    }
    match st.wechat.subscribe_send(&msg).await {
        Ok(SendOutcome::Sent) => Ok(Done::Sent),
        Ok(SendOutcome::NoSubscription) => {
            repo::clear_credits(pool, n.shopper_id, &msg.template_id, now).await?;
            Ok(Done::Skipped("43101 用户拒绝或订阅已用完".into()))
        }
        Ok(SendOutcome::Refused(code, why)) => {
            repo::give_back_credit(pool, n.shopper_id, &msg.template_id, now).await?;
            Ok(Done::Failed(format!("{code} {why}")))
        }
        Err(e) => {
            repo::give_back_credit(pool, n.shopper_id, &msg.template_id, now).await?;
            Err(e)
        }
    }
}
