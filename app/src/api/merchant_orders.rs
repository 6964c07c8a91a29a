//! Merchant console: the shop's orders (tabs, detail, shipping one or many, packing list), its
//! after-sales, and its shipping templates and self-pickup. Every function runs in the caller's
//! `MerchantScope`: another shop's orders are "not found".

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::domain::after_sale::AfterSaleView;
use crate::domain::order_view::{OrderDetail, OrderPage};
use crate::domain::shipping::{ShippingSettingsData, TemplateForm};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "merchant/orders")]
pub async fn merchant_orders(
    tab: Option<String>,
    page: Option<u32>,
) -> Result<OrderPage, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let tab = crate::domain::order_view::OrderTab::parse(tab.as_deref().unwrap_or_default());
        crate::services::orders::list(
            &c.st,
            crate::domain::reader::Reader::Merchant(scope.merchant_id),
            tab,
            page.unwrap_or(1),
        )
        .await
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MerchantOrderData {
    pub order: OrderDetail,
    pub after_sales: Vec<AfterSaleView>,
}

#[server(prefix = "/api", endpoint = "merchant/orders/detail")]
pub async fn merchant_order(id: i64) -> Result<MerchantOrderData, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let order = crate::services::orders::detail(
            &c.st,
            crate::domain::reader::Reader::Merchant(scope.merchant_id),
            id,
        )
        .await?;
        let after_sales = crate::services::after_sales::of_order(
            &c.st,
            crate::domain::reader::Reader::Merchant(scope.merchant_id),
            id,
        )
        .await?;
        Ok(MerchantOrderData { order, after_sales })
    })
}

/// 发货: one order.
#[server(prefix = "/api", endpoint = "merchant/orders/ship")]
pub async fn ship_order(
    order_id: i64,
    carrier: Option<String>,
    tracking_no: Option<String>,
) -> Result<(), AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let s = crate::services::orders::Shipment {
            order_id,
            carrier: carrier.unwrap_or_default(),
            tracking_no: tracking_no.unwrap_or_default(),
        };
        crate::services::orders::ship(&c.st, &scope, &s, &c.ip).await?;
        leptos_axum::redirect(&format!("/merchant/orders/{order_id}"));
        Ok(())
    })
}

/// One row of 批量发货 (`rows[0][order_id]`, `rows[0][tracking_no]`, ...); rows without a
/// tracking number are skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipRow {
    pub order_id: i64,
    #[serde(default)]
    pub tracking_no: String,
}

/// 批量发货 with one carrier. Returns the orders that failed, with why.
#[server(prefix = "/api", endpoint = "merchant/orders/ship-batch")]
pub async fn ship_orders(
    carrier: String,
    rows: Option<Vec<ShipRow>>,
) -> Result<Vec<String>, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let shipments: Vec<crate::services::orders::Shipment> = rows
            .unwrap_or_default()
            .into_iter()
            .filter(|r| !r.tracking_no.trim().is_empty())
            .map(|r| crate::services::orders::Shipment {
                order_id: r.order_id,
                carrier: carrier.clone(),
                tracking_no: r.tracking_no,
            })
            .collect();
        crate::services::orders::ship_batch(&c.st, &scope, &shipments, &c.ip).await
    })
}

#[server(prefix = "/api", endpoint = "merchant/after-sales")]
pub async fn merchant_after_sales(open_only: Option<bool>) -> Result<Vec<AfterSaleView>, AppError> {
    session_respond!({
        use crate::domain::after_sale::AfterSaleStatus;
        let (c, scope) = crate::api::merchant_call().await?;
        use crate::domain::state_machine::{Actor, StateMachine};
        let statuses = if open_only.unwrap_or(false) {
            AfterSaleStatus::awaiting(Actor::Merchant)
        } else {
            Vec::new()
        };
        crate::services::after_sales::list(
            &c.st,
            crate::domain::reader::Reader::Merchant(scope.merchant_id),
            &statuses,
            1,
        )
        .await
    })
}

/// The merchant's decisions on an after-sale: `approve`, `reject` (with a reason) or
/// `confirm_returned` (returned goods arrived): the merchant's actions of the after-sale table.
#[server(prefix = "/api", endpoint = "merchant/after-sales/act")]
pub async fn decide_after_sale(
    id: i64,
    action: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    session_respond!({
        use crate::services::after_sales as svc;
        let (c, scope) = crate::api::merchant_call().await?;
        match action.as_str() {
            "approve" => svc::approve(&c.st, &scope, id, &c.ip).await?,
            "reject" => {
                svc::reject(
                    &c.st,
                    &scope,
                    id,
                    reason.as_deref().unwrap_or_default(),
                    &c.ip,
                )
                .await?
            }
            "confirm_returned" => svc::confirm_returned(&c.st, &scope, id, &c.ip).await?,
            _ => return Err(AppError::bad_request("不支持的操作")),
        }
        leptos_axum::redirect("/merchant/after-sales");
        Ok(())
    })
}

#[server(prefix = "/api", endpoint = "merchant/shipping")]
pub async fn shipping_settings() -> Result<ShippingSettingsData, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::shipping::settings(&c.st, &scope).await
    })
}

/// Saves a template as the console's form sends it (no `id`: a new one); fees in yuan.
/// Returns the template's id.
#[server(prefix = "/api", endpoint = "merchant/shipping/save", input = Json)]
pub async fn save_shipping_template(form: TemplateForm) -> Result<i64, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let template = form.parse()?;
        crate::services::shipping::save(&c.st, &scope, &template, form.make_default, &c.ip).await
    })
}

#[server(prefix = "/api", endpoint = "merchant/shipping/delete")]
pub async fn delete_shipping_template(id: i64) -> Result<(), AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::shipping::delete(&c.st, &scope, id, &c.ip).await?;
        leptos_axum::redirect("/merchant/shipping");
        Ok(())
    })
}

#[server(prefix = "/api", endpoint = "merchant/shipping/pickup")]
pub async fn save_pickup(address: String) -> Result<(), AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::shipping::set_pickup(&c.st, &scope, &address, &c.ip).await?;
        leptos_axum::redirect("/merchant/shipping");
        Ok(())
    })
}
