//! Server functions: the Leptos UIs' door to the services. Each one checks who is calling
//! ([`call`], [`admin_call`], [`merchant_call`] or [`live_identity`]) before doing anything, and runs
//! inside `respond` so errors carry their HTTP status.

pub mod admin_categories;
pub mod admin_coupons;
pub mod admin_merchants;
pub mod admin_orders;
pub mod applications;
pub mod audit;
pub mod auth;
pub mod cart;
pub mod coupons;
pub mod finance;
pub mod flash_sales;
pub mod group_buys;
pub mod merchant_marketing;
pub mod merchant_orders;
pub mod merchant_products;
pub mod merchant_shop;
pub mod orders;
pub mod overview;
pub mod people;
pub mod presales;
pub mod reviews;
pub mod storefront;
pub mod uploads;

#[cfg(feature = "ssr")]
pub use ssr_context::{admin_call, call, live_identity, merchant_call, Call};

/// `"3,5,8"` → `[3, 5, 8]` (ids posted by forms as one field).
pub fn id_list(text: &str) -> Result<Vec<i64>, crate::error::AppError> {
    let ids: Result<Vec<i64>, _> = text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect();
    match ids {
        Ok(ids) if ids.len() <= 200 => Ok(ids),
        _ => Err(crate::error::AppError::bad_request("参数不正确")),
    }
}

/// `path?query` with `key=value` set (replacing an earlier value of `key`); `value` must be
/// URL-safe already (ids).
pub fn with_param(link: &str, key: &str, value: &str) -> String {
    let (path, query) = link.split_once('?').unwrap_or((link, ""));
    let prefix = format!("{key}=");
    let mut parts: Vec<&str> = query
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with(&prefix))
        .collect();
    let pair = format!("{key}={value}");
    parts.push(&pair);
    format!("{path}?{}", parts.join("&"))
}

/// A same-site path to go back to (anything else, or nothing, gives `fallback`).
pub fn local_path(path: Option<&str>, fallback: &str) -> String {
    match path {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_string(),
        _ => fallback.to_string(),
    }
}

#[cfg(feature = "ssr")]
mod ssr_context {
    use crate::domain::account::{Identity, Realm};
    use crate::error::AppResult;
    use crate::infra::{net, session};
    use crate::services::admins::AdminScope;
    use crate::services::merchants::MerchantScope;
    use crate::state::AppState;

    /// What a signed-in server-function call works with.
    pub struct Call {
        pub st: AppState,
        pub me: Identity,
        pub ip: String,
    }

    /// Who is signed in, if anyone whose account may still act (a disabled account's session
    /// is ended and reads as signed out).
    pub async fn live_identity() -> AppResult<Option<Identity>> {
        let s = session::current_session().await?;
        crate::services::accounts::live_identity(&AppState::from_context()?, &s).await
    }

    /// The caller must be signed in to `realm` with an account that may still act.
    pub async fn call(realm: Realm) -> AppResult<Call> {
        let me = session::check_realm(live_identity().await?, realm)?;
        let st = AppState::from_context()?;
        let ip = net::client_ip_of_call(&st.config).await;
        Ok(Call { st, me, ip })
    }

    /// The caller must be an active platform admin; services check the scope's role against
    /// what each action needs (`AdminScope::require`).
    pub async fn admin_call() -> AppResult<(Call, AdminScope)> {
        let c = call(Realm::Admin).await?;
        let scope = AdminScope::of(&c.st, &c.me).await?;
        Ok((c, scope))
    }

    /// The caller must be active staff of a merchant; the scope confines them to its rows.
    pub async fn merchant_call() -> AppResult<(Call, MerchantScope)> {
        let c = call(Realm::Merchant).await?;
        let scope = MerchantScope::of(&c.st, &c.me).await?;
        Ok((c, scope))
    }
}
