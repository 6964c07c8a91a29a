//! 拼团 in the mini-program: the activities selling now and a product's activity with its open
//! groups (no sign-in), a group's share page (as the shopper when a bearer token is sent, else
//! as a visitor), and leaving a group. Buying is `/checkout/preview` and `/checkout/submit` with
//! `group_buy_id` (and `group_id` to join) and the one line. Same services as the H5 pages.

use app::domain::group_buy::{ActivityView, GroupPage, ProductGroupBuy};
use app::error::AppError;
use app::services::group_buys;
use app::state::AppState;
use axum::extract::State;
use axum::Json;

use super::extract::{ApiPath, MaybeMpShopper, MpShopper};
use super::{ok, Envelope};

type ApiResult<T> = Result<Json<Envelope<T>>, AppError>;

#[utoipa::path(get, path = "/group-buys", tag = "group_buys",
    responses((status = 200, description = "Activities selling now, every shop's, ending soonest first: group size, the lowest group price and normal price (fen), each SKU's group price, normal price, activity stock and units sold, and how many groups are open and succeeded; times in epoch ms", body = Envelope<Vec<ActivityView>>)))]
pub async fn selling(State(st): State<AppState>) -> ApiResult<Vec<ActivityView>> {
    Ok(ok(group_buys::selling(&st).await?))
}

#[utoipa::path(get, path = "/products/{id}/group-buy", tag = "group_buys", security((), ("bearer" = [])),
    params(("id" = i64, Path, description = "product id")),
    responses((status = 200, description = "The product's activity selling now with up to five open groups that have a free seat, ending soonest first (with a bearer token, not the shopper's own), and the server's time (epoch ms, for countdowns); `data` is null when the product is in no activity", body = Envelope<Option<ProductGroupBuy>>)))]
pub async fn of_product(
    State(st): State<AppState>,
    viewer: MaybeMpShopper,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Option<ProductGroupBuy>> {
    let viewer = viewer.0.map(|me| me.account_id);
    Ok(ok(group_buys::of_product(&st, viewer, id).await?))
}

#[utoipa::path(get, path = "/groups/{id}", tag = "group_buys", security((), ("bearer" = [])),
    params(("id" = i64, Path, description = "group id")),
    responses((status = 200, description = "A group's share page: its members who paid (masked names and avatars, leader first; virtual members only as `virtual_count`), seats left, state and end (epoch ms), its activity with prices in fen, the server's time, and, for the shopper of the bearer token, their own seat and order; `cannot_join` says why the viewer cannot join (empty when they can). The token is optional: without one, or with one that is no longer valid, the viewer is a visitor", body = Envelope<GroupPage>),
        (status = 404, description = "No such group, or one whose leader has not paid (only its leader sees it)")))]
pub async fn group(
    State(st): State<AppState>,
    viewer: MaybeMpShopper,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<GroupPage> {
    let viewer = viewer.0.map(|me| me.account_id);
    Ok(ok(group_buys::group_page(&st, viewer, id).await?))
}

#[utoipa::path(post, path = "/orders/{id}/leave-group", tag = "group_buys", security(("bearer" = [])),
    params(("id" = i64, Path, description = "the shopper's paid 拼团 order waiting for its group (待成团)")),
    responses((status = 200, description = "Left the group: the order is refunded in full (the refund follows WeChat Pay's notification); when the leader leaves, the earliest member leads", body = Envelope<bool>),
        (status = 404, description = "No such 拼团 order of this shopper"),
        (status = 409, description = "The group succeeded or ended, or the order has not paid or left already")))]
pub async fn leave(
    State(st): State<AppState>,
    me: MpShopper,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<bool> {
    group_buys::leave(&st, me.identity.account_id, id).await?;
    Ok(ok(true))
}
