//! Platform admin: shoppers, merchant staff accounts and admin accounts (`services::people`).

use leptos::prelude::*;

use crate::domain::people::{AdminAccountRow, RevealedPhone, ShopperList, StaffAccountRow};
use crate::error::AppError;

/// One page of shoppers: `q` a whole phone number, its last four digits, `#id` or part of a
/// nickname; `status` "" / `active` / `disabled`.
#[server(prefix = "/api", endpoint = "admin/shoppers")]
pub async fn admin_shoppers(
    q: Option<String>,
    status: Option<String>,
    page: Option<i64>,
) -> Result<ShopperList, AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        crate::services::people::shoppers(
            &c.st,
            &admin,
            q.as_deref().unwrap_or_default(),
            status.as_deref().unwrap_or_default(),
            page.unwrap_or(1),
        )
        .await
    })
}

/// A shopper's whole phone number; the reason is audited.
#[server(prefix = "/api", endpoint = "admin/shoppers/phone")]
pub async fn reveal_shopper_phone(id: i64, reason: String) -> Result<RevealedPhone, AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        let phone =
            crate::services::people::reveal_phone(&c.st, &admin, id, &reason, &c.ip).await?;
        Ok(RevealedPhone {
            shopper_id: id,
            phone,
        })
    })
}

/// Disables (`enable` = "0", with a reason) or re-enables (`enable` = "1") a shopper.
#[server(prefix = "/api", endpoint = "admin/shoppers/status")]
pub async fn set_shopper_status(
    id: i64,
    enable: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        crate::services::people::set_shopper_status(
            &c.st,
            &admin,
            id,
            enable == "1",
            reason.as_deref().unwrap_or_default(),
            &c.ip,
        )
        .await
    })
}

#[server(prefix = "/api", endpoint = "admin/staff-accounts")]
pub async fn admin_staff_accounts(q: Option<String>) -> Result<Vec<StaffAccountRow>, AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        crate::services::people::staff_accounts(&c.st, &admin, q.as_deref().unwrap_or_default())
            .await
    })
}

/// Disables (`enable` = "0", with a reason) or re-enables a merchant staff account.
#[server(prefix = "/api", endpoint = "admin/staff-accounts/status")]
pub async fn set_staff_account_status(
    id: i64,
    enable: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        crate::services::people::set_staff_status(
            &c.st,
            &admin,
            id,
            enable == "1",
            reason.as_deref().unwrap_or_default(),
            &c.ip,
        )
        .await
    })
}

#[server(prefix = "/api", endpoint = "admin/admins")]
pub async fn admin_accounts() -> Result<Vec<AdminAccountRow>, AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        crate::services::people::admins(&c.st, &admin).await
    })
}

#[server(prefix = "/api", endpoint = "admin/admins/create")]
pub async fn create_admin_account(
    username: String,
    display_name: String,
    role: String,
    password: String,
) -> Result<i64, AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        crate::services::people::create_admin(
            &c.st,
            &admin,
            &username,
            &display_name,
            &role,
            &password,
            &c.ip,
        )
        .await
    })
}

#[server(prefix = "/api", endpoint = "admin/admins/role")]
pub async fn set_admin_account_role(id: i64, role: String) -> Result<(), AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        crate::services::people::set_admin_role(&c.st, &admin, id, &role, &c.ip).await
    })
}

/// Disables (`enable` = "0", with a reason) or re-enables another admin.
#[server(prefix = "/api", endpoint = "admin/admins/status")]
pub async fn set_admin_account_status(
    id: i64,
    enable: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        crate::services::people::set_admin_status(
            &c.st,
            &admin,
            id,
            enable == "1",
            reason.as_deref().unwrap_or_default(),
            &c.ip,
        )
        .await
    })
}
