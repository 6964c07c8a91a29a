//! The shopper's cart and address book (signed-in shoppers only).

use leptos::prelude::*;

use crate::domain::address::AddressView;
use crate::domain::cart::CartView;
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "cart")]
pub async fn fetch_cart() -> Result<CartView, AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        crate::services::cart::view(&c.st, c.me.account_id).await
    })
}

/// 加入购物车 from the product page (the form posts the chosen SKU).
#[server(prefix = "/api", endpoint = "cart/add")]
pub async fn add_to_cart(sku_id: i64, qty: Option<i64>) -> Result<i64, AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        let n =
            crate::services::cart::add(&c.st, c.me.account_id, sku_id, qty.unwrap_or(1)).await?;
        leptos_axum::redirect("/cart");
        Ok(n)
    })
}

#[server(prefix = "/api", endpoint = "cart/qty")]
pub async fn set_cart_qty(id: i64, qty: i64) -> Result<(), AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        crate::services::cart::set_qty(&c.st, c.me.account_id, id, qty).await?;
        leptos_axum::redirect("/cart");
        Ok(())
    })
}

/// Selects or deselects lines: `ids` is a comma-separated list (one line, or a whole shop).
#[server(prefix = "/api", endpoint = "cart/select")]
pub async fn select_cart_lines(ids: String, selected: bool) -> Result<(), AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        let ids = crate::api::id_list(&ids)?;
        crate::services::cart::select(&c.st, c.me.account_id, &ids, selected).await?;
        leptos_axum::redirect("/cart");
        Ok(())
    })
}

/// Removes lines: `ids` is a comma-separated list.
#[server(prefix = "/api", endpoint = "cart/remove")]
pub async fn remove_cart_lines(ids: String) -> Result<(), AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        let ids = crate::api::id_list(&ids)?;
        crate::services::cart::remove(&c.st, c.me.account_id, &ids).await?;
        leptos_axum::redirect("/cart");
        Ok(())
    })
}

#[server(prefix = "/api", endpoint = "addresses")]
pub async fn fetch_addresses() -> Result<Vec<AddressView>, AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        crate::services::addresses::list(&c.st, c.me.account_id).await
    })
}

/// Adds (`id` empty) or changes an address, then goes back to `back` (the checkout, or the
/// address book).
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "addresses/save")]
pub async fn save_address(
    id: Option<i64>,
    receiver: String,
    phone: String,
    province: String,
    city: String,
    district: String,
    detail: String,
    is_default: Option<String>,
    back: Option<String>,
) -> Result<i64, AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        let input = crate::domain::address::AddressInput {
            receiver,
            phone,
            province,
            city,
            district,
            detail,
            is_default: is_default.is_some(),
        };
        let id = crate::services::addresses::save(&c.st, c.me.account_id, id, &input).await?;
        // back to the checkout with this address chosen, or to the address book
        let to = match crate::api::local_path(back.as_deref(), "") {
            b if b.is_empty() => "/addresses".to_string(),
            b => crate::api::with_param(&b, "address", &id.to_string()),
        };
        leptos_axum::redirect(&to);
        Ok(id)
    })
}

#[server(prefix = "/api", endpoint = "addresses/delete")]
pub async fn delete_address(id: i64) -> Result<(), AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        crate::services::addresses::delete(&c.st, c.me.account_id, id).await?;
        leptos_axum::redirect("/addresses");
        Ok(())
    })
}
