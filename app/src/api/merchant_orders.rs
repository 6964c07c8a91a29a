//! Merchant console: the shop's orders (tabs, detail, shipping one or many, packing list), its
//! after-sales, and its shipping templates and self-pickup. Every function runs in the caller's
//! `MerchantScope`: another shop's orders are "not found".

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::after_sale::AfterSaleView;
use crate::domain::order_view::{OrderDetail, OrderPage};
use crate::domain::shipping::ShippingTemplate;
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
            crate::repo::orders::OrderScope::Merchant(scope.merchant_id),
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
            crate::repo::orders::OrderScope::Merchant(scope.merchant_id),
            id,
        )
        .await?;
        let after_sales = crate::services::after_sales::of_order(
            &c.st,
            crate::repo::after_sales::AfterSaleScope::Merchant(scope.merchant_id),
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
        let statuses: &[AfterSaleStatus] = if open_only.unwrap_or(false) {
            &[AfterSaleStatus::Pending, AfterSaleStatus::Returned]
        } else {
            &[]
        };
        crate::services::after_sales::list(
            &c.st,
            crate::repo::after_sales::AfterSaleScope::Merchant(scope.merchant_id),
            statuses,
            1,
        )
        .await
    })
}

/// The merchant's decisions on an after-sale: `approve`, `reject` (with a reason) or
/// `received` (returned goods arrived).
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
            "received" => svc::confirm_returned(&c.st, &scope, id, &c.ip).await?,
            _ => return Err(AppError::bad_request("不支持的操作")),
        }
        leptos_axum::redirect("/merchant/after-sales");
        Ok(())
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingSettingsData {
    pub templates: Vec<ShippingTemplate>,
    /// the id of the default template (0 when there is none: the shop ships free)
    pub default_id: i64,
    pub pickup_address: String,
}

#[server(prefix = "/api", endpoint = "merchant/shipping")]
pub async fn shipping_settings() -> Result<ShippingSettingsData, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let rows = crate::repo::shipping::of_merchant(&c.st.db.pool, scope.merchant_id).await?;
        Ok(ShippingSettingsData {
            default_id: rows.iter().find(|r| r.is_default != 0).map_or(0, |r| r.id),
            templates: crate::services::shipping::list(&c.st, &scope).await?,
            pickup_address: crate::repo::shipping::pickup_address(&c.st.db.pool, scope.merchant_id)
                .await?,
        })
    })
}

/// Saves a template as the form sends it (no `id`: a new one): fees in yuan, one rule for
/// everywhere and optionally one for the provinces ticked in `far` (`far[0]`, ...).
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "merchant/shipping/save")]
pub async fn save_shipping_template(
    id: Option<i64>,
    name: String,
    charge_by: String,
    free_over: Option<String>,
    first: i64,
    first_fee: String,
    extra: i64,
    extra_fee: String,
    far: Option<Vec<String>>,
    far_first_fee: Option<String>,
    far_extra_fee: Option<String>,
    make_default: Option<String>,
) -> Result<i64, AppError> {
    session_respond!({
        use crate::domain::money::parse_yuan;
        use crate::domain::shipping::{ChargeBy, ShippingRule};
        let (c, scope) = crate::api::merchant_call().await?;
        let charge_by = ChargeBy::parse(&charge_by)
            .ok_or_else(|| AppError::invalid("charge_by", "请选择计费方式"))?;
        let fee =
            |field: &str, v: &str| parse_yuan(field, if v.trim().is_empty() { "0" } else { v });
        let mut rules = vec![ShippingRule {
            regions: vec![],
            first,
            first_fee: fee("first_fee", &first_fee)?,
            extra,
            extra_fee: fee("extra_fee", &extra_fee)?,
        }];
        let far = far.unwrap_or_default();
        if !far.is_empty() {
            rules.insert(
                0,
                ShippingRule {
                    regions: far,
                    first,
                    first_fee: fee(
                        "far_first_fee",
                        far_first_fee.as_deref().unwrap_or_default(),
                    )?,
                    extra,
                    extra_fee: fee(
                        "far_extra_fee",
                        far_extra_fee.as_deref().unwrap_or_default(),
                    )?,
                },
            );
        }
        let template = ShippingTemplate {
            id: id.unwrap_or(crate::services::shipping::FREE_TEMPLATE_ID),
            name,
            charge_by,
            rules,
            free_over: fee("free_over", free_over.as_deref().unwrap_or_default())?,
        };
        let id = crate::services::shipping::save(
            &c.st,
            &scope,
            &template,
            make_default.is_some(),
            &c.ip,
        )
        .await?;
        leptos_axum::redirect("/merchant/shipping");
        Ok(id)
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
