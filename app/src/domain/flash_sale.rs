//! 秒杀 (flash sale): the platform runs an event over a few days with slots starting at fixed
//! China-time hours (10:00, 14:00, 20:00); shops apply SKUs, one per slot, with an activity price
//! below the normal price, an activity quantity not above the SKU's free stock and per-user and
//! per-order limits; the platform approves or rejects with a reason. While its slot runs, an
//! approved item sells at its price from its own activity stock (DESIGN.md "Promotions and
//! pricing": step 1, and no full-reduction or coupon unless the event allows the platform's).
//! The forms' rules live here; the stock moves in `repo::flash_sales`.

use serde::{Deserialize, Serialize};

use crate::domain::money::parse_yuan;
use crate::domain::state_machine::{mv, Actor, Move, StateMachine};
use crate::domain::time::{china_day, day_start, parse_day, parse_minute};
use crate::error::AppError;

/// An event runs at most this many days.
pub const MAX_EVENT_DAYS: i64 = 31;
/// At most this many slots a day.
pub const MAX_SLOTS: usize = 8;
/// An event's title, in characters.
pub const MAX_TITLE_CHARS: usize = 30;

crate::named_enum! {
    /// Where an event stands: running (its slots sell as scheduled) or ended early by the
    /// platform (nothing of it sells any more).
    pub enum EventStatus {
        Active = "active" "进行中",
        Ended = "ended" "已结束",
    }
}

crate::named_enum! {
    /// Where a shop's application of one SKU to one slot stands.
    pub enum ItemStatus {
        Pending = "pending" "待审核",
        Approved = "approved" "已通过",
        Rejected = "rejected" "已驳回",
        Withdrawn = "withdrawn" "已撤回",
    }
}

crate::named_enum! {
    pub enum ItemAction {
        Approve = "approve" "审核通过",
        Reject = "reject" "驳回",
        Withdraw = "withdraw" "撤回",
    }
}

impl StateMachine for ItemStatus {
    type Action = ItemAction;
    const MOVES: &'static [Move<Self, ItemAction>] = {
        use Actor::*;
        use ItemAction::*;
        use ItemStatus::*;
        &[
            mv(Pending, Approve, Platform, Approved),
            mv(Pending, Reject, Platform, Rejected),
            mv(Pending, Withdraw, Merchant, Withdrawn),
        ]
    };
    const NOUN: &'static str = "秒杀报名";
}

/// An event as the platform's form posts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventForm {
    pub title: String,
    /// `2026-12-05`, China time
    pub first_day: String,
    pub last_day: String,
    /// start hours separated by spaces or commas: `10 14 20`
    pub slot_hours: String,
    /// how long each slot sells, minutes
    pub slot_minutes: String,
    /// `2026-12-04 18:00`: shops apply before this
    pub apply_until: String,
    /// a checkbox: the platform coupon may be used on this event's items
    pub allow_platform_coupon: Option<String>,
}

/// A checked event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventInput {
    pub title: String,
    /// China-time day numbers (days since 1970)
    pub first_day: i64,
    pub last_day: i64,
    /// ascending, 0–23
    pub slot_hours: Vec<i64>,
    pub slot_minutes: i64,
    /// epoch ms
    pub apply_until: i64,
    pub allow_platform_coupon: bool,
}

impl EventForm {
    /// The event the form describes, judged against `now` (epoch ms). Errors: 422 naming the
    /// field: an empty or long title, days that do not parse, run backwards, start in the past
    /// or span more than [`MAX_EVENT_DAYS`]; hours outside 0–23, repeated or more than
    /// [`MAX_SLOTS`]; slots that overlap the next one; an application deadline after the
    /// first slot starts.
    pub fn parse(&self, now: i64) -> Result<EventInput, AppError> {
        let title = self.title.trim().to_string();
        if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
            return Err(AppError::invalid(
                "title",
                format!("请填写活动名称（不超过 {MAX_TITLE_CHARS} 个字）"),
            ));
        }
        let first_day = china_day(parse_day("first_day", &self.first_day)?);
        let last_day = china_day(parse_day("last_day", &self.last_day)?);
        if last_day < first_day {
            return Err(AppError::invalid("last_day", "结束日期不能早于开始日期"));
        }
        if last_day - first_day + 1 > MAX_EVENT_DAYS {
            return Err(AppError::invalid(
                "last_day",
                format!("一场活动最多 {MAX_EVENT_DAYS} 天"),
            ));
        }
        let mut slot_hours = Vec::new();
        for part in self
            .slot_hours
            .split([' ', ',', '，'])
            .filter(|p| !p.is_empty())
        {
            let h = part
                .trim_end_matches(":00")
                .parse::<i64>()
                .ok()
                .filter(|h| (0..24).contains(h))
                .ok_or_else(|| {
                    AppError::invalid("slot_hours", "场次请填写 0–23 点，例如 10 14 20")
                })?;
            if slot_hours.contains(&h) {
                return Err(AppError::invalid(
                    "slot_hours",
                    format!("{h} 点场填写了两次"),
                ));
            }
            slot_hours.push(h);
        }
        slot_hours.sort_unstable();
        if slot_hours.is_empty() || slot_hours.len() > MAX_SLOTS {
            return Err(AppError::invalid(
                "slot_hours",
                format!("请填写 1–{MAX_SLOTS} 个场次，例如 10 14 20"),
            ));
        }
        let slot_minutes = self
            .slot_minutes
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|m| (10..=24 * 60).contains(m))
            .ok_or_else(|| AppError::invalid("slot_minutes", "每场时长请填写 10–1440 分钟"))?;
        // a slot ends before the next one of the day, and the last before the first of the
        // next day, so one SKU's slots never overlap
        let gaps = slot_hours
            .windows(2)
            .map(|w| w[1] - w[0])
            .chain([24 - slot_hours[slot_hours.len() - 1] + slot_hours[0]]);
        if gaps.into_iter().any(|g| slot_minutes > g * 60) {
            return Err(AppError::invalid(
                "slot_minutes",
                "每场时长不能超过到下一场开始的时间",
            ));
        }
        let apply_until = parse_minute("apply_until", &self.apply_until)?;
        let first_slot = day_start(first_day) + slot_hours[0] * 3_600_000;
        if first_slot <= now {
            return Err(AppError::invalid("first_day", "第一场须在当前时间之后开始"));
        }
        if apply_until <= now || apply_until > first_slot {
            return Err(AppError::invalid(
                "apply_until",
                "报名截止时间须在现在之后、第一场开始之前",
            ));
        }
        Ok(EventInput {
            title,
            first_day,
            last_day,
            slot_hours,
            slot_minutes,
            apply_until,
            allow_platform_coupon: self.allow_platform_coupon.is_some(),
        })
    }
}

/// One slot of an event: `[starts_at, ends_at)`, epoch ms.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub starts_at: i64,
    pub ends_at: i64,
}

crate::named_enum! {
    /// A slot against the clock.
    pub enum SlotPhase {
        Running = "running" "抢购中",
        Upcoming = "upcoming" "即将开始",
        Over = "over" "已结束",
    }
}

impl Slot {
    pub fn phase(&self, now: i64) -> SlotPhase {
        if now < self.starts_at {
            SlotPhase::Upcoming
        } else if now < self.ends_at {
            SlotPhase::Running
        } else {
            SlotPhase::Over
        }
    }
}

/// Every slot of an event, in time order.
pub fn slots(first_day: i64, last_day: i64, hours: &[i64], minutes: i64) -> Vec<Slot> {
    (first_day..=last_day)
        .flat_map(|day| {
            hours.iter().map(move |h| {
                let starts_at = day_start(day) + h * 3_600_000;
                Slot {
                    starts_at,
                    ends_at: starts_at + minutes * 60_000,
                }
            })
        })
        .collect()
}

/// `10 14 20` ↔ `[10, 14, 20]` (the column `slot_hours`).
pub fn hours_text(hours: &[i64]) -> String {
    hours
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn parse_hours(text: &str) -> Vec<i64> {
    text.split(' ').filter_map(|h| h.parse().ok()).collect()
}

/// A shop's application as its form posts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemForm {
    pub event_id: i64,
    pub sku_id: i64,
    /// the slot's start, epoch ms (one of the event's slots)
    pub starts_at: i64,
    /// yuan
    pub price: String,
    pub quantity: String,
    pub per_user_limit: String,
    pub per_order_limit: String,
}

/// A checked application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemInput {
    pub price: i64,
    pub quantity: i64,
    pub per_user_limit: i64,
    pub per_order_limit: i64,
}

/// What an application is judged against: the SKU as it is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkuNow {
    /// fen
    pub price: i64,
    /// units not held by any order or other activity
    pub free_stock: i64,
}

impl ItemForm {
    /// Errors: 422 naming the field: a price that does not parse, is not below the SKU's
    /// price or is zero; a quantity not in 1..=free stock; limits below 1, or a per-order limit
    /// above the per-user one.
    pub fn parse(&self, sku: SkuNow) -> Result<ItemInput, AppError> {
        let price = parse_yuan("price", &self.price)?;
        if price <= 0 || price >= sku.price {
            return Err(AppError::invalid(
                "price",
                format!(
                    "秒杀价须低于原价 {}",
                    crate::domain::money::price_text(sku.price)
                ),
            ));
        }
        let count = |field: &str, text: &str, what: &str| {
            text.trim()
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| AppError::invalid(field, format!("{what}请填写正整数")))
        };
        let quantity = count("quantity", &self.quantity, "活动库存")?;
        if quantity > sku.free_stock {
            return Err(AppError::invalid(
                "quantity",
                format!("活动库存不能超过商品现有库存 {} 件", sku.free_stock),
            ));
        }
        let per_user_limit = count("per_user_limit", &self.per_user_limit, "每人限购")?;
        let per_order_limit = count("per_order_limit", &self.per_order_limit, "每单限购")?;
        if per_order_limit > per_user_limit {
            return Err(AppError::invalid(
                "per_order_limit",
                "每单限购不能多于每人限购",
            ));
        }
        Ok(ItemInput {
            price,
            quantity,
            per_user_limit,
            per_order_limit,
        })
    }
}

/// A flash-sale price a basket line is bought at (pricing step 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivityPrice {
    /// the `flash_sale_items` row
    pub item_id: i64,
    /// fen
    pub price: i64,
    pub per_order_limit: i64,
    pub per_user_limit: i64,
    /// the event lets the platform coupon (step 5) apply to this line
    pub allow_platform_coupon: bool,
}

/// An event as the consoles list it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub id: i64,
    pub title: String,
    /// `2026-12-10 ~ 2026-12-12，每天 10:00 14:00 20:00，每场 120 分钟`
    pub schedule: String,
    /// `2026-12-09 18:00` (China time)
    pub apply_until: String,
    pub accepting: bool,
    pub allow_platform_coupon: bool,
    /// `active` | `ended`
    pub status: String,
    pub status_label: String,
    pub slots: Vec<Slot>,
    /// applications waiting for review, and approved ones
    pub pending: i64,
    pub approved: i64,
}

/// One of a shop's SKUs on sale, for its application form.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkuChoice {
    pub sku_id: i64,
    /// `高山毛尖 · 250g`
    pub name: String,
    /// fen
    pub price: i64,
    pub stock: i64,
}

/// An event with its applications (all of them for the platform, a shop's own for a shop)
/// and, for a shop, its SKUs to apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventPage {
    pub event: EventView,
    pub items: Vec<ItemView>,
    pub skus: Vec<SkuChoice>,
    /// the server's time, epoch ms (a shop applies to slots after it)
    pub now: i64,
}

/// An application (item) as the consoles, the 秒杀 board and the product page show it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: i64,
    pub event_id: i64,
    pub merchant_id: i64,
    pub shop_name: String,
    pub product_id: i64,
    pub sku_id: i64,
    pub title: String,
    pub spec_label: String,
    pub image: String,
    pub slot: Slot,
    /// `running` | `upcoming` | `over`
    pub phase: String,
    /// fen
    pub price: i64,
    /// the SKU's normal price, fen
    pub normal_price: i64,
    pub quantity: i64,
    pub sold: i64,
    /// sold share, 0–100 (rounded down; 100 only when sold out)
    pub sold_percent: i64,
    pub per_user_limit: i64,
    pub per_order_limit: i64,
    /// `pending` | `approved` | `rejected` | `withdrawn`
    pub status: String,
    pub status_label: String,
    pub reason: String,
}

/// The progress bar's share: rounded down, so 100 % means nothing is left.
pub fn sold_percent(sold: i64, quantity: i64) -> i64 {
    if quantity <= 0 {
        return 100;
    }
    sold * 100 / quantity
}

/// The 秒杀 board as the H5 page and the mini-program show it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlashSaleBoard {
    /// the server's time (epoch ms): countdowns run from it, not from the phone's clock
    pub now: i64,
    pub slots: Vec<BoardSlot>,
}

/// The 秒杀 board: today's and tomorrow's slots with their approved items, in time order.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardSlot {
    pub slot: Slot,
    /// `running` | `upcoming`
    pub phase: String,
    /// `12-10 10:00`
    pub label: String,
    pub items: Vec<ItemView>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::days_from_civil;

    fn form() -> EventForm {
        EventForm {
            title: "双十二秒杀".into(),
            first_day: "2026-12-10".into(),
            last_day: "2026-12-12".into(),
            slot_hours: "20 10 14".into(),
            slot_minutes: "120".into(),
            apply_until: "2026-12-09 18:00".into(),
            allow_platform_coupon: None,
        }
    }

    fn now() -> i64 {
        day_start(days_from_civil(2026, 12, 1))
    }

    #[test]
    fn an_event_has_its_slots_in_china_time() {
        let e = form().parse(now()).unwrap();
        assert_eq!(e.slot_hours, vec![10, 14, 20]);
        let all = slots(e.first_day, e.last_day, &e.slot_hours, e.slot_minutes);
        assert_eq!(all.len(), 9);
        // 10:00 China time is 02:00 UTC, on the tenth
        assert_eq!(
            all[0].starts_at % crate::domain::time::DAY_MS,
            2 * 3_600_000
        );
        assert_eq!(
            crate::domain::time::datetime_text(all[0].starts_at),
            "2026-12-10 10:00"
        );
        assert_eq!(all[0].ends_at - all[0].starts_at, 120 * 60_000);
        assert_eq!(all[0].phase(all[0].starts_at - 1), SlotPhase::Upcoming);
        assert_eq!(all[0].phase(all[0].starts_at), SlotPhase::Running);
        assert_eq!(all[0].phase(all[0].ends_at), SlotPhase::Over);
        assert_eq!(parse_hours(&hours_text(&e.slot_hours)), e.slot_hours);
    }

    #[test]
    fn bad_events_name_their_field() {
        let field = |f: EventForm| match f.parse(now()) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(EventForm {
                title: " ".into(),
                ..form()
            }),
            "title"
        );
        assert_eq!(
            field(EventForm {
                last_day: "2026-12-09".into(),
                ..form()
            }),
            "last_day"
        );
        assert_eq!(
            field(EventForm {
                last_day: "2027-02-10".into(),
                ..form()
            }),
            "last_day"
        );
        assert_eq!(
            field(EventForm {
                slot_hours: "10 24".into(),
                ..form()
            }),
            "slot_hours"
        );
        assert_eq!(
            field(EventForm {
                slot_hours: "10 10".into(),
                ..form()
            }),
            "slot_hours"
        );
        // 14:00 to 20:00 leaves six hours, 20:00 to 10:00 fourteen: 7 hours overlap
        assert_eq!(
            field(EventForm {
                slot_minutes: "420".into(),
                ..form()
            }),
            "slot_minutes"
        );
        assert!(EventForm {
            slot_minutes: "240".into(),
            ..form()
        }
        .parse(now())
        .is_ok());
        assert_eq!(
            field(EventForm {
                apply_until: "2026-12-10 11:00".into(),
                ..form()
            }),
            "apply_until"
        );
        assert_eq!(
            field(EventForm {
                first_day: "2026-11-30".into(),
                ..form()
            }),
            "first_day"
        );
    }

    #[test]
    fn an_application_is_judged_against_its_sku() {
        let sku = SkuNow {
            price: 2_000,
            free_stock: 50,
        };
        let item = |price: &str, qty: &str, user: &str, order: &str| ItemForm {
            price: price.into(),
            quantity: qty.into(),
            per_user_limit: user.into(),
            per_order_limit: order.into(),
            ..ItemForm::default()
        };
        let ok = item("9.9", "50", "2", "1").parse(sku).unwrap();
        assert_eq!((ok.price, ok.quantity), (990, 50));
        let field = |f: ItemForm| match f.parse(sku) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(item("20", "1", "1", "1")), "price");
        assert_eq!(field(item("0", "1", "1", "1")), "price");
        assert_eq!(field(item("9.9", "51", "1", "1")), "quantity");
        assert_eq!(field(item("9.9", "0", "1", "1")), "quantity");
        assert_eq!(field(item("9.9", "5", "1", "2")), "per_order_limit");
        assert_eq!(field(item("9.9", "5", "x", "1")), "per_user_limit");
    }

    #[test]
    fn only_pending_applications_move() {
        use ItemAction::*;
        assert!(ItemStatus::Pending
            .check(Approve, Actor::Platform, ItemStatus::Approved)
            .is_ok());
        assert!(ItemStatus::Approved
            .check(Withdraw, Actor::Merchant, ItemStatus::Withdrawn)
            .is_err());
        assert!(ItemStatus::Pending
            .check(Approve, Actor::Merchant, ItemStatus::Approved)
            .is_err());
    }
}
