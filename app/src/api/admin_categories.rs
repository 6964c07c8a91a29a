//! Platform admin: the category tree.

use leptos::prelude::*;

use crate::domain::category::CategoryAdminRow;
use crate::error::AppError;

/// Every category, depth-first, for the admin's table.
#[server(prefix = "/api", endpoint = "admin/categories")]
pub async fn admin_categories() -> Result<Vec<CategoryAdminRow>, AppError> {
    session_respond!({
        let (c, _) = crate::api::admin_call().await?;
        crate::services::categories::admin_rows(&c.st).await
    })
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
    use crate::services::categories::{self, CategoryInput};
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        let (st, ip) = (&c.st, &c.ip);
        let input = CategoryInput {
            name: &name,
            icon: &icon,
            sort_order,
            commission_percent: &commission_percent,
            enabled: enabled.is_some(),
        };
        let saved = match id {
            Some(id) => categories::update(st, &admin, id, &input, ip)
                .await
                .map(|_| id)?,
            None => categories::create(st, &admin, parent_id, &input, ip).await?,
        };
        leptos_axum::redirect("/admin/categories");
        Ok(saved)
    })
}
