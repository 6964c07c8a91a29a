//! Opening a shop: the applicant's form and status (a signed-in shopper), and the platform's
//! review queue.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::merchant::{ApplicationAction, ApplicationStatus};
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub id: i64,
    pub shop_name: String,
    pub kind_label: String,
    pub region: String,
    pub intro: String,
    pub contact_name: String,
    /// masked for the applicant's own view and lists; in full on the reviewer's detail
    pub contact_phone: String,
    pub licence_no: String,
    pub licence_image: String,
    pub categories: Vec<String>,
    pub owner_username: String,
    pub status: ApplicationStatus,
    /// what a platform reviewer may do now (from the application state machine's table)
    pub actions: Vec<ApplicationAction>,
    pub reject_reason: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryChoice {
    pub id: i64,
    pub name: String,
    pub icon: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplyPageData {
    pub latest: Option<ApplicationView>,
    /// top-level categories one can apply to sell in
    pub categories: Vec<CategoryChoice>,
}

#[cfg(feature = "ssr")]
async fn view_of(
    st: &crate::infra::state::AppState,
    row: crate::repo::applications::ApplicationRow,
    phone: Option<String>,
) -> Result<ApplicationView, AppError> {
    use crate::domain::merchant::MerchantKind;
    let all = crate::repo::catalog::list_categories(&st.db.pool).await?;
    let ids = crate::services::applications::split_ids(&row.category_ids);
    Ok(ApplicationView {
        id: row.id,
        kind_label: MerchantKind::parse(&row.kind)
            .map(|k| k.label().to_string())
            .unwrap_or_default(),
        categories: all
            .iter()
            .filter(|c| ids.contains(&c.id))
            .map(|c| c.name.clone())
            .collect(),
        contact_phone: phone.unwrap_or(row.contact_phone_masked),
        status: row.status,
        actions: crate::domain::state_machine::StateMachine::actions_for(
            row.status,
            crate::domain::state_machine::Actor::Platform,
        ),
        shop_name: row.shop_name,
        region: row.region,
        intro: row.intro,
        contact_name: row.contact_name,
        licence_no: row.licence_no,
        licence_image: row.licence_image,
        owner_username: row.owner_username,
        reject_reason: row.reject_reason,
        created_at: row.created_at,
    })
}

/// The applicant's page: their latest application and the categories to choose from.
#[server(prefix = "/api", endpoint = "apply/page")]
pub async fn apply_page() -> Result<ApplyPageData, AppError> {
    use crate::domain::account::Realm;
    session_respond!({
        let c = crate::api::call(Realm::Shopper).await?;
        let latest = match crate::services::applications::mine(&c.st, &c.me).await? {
            Some(row) => Some(view_of(&c.st, row, None).await?),
            None => None,
        };
        let categories = crate::services::categories::top_level_choices(&c.st)
            .await?
            .into_iter()
            .map(|(id, name, icon)| CategoryChoice { id, name, icon })
            .collect();
        Ok(ApplyPageData { latest, categories })
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
    use crate::domain::account::Realm;
    session_respond!({
        let c = crate::api::call(Realm::Admin).await?;
        let status = match status.as_str() {
            "" => None,
            s => Some(
                ApplicationStatus::parse(s)
                    .ok_or_else(|| AppError::invalid("status", "没有这种审核状态"))?,
            ),
        };
        let rows = crate::services::applications::list(&c.st, &c.me, status).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(view_of(&c.st, row, None).await?);
        }
        Ok(out)
    })
}

#[server(prefix = "/api", endpoint = "admin/applications/detail")]
pub async fn admin_application(id: i64) -> Result<ApplicationView, AppError> {
    use crate::domain::account::Realm;
    session_respond!({
        let c = crate::api::call(Realm::Admin).await?;
        let (row, phone) = crate::services::applications::detail(&c.st, &c.me, id).await?;
        view_of(&c.st, row, Some(phone)).await
    })
}

/// Approves (`approve` present) or rejects with `reason`.
#[server(prefix = "/api", endpoint = "admin/applications/review")]
pub async fn review_application(
    id: i64,
    decision: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::account::Realm;
    use crate::services::applications::{approve, reject};
    session_respond!({
        let c = crate::api::call(Realm::Admin).await?;
        match decision.as_str() {
            "approve" => {
                approve(&c.st, &c.me, id, &c.ip).await?;
            }
            "reject" => {
                reject(
                    &c.st,
                    &c.me,
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
