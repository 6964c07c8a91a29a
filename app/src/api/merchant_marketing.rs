//! Merchant: 营销中心, the shop's coupons and full-reductions. The usage report's CSV is a plain
//! download (`server::http::exports`).

use leptos::prelude::*;

use crate::domain::coupon_form::{CouponForm, ShopMarketingPage};
use crate::domain::full_reduction_form::FullReductionForm;
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "merchant/marketing")]
pub async fn shop_marketing() -> Result<ShopMarketingPage, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::marketing_pages::shop_marketing(&c.st, &scope).await
    })
}

/// A new shop coupon from the console's form (fields `form[...]`); back to 营销中心.
#[server(prefix = "/api", endpoint = "merchant/coupons/create")]
pub async fn create_shop_coupon(form: CouponForm) -> Result<i64, AppError> {
    use crate::services::coupons::{create, Issuer};
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let input = form.parse()?;
        let id = create(&c.st, Issuer::Shop(&scope), &input, &c.ip).await?;
        leptos_axum::redirect("/merchant/marketing");
        Ok(id)
    })
}

/// 暂停 / 恢复 / 结束 / 作废 a shop coupon (`action` as stored).
#[server(prefix = "/api", endpoint = "merchant/coupons/act")]
pub async fn act_shop_coupon(id: i64, action: String) -> Result<(), AppError> {
    use crate::domain::coupon::TemplateAction;
    use crate::services::coupons::{act, Issuer};
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let action = TemplateAction::parse(&action)
            .ok_or_else(|| AppError::invalid("action", "没有这种操作"))?;
        act(&c.st, Issuer::Shop(&scope), id, action, &c.ip).await?;
        leptos_axum::redirect("/merchant/marketing");
        Ok(())
    })
}

/// A new full-reduction from the console's form (fields `form[...]`); back to 营销中心.
#[server(prefix = "/api", endpoint = "merchant/full-reductions/create")]
pub async fn create_full_reduction(form: FullReductionForm) -> Result<i64, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let input = form.parse()?;
        let id = crate::services::full_reductions::create(&c.st, &scope, &input, &c.ip).await?;
        leptos_axum::redirect("/merchant/marketing");
        Ok(id)
    })
}

/// 暂停 / 恢复 / 结束 a full-reduction (`action` as stored: `pause`, `resume`, `end`).
#[server(prefix = "/api", endpoint = "merchant/full-reductions/act")]
pub async fn act_full_reduction(id: i64, action: String) -> Result<(), AppError> {
    use crate::domain::full_reduction::PromotionAction;
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let action = PromotionAction::parse(&action)
            .ok_or_else(|| AppError::invalid("action", "没有这种操作"))?;
        crate::services::full_reductions::act(&c.st, &scope, id, action, &c.ip).await?;
        leptos_axum::redirect("/merchant/marketing");
        Ok(())
    })
}
