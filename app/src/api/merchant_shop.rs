//! Merchant console: the shop itself (decoration) and its staff.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::account::StaffRole;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopSettingsData {
    pub id: i64,
    pub name: String,
    pub status: crate::domain::merchant::MerchantStatus,
    pub status_reason: String,
    pub intro: String,
    pub logo: String,
    pub banners: Vec<String>,
    pub is_owner: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: StaffRole,
    pub created_at: i64,
}

#[server(prefix = "/api", endpoint = "merchant/shop")]
pub async fn shop_settings() -> Result<ShopSettingsData, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let shop = crate::services::merchants::shop_of(&c.st, &scope).await?;
        Ok(ShopSettingsData {
            id: shop.id,
            name: shop.name,
            status: shop.status,
            status_reason: shop.status_reason,
            intro: shop.intro,
            logo: shop.logo,
            banners: crate::services::storefront::keys(&shop.banners),
            is_owner: scope.role == StaffRole::Owner,
        })
    })
}

/// `banners` are image keys separated by spaces (the upload widget fills it).
#[server(prefix = "/api", endpoint = "merchant/shop/decorate")]
pub async fn save_decoration(intro: String, logo: String, banners: String) -> Result<(), AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let banners = crate::services::storefront::keys(&banners);
        crate::services::merchants::decorate(&c.st, &scope, &intro, logo.trim(), &banners, &c.ip)
            .await
    })
}

#[server(prefix = "/api", endpoint = "merchant/staff")]
pub async fn staff_list() -> Result<Vec<StaffView>, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        Ok(crate::services::merchants::list_staff(&c.st, &scope)
            .await?
            .into_iter()
            .map(|r| StaffView {
                id: r.id,
                role: StaffRole::parse(&r.role).unwrap_or(StaffRole::Staff),
                username: r.username,
                display_name: r.display_name,
                created_at: r.created_at,
            })
            .collect())
    })
}

#[server(prefix = "/api", endpoint = "merchant/staff/add")]
pub async fn add_staff(
    username: String,
    display_name: String,
    password: String,
) -> Result<i64, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::merchants::add_staff(
            &c.st,
            &scope,
            &username,
            &display_name,
            &password,
            &c.ip,
        )
        .await
    })
}

#[server(prefix = "/api", endpoint = "merchant/staff/remove")]
pub async fn remove_staff(staff_id: i64) -> Result<(), AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::merchants::remove_staff(&c.st, &scope, staff_id, &c.ip).await
    })
}
