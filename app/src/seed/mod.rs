//! Data the mall is started with: the demo marketplace (`demo`, `demo_products`: admins, shops,
//! products, promotions (`demo_promotions`), shoppers and their orders and reviews
//! (`demo_reviews`), and months of marketplace life (`demo_history`), so every page, report and
//! chart shows something on first start) and the bench marketplace (`bench`: many shops and products for load runs). Seeding goes through the
//! same services and repositories as real use.

pub mod bench;
pub mod bench_orders;
pub mod demo;
pub mod demo_flash_sales;
pub mod demo_group_buys;
pub mod demo_history;
pub mod demo_presales;
pub mod demo_products;
pub mod demo_promotions;
pub mod demo_reviews;

/// The demo admin of `role` (the super admin where there is none), acting as that role: the
/// seeds' platform decisions go through the services as a real admin's would.
pub async fn admin_as(
    st: &crate::state::AppState,
    role: crate::domain::account::AdminRole,
) -> crate::error::AppResult<crate::services::admins::AdminScope> {
    let (admin_id, display_name): (i64, String) = sqlx::query_as(
        "SELECT id, display_name FROM admins WHERE role IN ($1, 'super') \
         ORDER BY role = $1 DESC, id LIMIT 1",
    )
    .bind(role.as_str())
    .fetch_one(&st.db.pool)
    .await?;
    Ok(crate::services::admins::AdminScope {
        admin_id,
        role,
        display_name,
    })
}
