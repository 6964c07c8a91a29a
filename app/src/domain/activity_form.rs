//! The parts every shop activity form shares (拼团, 预售): its title, its sale window and its
//! SKU rows with an activity price and activity stock. One home, so the activities judge a
//! price, a stock or a window the same way.

use serde::{Deserialize, Serialize};

use crate::domain::money::{parse_yuan, price_text};
use crate::domain::time::parse_minute;
use crate::error::AppError;

/// Longest activity, days.
pub const MAX_ACTIVITY_DAYS: i64 = 60;
/// An activity's title, in characters.
pub const MAX_TITLE_CHARS: usize = 30;

/// One SKU's row of an activity form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SkuLineForm {
    pub sku_id: i64,
    /// yuan
    pub price: String,
    pub quantity: String,
}

/// A product's SKU as the form is judged against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuNow {
    pub sku_id: i64,
    /// fen
    pub price: i64,
    pub stock: i64,
    /// `高山毛尖 · 250g`, for errors
    pub name: String,
}

/// A product's SKUs for a shop's new activity form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityFormData {
    pub product_id: i64,
    pub product_title: String,
    /// (SKU, spec label, price in fen, stock)
    pub skus: Vec<(i64, String, i64, i64)>,
    /// the shop's products on sale: (id, title), to pick another
    pub products: Vec<(i64, String)>,
    pub now: i64,
}

crate::named_enum! {
    /// Where a shop activity (拼团, 预售) stands at a moment: before its window, selling, or
    /// over (its window passed, or it was ended early).
    pub enum ActivityPhase {
        Upcoming = "upcoming" "未开始",
        Selling = "selling" "进行中",
        Over = "over" "已结束",
    }
}

impl ActivityPhase {
    /// The phase at `now` of an activity selling in `[starts_at, ends_at)` (epoch ms) unless
    /// `ended_early`.
    pub fn at(ended_early: bool, starts_at: i64, ends_at: i64, now: i64) -> Self {
        if ended_early || now >= ends_at {
            ActivityPhase::Over
        } else if now < starts_at {
            ActivityPhase::Upcoming
        } else {
            ActivityPhase::Selling
        }
    }
}

/// How an activity price must stand to the SKU's own price.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceRule {
    /// strictly below it (拼团: the group price is the point)
    Below,
    /// not above it (预售: buying early may cost the same)
    NotAbove,
}

/// A whole number in `range`, or a 422 naming `field` with `what` in the message.
pub fn count(field: &str, text: &str, what: &str, range: (i64, i64)) -> Result<i64, AppError> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (range.0..=range.1).contains(n))
        .ok_or_else(|| {
            AppError::invalid(
                field,
                format!("{what}请填写 {}–{} 之间的整数", range.0, range.1),
            )
        })
}

/// A title of 1–[`MAX_TITLE_CHARS`] characters, trimmed. Errors: 422 on `title`.
pub fn title(text: &str) -> Result<String, AppError> {
    let title = text.trim().to_string();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        return Err(AppError::invalid(
            "title",
            format!("请填写活动名称（不超过 {MAX_TITLE_CHARS} 个字）"),
        ));
    }
    Ok(title)
}

/// The sale window `(starts_at, ends_at)` in epoch ms from `2026-12-05 10:00` texts (China
/// time), judged at `now`. Errors: 422 for a time that does not parse, a window that runs
/// backwards, ends in the past or spans more than [`MAX_ACTIVITY_DAYS`].
pub fn window(starts: &str, ends: &str, now: i64) -> Result<(i64, i64), AppError> {
    let starts_at = parse_minute("starts_at", starts)?;
    let ends_at = parse_minute("ends_at", ends)?;
    if ends_at <= starts_at {
        return Err(AppError::invalid("ends_at", "结束时间须晚于开始时间"));
    }
    if ends_at <= now {
        return Err(AppError::invalid("ends_at", "结束时间须在当前时间之后"));
    }
    if ends_at - starts_at > MAX_ACTIVITY_DAYS * 86_400_000 {
        return Err(AppError::invalid(
            "ends_at",
            format!("一场活动最多 {MAX_ACTIVITY_DAYS} 天"),
        ));
    }
    Ok((starts_at, ends_at))
}

/// `(per_order_limit, per_user_limit)`, each 1–99, the per-order one not above the other.
pub fn limits(per_order: &str, per_user: &str) -> Result<(i64, i64), AppError> {
    let per_user_limit = count("per_user_limit", per_user, "每人限购", (1, 99))?;
    let per_order_limit = count("per_order_limit", per_order, "每单限购", (1, 99))?;
    if per_order_limit > per_user_limit {
        return Err(AppError::invalid(
            "per_order_limit",
            "每单限购不能多于每人限购",
        ));
    }
    Ok((per_order_limit, per_user_limit))
}

/// The priced rows as `(SKU, activity price in fen, activity stock)`; a row with an empty price
/// is not in the activity. `price_word` names the price in errors (拼团价, 预售价). Errors: 422
/// on `skus`: no row priced, a SKU not of the product or given twice, a price of zero or
/// breaking `rule`, activity stock outside 1..=the SKU's stock.
pub fn sku_lines(
    rows: &[SkuLineForm],
    skus: &[SkuNow],
    price_word: &str,
    rule: PriceRule,
) -> Result<Vec<(i64, i64, i64)>, AppError> {
    let mut lines = Vec::new();
    for row in rows.iter().filter(|r| !r.price.trim().is_empty()) {
        let sku = skus
            .iter()
            .find(|s| s.sku_id == row.sku_id)
            .ok_or_else(|| AppError::invalid("skus", "所选规格不属于该商品"))?;
        if lines.iter().any(|&(id, _, _)| id == row.sku_id) {
            return Err(AppError::invalid(
                "skus",
                format!("「{}」填写了两次", sku.name),
            ));
        }
        let price = parse_yuan("skus", &row.price)?;
        let (fits, bound) = match rule {
            PriceRule::Below => (price < sku.price, "须低于原价"),
            PriceRule::NotAbove => (price <= sku.price, "不能高于原价"),
        };
        if price <= 0 || !fits {
            return Err(AppError::invalid(
                "skus",
                format!(
                    "「{}」的{price_word}{bound} {}",
                    sku.name,
                    price_text(sku.price)
                ),
            ));
        }
        let quantity = row
            .quantity
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|q| *q >= 1 && *q <= sku.stock)
            .ok_or_else(|| {
                AppError::invalid(
                    "skus",
                    format!(
                        "「{}」的活动库存请填写 1–{}（现有库存）",
                        sku.name, sku.stock
                    ),
                )
            })?;
        lines.push((row.sku_id, price, quantity));
    }
    if lines.is_empty() {
        return Err(AppError::invalid(
            "skus",
            format!("请至少为一个规格填写{price_word}和活动库存"),
        ));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_activity_is_over_at_its_end_or_when_ended_early() {
        let (starts, ends) = (1_000, 2_000);
        assert_eq!(
            ActivityPhase::at(false, starts, ends, 999),
            ActivityPhase::Upcoming
        );
        assert_eq!(
            ActivityPhase::at(false, starts, ends, 1_000),
            ActivityPhase::Selling
        );
        assert_eq!(
            ActivityPhase::at(false, starts, ends, 2_000),
            ActivityPhase::Over
        );
        assert_eq!(
            ActivityPhase::at(true, starts, ends, 500),
            ActivityPhase::Over
        );
        assert_eq!(
            ActivityPhase::at(true, starts, ends, 1_500),
            ActivityPhase::Over
        );
    }

    #[test]
    fn a_presale_price_may_equal_the_skus_a_group_price_may_not() {
        let skus = [SkuNow {
            sku_id: 1,
            price: 1000,
            stock: 5,
            name: "茶".into(),
        }];
        let rows = [SkuLineForm {
            sku_id: 1,
            price: "10".into(),
            quantity: "5".into(),
        }];
        assert_eq!(
            sku_lines(&rows, &skus, "预售价", PriceRule::NotAbove).unwrap(),
            vec![(1, 1000, 5)]
        );
        assert!(sku_lines(&rows, &skus, "拼团价", PriceRule::Below).is_err());
    }
}
