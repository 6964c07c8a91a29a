//! Server functions: the Leptos UIs' door to the services. Each one checks who is calling
//! (`infra::session::require`, or [`call`] / [`merchant_call`]) before doing anything, and runs
//! inside `respond` so errors carry their HTTP status.

pub mod admin_catalog;
pub mod admin_merchants;
pub mod applications;
pub mod auth;
pub mod merchant_products;
pub mod merchant_shop;
pub mod overview;
pub mod storefront;
pub mod uploads;

#[cfg(feature = "ssr")]
pub use ssr_context::{call, merchant_call, Call};

#[cfg(feature = "ssr")]
mod ssr_context {
    use crate::domain::account::{Identity, Realm};
    use crate::error::AppResult;
    use crate::infra::{net, session, state::AppState};
    use crate::services::merchants::MerchantScope;

    /// What a signed-in server-function call works with.
    pub struct Call {
        pub st: AppState,
        pub me: Identity,
        pub ip: String,
    }

    /// The caller must be signed in to `realm`.
    pub async fn call(realm: Realm) -> AppResult<Call> {
        let me = session::require(realm).await?;
        let st = AppState::from_context()?;
        let ip = net::client_ip_of_call(&st).await;
        Ok(Call { st, me, ip })
    }

    /// The caller must be active staff of a merchant; the scope confines them to its rows.
    pub async fn merchant_call() -> AppResult<(Call, MerchantScope)> {
        let c = call(Realm::Merchant).await?;
        let scope = MerchantScope::of(&c.st, &c.me).await?;
        Ok((c, scope))
    }
}
