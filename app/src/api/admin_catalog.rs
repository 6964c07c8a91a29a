//! Platform admin: the category tree.

use leptos::prelude::*;

use crate::domain::catalog::CategoryAdminRow;
use crate::error::AppError;

/// Every category, depth-first, for the admin's table.
#[server(prefix = "/api", endpoint = "admin/categories")]
pub async fn admin_categories() -> Result<Vec<CategoryAdminRow>, AppError> {
    use crate::domain::account::Realm;
    use crate::infra::{session, state::AppState};
    session::respond(async move {
        session::require(Realm::Admin).await?;
        let st = AppState::from_context()?;
        crate::services::categories::admin_rows(&st).await
    })
    .await
}

/// Creates (no `id`) or updates (`id`) a category. `enabled` is a checkbox: present means on.
#[server(prefix = "/api", endpoint = "admin/categories/save")]
pub async fn save_category(
    id: Option<i64>,
    parent_id: Option<i64>,
    name: String,
    icon: String,
    sort_order: i64,
    commission_percent: String,
    enabled: Option<String>,
) -> Result<i64, AppError> {
    use crate::domain::account::Realm;
    use crate::infra::{net, session, state::AppState};
    use crate::services::categories::{self, CategoryInput};
    session::respond(async move {
        let me = session::require(Realm::Admin).await?;
        let st = AppState::from_context()?;
        let ip = net::client_ip_of_call(&st).await;
        let input = CategoryInput {
            name: &name,
            icon: &icon,
            sort_order,
            commission_percent: &commission_percent,
            enabled: enabled.is_some(),
        };
        let saved = match id {
            Some(id) => categories::update(&st, &me, id, &input, &ip)
                .await
                .map(|_| id)?,
            None => categories::create(&st, &me, parent_id, &input, &ip).await?,
        };
        leptos_axum::redirect("/admin/categories");
        Ok(saved)
    })
    .await
}
