//! Full-reduction (满减 / 满折): a shop's promotion over its products, step 3 of the pricing
//! pipeline (DESIGN.md "Promotions and pricing"). Shop-funded. Amounts are fen, rates basis
//! points off.

use serde::{Deserialize, Serialize};

use crate::domain::coupon::discount_text;
use crate::domain::money::price_text;
use crate::domain::state_machine::{mv, Actor, Move, StateMachine};
use crate::error::AppError;

/// Most tiers of one promotion.
pub const MAX_TIERS: usize = 5;

crate::named_enum! {
    /// What the threshold counts.
    pub enum Basis {
        /// 满 ¥X
        Amount = "amount" "按金额",
        /// 满 N 件
        Quantity = "quantity" "按件数",
    }
}

crate::named_enum! {
    /// What a reached tier gives.
    pub enum Benefit {
        /// 满减: fen off
        AmountOff = "amount_off" "满减",
        /// 满折: basis points off
        Percent = "percent" "满折",
    }
}

crate::named_enum! {
    /// A promotion as its shop runs it (it applies while active and within its time).
    ///
    /// active ─ pause ─▶ paused ─ resume ─▶ active; active / paused ─ end ─▶ ended
    pub enum PromotionStatus {
        Active = "active" "进行中",
        Paused = "paused" "已暂停",
        Ended = "ended" "已结束",
    }
}

crate::named_enum! {
    pub enum PromotionAction {
        Pause = "pause" "暂停",
        Resume = "resume" "恢复",
        End = "end" "结束",
    }
}

impl StateMachine for PromotionStatus {
    type Action = PromotionAction;
    const MOVES: &'static [Move<Self, PromotionAction>] = {
        use Actor::*;
        use PromotionAction::*;
        use PromotionStatus::*;
        &[
            mv(Active, Pause, Merchant, Paused),
            mv(Paused, Resume, Merchant, Active),
            mv(Active, End, Merchant, Ended),
            mv(Paused, End, Merchant, Ended),
        ]
    };
    const NOUN: &'static str = "满减活动";
}

/// One tier: reach `threshold` (fen or units, by the basis) and get `off` (fen for 满减, basis
/// points for 满折); `free_shipping` waives the shop's shipping (step 7).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    pub threshold: i64,
    pub off: i64,
    pub free_shipping: bool,
}

/// A full-reduction promotion's rule.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FullReduction {
    pub id: i64,
    pub merchant_id: i64,
    pub title: String,
    pub basis: Basis,
    pub benefit: Benefit,
    /// ascending thresholds, 1–5 of them
    pub tiers: Vec<Tier>,
    /// 每满: the single tier repeats for every multiple of its threshold, up to `repeat_cap`
    /// fen in all (满减 only)
    pub repeat: bool,
    pub repeat_cap: i64,
    /// the products it covers; empty: the whole shop
    pub product_ids: Vec<i64>,
}

/// What a promotion gives a basket of eligible lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reached {
    pub off: i64,
    pub free_shipping: bool,
}

impl FullReduction {
    pub fn covers(&self, merchant_id: i64, product_id: i64) -> bool {
        merchant_id == self.merchant_id
            && (self.product_ids.is_empty() || self.product_ids.contains(&product_id))
    }

    /// Checks a promotion as a merchant typed it; the refusal names the field.
    pub fn check(&self) -> Result<(), AppError> {
        let title = self.title.trim().chars().count();
        if !(1..=30).contains(&title) {
            return Err(AppError::invalid("title", "活动名称须为 1-30 个字"));
        }
        if self.tiers.is_empty() || self.tiers.len() > MAX_TIERS {
            return Err(AppError::invalid(
                "tiers",
                format!("请设置 1-{MAX_TIERS} 档优惠"),
            ));
        }
        let mut last = 0;
        for t in &self.tiers {
            if t.threshold <= last {
                return Err(AppError::invalid("tiers", "各档门槛须大于 0 且逐档递增"));
            }
            last = t.threshold;
            let ok = match self.benefit {
                Benefit::AmountOff => {
                    t.off >= 1 && (self.basis == Basis::Quantity || t.off < t.threshold)
                }
                Benefit::Percent => (1..=9_999).contains(&t.off),
            };
            // a tier may give free shipping alone
            let shipping_only = t.off == 0 && t.free_shipping;
            if !(ok || shipping_only) {
                return Err(AppError::invalid(
                    "tiers",
                    match self.benefit {
                        Benefit::AmountOff => "每档优惠金额须大于 0 且低于门槛金额",
                        Benefit::Percent => "折扣须在 0.1 折到 9.99 折之间",
                    },
                ));
            }
        }
        if self.repeat {
            if self.tiers.len() != 1 || self.benefit != Benefit::AmountOff {
                return Err(AppError::invalid("repeat", "每满减只能设置一档满减"));
            }
            if self.repeat_cap < self.tiers[0].off {
                return Err(AppError::invalid(
                    "repeat_cap",
                    "每满减的封顶金额须不低于每档优惠金额",
                ));
            }
        }
        Ok(())
    }

    /// What the promotion gives eligible goods worth `amount` fen in `units` units: the highest
    /// tier reached, `None` below the first. Never more than `amount`.
    pub fn reached(&self, amount: i64, units: i64) -> Option<Reached> {
        let measure = match self.basis {
            Basis::Amount => amount,
            Basis::Quantity => units,
        };
        let tier = self.tiers.iter().rev().find(|t| measure >= t.threshold)?;
        let off = match self.benefit {
            Benefit::AmountOff if self.repeat => {
                (measure / tier.threshold * tier.off).min(self.repeat_cap)
            }
            Benefit::AmountOff => tier.off,
            Benefit::Percent => ((amount as i128 * tier.off as i128) / 10_000) as i64,
        };
        Some(Reached {
            off: off.min(amount),
            free_shipping: tier.free_shipping,
        })
    }

    /// The cart's nudge: 「再买¥12.00减¥20.00」 toward the next tier, `None` past the last one
    /// (or for a 每满 promotion at its cap).
    pub fn hint(&self, amount: i64, units: i64) -> Option<String> {
        let measure = match self.basis {
            Basis::Amount => amount,
            Basis::Quantity => units,
        };
        let next = if self.repeat {
            let t = self.tiers[0];
            let reached = measure / t.threshold * t.off;
            if reached + t.off > self.repeat_cap {
                return None;
            }
            Tier {
                threshold: (measure / t.threshold + 1) * t.threshold,
                ..t
            }
        } else {
            *self.tiers.iter().find(|t| t.threshold > measure)?
        };
        let more = match self.basis {
            Basis::Amount => price_text(next.threshold - measure),
            Basis::Quantity => format!("{}件", next.threshold - measure),
        };
        let gets = match self.benefit {
            Benefit::AmountOff if next.off > 0 => format!("减{}", price_text(next.off)),
            Benefit::Percent if next.off > 0 => format!("享{}", discount_text(next.off)),
            _ => "包邮".to_string(),
        };
        let shipping = if next.free_shipping && next.off > 0 {
            "且包邮"
        } else {
            ""
        };
        Some(format!("再买{more}{gets}{shipping}"))
    }

    /// The label on products: 「满¥100.00减¥10.00，满¥200.00减¥30.00」.
    pub fn label(&self) -> String {
        let parts: Vec<String> = self
            .tiers
            .iter()
            .map(|t| {
                let reach = match self.basis {
                    Basis::Amount => format!("满{}", price_text(t.threshold)),
                    Basis::Quantity => format!("满{}件", t.threshold),
                };
                let each = if self.repeat { "每" } else { "" };
                let gets = match self.benefit {
                    Benefit::AmountOff if t.off > 0 => format!("减{}", price_text(t.off)),
                    Benefit::Percent if t.off > 0 => discount_text(t.off),
                    _ => String::new(),
                };
                let ship = if t.free_shipping { "包邮" } else { "" };
                format!("{each}{reach}{gets}{ship}")
            })
            .collect();
        let cap = if self.repeat {
            format!("，最多减{}", price_text(self.repeat_cap))
        } else {
            String::new()
        };
        format!("{}{cap}", parts.join("，"))
    }
}

/// A promotion as a merchant saves it. Amounts fen, rates basis points off, times epoch ms.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FullReductionInput {
    pub title: String,
    pub basis: Basis,
    pub benefit: Benefit,
    pub tiers: Vec<Tier>,
    #[serde(default)]
    pub repeat: bool,
    #[serde(default)]
    pub repeat_cap: i64,
    /// empty: the whole shop
    #[serde(default)]
    pub product_ids: Vec<i64>,
    pub starts_at: i64,
    pub ends_at: i64,
}

/// A promotion in the shop's list.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FullReductionView {
    pub id: i64,
    pub title: String,
    /// 「满¥100.00减¥10.00，满¥200.00减¥30.00」
    pub label: String,
    pub product_count: usize,
    pub starts_at: i64,
    pub ends_at: i64,
    pub status: PromotionStatus,
    pub actions: Vec<PromotionAction>,
}

/// A running full-reduction as shoppers see it (product and shop pages, the cart).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromotionLabel {
    pub id: i64,
    pub title: String,
    /// 「满¥100.00减¥10.00，满¥200.00减¥30.00」
    pub label: String,
    /// the products it covers; empty: the whole shop
    pub product_ids: Vec<i64>,
    /// epoch ms
    pub ends_at: i64,
}

/// Whether two promotions of a shop would both cover some product in overlapping time: a
/// product takes at most one full-reduction, refused when saved. `Some(product_id)` of the
/// first product both cover (0 when both cover the whole shop).
pub fn overlap(a: &FullReduction, b: &FullReduction) -> Option<i64> {
    match (a.product_ids.is_empty(), b.product_ids.is_empty()) {
        (true, true) => Some(0),
        (true, false) => b.product_ids.first().copied(),
        (false, true) => a.product_ids.first().copied(),
        (false, false) => a
            .product_ids
            .iter()
            .find(|p| b.product_ids.contains(p))
            .copied(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn promo(basis: Basis, benefit: Benefit, tiers: &[(i64, i64, bool)]) -> FullReduction {
        FullReduction {
            id: 1,
            merchant_id: 1,
            title: "店庆".into(),
            basis,
            benefit,
            tiers: tiers
                .iter()
                .map(|&(threshold, off, free_shipping)| Tier {
                    threshold,
                    off,
                    free_shipping,
                })
                .collect(),
            repeat: false,
            repeat_cap: 0,
            product_ids: vec![],
        }
    }

    #[test]
    fn the_highest_tier_reached_applies() {
        let p = promo(
            Basis::Amount,
            Benefit::AmountOff,
            &[(10_000, 1000, false), (20_000, 3000, true)],
        );
        assert!(p.check().is_ok());
        assert_eq!(p.reached(9_999, 1), None);
        assert_eq!(p.reached(15_000, 1).map(|r| r.off), Some(1000));
        assert_eq!(
            p.reached(20_000, 1),
            Some(Reached {
                off: 3000,
                free_shipping: true
            })
        );
        assert_eq!(
            p.hint(15_000, 1).as_deref(),
            Some("再买¥50.00减¥30.00且包邮")
        );
        assert_eq!(p.hint(25_000, 1), None);
        assert_eq!(p.label(), "满¥100.00减¥10.00，满¥200.00减¥30.00包邮");
    }

    #[test]
    fn quantity_percent_and_repeat() {
        let p = promo(
            Basis::Quantity,
            Benefit::Percent,
            &[(2, 1000, false), (3, 2000, false)],
        );
        assert!(p.check().is_ok());
        assert_eq!(p.reached(9_999, 2).map(|r| r.off), Some(999));
        assert_eq!(p.reached(9_999, 3).map(|r| r.off), Some(1999));
        assert_eq!(p.hint(5_000, 2).as_deref(), Some("再买1件享8折"));
        let mut each = promo(Basis::Amount, Benefit::AmountOff, &[(10_000, 1000, false)]);
        each.repeat = true;
        each.repeat_cap = 2500;
        assert!(each.check().is_ok());
        assert_eq!(each.reached(35_000, 1).map(|r| r.off), Some(2500));
        assert_eq!(each.reached(25_000, 1).map(|r| r.off), Some(2000));
        assert_eq!(each.hint(15_000, 1).as_deref(), Some("再买¥50.00减¥10.00"));
        assert_eq!(each.hint(25_000, 1), None);
    }

    #[test]
    fn bad_promotions_are_refused() {
        let err = |p: FullReduction| p.check().unwrap_err();
        assert!(matches!(
            err(promo(
                Basis::Amount,
                Benefit::AmountOff,
                &[(1000, 1000, false)]
            )),
            AppError::Invalid { .. }
        ));
        assert!(matches!(
            err(promo(
                Basis::Amount,
                Benefit::AmountOff,
                &[(2000, 100, false), (1000, 50, false)]
            )),
            AppError::Invalid { .. }
        ));
        let six: Vec<(i64, i64, bool)> = (1..=6).map(|i| (i * 1000, 100, false)).collect();
        assert!(promo(Basis::Amount, Benefit::AmountOff, &six)
            .check()
            .is_err());
        assert!(
            promo(Basis::Amount, Benefit::Percent, &[(1000, 10_000, false)])
                .check()
                .is_err()
        );
    }

    #[test]
    fn overlapping_products_are_found() {
        let mut a = promo(Basis::Amount, Benefit::AmountOff, &[(1000, 100, false)]);
        let mut b = a.clone();
        assert_eq!(overlap(&a, &b), Some(0));
        a.product_ids = vec![1, 2];
        b.product_ids = vec![3];
        assert_eq!(overlap(&a, &b), None);
        b.product_ids = vec![3, 2];
        assert_eq!(overlap(&a, &b), Some(2));
    }
}
