//! 预售 in the three UIs: the shoppers' 预售 page and a product's presale (open to visitors),
//! the refund of an order whose ship promise is broken; a shop's presales (create, end); the
//! platform's view of every shop's presales and its force-end (需 管理平台营销). Buying is
//! `api::orders` (`items=p<presale>:<sku>x<qty>`).

use leptos::prelude::*;

use crate::domain::activity_form::ActivityFormData;
use crate::domain::presale::{PresaleForm, PresaleView};
use crate::error::AppError;

/// Presales selling now, every shop's (the H5 预售 page).
#[server(prefix = "/api", endpoint = "presales")]
pub async fn fetch_presales() -> Result<Vec<PresaleView>, AppError> {
    session_respond!({
        let st = crate::state::AppState::from_context()?;
        crate::services::presales::selling(&st).await
    })
}

/// A product's presale selling now (its page), if any.
#[server(prefix = "/api", endpoint = "presales/of-product")]
pub async fn product_presale(product_id: i64) -> Result<Option<PresaleView>, AppError> {
    session_respond!({
        let st = crate::state::AppState::from_context()?;
        crate::services::presales::of_product(&st, product_id).await
    })
}

/// 逾期未发货退款: the shopper takes everything back from an order past its ship promise.
#[server(prefix = "/api", endpoint = "orders/refund-late")]
pub async fn refund_late(order_id: i64) -> Result<(), AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        crate::services::after_sales::refund_late(&c.st, c.me.account_id, order_id).await?;
        leptos_axum::redirect(&format!("/orders/{order_id}"));
        Ok(())
    })
}

/// 支付尾款: the balance's trade of a 预售 deposit order, to its pay page.
#[server(prefix = "/api", endpoint = "orders/pay-balance")]
pub async fn pay_balance(order_id: i64) -> Result<String, AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        let trade_no =
            crate::services::presale_balances::start_paying(&c.st, c.me.account_id, order_id)
                .await?;
        leptos_axum::redirect(&format!("/pay/{trade_no}"));
        Ok(trade_no)
    })
}

/// The shop's presales, the latest first.
#[server(prefix = "/api", endpoint = "merchant/presales")]
pub async fn merchant_presales() -> Result<Vec<PresaleView>, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::presales::list(&c.st, Some(scope.merchant_id)).await
    })
}

/// What the new-presale form needs for `product_id` (0: pick a product first).
#[server(prefix = "/api", endpoint = "merchant/presales/form")]
pub async fn new_presale_form(product_id: i64) -> Result<ActivityFormData, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::activity_forms::form_data(&c.st, &scope, product_id).await
    })
}

/// A new presale from the shop's form (fields `form[...]`, SKU rows `form[skus][i][...]`); to
/// its page.
#[server(prefix = "/api", endpoint = "merchant/presales/create")]
pub async fn create_presale(form: PresaleForm) -> Result<i64, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let id = crate::services::presales::create(&c.st, &scope, &form, &c.ip).await?;
        leptos_axum::redirect(&format!("/merchant/marketing/presales/{id}"));
        Ok(id)
    })
}

/// One of the shop's presales.
#[server(prefix = "/api", endpoint = "merchant/presales/one")]
pub async fn merchant_presale(id: i64) -> Result<PresaleView, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::presales::one(&c.st, Some(scope.merchant_id), id).await
    })
}

/// 结束活动 (the shop's own).
#[server(prefix = "/api", endpoint = "merchant/presales/end")]
pub async fn end_presale(id: i64) -> Result<(), AppError> {
    use crate::services::merchants::Ender;
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::presales::end(&c.st, Ender::Shop(&scope), id, &c.ip).await?;
        leptos_axum::redirect(&format!("/merchant/marketing/presales/{id}"));
        Ok(())
    })
}

/// Every shop's presales, for the platform.
#[server(prefix = "/api", endpoint = "admin/presales")]
pub async fn admin_presales() -> Result<Vec<PresaleView>, AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        admin.require(crate::domain::permission::Permission::ManageMarketing)?;
        crate::services::presales::list(&c.st, None).await
    })
}

/// 强制结束 any shop's presale.
#[server(prefix = "/api", endpoint = "admin/presales/end")]
pub async fn force_end_presale(id: i64) -> Result<(), AppError> {
    use crate::services::merchants::Ender;
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        crate::services::presales::end(&c.st, Ender::Platform(&admin), id, &c.ip).await?;
        leptos_axum::redirect("/admin/presales");
        Ok(())
    })
}
