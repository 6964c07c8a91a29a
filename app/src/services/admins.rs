//! Platform staff: the admin scope every platform console action runs in.

use crate::domain::account::{AdminRole, Identity, Realm};
use crate::domain::permission::Permission;
use crate::error::{AppError, AppResult};
use crate::repo::accounts as account_repo;
use crate::repo::audit::AuditEntry;
use crate::state::AppState;

/// The one door to the platform's actions, beside `services::merchants::MerchantScope`: built
/// only from a signed-in admin identity whose account still exists and is active, with the
/// role it has now (a disabled account or a changed role applies at once, not when the session
/// expires). Services take it and call [`AdminScope::require`] with the permission an action
/// needs (the table in `domain::permission`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminScope {
    pub admin_id: i64,
    pub role: AdminRole,
    /// the name shown where the platform acted (a bill's note, an arbitration)
    pub display_name: String,
}

impl AdminScope {
    /// 403 for a caller of another realm; 401 for an admin account that is gone or disabled.
    pub async fn of(st: &AppState, me: &Identity) -> AppResult<Self> {
        if me.realm != Realm::Admin {
            return Err(AppError::forbidden());
        }
        let (role, status, display_name) = account_repo::admin_standing(&st.db.pool, me.account_id)
            .await?
            .ok_or(AppError::Unauthorized)?;
        if status != "active" {
            return Err(AppError::Unauthorized);
        }
        Ok(Self {
            admin_id: me.account_id,
            role: AdminRole::parse(&role).ok_or_else(|| AppError::internal("bad admin role"))?,
            display_name,
        })
    }

    /// `Ok` when this admin's role may do `p`; otherwise 403 naming who may.
    pub fn require(&self, p: Permission) -> AppResult<()> {
        self.role.require(p)
    }

    /// The audit row of an action of this admin (set `merchant_id` when it concerns a shop),
    /// for writing in the action's own transaction.
    pub fn entry<'a>(&self, action: &'a str, detail: &'a str, ip: &'a str) -> AuditEntry<'a> {
        AuditEntry {
            realm: Realm::Admin.as_str(),
            actor_id: Some(self.admin_id),
            merchant_id: None,
            action,
            detail,
            ip,
            target: None,
            before: "",
            after: "",
        }
    }
}
