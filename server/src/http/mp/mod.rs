//! The WeChat mini-program API, `/api/mp/v1`: plain JSON over the same services as the Leptos UI.
//!
//! Every answer is the envelope `{code, msg, data}` (`code` 0 on success) with a real HTTP status.
//! Signed-in routes take `Authorization: Bearer <token>` from `POST /auth/wx-login`.

mod auth;
mod buying;
mod coupons;
mod extract;
mod flash_sales;
mod group_buys;
mod openapi;
mod presales;
mod reviews;
mod storefront;
mod subscriptions;
mod uploads;

use app::state::AppState;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Serialize;
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/wx-login", post(auth::wx_login))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route("/home", get(storefront::home))
        .route("/categories", get(storefront::categories))
        .route("/products", get(storefront::products))
        .route("/products/{id}", get(storefront::product))
        .route("/shops/{id}", get(storefront::shop))
        .route("/cart", get(buying::get_cart))
        .route("/cart/items", post(buying::add_to_cart))
        .route("/cart/items/{id}", put(buying::set_cart_qty))
        .route("/cart/select", post(buying::select_cart))
        .route("/cart/remove", post(buying::remove_from_cart))
        .route(
            "/addresses",
            get(buying::list_addresses).post(buying::add_address),
        )
        .route(
            "/addresses/{id}",
            put(buying::update_address).delete(buying::delete_address),
        )
        .route("/coupons", get(coupons::mine))
        .route("/coupons/claimable", get(coupons::claimable))
        .route("/coupons/claim", post(coupons::claim))
        .route(
            "/shops/{id}/full-reductions",
            get(coupons::shop_full_reductions),
        )
        .route("/products/{id}/reviews", get(reviews::of_product))
        .route("/flash-sales", get(flash_sales::board))
        .route("/products/{id}/flash-sales", get(flash_sales::of_product))
        .route("/group-buys", get(group_buys::selling))
        .route("/products/{id}/group-buy", get(group_buys::of_product))
        .route("/groups/{id}", get(group_buys::group))
        .route("/orders/{id}/leave-group", post(group_buys::leave))
        .route("/presales", get(presales::selling))
        .route("/products/{id}/presale", get(presales::of_product))
        .route("/orders/{id}/refund-late", post(presales::refund_late))
        .route("/orders/{id}/pay-balance", post(presales::pay_balance))
        .route("/shops/{id}/scores", get(reviews::shop_scores))
        .route("/reviews", get(reviews::mine))
        .route("/reviews/waiting", get(reviews::waiting))
        .route("/reviews/{id}/append", post(reviews::append))
        .route("/orders/{id}/reviews", post(reviews::submit))
        .route("/checkout/preview", post(buying::preview))
        .route("/checkout/submit", post(buying::submit))
        .route("/trades/{trade_no}/pay", post(buying::pay))
        .route(
            "/trades/{trade_no}/simulated-pay",
            post(buying::simulated_pay),
        )
        .route("/orders", get(buying::list_orders))
        .route("/orders/{id}", get(buying::get_order))
        .route("/orders/{id}/cancel", post(buying::cancel_order))
        .route("/orders/{id}/confirm", post(buying::confirm_order))
        .route("/after-sales", post(buying::request_after_sale))
        .route("/after-sales/{id}", get(buying::get_after_sale))
        .route("/after-sales/{id}/actions", post(buying::act_on_after_sale))
        // bounded already: `bodies::read_first` read at most 10 MB before any handler
        .route(
            "/uploads/image",
            post(uploads::image).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/subscriptions/templates", get(subscriptions::templates))
        .route("/subscriptions", post(subscriptions::accept))
        .route("/openapi.json", get(openapi::document))
        .fallback(|| async { app::error::AppError::not_found("接口不存在") })
}

/// Success envelope.
#[derive(Debug, Serialize, ToSchema)]
pub struct Envelope<T> {
    /// 0 on success; otherwise an error code (e.g. 40100 not signed in, 42201 invalid field).
    pub code: u32,
    pub msg: String,
    pub data: T,
}

pub fn ok<T: Serialize>(data: T) -> Json<Envelope<T>> {
    Json(Envelope {
        code: 0,
        msg: "ok".into(),
        data,
    })
}
