//! Reviews in the mini-program: a product's reviews and figures, a shop's scores (no sign-in);
//! 待评价, reviewing an order's lines, appending and 我的评价 (bearer token). Same services as
//! the H5 pages.

use app::domain::review::{
    AppendInput, OrderReviewInput, ReviewFilter, ReviewList, ReviewPage, ReviewableLine, ShopScores,
};
use app::error::AppError;
use app::services::reviews;
use app::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiPath, ApiQuery, MpShopper};
use super::{ok, Envelope};

type ApiResult<T> = Result<Json<Envelope<T>>, AppError>;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductReviewsQuery {
    /// `all` (default), `photos`, `positive`, `neutral`, `negative` or `appended`; any other
    /// value is a 400
    pub filter: Option<String>,
    /// 1-based, 10 reviews a page
    pub page: Option<u32>,
}

#[utoipa::path(get, path = "/products/{id}/reviews", tag = "reviews",
    params(("id" = i64, Path, description = "product id"), ProductReviewsQuery),
    responses((status = 200, description = "The product's figures (rating, 好评率, counts) and one page of its visible reviews, newest first; automatic positive reviews are counted, not listed", body = Envelope<ReviewPage>),
        (status = 404, description = "No such product on sale")))]
pub async fn of_product(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ProductReviewsQuery>,
) -> ApiResult<ReviewPage> {
    let filter = match q.filter.as_deref() {
        None | Some("") => ReviewFilter::All,
        Some(f) => ReviewFilter::parse(f).ok_or_else(|| AppError::bad_request("未知的筛选条件"))?,
    };
    Ok(ok(reviews::of_product(
        &st,
        id,
        filter,
        q.page.unwrap_or(1),
    )
    .await?))
}

#[utoipa::path(get, path = "/shops/{id}/scores", tag = "reviews",
    params(("id" = i64, Path, description = "shop id")),
    responses((status = 200, description = "The shop's goods, service and logistics scores (mean stars × 100) beside its main category's", body = Envelope<ShopScores>),
        (status = 404, description = "No such shop open")))]
pub async fn shop_scores(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<ShopScores> {
    Ok(ok(reviews::shop_scores(&st, id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WaitingQuery {
    /// only this order's lines (404 when it has none to review)
    pub order_id: Option<i64>,
}

#[utoipa::path(get, path = "/reviews/waiting", tag = "reviews", security(("bearer" = [])), params(WaitingQuery),
    responses((status = 200, description = "The shopper's lines waiting for a review (待评价): of completed orders, not refunded in full, newest order first", body = Envelope<Vec<ReviewableLine>>),
        (status = 404, description = "The order named has no line to review")))]
pub async fn waiting(
    State(st): State<AppState>,
    me: MpShopper,
    ApiQuery(q): ApiQuery<WaitingQuery>,
) -> ApiResult<Vec<ReviewableLine>> {
    Ok(ok(reviews::waiting(
        &st,
        me.identity.account_id,
        q.order_id,
    )
    .await?))
}

/// The reviews written.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reviewed {
    pub review_ids: Vec<i64>,
}

#[utoipa::path(post, path = "/orders/{id}/reviews", tag = "reviews", security(("bearer" = [])),
    params(("id" = i64, Path, description = "order id")), request_body = OrderReviewInput,
    responses((status = 200, description = "The lines are reviewed", body = Envelope<Reviewed>),
        (status = 404, description = "Not the shopper's order, or a line not in it"),
        (status = 409, description = "The order is not completed, or a line is reviewed already or refunded in full"),
        (status = 422, description = "Stars outside 1–5, text over 500 characters, more than 9 photos or a photo not uploaded; `data.field` names it")))]
pub async fn submit(
    State(st): State<AppState>,
    me: MpShopper,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<OrderReviewInput>,
) -> ApiResult<Reviewed> {
    let review_ids = reviews::submit(&st, me.identity.account_id, id, &body).await?;
    Ok(ok(Reviewed { review_ids }))
}

#[utoipa::path(post, path = "/reviews/{id}/append", tag = "reviews", security(("bearer" = [])),
    params(("id" = i64, Path, description = "review id")), request_body = AppendInput,
    responses((status = 200, description = "The append (追评) is saved", body = Envelope<bool>),
        (status = 404, description = "Not the shopper's review"),
        (status = 409, description = "Appended already, or more than 90 days after the review"),
        (status = 422, description = "Empty or long text, or bad photos")))]
pub async fn append(
    State(st): State<AppState>,
    me: MpShopper,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AppendInput>,
) -> ApiResult<bool> {
    reviews::append(&st, me.identity.account_id, id, &body).await?;
    Ok(ok(true))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MineQuery {
    /// 1-based, 10 reviews a page
    pub page: Option<u32>,
}

#[utoipa::path(get, path = "/reviews", tag = "reviews", security(("bearer" = [])), params(MineQuery),
    responses((status = 200, description = "The shopper's own reviews (我的评价), newest first, with the shop's replies, a hidden one's reason and `append` while appending is open", body = Envelope<ReviewList>)))]
pub async fn mine(
    State(st): State<AppState>,
    me: MpShopper,
    ApiQuery(q): ApiQuery<MineQuery>,
) -> ApiResult<ReviewList> {
    Ok(ok(reviews::mine(
        &st,
        me.identity.account_id,
        q.page.unwrap_or(1),
    )
    .await?))
}
