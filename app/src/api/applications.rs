//! Opening a shop: the applicant's form and status (a signed-in shopper), and the platform's
//! review queue.

use leptos::prelude::*;

use crate::domain::merchant::{ApplicationView, ApplyPageData};
use crate::error::AppError;

/// The applicant's page: their latest application and the categories to choose from.
#[server(prefix = "/api", endpoint = "apply/page")]
pub async fn apply_page() -> Result<ApplyPageData, AppError> {
    use crate::domain::account::Realm;
    session_respond!({
        let c = crate::api::call(Realm::Shopper).await?;
        crate::services::applications::apply_page(&c.st, &c.me).await
    })
}

#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "apply/submit")]
pub async fn submit_application(
    shop_name: String,
    kind: String,
    region: String,
    intro: String,
    contact_name: String,
    contact_phone: String,
    licence_no: String,
    licence_image: String,
    category_ids: Option<Vec<i64>>,
    owner_username: String,
    owner_password: String,
) -> Result<i64, AppError> {
    use crate::domain::account::Realm;
    use crate::services::applications::{submit, ApplicationInput};
    session_respond!({
        let c = crate::api::call(Realm::Shopper).await?;
        let input = ApplicationInput {
            shop_name,
            kind,
            region,
            intro,
            contact_name,
            contact_phone,
            licence_no,
            licence_image,
            category_ids: category_ids.unwrap_or_default(),
            owner_username,
            owner_password,
        };
        let id = submit(&c.st, &c.me, input).await?;
        leptos_axum::redirect("/apply");
        Ok(id)
    })
}

/// The review queue (`status` empty = all, pending first).
#[server(prefix = "/api", endpoint = "admin/applications")]
pub async fn admin_applications(status: String) -> Result<Vec<ApplicationView>, AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        let status = match status.as_str() {
            "" => None,
            s => Some(
                crate::domain::merchant::ApplicationStatus::parse(s)
                    .ok_or_else(|| AppError::invalid("status", "没有这种审核状态"))?,
            ),
        };
        crate::services::applications::list(&c.st, &admin, status).await
    })
}

#[server(prefix = "/api", endpoint = "admin/applications/detail")]
pub async fn admin_application(id: i64) -> Result<ApplicationView, AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        crate::services::applications::detail(&c.st, &admin, id).await
    })
}

/// Approves (`approve` present) or rejects with `reason`.
#[server(prefix = "/api", endpoint = "admin/applications/review")]
pub async fn review_application(
    id: i64,
    decision: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::services::applications::{approve, reject};
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        match decision.as_str() {
            "approve" => {
                approve(&c.st, &admin, id, &c.ip).await?;
            }
            "reject" => {
                reject(
                    &c.st,
                    &admin,
                    id,
                    reason.as_deref().unwrap_or_default(),
                    &c.ip,
                )
                .await?
            }
            _ => return Err(AppError::bad_request("请选择通过或驳回")),
        }
        leptos_axum::redirect(&format!("/admin/applications/{id}"));
        Ok(())
    })
}
