//! 操作日志: the audit trail for platform admins allowed to read it (everything) and for a
//! shop's owner (the shop's own entries).

use leptos::prelude::*;

use crate::domain::audit::{AuditFilter, AuditPage};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "admin/audit")]
pub async fn admin_audit(filter: AuditFilter, page: Option<u32>) -> Result<AuditPage, AppError> {
    session_respond!({
        let (c, admin) = crate::api::admin_call().await?;
        admin.require(crate::domain::permission::Permission::ReadAudit)?;
        crate::services::audit_trail::page(
            &c.st,
            crate::services::audit_trail::AuditReader::Platform,
            &filter,
            page.unwrap_or(1),
        )
        .await
    })
}

#[server(prefix = "/api", endpoint = "merchant/audit")]
pub async fn merchant_audit(filter: AuditFilter, page: Option<u32>) -> Result<AuditPage, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        scope.require_owner()?;
        crate::services::audit_trail::page(
            &c.st,
            crate::services::audit_trail::AuditReader::Shop(scope.merchant_id),
            &filter,
            page.unwrap_or(1),
        )
        .await
    })
}
