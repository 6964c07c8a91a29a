//! Buying from the mini-program: cart, addresses, checkout, paying, orders and after-sales.
//! Every route needs the shopper's bearer token and calls the same services as the H5 pages.

use app::domain::address::{AddressInput, AddressView};
use app::domain::after_sale::{AfterSaleRequest, AfterSaleView};
use app::domain::cart::{CartView, CheckoutPreview, CheckoutRequest, TradeCreated};
use app::domain::order_view::{OrderDetail, OrderPage, OrderTab};
use app::domain::reader::Reader;
use app::error::AppError;
use app::infra::payments::PayAction;
use app::services::{addresses, after_sales, cart, checkout, group_buys, orders, payments};
use app::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::extract::{ApiJson, ApiPath, ApiQuery, MpShopper, UncheckedToken};
use super::{ok, Envelope};

type ApiResult<T> = Result<Json<Envelope<T>>, AppError>;

#[utoipa::path(get, path = "/cart", tag = "buying", security(("bearer" = [])),
    responses((status = 200, description = "The cart grouped by shop, with lines that cannot be bought set apart", body = Envelope<CartView>)))]
pub async fn get_cart(State(st): State<AppState>, me: MpShopper) -> ApiResult<CartView> {
    Ok(ok(cart::view(&st, me.identity.account_id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AddToCart {
    pub sku_id: i64,
    /// 1–999; added to a line already in the cart (which then holds at most 999)
    #[schema(minimum = 1, maximum = 999)]
    pub qty: i64,
}

#[utoipa::path(post, path = "/cart/items", tag = "buying", security(("bearer" = [])), request_body = AddToCart,
    responses((status = 200, description = "The line's quantity now", body = Envelope<i64>), (status = 409, description = "Sold out or off shelf")))]
pub async fn add_to_cart(
    State(st): State<AppState>,
    me: MpShopper,
    ApiJson(body): ApiJson<AddToCart>,
) -> ApiResult<i64> {
    Ok(ok(cart::add(
        &st,
        me.identity.account_id,
        body.sku_id,
        body.qty,
    )
    .await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SetQty {
    /// 1–999
    #[schema(minimum = 1, maximum = 999)]
    pub qty: i64,
}

#[utoipa::path(put, path = "/cart/items/{id}", tag = "buying", security(("bearer" = [])), request_body = SetQty,
    params(("id" = i64, Path, description = "cart line id")),
    responses((status = 200, description = "Changed", body = Envelope<bool>)))]
pub async fn set_cart_qty(
    State(st): State<AppState>,
    me: MpShopper,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<SetQty>,
) -> ApiResult<bool> {
    cart::set_qty(&st, me.identity.account_id, id, body.qty).await?;
    Ok(ok(true))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CartLines {
    /// cart line ids, at most 50 (a cart holds no more)
    #[schema(max_items = 50)]
    pub ids: Vec<i64>,
    /// for /cart/select: select (true) or deselect
    #[serde(default)]
    pub selected: bool,
}

#[utoipa::path(post, path = "/cart/select", tag = "buying", security(("bearer" = [])), request_body = CartLines,
    responses((status = 200, description = "Changed", body = Envelope<bool>)))]
pub async fn select_cart(
    State(st): State<AppState>,
    me: MpShopper,
    ApiJson(body): ApiJson<CartLines>,
) -> ApiResult<bool> {
    cart::select(&st, me.identity.account_id, &body.ids, body.selected).await?;
    Ok(ok(true))
}

#[utoipa::path(post, path = "/cart/remove", tag = "buying", security(("bearer" = [])), request_body = CartLines,
    responses((status = 200, description = "Removed", body = Envelope<bool>)))]
pub async fn remove_from_cart(
    State(st): State<AppState>,
    me: MpShopper,
    ApiJson(body): ApiJson<CartLines>,
) -> ApiResult<bool> {
    cart::remove(&st, me.identity.account_id, &body.ids).await?;
    Ok(ok(true))
}

#[utoipa::path(get, path = "/addresses", tag = "buying", security(("bearer" = [])),
    responses((status = 200, description = "The address book, default first", body = Envelope<Vec<AddressView>>)))]
pub async fn list_addresses(
    State(st): State<AppState>,
    me: MpShopper,
) -> ApiResult<Vec<AddressView>> {
    Ok(ok(addresses::list(&st, me.identity.account_id).await?))
}

#[utoipa::path(post, path = "/addresses", tag = "buying", security(("bearer" = [])), request_body = AddressInput,
    responses((status = 200, description = "The new address id", body = Envelope<i64>), (status = 422, description = "A field is wrong")))]
pub async fn add_address(
    State(st): State<AppState>,
    me: MpShopper,
    ApiJson(body): ApiJson<AddressInput>,
) -> ApiResult<i64> {
    Ok(ok(addresses::save(
        &st,
        me.identity.account_id,
        None,
        &body,
    )
    .await?))
}

#[utoipa::path(put, path = "/addresses/{id}", tag = "buying", security(("bearer" = [])), request_body = AddressInput,
    params(("id" = i64, Path, description = "address id")),
    responses((status = 200, description = "Saved", body = Envelope<i64>)))]
pub async fn update_address(
    State(st): State<AppState>,
    me: MpShopper,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AddressInput>,
) -> ApiResult<i64> {
    Ok(ok(addresses::save(
        &st,
        me.identity.account_id,
        Some(id),
        &body,
    )
    .await?))
}

#[utoipa::path(delete, path = "/addresses/{id}", tag = "buying", security(("bearer" = [])),
    params(("id" = i64, Path, description = "address id")),
    responses((status = 200, description = "Deleted", body = Envelope<bool>)))]
pub async fn delete_address(
    State(st): State<AppState>,
    me: MpShopper,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<bool> {
    addresses::delete(&st, me.identity.account_id, id).await?;
    Ok(ok(true))
}

#[utoipa::path(post, path = "/checkout/preview", tag = "buying", security(("bearer" = [])), request_body = CheckoutRequest,
    responses((status = 200, description = "Goods, shipping and total per shop and in all, priced on the server", body = Envelope<CheckoutPreview>)))]
pub async fn preview(
    State(st): State<AppState>,
    me: MpShopper,
    ApiJson(body): ApiJson<CheckoutRequest>,
) -> ApiResult<CheckoutPreview> {
    Ok(ok(
        checkout::preview(&st, me.identity.account_id, &body).await?
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SubmitCheckout {
    #[serde(flatten)]
    pub request: CheckoutRequest,
    /// one per checkout page (8–64 letters, digits, `-`, `_`): resending it returns the same trade
    #[schema(min_length = 8, max_length = 64, pattern = "^[A-Za-z0-9_-]{8,64}$")]
    pub idempotency_key: String,
}

#[utoipa::path(post, path = "/checkout/submit", tag = "buying", security(("bearer" = [])), request_body = SubmitCheckout,
    responses((status = 200, description = "One trade (one payment) with one order per shop", body = Envelope<TradeCreated>),
        (status = 409, description = "Sold out: nothing was created")))]
pub async fn submit(
    State(st): State<AppState>,
    token: UncheckedToken,
    ApiJson(body): ApiJson<SubmitCheckout>,
) -> ApiResult<TradeCreated> {
    // a 秒杀 rush's losers hear 已抢光 before their token is read: in a rush of thousands that
    // read was most of what a sold-out answer cost the database
    checkout::gone_before_reads(&st, &body.request, &body.idempotency_key)?;
    let me = token.shopper(&st).await?;
    let trade = checkout::submit(
        &st,
        me.identity.account_id,
        &body.request,
        &body.idempotency_key,
    )
    .await?;
    Ok(ok(trade))
}

#[utoipa::path(post, path = "/trades/{trade_no}/pay", tag = "buying", security(("bearer" = [])),
    params(("trade_no" = String, Path, description = "the trade to pay")),
    responses((status = 200, description = "What the client does to pay: `wx.requestPayment` parameters (WeChat Pay), or, with the built-in simulated provider, an in-app confirmation to post to `confirm`", body = Envelope<PayAction>)))]
pub async fn pay(
    State(st): State<AppState>,
    me: MpShopper,
    ApiPath(trade_no): ApiPath<String>,
) -> ApiResult<PayAction> {
    let shopper = me.identity.account_id;
    let prepared = payments::prepay(&st, shopper, &trade_no, st.payments.mini_program()).await?;
    Ok(ok(match prepared.action {
        // the simulated provider's pay page needs an H5 session, which a WeChat-only shopper
        // does not have: the mini-program confirms in its own sheet instead
        PayAction::Page { .. } => PayAction::SimulatedConfirm {
            confirm: format!("/api/mp/v1/trades/{trade_no}/simulated-pay"),
            amount: prepared.amount,
        },
        other => other,
    }))
}

#[utoipa::path(post, path = "/trades/{trade_no}/simulated-pay", tag = "buying", security(("bearer" = [])),
    params(("trade_no" = String, Path, description = "an unpaid trade of this shopper")),
    responses((status = 200, description = "Paid: the simulated provider's signed notification was accepted by the one payment handler; poll the orders for their new state", body = Envelope<bool>),
        (status = 404, description = "No such trade of this shopper, or the simulated provider is off (WeChat Pay only)")))]
pub async fn simulated_pay(
    State(st): State<AppState>,
    me: MpShopper,
    ApiPath(trade_no): ApiPath<String>,
) -> ApiResult<bool> {
    payments::pay_simulated(&st, me.identity.account_id, &trade_no).await?;
    Ok(ok(true))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrdersQuery {
    /// `all`, `unpaid`, `to_ship`, `shipped`, `to_review`, `after_sale`
    pub tab: Option<String>,
    /// 1-based page of 10
    pub page: Option<u32>,
}

#[utoipa::path(get, path = "/orders", tag = "buying", security(("bearer" = [])), params(OrdersQuery),
    responses((status = 200, description = "A page of the shopper's orders", body = Envelope<OrderPage>)))]
pub async fn list_orders(
    State(st): State<AppState>,
    me: MpShopper,
    ApiQuery(q): ApiQuery<OrdersQuery>,
) -> ApiResult<OrderPage> {
    let tab = OrderTab::parse(q.tab.as_deref().unwrap_or_default());
    let scope = Reader::Shopper(me.identity.account_id);
    Ok(ok(orders::list(&st, scope, tab, q.page.unwrap_or(1)).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderWithAfterSales {
    pub order: OrderDetail,
    pub after_sales: Vec<AfterSaleView>,
    /// the 拼团 group the order holds a seat in (`GET /groups/{id}`), for a group order
    pub group_id: Option<i64>,
}

#[utoipa::path(get, path = "/orders/{id}", tag = "buying", security(("bearer" = [])),
    params(("id" = i64, Path, description = "order id")),
    responses((status = 200, description = "The order with its timeline and after-sales, and its 拼团 group when it is a group order", body = Envelope<OrderWithAfterSales>),
        (status = 404, description = "No such order of this shopper")))]
pub async fn get_order(
    State(st): State<AppState>,
    me: MpShopper,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<OrderWithAfterSales> {
    let shopper = me.identity.account_id;
    let order = orders::detail(&st, Reader::Shopper(shopper), id).await?;
    let after_sales = after_sales::of_order(&st, Reader::Shopper(shopper), id).await?;
    let group_id = group_buys::group_of_order(&st, Reader::Shopper(shopper), id).await?;
    Ok(ok(OrderWithAfterSales {
        order,
        after_sales,
        group_id,
    }))
}

#[utoipa::path(post, path = "/orders/{id}/cancel", tag = "buying", security(("bearer" = [])),
    params(("id" = i64, Path, description = "an unpaid order: its whole trade is cancelled")),
    responses((status = 200, description = "Cancelled; the stock returned", body = Envelope<bool>)))]
pub async fn cancel_order(
    State(st): State<AppState>,
    me: MpShopper,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<bool> {
    orders::cancel_unpaid(&st, me.identity.account_id, id).await?;
    Ok(ok(true))
}

#[utoipa::path(post, path = "/orders/{id}/confirm", tag = "buying", security(("bearer" = [])),
    params(("id" = i64, Path, description = "a shipped order")),
    responses((status = 200, description = "Receipt confirmed", body = Envelope<bool>)))]
pub async fn confirm_order(
    State(st): State<AppState>,
    me: MpShopper,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<bool> {
    orders::confirm_receipt(&st, me.identity.account_id, id).await?;
    Ok(ok(true))
}

#[utoipa::path(post, path = "/after-sales", tag = "buying", security(("bearer" = [])), request_body = AfterSaleRequest,
    responses((status = 200, description = "The new after-sale id", body = Envelope<i64>)))]
pub async fn request_after_sale(
    State(st): State<AppState>,
    me: MpShopper,
    ApiJson(body): ApiJson<AfterSaleRequest>,
) -> ApiResult<i64> {
    Ok(ok(
        after_sales::request(&st, me.identity.account_id, &body).await?
    ))
}

#[utoipa::path(get, path = "/after-sales/{id}", tag = "buying", security(("bearer" = [])),
    params(("id" = i64, Path, description = "after-sale id")),
    responses((status = 200, description = "The after-sale", body = Envelope<AfterSaleView>)))]
pub async fn get_after_sale(
    State(st): State<AppState>,
    me: MpShopper,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<AfterSaleView> {
    let scope = Reader::Shopper(me.identity.account_id);
    Ok(ok(after_sales::view(&st, scope, id).await?))
}

/// What a shopper can do to an after-sale.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AfterSaleActionKind {
    /// take the request back
    Withdraw,
    /// ask the platform after the shop refused
    Appeal,
    /// the goods are sent back (with `carrier` and `tracking_no`)
    Return,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AfterSaleActionRequest {
    pub action: AfterSaleActionKind,
    #[serde(default)]
    pub carrier: String,
    #[serde(default)]
    pub tracking_no: String,
}

#[utoipa::path(post, path = "/after-sales/{id}/actions", tag = "buying", security(("bearer" = [])), request_body = AfterSaleActionRequest,
    params(("id" = i64, Path, description = "after-sale id")),
    responses((status = 200, description = "Done", body = Envelope<bool>)))]
pub async fn act_on_after_sale(
    State(st): State<AppState>,
    me: MpShopper,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AfterSaleActionRequest>,
) -> ApiResult<bool> {
    let shopper = me.identity.account_id;
    match body.action {
        AfterSaleActionKind::Withdraw => after_sales::withdraw(&st, shopper, id).await?,
        AfterSaleActionKind::Appeal => after_sales::appeal(&st, shopper, id).await?,
        AfterSaleActionKind::Return => {
            after_sales::return_sent(&st, shopper, id, &body.carrier, &body.tracking_no).await?
        }
    }
    Ok(ok(true))
}
