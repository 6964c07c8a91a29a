//! Platform admin: shops (suspend / reopen) and every shop's products (takedown).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::merchant::{MerchantAction, MerchantStatus};
use crate::domain::product::ProductStatus;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminMerchantRow {
    pub id: i64,
    pub name: String,
    pub kind_label: String,
    pub region: String,
    pub status: MerchantStatus,
    pub status_reason: String,
    /// what the platform may do now (from the merchant state machine's table)
    pub actions: Vec<MerchantAction>,
    /// the shop's own commission rate in percent (`4.50`); None = its categories' rates
    pub commission_percent: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminProductRow {
    pub id: i64,
    pub title: String,
    pub image: String,
    pub shop_name: String,
    pub status: ProductStatus,
    pub status_reason: String,
    pub min_price: i64,
    pub max_price: i64,
    pub total_stock: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminProductList {
    pub items: Vec<AdminProductRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[server(prefix = "/api", endpoint = "admin/merchants")]
pub async fn admin_merchants() -> Result<Vec<AdminMerchantRow>, AppError> {
    use crate::domain::account::Realm;
    use crate::domain::catalog::CommissionRate;
    use crate::domain::merchant::MerchantKind;
    session_respond!({
        let c = crate::api::call(Realm::Admin).await?;
        Ok(crate::repo::merchants::list(&c.st.db.pool)
            .await?
            .into_iter()
            .map(|m| AdminMerchantRow {
                id: m.id,
                kind_label: MerchantKind::parse(&m.kind)
                    .map(|k| k.label().to_string())
                    .unwrap_or_default(),
                name: m.name,
                region: m.region,
                actions: crate::domain::state_machine::StateMachine::actions_for(
                    m.status,
                    crate::domain::state_machine::Actor::Platform,
                ),
                status: m.status,
                status_reason: m.status_reason,
                commission_percent: m
                    .commission_override_bps
                    .and_then(|b| CommissionRate::from_bps(b).ok())
                    .map(|r| r.percent_text()),
                created_at: m.created_at,
            })
            .collect())
    })
}

/// Suspends (`open` = "0", with a reason) or reopens (`open` = "1") a shop.
#[server(prefix = "/api", endpoint = "admin/merchants/status")]
pub async fn set_merchant_open(
    id: i64,
    open: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::account::Realm;
    session_respond!({
        let c = crate::api::call(Realm::Admin).await?;
        crate::services::merchants::set_open(
            &c.st,
            &c.me,
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
    use crate::domain::account::Realm;
    session_respond!({
        let c = crate::api::call(Realm::Admin).await?;
        crate::services::merchants::set_commission_override(
            &c.st,
            &c.me,
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
    use crate::domain::account::Realm;
    session_respond!({
        let c = crate::api::call(Realm::Admin).await?;
        let page = page.unwrap_or(1).max(1);
        let size = 20;
        let status = status
            .as_deref()
            .and_then(<ProductStatus as crate::domain::state_machine::StateMachine>::parse);
        let pool = &c.st.db.pool;
        let (rows, total) =
            crate::repo::products::list_all(pool, status, size, (page - 1) * size).await?;
        let shops = crate::repo::merchants::list(pool).await?;
        let items = rows
            .into_iter()
            .map(|r| AdminProductRow {
                id: r.id,
                shop_name: shops
                    .iter()
                    .find(|s| s.id == r.merchant_id)
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
                title: r.title,
                image: r.main_image,
                status: r.status,
                status_reason: r.status_reason,
                min_price: r.min_price,
                max_price: r.max_price,
                total_stock: r.total_stock,
            })
            .collect();
        Ok(AdminProductList {
            items,
            total,
            page,
            page_size: size,
        })
    })
}

/// Takes a product down (`down` = "1", with a reason) or lifts the takedown.
#[server(prefix = "/api", endpoint = "admin/products/takedown")]
pub async fn takedown_product(
    id: i64,
    down: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::account::Realm;
    session_respond!({
        let c = crate::api::call(Realm::Admin).await?;
        crate::services::products::platform_takedown(
            &c.st,
            &c.me,
            id,
            down == "1",
            reason.as_deref().unwrap_or_default(),
            &c.ip,
        )
        .await
    })
}
