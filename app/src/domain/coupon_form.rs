//! The consoles' coupon form (平台优惠券, 营销中心 → 店铺优惠券) as the browser posts it: amounts
//! as yuan, a 折扣 as 折 (8.5), the shop's share as a percent, times as China-time
//! `datetime-local` text. [`CouponForm::parse`] turns it into the [`TemplateInput`] that
//! `TemplateInput::check` then judges; the mini-program and JSON clients send the input directly.

use serde::{Deserialize, Serialize};

use crate::domain::coupon::{
    CouponKind, CouponRule, CouponScope, Distribution, TemplateInput, Validity,
};
use crate::domain::money::{parse_fixed, parse_yuan, yuan_text};
use crate::domain::time::{minute_text, parse_minute, DAY_MS};
use crate::error::AppError;

/// A shop or product a coupon or promotion form offers to pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
    /// 0 for shops and products; a category's depth from 1
    pub level: i64,
}

/// 营销 → 平台优惠券: the platform's templates with their usage, and what its form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformCouponsPage {
    pub templates: Vec<crate::domain::coupon::TemplateView>,
    pub categories: Vec<Choice>,
    pub shops: Vec<Choice>,
    /// epoch ms, for the form's starting times
    pub now: i64,
}

/// 营销中心: the shop's coupons and full-reductions, and its products on sale to pick from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopMarketingPage {
    pub coupons: Vec<crate::domain::coupon::TemplateView>,
    pub full_reductions: Vec<crate::domain::full_reduction::FullReductionView>,
    pub products: Vec<Choice>,
    /// epoch ms: the form's starting times, and whether a promotion has started
    pub now: i64,
}

/// The form's fields, every one text as typed (checkbox lists are ids).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CouponForm {
    pub name: String,
    /// `amount_off` | `percent` | `no_threshold`
    pub kind: String,
    /// yuan; empty: no threshold
    pub threshold: String,
    /// yuan (满减, 无门槛)
    pub amount_off: String,
    /// 折, e.g. `8.5` (折扣)
    pub zhe: String,
    /// yuan, the most a 折扣 takes off
    pub cap: String,
    /// platform coupons: only these categories / shops (checkboxes)
    pub category_ids: Option<Vec<i64>>,
    pub shop_ids: Option<Vec<i64>>,
    /// only these products: checkboxes (a shop's own products) …
    pub product_ids: Option<Vec<i64>>,
    /// … or ids typed, separated by commas or spaces (the platform's)
    pub product_ids_text: String,
    pub excluded_ids_text: String,
    /// `fixed` | `days`
    pub validity: String,
    pub valid_from: String,
    pub valid_until: String,
    pub valid_days: String,
    /// a checkbox: the days start at 00:00 the day after the claim
    pub next_day: Option<String>,
    pub claim_from: String,
    pub claim_until: String,
    pub total_qty: String,
    pub per_user_limit: String,
    pub per_user_daily_limit: String,
    /// `claim` | `push` | `sign_up` (platform only; a shop's coupons are claimed)
    pub distribution: String,
    /// percent of a platform coupon's discount the shop bears, e.g. `30`
    pub shop_share_percent: String,
}

impl CouponForm {
    /// A new form's starting values: a 满减 coupon claimable from now for 30 days, valid 7 days
    /// from the claim, 1,000 copies, one per shopper.
    pub fn blank(now: i64) -> Self {
        CouponForm {
            kind: CouponKind::AmountOff.as_str().into(),
            validity: "days".into(),
            valid_days: "7".into(),
            valid_from: minute_text(now),
            valid_until: minute_text(now + 30 * DAY_MS),
            claim_from: minute_text(now),
            claim_until: minute_text(now + 30 * DAY_MS),
            total_qty: "1000".into(),
            per_user_limit: "1".into(),
            per_user_daily_limit: "0".into(),
            distribution: Distribution::Claim.as_str().into(),
            shop_share_percent: "0".into(),
            ..CouponForm::default()
        }
    }

    /// The template the form describes. Errors: 422 naming the field that does not parse; the
    /// rules themselves (threshold above the amount off, a cap, limits) are
    /// `TemplateInput::check`'s.
    pub fn parse(&self) -> Result<TemplateInput, AppError> {
        let kind = CouponKind::parse(&self.kind)
            .ok_or_else(|| AppError::invalid("kind", "请选择优惠券类型"))?;
        let yuan_or_zero = |field: &str, text: &str| {
            if text.trim().is_empty() {
                Ok(0)
            } else {
                parse_yuan(field, text)
            }
        };
        let mut rule = CouponRule {
            kind,
            threshold: yuan_or_zero("threshold", &self.threshold)?,
            amount_off: 0,
            off_bps: 0,
            cap: 0,
        };
        match kind {
            CouponKind::AmountOff | CouponKind::NoThreshold => {
                rule.amount_off = parse_yuan("amount_off", &self.amount_off)?;
                if kind == CouponKind::NoThreshold {
                    rule.threshold = 0;
                }
            }
            CouponKind::Percent => {
                // 8.5折: the shopper pays 85%, so 15% (1500 basis points) comes off
                let paid = parse_fixed(&self.zhe, 3)
                    .filter(|z| (1..10_000).contains(z))
                    .ok_or_else(|| {
                        AppError::invalid("zhe", "折扣请填写 0.1 到 9.99 之间的数，例如 8.5")
                    })?;
                rule.off_bps = 10_000 - paid;
                rule.cap = parse_yuan("cap", &self.cap)?;
            }
        }
        let validity = match self.validity.as_str() {
            "fixed" => Validity::Fixed {
                from: parse_minute("valid_from", &self.valid_from)?,
                until: parse_minute("valid_until", &self.valid_until)?,
            },
            "days" => Validity::Days {
                days: count("valid_days", &self.valid_days, "请填写领取后有效的天数")?,
                next_day: self.next_day.is_some(),
            },
            _ => return Err(AppError::invalid("validity", "请选择有效期类型")),
        };
        let distribution = if self.distribution.is_empty() {
            Distribution::Claim
        } else {
            Distribution::parse(&self.distribution)
                .ok_or_else(|| AppError::invalid("distribution", "请选择发放方式"))?
        };
        let shop_share_bps = match self.shop_share_percent.trim().trim_end_matches('%') {
            "" => 0,
            p => parse_fixed(p, 2)
                .filter(|bps| *bps <= 10_000)
                .ok_or_else(|| {
                    AppError::invalid("shop_share_percent", "商家承担比例请填写 0-100 的百分数")
                })?,
        };
        let mut product_ids = self.product_ids.clone().unwrap_or_default();
        product_ids.extend(ids("product_ids", &self.product_ids_text)?);
        product_ids.sort_unstable();
        product_ids.dedup();
        Ok(TemplateInput {
            name: self.name.trim().to_string(),
            rule,
            scope: CouponScope {
                shop_id: None,
                category_ids: self.category_ids.clone().unwrap_or_default(),
                shop_ids: self.shop_ids.clone().unwrap_or_default(),
                product_ids,
                excluded_product_ids: ids("excluded_product_ids", &self.excluded_ids_text)?,
            },
            validity,
            claim_from: parse_minute("claim_from", &self.claim_from)?,
            claim_until: parse_minute("claim_until", &self.claim_until)?,
            total_qty: count("total_qty", &self.total_qty, "请填写发放总量")?,
            per_user_limit: count("per_user_limit", &self.per_user_limit, "请填写每人限领张数")?,
            per_user_daily_limit: match self.per_user_daily_limit.trim() {
                "" => 0,
                t => count(
                    "per_user_daily_limit",
                    t,
                    "每人每日限领请填写整数，0 为不限",
                )?,
            },
            distribution,
            shop_share_bps,
        })
    }

    /// The form showing a saved template (to copy it into a new one).
    pub fn of_input(t: &TemplateInput) -> Self {
        let (validity, valid_from, valid_until, valid_days, next_day) = match t.validity {
            Validity::Fixed { from, until } => (
                "fixed",
                minute_text(from),
                minute_text(until),
                String::new(),
                false,
            ),
            Validity::Days { days, next_day } => {
                let now = t.claim_from;
                (
                    "days",
                    minute_text(now),
                    minute_text(now + 30 * DAY_MS),
                    days.to_string(),
                    next_day,
                )
            }
        };
        let r = t.rule;
        CouponForm {
            name: t.name.clone(),
            kind: r.kind.as_str().into(),
            threshold: if r.threshold > 0 {
                yuan_text(r.threshold)
            } else {
                String::new()
            },
            amount_off: if r.amount_off > 0 {
                yuan_text(r.amount_off)
            } else {
                String::new()
            },
            zhe: if r.off_bps > 0 {
                zhe_text(r.off_bps)
            } else {
                String::new()
            },
            cap: if r.cap > 0 {
                yuan_text(r.cap)
            } else {
                String::new()
            },
            category_ids: Some(t.scope.category_ids.clone()),
            shop_ids: Some(t.scope.shop_ids.clone()),
            product_ids: Some(t.scope.product_ids.clone()),
            product_ids_text: ids_text(&t.scope.product_ids),
            excluded_ids_text: ids_text(&t.scope.excluded_product_ids),
            validity: validity.into(),
            valid_from,
            valid_until,
            valid_days,
            next_day: next_day.then(|| "on".into()),
            claim_from: minute_text(t.claim_from),
            claim_until: minute_text(t.claim_until),
            total_qty: t.total_qty.to_string(),
            per_user_limit: t.per_user_limit.to_string(),
            per_user_daily_limit: t.per_user_daily_limit.to_string(),
            distribution: t.distribution.as_str().into(),
            shop_share_percent: percent_text(t.shop_share_bps),
        }
    }
}

/// `1500` basis points off → `8.5` (折, as typed in the form).
fn zhe_text(off_bps: i64) -> String {
    let paid = 10_000 - off_bps;
    let text = format!("{}.{:03}", paid / 1000, paid % 1000);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// `3000` basis points → `30`, `1250` → `12.5` (percent, as typed in the form).
pub fn percent_text(bps: i64) -> String {
    let text = format!("{}.{:02}", bps / 100, bps % 100);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn ids_text(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A positive whole number typed into `field`.
fn count(field: &str, text: &str, missing: &str) -> Result<i64, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid(field, missing));
    }
    text.parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .ok_or_else(|| AppError::invalid(field, "请填写不小于 0 的整数"))
}

/// Product ids typed as `12, 15 18`; Chinese commas too.
fn ids(field: &str, text: &str) -> Result<Vec<i64>, AppError> {
    text.split(|c: char| c == ',' || c == '，' || c == '、' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<i64>().ok().filter(|id| *id > 0).ok_or_else(|| {
                AppError::invalid(
                    field,
                    format!("商品编号「{s}」不正确，请填写数字，用逗号分隔"),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(e: AppError) -> String {
        match e {
            AppError::Invalid { field, .. } => field,
            other => panic!("not a field error: {other:?}"),
        }
    }

    #[test]
    fn a_blank_form_filled_in_parses_and_passes_the_rules() {
        let now = parse_minute("t", "2026-12-01T10:00").unwrap();
        let mut f = CouponForm::blank(now);
        f.name = " 双十二满减券 ".into();
        f.threshold = "99".into();
        f.amount_off = "10".into();
        let input = f.parse().unwrap();
        assert_eq!(input.name, "双十二满减券");
        assert_eq!(input.rule.threshold, 9_900);
        assert_eq!(input.rule.amount_off, 1_000);
        assert_eq!(
            input.validity,
            Validity::Days {
                days: 7,
                next_day: false
            }
        );
        assert_eq!(input.claim_from, now);
        assert_eq!(input.claim_until, now + 30 * DAY_MS);
        assert_eq!(
            (
                input.total_qty,
                input.per_user_limit,
                input.per_user_daily_limit
            ),
            (1000, 1, 0)
        );
        input.check(None).unwrap();
    }

    #[test]
    fn a_discount_is_typed_in_zhe_and_a_share_in_percent() {
        let mut f = CouponForm::blank(parse_minute("t", "2026-12-01T10:00").unwrap());
        f.name = "水果折扣".into();
        f.kind = "percent".into();
        f.zhe = "8.5".into();
        f.cap = "20".into();
        f.shop_share_percent = "30".into();
        f.category_ids = Some(vec![3]);
        f.product_ids_text = "12，15 18".into();
        f.excluded_ids_text = "7".into();
        f.validity = "fixed".into();
        f.valid_from = "2026-12-01".into();
        f.valid_until = "2026-12-31 23:59".into();
        let input = f.parse().unwrap();
        assert_eq!((input.rule.off_bps, input.rule.cap), (1_500, 2_000));
        assert_eq!(input.shop_share_bps, 3_000);
        assert_eq!(input.scope.category_ids, vec![3]);
        assert_eq!(input.scope.product_ids, vec![12, 15, 18]);
        assert_eq!(input.scope.excluded_product_ids, vec![7]);
        assert!(matches!(input.validity, Validity::Fixed { .. }));
        // and back into the form, unchanged where it matters
        let again = CouponForm::of_input(&input);
        assert_eq!(again.zhe, "8.5");
        assert_eq!(again.shop_share_percent, "30");
        assert_eq!(again.parse().unwrap(), input);
    }

    #[test]
    fn what_does_not_parse_names_its_field() {
        let base = || {
            let mut f = CouponForm::blank(parse_minute("t", "2026-12-01T10:00").unwrap());
            f.name = "券".into();
            f.amount_off = "5".into();
            f
        };
        type Change = Box<dyn Fn(&mut CouponForm)>;
        let cases: Vec<(&str, Change)> = vec![
            ("kind", Box::new(|f| f.kind = "free".into())),
            ("amount_off", Box::new(|f| f.amount_off = "-5".into())),
            ("threshold", Box::new(|f| f.threshold = "abc".into())),
            (
                "zhe",
                Box::new(|f| {
                    f.kind = "percent".into();
                    f.zhe = "10".into()
                }),
            ),
            (
                "zhe",
                Box::new(|f| {
                    f.kind = "percent".into();
                    f.zhe = "0".into()
                }),
            ),
            (
                "cap",
                Box::new(|f| {
                    f.kind = "percent".into();
                    f.zhe = "9".into();
                    f.cap = "".into()
                }),
            ),
            ("valid_days", Box::new(|f| f.valid_days = "".into())),
            (
                "valid_from",
                Box::new(|f| {
                    f.validity = "fixed".into();
                    f.valid_from = "下周".into()
                }),
            ),
            (
                "claim_until",
                Box::new(|f| f.claim_until = "2026-13-01".into()),
            ),
            ("total_qty", Box::new(|f| f.total_qty = "1.5".into())),
            ("per_user_limit", Box::new(|f| f.per_user_limit = "".into())),
            (
                "distribution",
                Box::new(|f| f.distribution = "everyone".into()),
            ),
            (
                "shop_share_percent",
                Box::new(|f| f.shop_share_percent = "-1".into()),
            ),
            (
                "shop_share_percent",
                Box::new(|f| f.shop_share_percent = "100.5".into()),
            ),
            (
                "product_ids",
                Box::new(|f| f.product_ids_text = "12, x".into()),
            ),
        ];
        for (field, change) in cases {
            let mut f = base();
            change(&mut f);
            assert_eq!(field_of(f.parse().unwrap_err()), field);
        }
    }
}
