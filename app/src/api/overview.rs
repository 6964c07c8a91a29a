//! The first screens of the consoles (their dashboards) and the H5 "我的" page.

use leptos::prelude::*;

use crate::domain::account::ShopperHome;
use crate::domain::category::CategoryNode;
use crate::domain::dashboard::Dashboard;
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "shopper/profile")]
pub async fn shopper_profile() -> Result<ShopperHome, AppError> {
    use crate::domain::account::Realm;
    session_respond!({
        let c = crate::api::call(Realm::Shopper).await?;
        crate::services::accounts::shopper_home(&c.st, c.me).await
    })
}

/// A shop's 概览 for its staff over the picked days (`days` 7/30/90, or `from`/`to`
/// `YYYY-MM-DD`, China time). Errors: 401/403 outside the merchant console, 422 on a bad period.
#[server(prefix = "/api", endpoint = "merchant/overview")]
pub async fn merchant_overview(
    days: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Dashboard, AppError> {
    use crate::domain::dashboard::DayRange;
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let text = |v: Option<String>| v.unwrap_or_default();
        let now = c.st.clock.now_ms();
        let range = DayRange::pick(&text(days), &text(from), &text(to), now)?;
        crate::services::dashboards::shop(&c.st, &scope, range).await
    })
}

/// The platform's 概览 over the picked days (as [`merchant_overview`]), for every admin.
#[server(prefix = "/api", endpoint = "admin/overview")]
pub async fn admin_overview(
    days: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Dashboard, AppError> {
    use crate::domain::dashboard::DayRange;
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        let text = |v: Option<String>| v.unwrap_or_default();
        let now = c.st.clock.now_ms();
        let range = DayRange::pick(&text(days), &text(from), &text(to), now)?;
        crate::services::dashboards::platform(&c.st, &admin, range).await
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
