//! Reviews (评价) of order lines: what a shopper may write and when, how a review counts in a
//! product's rating and a shop's scores, and how a review reads on the pages. Saving and the
//! timers are `services::reviews`.
//!
//! The rules follow what shoppers know from the big Chinese malls: one review per line once the
//! order is completed (goods, service and logistics stars 1–5, text, up to 9 photos, anonymous
//! if wished), one append (追评) within 90 days, one merchant reply to each; a line nobody
//! reviewed gets an automatic positive review (默认好评) some days after completion, which counts
//! in the rating but not among reviews with text or photos.

use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Characters of a review, an append or a reply.
pub const MAX_TEXT_CHARS: usize = 500;
/// Photos of a review or an append.
pub const MAX_IMAGES: usize = 9;
/// Days after the review in which the shopper may append once.
pub const APPEND_DAYS: i64 = 90;
/// Characters of the reason the platform gives for hiding a review.
pub const MAX_HIDE_REASON_CHARS: usize = 100;
/// Reviews per page of a product's review list.
pub const PAGE_SIZE: u32 = 10;
/// What an automatic positive review says in place of text.
pub const AUTOMATIC_TEXT: &str = "买家未及时评价，系统默认好评";

crate::named_enum! {
    /// The filters of a product's review list.
    pub enum ReviewFilter {
        All = "all" "全部",
        /// with photos (automatic reviews have none)
        Photos = "photos" "有图",
        /// goods 4–5 stars
        Positive = "positive" "好评",
        /// goods 3 stars
        Neutral = "neutral" "中评",
        /// goods 1–2 stars
        Negative = "negative" "差评",
        /// with an append
        Appended = "appended" "追评",
    }
}

/// How the goods stars grade a review: 4–5 好评, 3 中评, 1–2 差评.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grade {
    Positive,
    Neutral,
    Negative,
}

pub fn grade(goods_stars: i64) -> Grade {
    match goods_stars {
        4.. => Grade::Positive,
        3 => Grade::Neutral,
        _ => Grade::Negative,
    }
}

/// One line's review as the shopper sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LineReviewInput {
    pub order_item_id: i64,
    /// 1–5
    pub goods_stars: i64,
    /// 1–5
    pub service_stars: i64,
    /// 1–5
    pub logistics_stars: i64,
    /// up to 500 characters; may be empty
    #[serde(default)]
    pub content: String,
    /// image keys from the upload endpoint, up to 9
    #[serde(default)]
    pub images: Vec<String>,
    /// shown as 匿名用户 instead of the shopper's nickname
    #[serde(default)]
    pub anonymous: bool,
}

/// The reviews of an order's lines, sent at once (the lines not listed stay to review).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderReviewInput {
    pub lines: Vec<LineReviewInput>,
}

/// A shopper's append (追评) to their review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AppendInput {
    /// 1–500 characters
    pub content: String,
    #[serde(default)]
    pub images: Vec<String>,
}

/// Checks a star count: 1–5, else 422 on `field`.
pub fn check_stars(field: &str, stars: i64) -> Result<i64, AppError> {
    if (1..=5).contains(&stars) {
        Ok(stars)
    } else {
        Err(AppError::invalid(field, "请选择 1 到 5 星"))
    }
}

/// Checks a text (trimmed): at most 500 characters, not empty when `required`, no control
/// characters but line breaks; then masks the sensitive words. Errors are 422 on `field`.
pub fn check_text(
    field: &str,
    input: &str,
    required: bool,
    sensitive: &[String],
) -> Result<String, AppError> {
    let text = input.trim();
    if required && text.is_empty() {
        return Err(AppError::invalid(field, "请填写内容"));
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(AppError::invalid(
            field,
            format!("最多 {MAX_TEXT_CHARS} 个字"),
        ));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(AppError::invalid(field, "内容含有不支持的字符"));
    }
    Ok(mask_words(text, sensitive))
}

/// Checks the photos of a review or an append: at most 9. (That each is an uploaded image is
/// checked by the service against the image store.)
pub fn check_images(images: &[String]) -> Result<(), AppError> {
    if images.len() > MAX_IMAGES {
        return Err(AppError::invalid(
            "images",
            format!("最多上传 {MAX_IMAGES} 张图片"),
        ));
    }
    Ok(())
}

/// `text` with every occurrence of each sensitive word replaced by as many `*` as it has
/// characters, matched without regard to ASCII case. Longer words are masked first, so a word
/// containing a shorter one is masked whole.
pub fn mask_words(text: &str, words: &[String]) -> String {
    let mut words: Vec<Vec<char>> = words
        .iter()
        .map(|w| w.trim().chars().map(|c| c.to_ascii_lowercase()).collect())
        .filter(|w: &Vec<char>| !w.is_empty())
        .collect();
    if words.is_empty() {
        return text.to_string();
    }
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = chars.iter().map(|c| c.to_ascii_lowercase()).collect();
    let mut masked = vec![false; chars.len()];
    for w in &words {
        let mut i = 0;
        while i + w.len() <= lower.len() {
            if lower[i..i + w.len()] == w[..] {
                masked[i..i + w.len()].iter_mut().for_each(|m| *m = true);
                i += w.len();
            } else {
                i += 1;
            }
        }
    }
    chars
        .iter()
        .zip(&masked)
        .map(|(&c, &m)| if m { '*' } else { c })
        .collect()
}

/// Whether the append window of a review written at `reviewed_at` is still open at `now`
/// (epoch ms).
pub fn may_append(reviewed_at: i64, now: i64) -> bool {
    now < reviewed_at + APPEND_DAYS * 86_400_000
}

/// A reply of the shop to a review or to its append.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReplyView {
    pub content: String,
    /// epoch ms
    pub at: i64,
}

/// A shopper's append as shown under the review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AppendView {
    pub content: String,
    pub images: Vec<String>,
    /// epoch ms
    pub at: i64,
    /// whole days after the review (「收货 12 天后追评」)
    pub days_after: i64,
    pub reply: Option<ReplyView>,
}

/// One review as a page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReviewView {
    pub id: i64,
    pub product_id: i64,
    pub order_id: i64,
    pub title: String,
    pub spec_label: String,
    /// the line's picture
    pub image: String,
    /// the shopper's nickname, or 匿名用户
    pub reviewer: String,
    pub goods_stars: i64,
    pub service_stars: i64,
    pub logistics_stars: i64,
    /// the text; for an automatic review, [`AUTOMATIC_TEXT`]
    pub content: String,
    pub images: Vec<String>,
    /// an automatic positive review (默认好评)
    pub automatic: bool,
    /// epoch ms
    pub at: i64,
    pub reply: Option<ReplyView>,
    pub append: Option<AppendView>,
    /// why the platform hid it: shown to its author and in the consoles only
    pub hidden_reason: Option<String>,
    /// what the reader may do now: `append` (its author), `reply`, `reply_append` (the shop),
    /// `hide`, `unhide` (the platform)
    pub actions: Vec<String>,
}

/// A product's review figures. Hidden reviews are left out; automatic ones count in the
/// rating and grades but not in `with_photos`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReviewSummary {
    pub total: i64,
    /// mean goods stars × 10, rounded half up (48 is 4.8); 0 without reviews
    pub rating_x10: i64,
    /// 好评率 in basis points (9650 is 96.5 %); 0 without reviews
    pub positive_rate_bps: i64,
    pub positive: i64,
    pub neutral: i64,
    pub negative: i64,
    pub with_photos: i64,
    pub with_append: i64,
    /// automatic positive reviews (counted in `total`, not listed)
    pub automatic: i64,
}

/// Sums kept per product (`review_stats`), from which the figures are read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReviewCounts {
    pub total: i64,
    pub goods_sum: i64,
    pub service_sum: i64,
    pub logistics_sum: i64,
    pub positive: i64,
    pub neutral: i64,
    pub with_photos: i64,
    pub with_append: i64,
    pub automatic: i64,
}

impl ReviewCounts {
    pub fn summary(&self) -> ReviewSummary {
        ReviewSummary {
            total: self.total,
            rating_x10: mean_scaled(self.goods_sum, self.total, 10),
            positive_rate_bps: mean_scaled(self.positive, self.total, 10_000),
            positive: self.positive,
            neutral: self.neutral,
            negative: self.total - self.positive - self.neutral,
            with_photos: self.with_photos,
            with_append: self.with_append,
            automatic: self.automatic,
        }
    }
}

/// `sum / count × scale` rounded half up, in integers; 0 when `count` is 0.
pub fn mean_scaled(sum: i64, count: i64, scale: i64) -> i64 {
    if count <= 0 {
        return 0;
    }
    (2 * sum * scale + count) / (2 * count)
}

/// One page of a product's reviews with its figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReviewPage {
    pub summary: ReviewSummary,
    pub rows: Vec<ReviewView>,
    /// 1-based
    pub page: u32,
    /// rows matching the filter
    pub matching: i64,
}

impl ReviewPage {
    pub fn pages(&self) -> u32 {
        ((self.matching.max(0) as u32).div_ceil(PAGE_SIZE)).max(1)
    }
}

/// A page of reviews for a reader who is not the public: the shopper's own, a shop's (filter
/// `all`, `unreplied`, `negative`, `hidden`) or, for the platform, every shop's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReviewList {
    pub rows: Vec<ReviewView>,
    pub page: u32,
    pub matching: i64,
}

impl ReviewList {
    pub fn pages(&self) -> u32 {
        ((self.matching.max(0) as u32).div_ceil(PAGE_SIZE)).max(1)
    }
}

/// A shop's three scores (mean stars × 100, 482 is 4.82) against the mean of the shops whose
/// main category (the top-level category most of their reviews are in) is the same.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ShopScores {
    pub reviews: i64,
    pub goods_x100: i64,
    pub service_x100: i64,
    pub logistics_x100: i64,
    /// the main category's name, empty without reviews
    pub category: String,
    pub category_goods_x100: i64,
    pub category_service_x100: i64,
    pub category_logistics_x100: i64,
}

/// How a score compares with its category's: 「高于同行 3.2%」, 「低于同行 1.0%」 or 「与同行持平」
/// (within 0.05 %), in per mille of the category's score.
pub fn versus_category(score_x100: i64, category_x100: i64) -> String {
    if category_x100 <= 0 {
        return "与同行持平".to_string();
    }
    // per mille, rounded half away from zero
    let diff = score_x100 - category_x100;
    let permille = (2 * diff.abs() * 1000 + category_x100) / (2 * category_x100);
    match (permille, diff.signum()) {
        (0, _) | (_, 0) => "与同行持平".to_string(),
        (p, 1) => format!("高于同行 {}.{}%", p / 10, p % 10),
        (p, _) => format!("低于同行 {}.{}%", p / 10, p % 10),
    }
}

/// A line waiting for its review (待评价), as the shopper's lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReviewableLine {
    pub order_id: i64,
    pub order_no: String,
    pub order_item_id: i64,
    pub product_id: i64,
    pub title: String,
    pub spec_label: String,
    pub image: String,
    /// epoch ms the order completed
    pub completed_at: i64,
}

/// Shows a star count as ★ and ☆ (accessible text is given beside it by the pages).
pub fn stars_text(stars: i64) -> String {
    let n = stars.clamp(0, 5) as usize;
    format!("{}{}", "★".repeat(n), "☆".repeat(5 - n))
}

/// Basis points as a percentage with one decimal, rounded half up (6667 → 「66.7%」).
pub fn percent_text(bps: i64) -> String {
    format!("{}%", decimal_text((bps + 5) / 10, 1))
}

/// A mean × 10 as one decimal (48 → 「4.8」), × 100 as two (482 → 「4.82」).
pub fn decimal_text(value: i64, places: u32) -> String {
    let scale = 10_i64.pow(places);
    format!(
        "{}.{:0width$}",
        value / scale,
        value % scale,
        width = places as usize
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn sensitive_words_are_masked_whole_and_case_blind() {
        let w = words(&["垃圾", "垃圾店", "SB"]);
        assert_eq!(mask_words("这家垃圾店真垃圾", &w), "这家***真**");
        assert_eq!(mask_words("sb卖家 Sb", &w), "**卖家 **");
        assert_eq!(mask_words("好茶", &w), "好茶");
        assert_eq!(mask_words("好茶", &[]), "好茶");
        assert_eq!(mask_words("x", &words(&["  "])), "x");
    }

    #[test]
    fn texts_are_checked_then_masked() {
        let w = words(&["骗子"]);
        assert_eq!(
            check_text("content", "  真是骗子 ", false, &w).unwrap(),
            "真是**"
        );
        assert!(check_text("content", " ", true, &w).is_err());
        assert_eq!(check_text("content", "", false, &w).unwrap(), "");
        assert!(check_text("content", &"好".repeat(501), false, &w).is_err());
        assert!(check_text("content", &"好".repeat(500), false, &w).is_ok());
        assert!(check_text("content", "a\u{0007}b", false, &w).is_err());
        assert!(check_text("content", "第一行\n第二行", false, &w).is_ok());
    }

    #[test]
    fn stars_and_grades() {
        assert!(check_stars("goods_stars", 0).is_err());
        assert!(check_stars("goods_stars", 6).is_err());
        assert_eq!(check_stars("goods_stars", 5).unwrap(), 5);
        assert_eq!(grade(5), Grade::Positive);
        assert_eq!(grade(4), Grade::Positive);
        assert_eq!(grade(3), Grade::Neutral);
        assert_eq!(grade(2), Grade::Negative);
        assert_eq!(grade(1), Grade::Negative);
    }

    #[test]
    fn the_append_window_is_90_days() {
        let day = 86_400_000;
        assert!(may_append(0, 90 * day - 1));
        assert!(!may_append(0, 90 * day));
    }

    #[test]
    fn figures_round_half_up_in_integers() {
        let c = ReviewCounts {
            total: 3,
            goods_sum: 14,
            positive: 2,
            neutral: 1,
            ..ReviewCounts::default()
        };
        let s = c.summary();
        // 14 / 3 = 4.666… → 4.7; 2 / 3 = 66.666…% → 6667 bps
        assert_eq!(s.rating_x10, 47);
        assert_eq!(s.positive_rate_bps, 6667);
        assert_eq!(s.negative, 0);
        assert_eq!(ReviewCounts::default().summary().rating_x10, 0);
        assert_eq!(mean_scaled(9, 2, 10), 45);
        assert_eq!(decimal_text(47, 1), "4.7");
        assert_eq!(decimal_text(405, 2), "4.05");
        assert_eq!(percent_text(6667), "66.7%");
        assert_eq!(percent_text(10_000), "100.0%");
    }

    #[test]
    fn scores_compare_with_the_category_in_per_mille() {
        assert_eq!(versus_category(480, 465), "高于同行 3.2%");
        assert_eq!(versus_category(460, 465), "低于同行 1.1%");
        assert_eq!(versus_category(465, 465), "与同行持平");
        assert_eq!(versus_category(465, 0), "与同行持平");
        assert_eq!(stars_text(4), "★★★★☆");
    }
}
