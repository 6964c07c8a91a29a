//! Platform admin: the category tree.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryAdminRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub level: i64,
    pub sort_order: i64,
    pub icon: String,
    /// e.g. `5.50` (percent)
    pub commission_percent: String,
    pub enabled: bool,
}

/// Every category, depth-first, for the admin's table.
#[server(prefix = "/api", endpoint = "admin/categories")]
pub async fn admin_categories() -> Result<Vec<CategoryAdminRow>, AppError> {
    use crate::domain::account::Realm;
    use crate::domain::catalog::CommissionRate;
    use crate::infra::{session, state::AppState};
    session::respond(async move {
        session::require(Realm::Admin).await?;
        let st = AppState::from_context()?;
        let rows = crate::repo::catalog::list_categories(&st.db.pool).await?;
        crate::services::catalog::depth_first(&rows)
            .into_iter()
            .map(|r| {
                Ok(CategoryAdminRow {
                    id: r.id,
                    parent_id: r.parent_id,
                    name: r.name.clone(),
                    level: r.level,
                    sort_order: r.sort_order,
                    icon: r.icon.clone(),
                    commission_percent: CommissionRate::from_bps(r.commission_rate_bps)?
                        .percent_text(),
                    enabled: r.enabled != 0,
                })
            })
            .collect()
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
