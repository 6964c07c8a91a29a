//! Platform admin: 营销 → 平台优惠券 (needs 管理营销). The usage report's CSV is a plain
//! download (`server::http::exports`).

use leptos::prelude::*;

use crate::domain::coupon::PushReport;
use crate::domain::coupon_form::{CouponForm, PlatformCouponsPage};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "admin/coupons")]
pub async fn platform_coupons() -> Result<PlatformCouponsPage, AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        crate::services::marketing_pages::platform_coupons(&c.st, &admin).await
    })
}

/// A new platform template from the console's form (fields `form[...]`); back to the list.
#[server(prefix = "/api", endpoint = "admin/coupons/create")]
pub async fn create_platform_coupon(form: CouponForm) -> Result<i64, AppError> {
    use crate::services::coupons::{create, Issuer};
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        let input = form.parse()?;
        let id = create(&c.st, Issuer::Platform(&admin), &input, &c.ip).await?;
        leptos_axum::redirect("/admin/coupons");
        Ok(id)
    })
}

/// 暂停 / 恢复 / 结束 / 作废 (`action` as stored: `pause`, `resume`, `end`, `void`).
#[server(prefix = "/api", endpoint = "admin/coupons/act")]
pub async fn act_platform_coupon(id: i64, action: String) -> Result<(), AppError> {
    use crate::domain::coupon::TemplateAction;
    use crate::services::coupons::{act, Issuer};
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        let action = TemplateAction::parse(&action)
            .ok_or_else(|| AppError::invalid("action", "没有这种操作"))?;
        act(&c.st, Issuer::Platform(&admin), id, action, &c.ip).await?;
        leptos_axum::redirect("/admin/coupons");
        Ok(())
    })
}

/// 定向发放: one copy to each shopper named by phone number. The page goes back to the push
/// panel with the report in its query (`given`, `at_limit`, `sold_out`, `unknown`).
#[server(prefix = "/api", endpoint = "admin/coupons/push")]
pub async fn push_coupon(id: i64, phones: String) -> Result<PushReport, AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        let report = crate::services::coupon_gifts::push(&c.st, &admin, id, &phones, &c.ip).await?;
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("push", &id.to_string())
            .append_pair("given", &report.given.to_string())
            .append_pair("at_limit", &report.at_limit.to_string())
            .append_pair("sold_out", &report.sold_out.to_string())
            .append_pair("unknown", &report.unknown.join("、"))
            .finish();
        leptos_axum::redirect(&format!("/admin/coupons?{query}"));
        Ok(report)
    })
}
