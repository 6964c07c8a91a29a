//! Coupons and promotions in the mini-program: 领券中心, claiming, 我的优惠券, a shop's
//! full-reductions. Choosing coupons at checkout is part of `/checkout/preview` and `/submit`
//! (`platform_coupon_id`, `shops[].coupon_id`). Same services as the H5 pages.

use app::domain::coupon::{ClaimableCoupon, MyCoupon};
use app::domain::full_reduction::PromotionLabel;
use app::error::AppError;
use app::services::coupons::{self, MyTab};
use app::services::full_reductions;
use app::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiPath, ApiQuery, MpShopper};
use super::{ok, Envelope};

type ApiResult<T> = Result<Json<Envelope<T>>, AppError>;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClaimableQuery {
    /// only this shop's coupons (shop and product pages); absent: every coupon (领券中心)
    pub shop_id: Option<i64>,
}

#[utoipa::path(get, path = "/coupons/claimable", tag = "coupons", security(("bearer" = [])), params(ClaimableQuery),
    responses((status = 200, description = "Coupons open for claiming now, platform ones first, with how many this shopper holds", body = Envelope<Vec<ClaimableCoupon>>)))]
pub async fn claimable(
    State(st): State<AppState>,
    me: MpShopper,
    ApiQuery(q): ApiQuery<ClaimableQuery>,
) -> ApiResult<Vec<ClaimableCoupon>> {
    Ok(ok(coupons::claimable(
        &st,
        Some(me.identity.account_id),
        q.shop_id,
    )
    .await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Claim {
    pub template_id: i64,
}

#[utoipa::path(post, path = "/coupons/claim", tag = "coupons", security(("bearer" = [])), request_body = Claim,
    responses((status = 200, description = "The copy now in 我的优惠券", body = Envelope<MyCoupon>),
        (status = 404, description = "No such claimable coupon"),
        (status = 409, description = "All claimed, the shopper's limit reached, paused, or outside the claim window")))]
pub async fn claim(
    State(st): State<AppState>,
    me: MpShopper,
    ApiJson(body): ApiJson<Claim>,
) -> ApiResult<MyCoupon> {
    Ok(ok(coupons::claim(
        &st,
        me.identity.account_id,
        body.template_id,
    )
    .await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MineQuery {
    /// `available` (default, also when empty), `used` or `expired` (expired and voided); any
    /// other value is a 400
    pub tab: Option<String>,
}

#[utoipa::path(get, path = "/coupons", tag = "coupons", security(("bearer" = [])), params(MineQuery),
    responses((status = 200, description = "The shopper's coupons under the tab, those expiring first first", body = Envelope<Vec<MyCoupon>>)))]
pub async fn mine(
    State(st): State<AppState>,
    me: MpShopper,
    ApiQuery(q): ApiQuery<MineQuery>,
) -> ApiResult<Vec<MyCoupon>> {
    let tab = match q.tab.as_deref() {
        None | Some("") => MyTab::Available,
        Some(t) => MyTab::parse(t).ok_or_else(|| AppError::bad_request("未知的优惠券分类"))?,
    };
    Ok(ok(coupons::mine(&st, me.identity.account_id, tab).await?))
}

#[utoipa::path(get, path = "/shops/{id}/full-reductions", tag = "coupons",
    params(("id" = i64, Path, description = "shop id")),
    responses((status = 200, description = "The shop's running full-reductions (满减 / 满折) with the products they cover (empty: the whole shop)", body = Envelope<Vec<PromotionLabel>>),
        (status = 404, description = "No such shop open")))]
pub async fn shop_full_reductions(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Vec<PromotionLabel>> {
    Ok(ok(full_reductions::labels(&st, id).await?))
}
