//! 拼团 (group buy): a shop runs an activity on one product, with a group price and activity
//! stock per SKU, a group size (2–10), a group lifetime and per-order and per-user limits. A
//! shopper opens a group by paying; others join it through its share link; when the last seat
//! is paid every member's order moves to 待发货 at once. A group still short of members when its
//! time is up either fills with virtual members (only when the activity allows it, and at most
//! as many as it says; they are never shown as people) or fails, and every paid member is
//! refunded in full. Pricing step 1 of DESIGN.md "Promotions and pricing": a group line skips
//! the full-reductions and coupons.
//!
//! The forms' rules and the state tables live here; the seat and stock moves in
//! `repo::group_buys`, the flow in `services::group_buys`.

use serde::{Deserialize, Serialize};

use crate::domain::activity_form::{self, count, PriceRule};
use crate::domain::state_machine::{mv, Actor, Move, StateMachine};
use crate::error::AppError;

pub use crate::domain::activity_form::{ActivityFormData, SkuLineForm, SkuNow, MAX_TITLE_CHARS};

/// Fewest and most members of a group (the leader included).
pub const MIN_SIZE: i64 = 2;
pub const MAX_SIZE: i64 = 10;
/// Longest group lifetime, hours (and never past the activity's end).
pub const MAX_LIFETIME_HOURS: i64 = 72;

crate::named_enum! {
    /// An activity: selling as scheduled, or ended early by its shop or the platform (no new
    /// groups or joins; groups already open run to their end).
    pub enum ActivityStatus {
        Active = "active" "进行中",
        Ended = "ended" "已结束",
    }
}

crate::named_enum! {
    /// A group.
    ///
    /// pending ─ the leader pays ─▶ open ─ the last seat is paid ─▶ succeeded
    /// pending ─ the leader's order closes unpaid ─▶ cancelled
    /// open ─ time is up: filled with virtual members ─▶ succeeded, or ─▶ failed (refunded)
    /// open ─ every member left ─▶ failed
    pub enum GroupStatus {
        /// opened by an order not paid yet: nobody else sees it
        Pending = "pending" "待支付",
        Open = "open" "拼团中",
        Succeeded = "succeeded" "拼团成功",
        Failed = "failed" "拼团失败",
        Cancelled = "cancelled" "未开团",
    }
}

crate::named_enum! {
    pub enum GroupAction {
        Pay = "pay" "团长付款",
        Close = "close" "团长未付款",
        Fill = "fill" "满员成团",
        /// time is up with seats short, and the activity fills them with virtual members
        FillVirtual = "fill_virtual" "到期模拟成团",
        Expire = "expire" "到期未成团",
        /// the last member left
        Empty = "empty" "全员退团",
    }
}

impl StateMachine for GroupStatus {
    type Action = GroupAction;
    const MOVES: &'static [Move<Self, GroupAction>] = {
        use Actor::*;
        use GroupAction::*;
        use GroupStatus::*;
        &[
            mv(Pending, Pay, Shopper, Open),
            mv(Pending, Close, System, Cancelled),
            mv(Open, Fill, Shopper, Succeeded),
            mv(Open, FillVirtual, System, Succeeded),
            mv(Open, Expire, System, Failed),
            mv(Open, Empty, Shopper, Failed),
        ]
    };
    const NOUN: &'static str = "拼团";
}

crate::named_enum! {
    /// A shopper's seat in a group, held by their order.
    ///
    /// unpaid ─ paid ─▶ joined ─ leaves (refunded) ─▶ left
    /// unpaid ─ the order closes unpaid ─▶ closed
    /// joined ─ the group failed (refunded) ─▶ refunded
    pub enum MemberStatus {
        Unpaid = "unpaid" "待支付",
        Joined = "joined" "已参团",
        Closed = "closed" "未支付",
        Left = "left" "已退团",
        Refunded = "refunded" "已退款",
    }
}

crate::named_enum! {
    pub enum MemberAction {
        Pay = "pay" "付款参团",
        Close = "close" "超时未支付",
        Leave = "leave" "退出拼团",
        Refund = "refund" "拼团失败退款",
    }
}

impl StateMachine for MemberStatus {
    type Action = MemberAction;
    const MOVES: &'static [Move<Self, MemberAction>] = {
        use Actor::*;
        use MemberAction::*;
        use MemberStatus::*;
        &[
            mv(Unpaid, Pay, Shopper, Joined),
            mv(Unpaid, Close, System, Closed),
            mv(Joined, Leave, Shopper, Left),
            mv(Joined, Refund, System, Refunded),
        ]
    };
    const NOUN: &'static str = "参团";
}

impl MemberStatus {
    /// Holds a seat (and, by a unique index over these states, one per shopper per group).
    pub const SEATED: [MemberStatus; 2] = [MemberStatus::Unpaid, MemberStatus::Joined];
}

/// What happens to an open group when its time is up with `paid` of `size` seats paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtExpiry {
    /// it succeeds with this many virtual members
    FillVirtual(i64),
    /// it fails: every paid member is refunded
    Fail,
}

/// The rule at expiry: virtual members fill the seats left only when the activity allows it,
/// at most `virtual_max` of them, and never a group nobody paid for.
pub fn at_expiry(paid: i64, size: i64, virtual_fill: bool, virtual_max: i64) -> AtExpiry {
    let short = size - paid;
    if virtual_fill && paid >= 1 && short >= 1 && short <= virtual_max {
        AtExpiry::FillVirtual(short)
    } else {
        AtExpiry::Fail
    }
}

/// When a group opened (its leader paid) at `opened_at` ends: after the activity's lifetime,
/// but never after the activity (epoch ms).
pub fn expires_at(opened_at: i64, lifetime_hours: i64, activity_ends_at: i64) -> i64 {
    (opened_at + lifetime_hours * 3_600_000).min(activity_ends_at)
}

/// A group activity as the shop's form posts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityForm {
    pub product_id: i64,
    pub title: String,
    /// `2026-12-05 10:00`, China time
    pub starts_at: String,
    pub ends_at: String,
    pub group_size: String,
    pub lifetime_hours: String,
    pub per_order_limit: String,
    pub per_user_limit: String,
    /// a checkbox: fill a group short of members with virtual ones at its end
    pub virtual_fill: Option<String>,
    /// at most this many virtual members
    pub virtual_max: String,
    /// one row per SKU of the product; a row with an empty price is not in the activity
    pub skus: Vec<SkuLineForm>,
}

/// A checked activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityInput {
    pub title: String,
    /// epoch ms
    pub starts_at: i64,
    pub ends_at: i64,
    pub group_size: i64,
    pub lifetime_hours: i64,
    pub per_order_limit: i64,
    pub per_user_limit: i64,
    pub virtual_fill: bool,
    pub virtual_max: i64,
    /// (SKU, group price in fen, activity stock)
    pub skus: Vec<(i64, i64, i64)>,
}

impl ActivityForm {
    /// The activity the form describes for a product whose SKUs are `skus`, judged at `now`
    /// (epoch ms). Errors: 422 naming the field: an empty or long title; times that do not
    /// parse, run backwards, end in the past or span more than [`activity_form::MAX_ACTIVITY_DAYS`]; a size
    /// outside 2–10; a lifetime outside 1–72 hours; limits below 1 or a per-order limit above
    /// the per-user one; virtual members not fewer than the size; no SKU priced; a SKU not of
    /// the product; a group price of zero or not below the SKU's price; activity stock outside
    /// 1..=the SKU's stock.
    pub fn parse(&self, now: i64, skus: &[SkuNow]) -> Result<ActivityInput, AppError> {
        let title = activity_form::title(&self.title)?;
        let (starts_at, ends_at) = activity_form::window(&self.starts_at, &self.ends_at, now)?;
        let group_size = count(
            "group_size",
            &self.group_size,
            "成团人数",
            (MIN_SIZE, MAX_SIZE),
        )?;
        let lifetime_hours = count(
            "lifetime_hours",
            &self.lifetime_hours,
            "成团时限（小时）",
            (1, MAX_LIFETIME_HOURS),
        )?;
        let (per_order_limit, per_user_limit) =
            activity_form::limits(&self.per_order_limit, &self.per_user_limit)?;
        let virtual_fill = self.virtual_fill.is_some();
        let virtual_max = if virtual_fill {
            count(
                "virtual_max",
                &self.virtual_max,
                "最多模拟成团人数",
                (1, group_size - 1),
            )?
        } else {
            0
        };
        let lines = activity_form::sku_lines(&self.skus, skus, "拼团价", PriceRule::Below)?;
        Ok(ActivityInput {
            title,
            starts_at,
            ends_at,
            group_size,
            lifetime_hours,
            per_order_limit,
            per_user_limit,
            virtual_fill,
            virtual_max,
            skus: lines,
        })
    }
}

/// The group price a basket line is bought at (pricing step 1), and the seat it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupPrice {
    pub activity_id: i64,
    /// the `group_buy_skus` row
    pub activity_sku_id: i64,
    /// fen
    pub price: i64,
    pub per_user_limit: i64,
    /// the group joined; `None` opens a new one
    pub group_id: Option<i64>,
}

/// One SKU of an activity (拼团, 预售).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivitySkuView {
    pub sku_id: i64,
    /// `250g`, empty for a product of one SKU
    pub spec_label: String,
    /// the activity's price (group price, presale price), fen
    pub price: i64,
    /// the SKU's normal price, fen
    pub normal_price: i64,
    pub quantity: i64,
    /// held by placed orders (unpaid or paid)
    pub sold: i64,
}

/// An activity as the consoles, the product page and the mini-program show it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityView {
    pub id: i64,
    pub merchant_id: i64,
    pub shop_name: String,
    pub product_id: i64,
    pub product_title: String,
    pub image: String,
    pub title: String,
    /// epoch ms
    pub starts_at: i64,
    pub ends_at: i64,
    /// `12-05 10:00 ~ 12-12 22:00`
    pub window: String,
    pub group_size: i64,
    pub lifetime_hours: i64,
    pub per_order_limit: i64,
    pub per_user_limit: i64,
    pub virtual_fill: bool,
    pub virtual_max: i64,
    /// `active` | `ended`
    pub status: String,
    /// before its window, selling, or over (`selling` is `phase == selling`)
    pub phase: crate::domain::activity_form::ActivityPhase,
    /// 未开始 / 进行中 / 已结束
    pub phase_label: String,
    /// selling now: started, not over, not ended early
    pub selling: bool,
    /// the lowest group price and the lowest normal price of its SKUs, fen
    pub from_price: i64,
    pub from_normal_price: i64,
    pub skus: Vec<ActivitySkuView>,
    /// groups open now, and groups that succeeded
    pub open_groups: i64,
    pub succeeded_groups: i64,
}

/// A member as a group's page shows them: a masked name and an avatar, never a phone.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberFace {
    /// `张**`
    pub name: String,
    /// an image URL, or empty
    pub avatar: String,
    pub leader: bool,
    /// epoch ms
    pub joined_at: i64,
}

/// A group as its share page, the product page and the consoles show it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupView {
    pub id: i64,
    pub activity_id: i64,
    pub size: i64,
    /// members who paid
    pub paid: i64,
    /// seats a new member may still take (held seats of unpaid orders are not free)
    pub seats_left: i64,
    /// virtual members that filled it at its end (shown as a number, never as people)
    pub virtual_count: i64,
    /// `pending` | `open` | `succeeded` | `failed` | `cancelled`
    pub status: String,
    pub status_label: String,
    /// epoch ms; 0 before the leader paid
    pub expires_at: i64,
    /// the paid members, leader first
    pub members: Vec<MemberFace>,
}

/// A group's share page: the group, its activity, the server's time for the countdown, and
/// what the viewer may do.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupPage {
    pub group: GroupView,
    pub activity: ActivityView,
    /// epoch ms
    pub now: i64,
    /// the viewer's own seat (`unpaid` | `joined`), when they hold one
    pub my_status: Option<String>,
    /// the viewer's order in the group, when they hold a seat
    pub my_order_id: Option<i64>,
    /// why the viewer cannot join (full, over, their own group), or empty when they can
    pub cannot_join: String,
}

/// A product's running group activity with the open groups a shopper may join, for its page.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductGroupBuy {
    pub activity: ActivityView,
    /// open groups with a free seat, the ones ending soonest first (at most 5)
    pub groups: Vec<GroupView>,
    /// epoch ms
    pub now: i64,
}

/// A member as the consoles list them (the shop and the platform see who joined).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub shopper_id: i64,
    pub name: String,
    pub leader: bool,
    pub order_id: i64,
    pub order_no: String,
    /// `unpaid` | `joined` | `closed` | `left` | `refunded`
    pub status: String,
    pub status_label: String,
    pub joined_at: i64,
}

/// A group with every member, for the consoles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupDetail {
    pub group: GroupView,
    pub activity_title: String,
    pub shop_name: String,
    pub members: Vec<MemberRow>,
}

/// An activity's page in the consoles: the activity and its groups, latest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityPage {
    pub activity: ActivityView,
    pub groups: Vec<GroupDetail>,
    pub now: i64,
}

/// `张三` → `张**`, `Li` → `L**`: how a member's name shows to other shoppers.
pub fn masked_name(nickname: &str) -> String {
    let first: String = nickname.chars().take(1).collect();
    if first.is_empty() {
        "拼团用户".into()
    } else {
        format!("{first}**")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::{day_start, days_from_civil};

    fn now() -> i64 {
        day_start(days_from_civil(2026, 12, 1))
    }

    fn skus() -> Vec<SkuNow> {
        vec![
            SkuNow {
                sku_id: 11,
                price: 5000,
                stock: 30,
                name: "苹果 · 5斤".into(),
            },
            SkuNow {
                sku_id: 12,
                price: 9000,
                stock: 10,
                name: "苹果 · 10斤".into(),
            },
        ]
    }

    fn form() -> ActivityForm {
        ActivityForm {
            product_id: 1,
            title: "昭通苹果两人团".into(),
            starts_at: "2026-12-01 10:00".into(),
            ends_at: "2026-12-08 22:00".into(),
            group_size: "2".into(),
            lifetime_hours: "24".into(),
            per_order_limit: "1".into(),
            per_user_limit: "2".into(),
            virtual_fill: None,
            virtual_max: String::new(),
            skus: vec![
                SkuLineForm {
                    sku_id: 11,
                    price: "39.9".into(),
                    quantity: "20".into(),
                },
                SkuLineForm {
                    sku_id: 12,
                    price: String::new(),
                    quantity: String::new(),
                },
            ],
        }
    }

    #[test]
    fn a_form_names_its_skus_in_fen() {
        let a = form().parse(now(), &skus()).unwrap();
        assert_eq!(a.skus, vec![(11, 3990, 20)]);
        assert_eq!((a.group_size, a.virtual_max), (2, 0));
    }

    #[test]
    fn bad_forms_name_their_field() {
        let field = |f: ActivityForm| match f.parse(now(), &skus()) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("accepted: {other:?}"),
        };
        let mut f = form();
        f.group_size = "11".into();
        assert_eq!(field(f), "group_size");
        let mut f = form();
        f.skus[0].price = "50".into();
        assert_eq!(field(f), "skus");
        let mut f = form();
        f.skus[0].quantity = "31".into();
        assert_eq!(field(f), "skus");
        let mut f = form();
        f.skus[0].sku_id = 99;
        assert_eq!(field(f), "skus");
        let mut f = form();
        f.skus[0].price = String::new();
        assert_eq!(field(f), "skus");
        let mut f = form();
        f.per_order_limit = "3".into();
        assert_eq!(field(f), "per_order_limit");
        let mut f = form();
        f.virtual_fill = Some("on".into());
        f.virtual_max = "2".into();
        assert_eq!(field(f), "virtual_max");
        let mut f = form();
        f.ends_at = "2026-11-30 10:00".into();
        assert_eq!(field(f), "ends_at");
        let mut f = form();
        f.lifetime_hours = "73".into();
        assert_eq!(field(f), "lifetime_hours");
    }

    #[test]
    fn expiry_fills_only_what_the_activity_allows() {
        assert_eq!(at_expiry(2, 3, true, 1), AtExpiry::FillVirtual(1));
        assert_eq!(at_expiry(1, 3, true, 1), AtExpiry::Fail);
        assert_eq!(at_expiry(2, 3, false, 0), AtExpiry::Fail);
        assert_eq!(at_expiry(0, 2, true, 1), AtExpiry::Fail);
    }

    #[test]
    fn a_group_never_outlives_its_activity() {
        assert_eq!(expires_at(0, 24, i64::MAX), 24 * 3_600_000);
        assert_eq!(expires_at(0, 24, 1_000), 1_000);
    }

    #[test]
    fn only_the_table_moves_a_group() {
        use GroupAction::*;
        assert!(GroupStatus::Open
            .check(Fill, Actor::Shopper, GroupStatus::Succeeded)
            .is_ok());
        assert!(GroupStatus::Failed
            .check(Fill, Actor::Shopper, GroupStatus::Succeeded)
            .is_err());
        assert!(MemberStatus::Refunded
            .check(MemberAction::Leave, Actor::Shopper, MemberStatus::Left)
            .is_err());
        assert_eq!(masked_name("张三"), "张**");
    }
}
