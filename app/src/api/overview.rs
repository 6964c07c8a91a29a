//! The first screens of the consoles and the H5 "我的" page.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::account::Identity;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopperHome {
    pub identity: Identity,
    pub phone_masked: Option<String>,
}

#[server(prefix = "/api", endpoint = "shopper/profile")]
pub async fn shopper_profile() -> Result<ShopperHome, AppError> {
    use crate::domain::account::Realm;
    use crate::infra::{session, state::AppState};
    session::respond(async move {
        let me = session::require(Realm::Shopper).await?;
        let st = AppState::from_context()?;
        let row = crate::repo::accounts::shopper_by_id(&st.db.pool, me.account_id)
            .await?
            .ok_or(AppError::Unauthorized)?;
        Ok(ShopperHome {
            identity: me,
            phone_masked: row.phone_masked,
        })
    })
    .await
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MerchantDashboard {
    pub identity: Identity,
    pub shop_name: String,
    pub shop_status: crate::domain::merchant::MerchantStatus,
    pub region: String,
}

#[server(prefix = "/api", endpoint = "merchant/overview")]
pub async fn merchant_overview() -> Result<MerchantDashboard, AppError> {
    use crate::domain::account::Realm;
    use crate::infra::{session, state::AppState};
    session::respond(async move {
        let me = session::require(Realm::Merchant).await?;
        let merchant_id = me.merchant_id.ok_or_else(AppError::forbidden)?;
        let st = AppState::from_context()?;
        let shop = crate::repo::merchants::by_id(&st.db.pool, merchant_id)
            .await?
            .ok_or_else(|| AppError::not_found("店铺不存在"))?;
        Ok(MerchantDashboard {
            identity: me,
            shop_name: shop.name,
            shop_status: shop.status,
            region: shop.region,
        })
    })
    .await
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminDashboard {
    pub identity: Identity,
    pub merchants: Vec<MerchantBrief>,
    pub category_count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MerchantBrief {
    pub id: i64,
    pub name: String,
    pub region: String,
    pub status: crate::domain::merchant::MerchantStatus,
}

#[server(prefix = "/api", endpoint = "admin/overview")]
pub async fn admin_overview() -> Result<AdminDashboard, AppError> {
    use crate::domain::account::Realm;
    use crate::infra::{session, state::AppState};
    session::respond(async move {
        let me = session::require(Realm::Admin).await?;
        let st = AppState::from_context()?;
        let merchants = crate::repo::merchants::list(&st.db.pool)
            .await?
            .into_iter()
            .map(|m| MerchantBrief {
                id: m.id,
                name: m.name,
                region: m.region,
                status: m.status,
            })
            .collect();
        let category_count = crate::repo::catalog::list_categories(&st.db.pool)
            .await?
            .len();
        Ok(AdminDashboard {
            identity: me,
            merchants,
            category_count,
        })
    })
    .await
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryNode {
    pub id: i64,
    pub name: String,
    pub icon: String,
    #[cfg_attr(feature = "ssr", schema(no_recursion))]
    pub children: Vec<CategoryNode>,
}

/// The enabled category tree for the shop front (public).
#[server(prefix = "/api", endpoint = "shop/categories")]
pub async fn category_tree() -> Result<Vec<CategoryNode>, AppError> {
    use crate::infra::{session, state::AppState};
    session::respond(async move {
        let st = AppState::from_context()?;
        let rows = crate::repo::catalog::list_categories(&st.db.pool).await?;
        Ok(crate::services::catalog::tree(&rows))
    })
    .await
}
