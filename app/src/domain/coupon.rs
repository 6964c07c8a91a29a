//! Coupons: what a coupon takes off (its rule), which lines it may touch (its scope), the life of
//! one shopper's copy, and when a used coupon comes back (DESIGN.md "Promotions and pricing").
//! Amounts are fen; rates are basis points (1500 = 15% off, 8.5折).

use serde::{Deserialize, Serialize};

use crate::domain::money::price_text;
use crate::domain::state_machine::{mv, Actor, Move, StateMachine};
use crate::domain::time::{china_midnight, day_text, DAY_MS};
use crate::error::AppError;

crate::named_enum! {
    /// How a coupon takes money off.
    pub enum CouponKind {
        /// 满减: `amount_off` once the eligible goods reach `threshold`
        AmountOff = "amount_off" "满减券",
        /// 折扣: `off_bps` of the eligible goods, never more than `cap`
        Percent = "percent" "折扣券",
        /// 无门槛: `amount_off` on any eligible basket
        NoThreshold = "no_threshold" "无门槛券",
    }
}

/// The arithmetic of a coupon.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponRule {
    pub kind: CouponKind,
    /// fen the eligible goods must reach (0 for 无门槛)
    pub threshold: i64,
    /// fen off (满减, 无门槛)
    pub amount_off: i64,
    /// basis points off (折扣): 1–9999
    pub off_bps: i64,
    /// the most a 折扣 coupon takes off, fen (> 0)
    pub cap: i64,
}

impl CouponRule {
    /// Checks a rule as a platform admin or merchant typed it; the refusal names the field.
    pub fn check(&self) -> Result<(), AppError> {
        use crate::domain::money::MAX_PRICE_FEN;
        let money_ok = |v: i64| (0..=MAX_PRICE_FEN).contains(&v);
        if !money_ok(self.threshold) {
            return Err(AppError::invalid("threshold", "使用门槛金额不正确"));
        }
        match self.kind {
            CouponKind::AmountOff | CouponKind::NoThreshold => {
                if self.amount_off < 1 || !money_ok(self.amount_off) {
                    return Err(AppError::invalid("amount_off", "优惠金额须大于 0"));
                }
                if self.kind == CouponKind::AmountOff && self.threshold <= self.amount_off {
                    return Err(AppError::invalid(
                        "threshold",
                        "使用门槛须高于优惠金额（满减券）",
                    ));
                }
            }
            CouponKind::Percent => {
                if !(1..=9_999).contains(&self.off_bps) {
                    return Err(AppError::invalid(
                        "off_bps",
                        "折扣须在 0.1 折到 9.99 折之间（优惠比例 0.01%-99.99%）",
                    ));
                }
                if self.cap < 1 || !money_ok(self.cap) {
                    return Err(AppError::invalid(
                        "cap",
                        "折扣券须设置大于 0 的最高优惠金额",
                    ));
                }
            }
        }
        Ok(())
    }

    /// What the rule takes off `eligible` fen of goods: `None` below the threshold. Never more
    /// than `eligible` (a coupon does not make goods negative).
    pub fn discount(&self, eligible: i64) -> Option<i64> {
        if eligible <= 0 || eligible < self.threshold {
            return None;
        }
        let off = match self.kind {
            CouponKind::AmountOff | CouponKind::NoThreshold => self.amount_off,
            // rounded down: the shopper never gets a fraction of a fen more than the rate says
            CouponKind::Percent => {
                ((eligible as i128 * self.off_bps as i128) / 10_000).min(self.cap as i128) as i64
            }
        };
        Some(off.min(eligible))
    }

    /// The face of the coupon: 「满100减20」「8.5折 最高减¥30.00」「无门槛减¥5.00」.
    pub fn face(&self) -> String {
        match self.kind {
            CouponKind::AmountOff => format!(
                "满{}减{}",
                price_text(self.threshold),
                price_text(self.amount_off)
            ),
            CouponKind::NoThreshold => format!("无门槛减{}", price_text(self.amount_off)),
            CouponKind::Percent => {
                let zhe = discount_text(self.off_bps);
                if self.threshold > 0 {
                    format!(
                        "满{}享{zhe} 最高减{}",
                        price_text(self.threshold),
                        price_text(self.cap)
                    )
                } else {
                    format!("{zhe} 最高减{}", price_text(self.cap))
                }
            }
        }
    }
}

/// `1500` bps off → 「8.5折」; `1` → 「9.999折」 trimmed to what matters.
pub fn discount_text(off_bps: i64) -> String {
    let left = 10_000 - off_bps; // in units of 0.001 折
    let whole = left / 1000;
    let frac = format!("{:03}", left % 1000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{whole}折")
    } else {
        format!("{whole}.{frac}折")
    }
}

/// Which lines a coupon may touch. A shop coupon is always limited to its shop (`shop_id`).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponScope {
    /// the issuing shop; `None` for a platform coupon
    pub shop_id: Option<i64>,
    /// only these categories (platform coupons), empty: any
    pub category_ids: Vec<i64>,
    /// only these shops (platform coupons), empty: any
    pub shop_ids: Vec<i64>,
    /// only these products, empty: any
    pub product_ids: Vec<i64>,
    /// never these products
    pub excluded_product_ids: Vec<i64>,
}

impl CouponScope {
    /// Whether a line of `product_id` (whose category and its ancestors are `categories`,
    /// sold by `merchant_id`) is eligible: a named category covers everything under it.
    pub fn covers(&self, merchant_id: i64, categories: &[i64], product_id: i64) -> bool {
        let any_or = |ids: &[i64], id: i64| ids.is_empty() || ids.contains(&id);
        self.shop_id.is_none_or(|s| s == merchant_id)
            && (self.category_ids.is_empty()
                || categories.iter().any(|c| self.category_ids.contains(c)))
            && any_or(&self.shop_ids, merchant_id)
            && any_or(&self.product_ids, product_id)
            && !self.excluded_product_ids.contains(&product_id)
    }

    /// A short description for the coupon's face: 「全场通用」「限指定商品」...
    pub fn text(&self) -> &'static str {
        if !self.product_ids.is_empty() {
            "限指定商品"
        } else if !self.category_ids.is_empty() {
            "限指定品类"
        } else if !self.shop_ids.is_empty() {
            "限指定店铺"
        } else if self.shop_id.is_some() {
            "全店通用"
        } else if !self.excluded_product_ids.is_empty() {
            "全场通用（部分商品除外）"
        } else {
            "全场通用"
        }
    }
}

crate::named_enum! {
    /// How a template reaches shoppers.
    pub enum Distribution {
        /// shoppers claim it (领券中心, product and shop pages)
        Claim = "claim" "领取",
        /// the platform pushes it to chosen shoppers
        Push = "push" "定向发放",
        /// every new shopper gets it on sign-up
        SignUp = "sign_up" "新人注册赠送",
    }
}

crate::named_enum! {
    /// A coupon template (批次), as its issuer runs it.
    ///
    /// active ─ pause ─▶ paused ─ resume ─▶ active; active / paused ─ end ─▶ ended (no more
    /// claims, copies stay usable); any ─ void ─▶ voided (unused copies withdrawn)
    pub enum TemplateStatus {
        Active = "active" "进行中",
        Paused = "paused" "已暂停",
        Ended = "ended" "已结束",
        Voided = "voided" "已作废",
    }
}

crate::named_enum! {
    pub enum TemplateAction {
        Pause = "pause" "暂停",
        Resume = "resume" "恢复",
        End = "end" "结束",
        Void = "void" "作废",
    }
}

impl StateMachine for TemplateStatus {
    type Action = TemplateAction;
    const MOVES: &'static [Move<Self, TemplateAction>] = {
        use Actor::*;
        use TemplateAction::*;
        use TemplateStatus::*;
        &[
            mv(Active, Pause, Platform, Paused),
            mv(Active, Pause, Merchant, Paused),
            mv(Paused, Resume, Platform, Active),
            mv(Paused, Resume, Merchant, Active),
            mv(Active, End, Platform, Ended),
            mv(Active, End, Merchant, Ended),
            mv(Paused, End, Platform, Ended),
            mv(Paused, End, Merchant, Ended),
            mv(Active, Void, Platform, Voided),
            mv(Paused, Void, Platform, Voided),
            mv(Ended, Void, Platform, Voided),
            mv(Active, Void, Merchant, Voided),
            mv(Paused, Void, Merchant, Voided),
            mv(Ended, Void, Merchant, Voided),
        ]
    };
    const NOUN: &'static str = "优惠券";
}

crate::named_enum! {
    /// One shopper's copy of a coupon.
    ///
    /// available ─ checkout takes it ─▶ locked ─ the trade is paid ─▶ used
    /// locked ─ the trade is cancelled or times out ─▶ available
    /// used ─ every line it touched refunded before shipment ─▶ available (see [`comes_back`])
    /// available ─ past its validity ─▶ expired; available ─ the template is voided ─▶ voided
    pub enum CopyStatus {
        Available = "available" "可使用",
        Locked = "locked" "使用中",
        Used = "used" "已使用",
        Expired = "expired" "已过期",
        Voided = "voided" "已作废",
    }
}

crate::named_enum! {
    pub enum CopyAction {
        Lock = "lock" "下单使用",
        Unlock = "unlock" "订单取消退回",
        Use = "use" "支付核销",
        GiveBack = "give_back" "退款退回",
        Expire = "expire" "过期",
        Void = "void" "作废",
    }
}

impl StateMachine for CopyStatus {
    type Action = CopyAction;
    const MOVES: &'static [Move<Self, CopyAction>] = {
        use Actor::*;
        use CopyAction::*;
        use CopyStatus::*;
        &[
            mv(Available, Lock, Shopper, Locked),
            mv(Locked, Unlock, Shopper, Available),
            mv(Locked, Unlock, System, Available),
            mv(Locked, Use, System, Used),
            mv(Used, GiveBack, System, Available),
            mv(Available, Expire, System, Expired),
            mv(Available, Void, Platform, Voided),
            mv(Available, Void, Merchant, Voided),
        ]
    };
    const NOUN: &'static str = "优惠券";
}

/// The validity of a template: fixed dates, or days from the claim.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Validity {
    /// usable from `from` to `until` (epoch ms)
    Fixed { from: i64, until: i64 },
    /// usable for `days` days from the claim (from the next day at 00:00 China time when
    /// `next_day`), ending at 24:00 China time of the last day
    Days { days: i64, next_day: bool },
}

impl Validity {
    /// The window (from, until) of a copy claimed at `claimed_at` (epoch ms).
    pub fn window(&self, claimed_at: i64) -> (i64, i64) {
        match *self {
            Validity::Fixed { from, until } => (from, until),
            Validity::Days { days, next_day } => {
                let start = if next_day {
                    china_midnight(claimed_at) + DAY_MS
                } else {
                    claimed_at
                };
                // the last day ends at midnight China time
                let end = china_midnight(start) + days * DAY_MS;
                (start, end)
            }
        }
    }

    pub fn check(&self) -> Result<(), AppError> {
        match *self {
            Validity::Fixed { from, until } if until <= from => Err(AppError::invalid(
                "valid_until",
                "有效期的结束时间须晚于开始时间",
            )),
            Validity::Days { days, .. } if !(1..=365).contains(&days) => Err(AppError::invalid(
                "valid_days",
                "领取后有效天数须在 1-365 天之间",
            )),
            _ => Ok(()),
        }
    }
}

/// Why a copy cannot be used now, or `None` when its dates allow it at `now`.
pub fn date_refusal(valid_from: i64, valid_until: i64, now: i64) -> Option<&'static str> {
    if now < valid_from {
        Some("优惠券尚未到可用时间")
    } else if now >= valid_until {
        Some("优惠券已过期")
    } else {
        None
    }
}

/// Whether a used coupon comes back after a refund (DESIGN.md): only when every line it touched
/// has been refunded in full before shipment and the copy is still within its dates. Partial
/// refunds never give it back. The answer carries the reason, recorded on the after-sale.
pub fn comes_back(
    all_touched_lines_refunded: bool,
    refunded_before_shipment: bool,
    valid_until: i64,
    now: i64,
) -> (bool, &'static str) {
    if !all_touched_lines_refunded {
        (false, "部分退款，优惠券不退回")
    } else if !refunded_before_shipment {
        (false, "发货后退款，优惠券不退回")
    } else if now >= valid_until {
        (false, "优惠券已过期，不退回")
    } else {
        (true, "整单发货前退款，优惠券已退回")
    }
}

/// A coupon template as its issuer saves it (admin 平台优惠券, merchant 营销中心, and their APIs).
/// Amounts fen, rates basis points, times epoch ms.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateInput {
    /// 1–30 characters
    pub name: String,
    pub rule: CouponRule,
    /// for a shop coupon only `product_ids` (empty: the whole shop) is read
    #[serde(default)]
    pub scope: CouponScope,
    pub validity: Validity,
    pub claim_from: i64,
    pub claim_until: i64,
    /// copies in all, 1–1,000,000
    pub total_qty: i64,
    /// copies one shopper may hold in all, 1–100
    pub per_user_limit: i64,
    /// copies one shopper may claim a day (China time), 0: no daily limit
    #[serde(default)]
    pub per_user_daily_limit: i64,
    pub distribution: Distribution,
    /// the shop-borne share of a platform coupon's discount, basis points (0–10000, default 0)
    #[serde(default)]
    pub shop_share_bps: i64,
}

impl TemplateInput {
    /// Checks the input of a platform (`shop` None) or shop coupon; the refusal names the field.
    pub fn check(&self, shop: Option<i64>) -> Result<(), AppError> {
        let name = self.name.trim().chars().count();
        if !(1..=30).contains(&name) {
            return Err(AppError::invalid("name", "优惠券名称须为 1-30 个字"));
        }
        if self.name.chars().any(char::is_control) {
            return Err(AppError::invalid("name", "优惠券名称含有不支持的字符"));
        }
        self.rule.check()?;
        self.validity.check()?;
        if self.claim_until <= self.claim_from {
            return Err(AppError::invalid(
                "claim_until",
                "领取结束时间须晚于开始时间",
            ));
        }
        if let Validity::Fixed { until, .. } = self.validity {
            if until <= self.claim_from {
                return Err(AppError::invalid(
                    "valid_until",
                    "有效期须在领取开始之后结束",
                ));
            }
        }
        if !(1..=1_000_000).contains(&self.total_qty) {
            return Err(AppError::invalid(
                "total_qty",
                "发放总量须在 1-1000000 张之间",
            ));
        }
        if !(1..=100).contains(&self.per_user_limit) {
            return Err(AppError::invalid(
                "per_user_limit",
                "每人限领须在 1-100 张之间",
            ));
        }
        if !(0..=self.per_user_limit).contains(&self.per_user_daily_limit) {
            return Err(AppError::invalid(
                "per_user_daily_limit",
                "每人每日限领不能超过每人限领",
            ));
        }
        if !(0..=10_000).contains(&self.shop_share_bps) {
            return Err(AppError::invalid(
                "shop_share_bps",
                "商家承担比例须在 0-100% 之间",
            ));
        }
        if shop.is_some() {
            if self.distribution != Distribution::Claim {
                return Err(AppError::invalid(
                    "distribution",
                    "店铺优惠券只能由买家领取",
                ));
            }
            if self.shop_share_bps != 0
                || !self.scope.category_ids.is_empty()
                || !self.scope.shop_ids.is_empty()
            {
                return Err(AppError::invalid(
                    "scope",
                    "店铺优惠券只能用于本店全部商品或指定商品",
                ));
            }
        }
        Ok(())
    }
}

/// A template in the issuer's list, with its usage.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateView {
    pub id: i64,
    pub name: String,
    /// 「满¥100.00减¥20.00」
    pub face: String,
    pub scope_text: String,
    pub input: TemplateInput,
    pub status: TemplateStatus,
    pub actions: Vec<TemplateAction>,
    pub usage: Usage,
}

/// What a template did: copies issued, used, expired, voided; the discount its used copies took
/// off (fen) and what the orders they were used on paid (GMV driven, fen).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub issued: i64,
    pub used: i64,
    pub expired: i64,
    pub voided: i64,
    pub discount: i64,
    pub gmv: i64,
}

/// What a push (定向发放) did: copies given, shoppers already at their limit, shoppers left out
/// because the copies ran out, and the numbers of no shopper (masked).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushReport {
    pub given: i64,
    pub at_limit: i64,
    pub sold_out: i64,
    pub unknown: Vec<String>,
}

/// A coupon a shopper may claim (领券中心, product and shop pages).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimableCoupon {
    pub template_id: i64,
    pub name: String,
    pub face: String,
    pub rule: CouponRule,
    pub scope_text: String,
    /// the issuing shop's name; empty for a platform coupon
    pub shop_name: String,
    pub merchant_id: Option<i64>,
    /// 「领取后 7 天内有效」 or 「2026.12.01-2026.12.31」
    pub validity_text: String,
    /// share of the copies already claimed, percent 0–100 (for the progress bar)
    pub claimed_percent: i64,
    /// copies this shopper holds of it, and may hold
    pub mine: i64,
    pub per_user_limit: i64,
}

/// One of the shopper's coupons (我的优惠券, the checkout's choice).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCoupon {
    pub id: i64,
    pub name: String,
    pub face: String,
    pub rule: CouponRule,
    pub scope_text: String,
    pub shop_name: String,
    pub merchant_id: Option<i64>,
    pub valid_from: i64,
    pub valid_until: i64,
    pub status: CopyStatus,
}

impl Validity {
    /// 「领取后 7 天内有效」「领取次日起 7 天内有效」「2026-12-01 至 2026-12-31」
    pub fn text(&self) -> String {
        match *self {
            Validity::Days {
                days,
                next_day: false,
            } => format!("领取后 {days} 天内有效"),
            Validity::Days {
                days,
                next_day: true,
            } => format!("领取次日起 {days} 天内有效"),
            Validity::Fixed { from, until } => {
                format!("{} 至 {}", day_text(from), day_text(until - 1))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(
        kind: CouponKind,
        threshold: i64,
        amount_off: i64,
        off_bps: i64,
        cap: i64,
    ) -> CouponRule {
        CouponRule {
            kind,
            threshold,
            amount_off,
            off_bps,
            cap,
        }
    }

    #[test]
    fn bad_rules_are_refused_with_the_field() {
        let field = |r: CouponRule| match r.check() {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        // a threshold below (or at) the amount off
        assert_eq!(
            field(rule(CouponKind::AmountOff, 1000, 1000, 0, 0)),
            "threshold"
        );
        // percent over 100, and a cap of 0
        assert_eq!(
            field(rule(CouponKind::Percent, 0, 0, 10_001, 500)),
            "off_bps"
        );
        assert_eq!(field(rule(CouponKind::Percent, 0, 0, 1000, 0)), "cap");
        assert_eq!(
            field(rule(CouponKind::NoThreshold, 0, 0, 0, 0)),
            "amount_off"
        );
        assert!(rule(CouponKind::AmountOff, 10_000, 2000, 0, 0)
            .check()
            .is_ok());
    }

    #[test]
    fn discounts_follow_threshold_rate_and_cap() {
        let full = rule(CouponKind::AmountOff, 10_000, 2000, 0, 0);
        assert_eq!(full.discount(9_999), None);
        assert_eq!(full.discount(10_000), Some(2000));
        // 8.5折 capped at ¥30: 15% of 333.33 is 49.99 → 30.00; of 99.99 is 14.9985 → 14.99
        let pct = rule(CouponKind::Percent, 0, 0, 1500, 3000);
        assert_eq!(pct.discount(33_333), Some(3000));
        assert_eq!(pct.discount(9_999), Some(1499));
        // no threshold never takes more than the goods
        let free = rule(CouponKind::NoThreshold, 0, 500, 0, 0);
        assert_eq!(free.discount(301), Some(301));
        assert_eq!(free.discount(0), None);
        assert_eq!(pct.face(), "8.5折 最高减¥30.00");
        assert_eq!(full.face(), "满¥100.00减¥20.00");
        assert_eq!(discount_text(1000), "9折");
        assert_eq!(discount_text(1250), "8.75折");
    }

    #[test]
    fn days_validity_ends_at_china_midnight() {
        // claimed 2026-11-22 13:05:07 China time
        let at = 1_795_323_907_000;
        let midnight = china_midnight(at); // 2026-11-22 00:00 China = 2026-11-21 16:00 UTC
        assert_eq!(midnight, 1_795_276_800_000);
        let (from, until) = Validity::Days {
            days: 3,
            next_day: false,
        }
        .window(at);
        assert_eq!((from, until), (at, midnight + 3 * DAY_MS));
        let (from, until) = Validity::Days {
            days: 1,
            next_day: true,
        }
        .window(at);
        assert_eq!((from, until), (midnight + DAY_MS, midnight + 2 * DAY_MS));
    }

    #[test]
    fn a_coupon_comes_back_only_for_a_whole_refund_before_shipment() {
        assert!(!comes_back(false, true, i64::MAX, 0).0);
        assert!(!comes_back(true, false, i64::MAX, 0).0);
        assert!(!comes_back(true, true, 10, 10).0);
        assert!(comes_back(true, true, 11, 10).0);
    }

    #[test]
    fn scope_limits_lines() {
        let shop = CouponScope {
            shop_id: Some(7),
            ..Default::default()
        };
        assert!(shop.covers(7, &[1], 1));
        assert!(!shop.covers(8, &[1], 1));
        let cat = CouponScope {
            category_ids: vec![3],
            excluded_product_ids: vec![9],
            ..Default::default()
        };
        // a product in category 5 under 3 is covered by 3
        assert!(cat.covers(1, &[5, 3], 1));
        assert!(!cat.covers(1, &[4], 1));
        assert!(!cat.covers(1, &[3], 9));
    }
}
