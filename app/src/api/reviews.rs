//! Reviews: the shop front's lists and scores, the shopper's 待评价 / 评价 / 追评 / 我的评价, the
//! shop's replies and the platform's moderation.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::review::{ReviewList, ReviewPage, ReviewSummary, ReviewableLine, ShopScores};
use crate::error::AppError;

/// A product's figures and one page of its reviews (`filter` as `ReviewFilter` stores it).
#[server(prefix = "/api", endpoint = "reviews/product")]
pub async fn product_reviews(
    product_id: i64,
    filter: Option<String>,
    page: Option<u32>,
) -> Result<ReviewPage, AppError> {
    use crate::domain::review::ReviewFilter;
    session_respond!({
        let st = crate::state::AppState::from_context()?;
        let filter =
            ReviewFilter::parse(filter.as_deref().unwrap_or("all")).unwrap_or(ReviewFilter::All);
        crate::services::reviews::of_product(&st, product_id, filter, page.unwrap_or(1)).await
    })
}

/// A product's figures alone.
#[server(prefix = "/api", endpoint = "reviews/summary")]
pub async fn product_review_summary(product_id: i64) -> Result<ReviewSummary, AppError> {
    session_respond!({
        let st = crate::state::AppState::from_context()?;
        crate::services::reviews::summary_of_product(&st, product_id).await
    })
}

#[server(prefix = "/api", endpoint = "reviews/shop-scores")]
pub async fn fetch_shop_scores(shop_id: i64) -> Result<ShopScores, AppError> {
    session_respond!({
        let st = crate::state::AppState::from_context()?;
        crate::services::reviews::shop_scores(&st, shop_id).await
    })
}

/// The signed-in shopper's lines to review, of one order or of all.
#[server(prefix = "/api", endpoint = "reviews/waiting")]
pub async fn waiting_reviews(order_id: Option<i64>) -> Result<Vec<ReviewableLine>, AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        crate::services::reviews::waiting(&c.st, c.me.account_id, order_id).await
    })
}

/// One line of the review form (`lines[0][order_item_id]`, …); `images` are keys separated by
/// spaces (the upload widget fills it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewLineForm {
    pub order_item_id: i64,
    pub goods_stars: i64,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub images: String,
}

/// 发表评价: the lines of one order, with the order's service and logistics stars; then to
/// 我的评价.
#[server(prefix = "/api", endpoint = "reviews/submit")]
pub async fn submit_review(
    order_id: i64,
    lines: Vec<ReviewLineForm>,
    service_stars: i64,
    logistics_stars: i64,
    anonymous: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::review::{LineReviewInput, OrderReviewInput};
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        let input = OrderReviewInput {
            lines: lines
                .into_iter()
                .map(|l| LineReviewInput {
                    order_item_id: l.order_item_id,
                    goods_stars: l.goods_stars,
                    service_stars,
                    logistics_stars,
                    content: l.content,
                    images: l.images.split_whitespace().map(str::to_string).collect(),
                    anonymous: anonymous.is_some(),
                })
                .collect(),
        };
        crate::services::reviews::submit(&c.st, c.me.account_id, order_id, &input).await?;
        leptos_axum::redirect("/me/reviews");
        Ok(())
    })
}

/// 追评; back to 我的评价.
#[server(prefix = "/api", endpoint = "reviews/append")]
pub async fn append_review(
    id: i64,
    content: String,
    images: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::review::AppendInput;
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        let input = AppendInput {
            content,
            images: images
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect(),
        };
        crate::services::reviews::append(&c.st, c.me.account_id, id, &input).await?;
        leptos_axum::redirect("/me/reviews");
        Ok(())
    })
}

/// 我的评价.
#[server(prefix = "/api", endpoint = "reviews/mine")]
pub async fn my_reviews(page: Option<u32>) -> Result<ReviewList, AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        crate::services::reviews::mine(&c.st, c.me.account_id, page.unwrap_or(1)).await
    })
}

/// 评价管理 of the shop (`filter`: all, unreplied, negative, hidden).
#[server(prefix = "/api", endpoint = "merchant/reviews")]
pub async fn shop_reviews(
    filter: Option<String>,
    page: Option<u32>,
) -> Result<ReviewList, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::reviews::of_shop(
            &c.st,
            &scope,
            filter.as_deref().unwrap_or_default(),
            page.unwrap_or(1),
        )
        .await
    })
}

/// The shop's reply to a review (`to` `review`) or to its append (`to` `append`).
#[server(prefix = "/api", endpoint = "merchant/reviews/reply")]
pub async fn reply_review(id: i64, to: String, content: String) -> Result<(), AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let to_append = match to.as_str() {
            "review" => false,
            "append" => true,
            _ => return Err(AppError::invalid("to", "未知的回复对象")),
        };
        crate::services::reviews::reply(&c.st, &scope, id, to_append, &content, &c.ip).await
    })
}

/// 评价管理 of the platform (`filter`: all, unreplied, negative, hidden).
#[server(prefix = "/api", endpoint = "admin/reviews")]
pub async fn admin_reviews(
    filter: Option<String>,
    page: Option<u32>,
) -> Result<ReviewList, AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        crate::services::reviews::for_platform(
            &c.st,
            &admin,
            filter.as_deref().unwrap_or_default(),
            page.unwrap_or(1),
        )
        .await
    })
}

/// Hides a review with a reason (`action` `hide`) or shows it again (`unhide`).
#[server(prefix = "/api", endpoint = "admin/reviews/moderate")]
pub async fn moderate_review(
    id: i64,
    action: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        let hide = match action.as_str() {
            "hide" => true,
            "unhide" => false,
            _ => return Err(AppError::invalid("action", "没有这种操作")),
        };
        crate::services::reviews::moderate(
            &c.st,
            &admin,
            id,
            hide,
            reason.as_deref().unwrap_or_default(),
            &c.ip,
        )
        .await
    })
}
