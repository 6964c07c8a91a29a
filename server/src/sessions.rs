//! Cookie sessions for the Leptos UIs, stored in the same database as everything else.

use std::str::FromStr;
use std::time::Duration;

use app::infra::db::{prepare_sqlite_url, Backend, PING_IF_IDLE_FOR};
use app::state::AppState;
use axum::Router;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use tower_sessions::cookie::SameSite;
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

pub const COOKIE_NAME: &str = "jishi_sid";

/// Adds the session layer (HttpOnly, SameSite=Lax, Secure when configured) to `router`.
pub async fn with_sessions(router: Router, st: &AppState) -> Result<Router, String> {
    let url = &st.config.database_url;
    Ok(match st.db.backend {
        Backend::Sqlite => {
            let opts = SqliteConnectOptions::from_str(&prepare_sqlite_url(url)?)
                .map_err(|e| e.to_string())?
                .journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(5));
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                // in this process: it cannot drop (as `infra::db`'s pools)
                .test_before_acquire(false)
                .connect_with(opts)
                .await
                .map_err(|e| format!("session store: {e}"))?;
            let store = SqliteStore::new(pool);
            store
                .migrate()
                .await
                .map_err(|e| format!("session store: {e}"))?;
            sweep_expired(store.clone());
            router.layer(layer(store, st))
        }
        Backend::Postgres => {
            let pool = PgPoolOptions::new()
                .max_connections(4)
                // pinged only after PING_IF_IDLE_FOR idle, as `infra::db`'s pools: a ping per
                // request doubled the session read's round trips
                .test_before_acquire(false)
                .before_acquire(|conn, meta| {
                    Box::pin(async move {
                        if meta.idle_for >= PING_IF_IDLE_FOR {
                            sqlx::Connection::ping(conn).await?;
                        }
                        Ok(true)
                    })
                })
                .connect(url)
                .await
                .map_err(|e| format!("session store: {e}"))?;
            let store = PostgresStore::new(pool);
            store
                .migrate()
                .await
                .map_err(|e| format!("session store: {e}"))?;
            sweep_expired(store.clone());
            router.layer(layer(store, st))
        }
    })
}

fn layer<S: SessionStore + Clone>(store: S, st: &AppState) -> SessionManagerLayer<S> {
    SessionManagerLayer::new(store)
        .with_name(COOKIE_NAME)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(st.config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::hours(st.config.session_idle_hours),
        ))
}

/// Deletes expired sessions hourly, for as long as the process runs.
fn sweep_expired<S: ExpiredDeletion + 'static>(store: S) {
    tokio::spawn(async move {
        if let Err(e) = store
            .continuously_delete_expired(Duration::from_secs(3600))
            .await
        {
            tracing::warn!("expired-session sweep stopped: {e}");
        }
    });
}
