//! The first screens of the consoles and the H5 "我的" page.

use leptos::prelude::*;

use crate::domain::account::ShopperHome;
use crate::domain::category::CategoryNode;
use crate::domain::merchant::{AdminDashboard, MerchantDashboard};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "shopper/profile")]
pub async fn shopper_profile() -> Result<ShopperHome, AppError> {
    use crate::domain::account::Realm;
    session_respond!({
        let c = crate::api::call(Realm::Shopper).await?;
        crate::services::accounts::shopper_home(&c.st, c.me).await
    })
}

#[server(prefix = "/api", endpoint = "merchant/overview")]
pub async fn merchant_overview() -> Result<MerchantDashboard, AppError> {
    use crate::domain::account::Realm;
    session_respond!({
        let c = crate::api::call(Realm::Merchant).await?;
        crate::services::merchants::dashboard(&c.st, c.me).await
    })
}

#[server(prefix = "/api", endpoint = "admin/overview")]
pub async fn admin_overview() -> Result<AdminDashboard, AppError> {
    session_respond!({
        let (c, _) = crate::api::admin_call().await?;
        crate::services::merchants::admin_dashboard(&c.st, c.me).await
    })
}

/// The live category tree for the shop front (public).
#[server(prefix = "/api", endpoint = "shop/categories")]
pub async fn category_tree() -> Result<Vec<CategoryNode>, AppError> {
    use crate::infra::session;
    use crate::state::AppState;
    session::respond(async move {
        let st = AppState::from_context()?;
        crate::services::categories::tree(&st).await
    })
    .await
}
