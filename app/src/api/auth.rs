//! Sign-up, sign-in and sign-out for the H5 shop and both consoles.

use leptos::prelude::*;

use crate::domain::account::{Identity, Realm};
use crate::error::AppError;

/// Creates a shopper account and signs it in.
#[server(prefix = "/api", endpoint = "auth/register")]
pub async fn register(
    phone: String,
    password: String,
    nickname: String,
) -> Result<Identity, AppError> {
    use crate::infra::session;
    use crate::state::AppState;
    session::respond(async move {
        let st = AppState::from_context()?;
        let identity =
            crate::services::accounts::register_shopper(&st, &phone, &password, &nickname).await?;
        session::sign_in(&session::current_session().await?, &identity).await?;
        leptos_axum::redirect(Realm::Shopper.home_path());
        Ok(identity)
    })
    .await
}

/// Signs in to one realm (shop, merchant console or admin console).
#[server(prefix = "/api", endpoint = "auth/sign-in")]
pub async fn sign_in(realm: Realm, login: String, password: String) -> Result<Identity, AppError> {
    use crate::infra::{net, session};
    use crate::state::AppState;
    session::respond(async move {
        let st = AppState::from_context()?;
        let ip = net::client_ip_of_call(&st.config).await;
        let identity =
            crate::services::accounts::sign_in(&st, realm, &login, &password, &ip).await?;
        session::sign_in(&session::current_session().await?, &identity).await?;
        leptos_axum::redirect(realm.home_path());
        Ok(identity)
    })
    .await
}

/// Ends the session and goes back to the realm's sign-in page.
#[server(prefix = "/api", endpoint = "auth/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::infra::session;
    session::respond(async move {
        let s = session::current_session().await?;
        let realm = session::identity_of(&s).await?.map(|i| i.realm);
        session::sign_out(&s).await?;
        leptos_axum::redirect(realm.unwrap_or(Realm::Shopper).login_path());
        Ok(())
    })
    .await
}

/// Who is signed in, if anyone (any realm) whose account may still act.
#[server(prefix = "/api", endpoint = "auth/me")]
pub async fn current_identity() -> Result<Option<Identity>, AppError> {
    crate::infra::session::respond(crate::api::live_identity()).await
}
