//! 预售 in the mini-program: the presales selling now and a product's presale (no sign-in),
//! starting to pay a deposit order's balance, and the refund of an order whose ship promise is
//! broken. Buying is `/checkout/preview` and
//! `/checkout/submit` with `presale_id` and the one line. Same services as the H5 pages.

use app::domain::presale::PresaleView;
use app::error::AppError;
use app::services::{after_sales, presale_balances, presales};
use app::state::AppState;
use axum::extract::State;
use axum::Json;

use super::extract::{ApiPath, MpShopper};
use super::{ok, Envelope};

type ApiResult<T> = Result<Json<Envelope<T>>, AppError>;

#[utoipa::path(get, path = "/presales", tag = "presales",
    responses((status = 200, description = "Presales selling now, every shop's, ending soonest first: the sale window (epoch ms), the ship promise (`ship`: a fixed day as `before`, epoch ms, or `days` after payment; `ship_text` as the shop words it), limits, the lowest presale and normal price (fen), each SKU's presale price, normal price, activity stock and units sold", body = Envelope<Vec<PresaleView>>)))]
pub async fn selling(State(st): State<AppState>) -> ApiResult<Vec<PresaleView>> {
    Ok(ok(presales::selling(&st).await?))
}

#[utoipa::path(get, path = "/products/{id}/presale", tag = "presales",
    params(("id" = i64, Path, description = "product id")),
    responses((status = 200, description = "The product's presale selling now; `data` is null when the product is in none", body = Envelope<Option<PresaleView>>)))]
pub async fn of_product(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Option<PresaleView>> {
    Ok(ok(presales::of_product(&st, id).await?))
}

#[utoipa::path(post, path = "/orders/{id}/refund-late", tag = "presales", security(("bearer" = [])),
    params(("id" = i64, Path, description = "the shopper's paid order past its ship promise (`ship_promise.late`)")),
    responses((status = 200, description = "Everything not yet claimed is refunded at once, without a reason or the shop's consent; `data` is the after-sale id (the refund follows WeChat Pay's notification)", body = Envelope<i64>),
        (status = 404, description = "No such order of this shopper"),
        (status = 409, description = "The promise is not broken (not due yet, shipped, closed, or the order has none), or nothing is left to refund")))]
pub async fn refund_late(
    State(st): State<AppState>,
    me: MpShopper,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<i64> {
    Ok(ok(after_sales::refund_late(
        &st,
        me.identity.account_id,
        id,
    )
    .await?))
}

/// The balance's trade to pay.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct BalanceTrade {
    /// pay it with `/trades/{trade_no}/pay` like any trade
    pub trade_no: String,
}

#[utoipa::path(post, path = "/orders/{id}/pay-balance", tag = "presales", security(("bearer" = [])),
    params(("id" = i64, Path, description = "the shopper's 预售 deposit order in 待付尾款 (`balance.payable_now`)")),
    responses((status = 200, description = "The trade that pays the order's balance (made once, open until the balance window closes; `balance.balance` fen). A payment after the window closed is refunded in full", body = Envelope<BalanceTrade>),
        (status = 404, description = "No such order of this shopper, or it has no balance"),
        (status = 409, description = "The balance is not due (paid, or missed), or its window is not open: the message says when it opens")))]
pub async fn pay_balance(
    State(st): State<AppState>,
    me: MpShopper,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<BalanceTrade> {
    let trade_no = presale_balances::start_paying(&st, me.identity.account_id, id).await?;
    Ok(ok(BalanceTrade { trade_no }))
}
