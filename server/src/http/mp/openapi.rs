//! The OpenAPI document of the mini-program API, served at `/api/mp/v1/openapi.json`.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "集市 Jishi mini-program API", version = "1"),
    servers((url = "/api/mp/v1")),
    paths(
        super::auth::wx_login,
        super::auth::logout,
        super::auth::me,
        super::catalog::home,
        super::catalog::categories,
        super::catalog::products,
        super::catalog::product,
        super::catalog::shop,
        super::buying::get_cart,
        super::buying::add_to_cart,
        super::buying::set_cart_qty,
        super::buying::select_cart,
        super::buying::remove_from_cart,
        super::buying::list_addresses,
        super::buying::add_address,
        super::buying::update_address,
        super::buying::delete_address,
        super::buying::preview,
        super::buying::submit,
        super::buying::pay,
        super::buying::list_orders,
        super::buying::get_order,
        super::buying::cancel_order,
        super::buying::confirm_order,
        super::buying::request_after_sale,
        super::buying::get_after_sale,
        super::buying::act_on_after_sale,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "WeChat sign-in and bearer tokens"),
        (name = "catalog", description = "Home, categories, product search and detail, shops (no sign-in)"),
        (name = "buying", description = "Cart, addresses, checkout, payment, orders and after-sales (bearer token)")
    )
)]
pub struct MpApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(MpApiDoc::openapi())
}
