//! Turning configuration into a running application state.

use std::net::SocketAddr;

use app::infra::config::Config;
use app::infra::crypto::{load_or_create_key_file, parse_key};
use app::infra::db::Db;
use app::state::AppState;
use leptos::config::{Env, LeptosOptions};
use secrecy::ExposeSecret;

/// Connects and migrates the database; every command starts here.
pub async fn open_database(config: &Config) -> Result<Db, String> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    Ok(db)
}

/// Builds the full state: database (migrated), data key, front-end bundle settings.
pub async fn build_state(config: Config) -> Result<AppState, String> {
    let db = open_database(&config).await?;
    let key = match &config.data_key {
        Some(k) => parse_key(k.expose_secret())?,
        None => load_or_create_key_file(&config.data_dir)?,
    };
    let addr: SocketAddr = config
        .listen
        .parse()
        .map_err(|e| format!("invalid listen address {:?}: {e}", config.listen))?;
    let leptos_options = LeptosOptions::builder()
        // each page names its bundle itself (`app::ui::Bundles`, read from the site folder)
        .output_name(env!("LEPTOS_OUTPUT_NAME"))
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .env(Env::PROD)
        .build();
    let st = AppState::new(db, config, &key, leptos_options)?;
    // the search dictionary and the shop front's read model, before the first request
    tokio::task::spawn_blocking(app::services::search::warm_up)
        .await
        .map_err(|e| e.to_string())?;
    st.shop_front
        .reload_all(&st.db.pool)
        .await
        .map_err(|e| format!("cannot load the catalogue: {e}"))?;
    Ok(st)
}
