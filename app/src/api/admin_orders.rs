//! Platform console: every order (read-only) and the arbitration of refused after-sales
//! (super admins and operators).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::after_sale::AfterSaleView;
use crate::domain::order_view::{OrderDetail, OrderPage};
use crate::error::AppError;

#[cfg(feature = "ssr")]
async fn operator_call() -> Result<(crate::api::Call, crate::services::admins::AdminScope), AppError>
{
    let (c, admin) = crate::api::admin_call().await?;
    admin.require(crate::domain::permission::Permission::HandleOrders)?;
    Ok((c, admin))
}

#[server(prefix = "/api", endpoint = "admin/orders")]
pub async fn admin_orders(tab: Option<String>, page: Option<u32>) -> Result<OrderPage, AppError> {
    session_respond!({
        let (c, _) = operator_call().await?;
        let tab = crate::domain::order_view::OrderTab::parse(tab.as_deref().unwrap_or_default());
        crate::services::orders::list(
            &c.st,
            crate::domain::reader::Reader::Platform,
            tab,
            page.unwrap_or(1),
        )
        .await
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOrderData {
    pub order: OrderDetail,
    pub after_sales: Vec<AfterSaleView>,
}

#[server(prefix = "/api", endpoint = "admin/orders/detail")]
pub async fn admin_order(id: i64) -> Result<AdminOrderData, AppError> {
    session_respond!({
        let (c, _) = operator_call().await?;
        let scope = crate::domain::reader::Reader::Platform;
        Ok(AdminOrderData {
            order: crate::services::orders::detail(
                &c.st,
                crate::domain::reader::Reader::Platform,
                id,
            )
            .await?,
            after_sales: crate::services::after_sales::of_order(&c.st, scope, id).await?,
        })
    })
}

/// After-sales waiting for the platform (appealed refusals).
#[server(prefix = "/api", endpoint = "admin/after-sales")]
pub async fn admin_after_sales() -> Result<Vec<AfterSaleView>, AppError> {
    session_respond!({
        let (c, _) = operator_call().await?;
        crate::services::after_sales::list(
            &c.st,
            crate::domain::reader::Reader::Platform,
            &<crate::domain::after_sale::AfterSaleStatus as crate::domain::state_machine::StateMachine>::awaiting(
                crate::domain::state_machine::Actor::Platform,
            ),
            1,
        )
        .await
    })
}

/// 平台仲裁: `decision` is `refund` (for the shopper) or `close` (for the merchant).
#[server(prefix = "/api", endpoint = "admin/after-sales/arbitrate")]
pub async fn arbitrate_after_sale(id: i64, decision: String, note: String) -> Result<(), AppError> {
    session_respond!({
        let (c, admin) = operator_call().await?;
        let for_shopper = match decision.as_str() {
            "refund" => true,
            "close" => false,
            _ => return Err(AppError::bad_request("请选择处理结果")),
        };
        crate::services::after_sales::arbitrate(&c.st, &admin, id, for_shopper, &note, &c.ip)
            .await?;
        leptos_axum::redirect("/admin/after-sales");
        Ok(())
    })
}
