//! 秒杀 in the three UIs: the shoppers' board (open to visitors), the platform's events and
//! its review of applications (需 管理平台营销), a shop's applying and withdrawing. Buying is
//! `api::orders` (`items=f<item>:<sku>x<qty>`).

use leptos::prelude::*;

use crate::domain::flash_sale::{EventForm, EventPage, EventView, FlashSaleBoard, ItemForm};
use crate::error::AppError;

/// The board: slots from now to the end of tomorrow with their items, running first.
#[server(prefix = "/api", endpoint = "flash-sales")]
pub async fn fetch_flash_sale_board() -> Result<FlashSaleBoard, AppError> {
    session_respond!({
        let st = crate::state::AppState::from_context()?;
        crate::services::flash_sales::board(&st).await
    })
}

/// A product's running or next flash-sale items (its page).
#[server(prefix = "/api", endpoint = "flash-sales/of-product")]
pub async fn product_flash_sales(product_id: i64) -> Result<FlashSaleBoard, AppError> {
    session_respond!({
        let st = crate::state::AppState::from_context()?;
        crate::services::flash_sales::of_product(&st, product_id).await
    })
}

/// Every event, the latest first, for the platform.
#[server(prefix = "/api", endpoint = "admin/flash-sales")]
pub async fn admin_flash_sales() -> Result<Vec<EventView>, AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        admin.require(crate::domain::permission::Permission::ManageMarketing)?;
        crate::services::flash_sales::events(&c.st, None).await
    })
}

/// Every event, the latest first, for a shop to apply to.
#[server(prefix = "/api", endpoint = "merchant/flash-sales")]
pub async fn merchant_flash_sales() -> Result<Vec<EventView>, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::flash_sales::events(&c.st, Some(scope.merchant_id)).await
    })
}

/// A new event from the platform's form (fields `form[...]`); to its page.
#[server(prefix = "/api", endpoint = "admin/flash-sales/create")]
pub async fn create_flash_sale(form: EventForm) -> Result<i64, AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        let id = crate::services::flash_sales::create_event(&c.st, &admin, &form, &c.ip).await?;
        leptos_axum::redirect(&format!("/admin/flash-sales/{id}"));
        Ok(id)
    })
}

/// 结束活动: none of its items sells any more.
#[server(prefix = "/api", endpoint = "admin/flash-sales/end")]
pub async fn end_flash_sale(id: i64) -> Result<(), AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        crate::services::flash_sales::end_event(&c.st, &admin, id, &c.ip).await?;
        leptos_axum::redirect(&format!("/admin/flash-sales/{id}"));
        Ok(())
    })
}

/// One event with every application, for the platform.
#[server(prefix = "/api", endpoint = "admin/flash-sales/event")]
pub async fn admin_flash_sale(id: i64) -> Result<EventPage, AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        crate::services::flash_sales::platform_page(&c.st, &admin, id).await
    })
}

/// 审核通过 (`approve`) or 驳回 (`reject`, with a reason) an application.
#[server(prefix = "/api", endpoint = "admin/flash-sales/review")]
pub async fn review_flash_sale_item(
    event_id: i64,
    id: i64,
    action: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::flash_sale::ItemAction;
    use crate::services::flash_sales::{decide, Decider};
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        let action = ItemAction::parse(&action)
            .filter(|a| *a != ItemAction::Withdraw)
            .ok_or_else(|| AppError::invalid("action", "没有这种操作"))?;
        let reason = reason.unwrap_or_default();
        decide(&c.st, Decider::Platform(&admin), id, action, &reason, &c.ip).await?;
        leptos_axum::redirect(&format!("/admin/flash-sales/{event_id}"));
        Ok(())
    })
}

/// One event with the shop's applications and its SKUs on sale.
#[server(prefix = "/api", endpoint = "merchant/flash-sales/event")]
pub async fn merchant_flash_sale(id: i64) -> Result<EventPage, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::flash_sales::shop_page(&c.st, &scope, id).await
    })
}

/// 报名: one SKU to one slot (fields `form[...]`); back to the event's page.
#[server(prefix = "/api", endpoint = "merchant/flash-sales/apply")]
pub async fn apply_flash_sale(form: ItemForm) -> Result<i64, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let id = crate::services::flash_sales::apply(&c.st, &scope, &form, &c.ip).await?;
        leptos_axum::redirect(&format!(
            "/merchant/marketing/flash-sales/{}",
            form.event_id
        ));
        Ok(id)
    })
}

/// 撤回 a pending application of the shop.
#[server(prefix = "/api", endpoint = "merchant/flash-sales/withdraw")]
pub async fn withdraw_flash_sale_item(event_id: i64, id: i64) -> Result<(), AppError> {
    use crate::domain::flash_sale::ItemAction;
    use crate::services::flash_sales::{decide, Decider};
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        decide(
            &c.st,
            Decider::Shop(&scope),
            id,
            ItemAction::Withdraw,
            "",
            &c.ip,
        )
        .await?;
        leptos_axum::redirect(&format!("/merchant/marketing/flash-sales/{event_id}"));
        Ok(())
    })
}
