//! 拼团 in the three UIs: the shoppers' 拼团 page, a product's activity and a group's share
//! page (open to visitors), leaving a group; a shop's activities (create, end, groups); the
//! platform's view of every shop's activities and groups and its force-end (需 管理平台营销).
//! Buying is `api::orders` (`items=g<activity>:<sku>x<qty>`, `g<activity>.<group>:…` to join).

use leptos::prelude::*;

// `ProductGroupBuy` is named in full below: the server fn `product_group_buy` defines a
// struct of that name here
use crate::domain::group_buy::{
    ActivityForm, ActivityFormData, ActivityPage, ActivityView, GroupPage,
};
use crate::error::AppError;

/// Activities selling now, every shop's (the H5 拼团 page).
#[server(prefix = "/api", endpoint = "group-buys")]
pub async fn fetch_group_buys() -> Result<Vec<ActivityView>, AppError> {
    session_respond!({
        let st = crate::state::AppState::from_context()?;
        crate::services::group_buys::selling(&st).await
    })
}

/// A product's activity selling now and the groups the viewer may join (its page).
#[server(prefix = "/api", endpoint = "group-buys/of-product")]
pub async fn product_group_buy(
    product_id: i64,
) -> Result<Option<crate::domain::group_buy::ProductGroupBuy>, AppError> {
    session_respond!({
        let st = crate::state::AppState::from_context()?;
        let viewer = crate::api::live_identity()
            .await?
            .filter(|me| me.realm == crate::domain::account::Realm::Shopper)
            .map(|me| me.account_id);
        crate::services::group_buys::of_product(&st, viewer, product_id).await
    })
}

/// A group's share page, as the signed-in shopper (if any) sees it.
#[server(prefix = "/api", endpoint = "group-buys/group")]
pub async fn fetch_group(id: i64) -> Result<GroupPage, AppError> {
    session_respond!({
        let st = crate::state::AppState::from_context()?;
        let viewer = crate::api::live_identity()
            .await?
            .filter(|me| me.realm == crate::domain::account::Realm::Shopper)
            .map(|me| me.account_id);
        crate::services::group_buys::group_page(&st, viewer, id).await
    })
}

/// 退出拼团: the shopper's paid order leaves its open group and is refunded in full.
#[server(prefix = "/api", endpoint = "group-buys/leave")]
pub async fn leave_group(order_id: i64) -> Result<(), AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        crate::services::group_buys::leave(&c.st, c.me.account_id, order_id).await?;
        leptos_axum::redirect(&format!("/orders/{order_id}"));
        Ok(())
    })
}

/// The shop's activities, the latest first.
#[server(prefix = "/api", endpoint = "merchant/group-buys")]
pub async fn merchant_group_buys() -> Result<Vec<ActivityView>, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::group_buys::activities(&c.st, Some(scope.merchant_id)).await
    })
}

/// What the new-activity form needs for `product_id` (0: pick a product first).
#[server(prefix = "/api", endpoint = "merchant/group-buys/form")]
pub async fn group_buy_form(product_id: i64) -> Result<ActivityFormData, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::activity_forms::form_data(&c.st, &scope, product_id).await
    })
}

/// A new activity from the shop's form (fields `form[...]`, SKU rows `form[skus][i][...]`);
/// to its page.
#[server(prefix = "/api", endpoint = "merchant/group-buys/create")]
pub async fn create_group_buy(form: ActivityForm) -> Result<i64, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let id = crate::services::group_buys::create_activity(&c.st, &scope, &form, &c.ip).await?;
        leptos_axum::redirect(&format!("/merchant/marketing/group-buys/{id}"));
        Ok(id)
    })
}

/// One of the shop's activities with its groups and members.
#[server(prefix = "/api", endpoint = "merchant/group-buys/activity")]
pub async fn merchant_group_buy(id: i64) -> Result<ActivityPage, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::group_buys::activity_page(&c.st, Some(scope.merchant_id), id).await
    })
}

/// 结束活动 (the shop's own).
#[server(prefix = "/api", endpoint = "merchant/group-buys/end")]
pub async fn end_group_buy(id: i64) -> Result<(), AppError> {
    use crate::services::group_buys::end_activity;
    use crate::services::merchants::Ender;
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        end_activity(&c.st, Ender::Shop(&scope), id, &c.ip).await?;
        leptos_axum::redirect(&format!("/merchant/marketing/group-buys/{id}"));
        Ok(())
    })
}

/// Every shop's activities, for the platform.
#[server(prefix = "/api", endpoint = "admin/group-buys")]
pub async fn admin_group_buys() -> Result<Vec<ActivityView>, AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        admin.require(crate::domain::permission::Permission::ManageMarketing)?;
        crate::services::group_buys::activities(&c.st, None).await
    })
}

/// One activity with every group and member, for the platform.
#[server(prefix = "/api", endpoint = "admin/group-buys/activity")]
pub async fn admin_group_buy(id: i64) -> Result<ActivityPage, AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        admin.require(crate::domain::permission::Permission::ManageMarketing)?;
        crate::services::group_buys::activity_page(&c.st, None, id).await
    })
}

/// 强制结束 any shop's activity.
#[server(prefix = "/api", endpoint = "admin/group-buys/end")]
pub async fn force_end_group_buy(id: i64) -> Result<(), AppError> {
    use crate::services::group_buys::end_activity;
    use crate::services::merchants::Ender;
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        end_activity(&c.st, Ender::Platform(&admin), id, &c.ip).await?;
        leptos_axum::redirect(&format!("/admin/group-buys/{id}"));
        Ok(())
    })
}
