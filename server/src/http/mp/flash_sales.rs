//! 秒杀 in the mini-program: the board of running and upcoming slots and a product's flash-sale
//! items (no sign-in). Buying is `/checkout/preview` and `/checkout/submit` with
//! `flash_sale_item_id` and the item's one line. Same services as the H5 pages.

use app::domain::flash_sale::FlashSaleBoard;
use app::error::AppError;
use app::services::flash_sales;
use app::state::AppState;
use axum::extract::State;
use axum::Json;

use super::extract::ApiPath;
use super::{ok, Envelope};

type ApiResult<T> = Result<Json<Envelope<T>>, AppError>;

#[utoipa::path(get, path = "/flash-sales", tag = "flash_sales",
    responses((status = 200, description = "The server's time (epoch ms, for countdowns) and the slots from now to the end of tomorrow (China time) with their approved items, running first; each item's price and normal price (fen), sold share (0–100) and limits", body = Envelope<FlashSaleBoard>)))]
pub async fn board(State(st): State<AppState>) -> ApiResult<FlashSaleBoard> {
    Ok(ok(flash_sales::board(&st).await?))
}

#[utoipa::path(get, path = "/products/{id}/flash-sales", tag = "flash_sales",
    params(("id" = i64, Path, description = "product id")),
    responses((status = 200, description = "The product's running or upcoming flash-sale items by slot, soonest first (no slots when none), with the server's time", body = Envelope<FlashSaleBoard>)))]
pub async fn of_product(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<FlashSaleBoard> {
    Ok(ok(flash_sales::of_product(&st, id).await?))
}
