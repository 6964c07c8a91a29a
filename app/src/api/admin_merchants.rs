//! Platform admin: shops (suspend / reopen) and every shop's products (takedown).

use leptos::prelude::*;

use crate::domain::merchant::AdminMerchantRow;
use crate::domain::product::AdminProductList;
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "admin/merchants")]
pub async fn admin_merchants() -> Result<Vec<AdminMerchantRow>, AppError> {
    session_respond!({
        let (c, _) = crate::api::admin_call().await?;
        crate::services::merchants::admin_rows(&c.st).await
    })
}

/// Suspends (`open` = "0", with a reason) or reopens (`open` = "1") a shop.
#[server(prefix = "/api", endpoint = "admin/merchants/status")]
pub async fn set_merchant_open(
    id: i64,
    open: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        crate::services::merchants::set_open(
            &c.st,
            &admin,
            id,
            open == "1",
            reason.as_deref().unwrap_or_default(),
            &c.ip,
        )
        .await?;
        leptos_axum::redirect("/admin/merchants");
        Ok(())
    })
}

/// Gives a shop its own commission rate (`percent`, e.g. `4.5`), or clears it (empty).
#[server(prefix = "/api", endpoint = "admin/merchants/commission")]
pub async fn set_merchant_commission(id: i64, percent: Option<String>) -> Result<(), AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        crate::services::merchants::set_commission_override(
            &c.st,
            &admin,
            id,
            percent.as_deref().unwrap_or_default(),
            &c.ip,
        )
        .await?;
        leptos_axum::redirect("/admin/merchants");
        Ok(())
    })
}

#[server(prefix = "/api", endpoint = "admin/products")]
pub async fn admin_products(
    status: Option<String>,
    page: Option<i64>,
) -> Result<AdminProductList, AppError> {
    session_respond!({
        let (c, _) = crate::api::admin_call().await?;
        let status = status
            .as_deref()
            .and_then(crate::domain::product::ProductStatus::parse);
        crate::services::products::admin_list(&c.st, status, page.unwrap_or(1)).await
    })
}

/// Takes a product down (`down` = "1", with a reason) or lifts the takedown.
#[server(prefix = "/api", endpoint = "admin/products/takedown")]
pub async fn takedown_product(
    id: i64,
    down: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        crate::services::products::platform_takedown(
            &c.st,
            &admin,
            id,
            down == "1",
            reason.as_deref().unwrap_or_default(),
            &c.ip,
        )
        .await
    })
}

/// 商品审核: approves a product waiting for review (`approve` = "1") or rejects it with a
/// reason the merchant sees.
#[server(prefix = "/api", endpoint = "admin/products/review")]
pub async fn review_product(
    id: i64,
    approve: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        crate::services::products::platform_review(
            &c.st,
            &admin,
            id,
            approve == "1",
            reason.as_deref().unwrap_or_default(),
            &c.ip,
        )
        .await
    })
}
