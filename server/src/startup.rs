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

/// The stem of the front-end bundle's file names: `jishi.<content hash>` as `scripts/build.sh`
/// wrote it to `<site root>/bundle-name`, or the plain name for a site built without it.
fn bundle_name(site_root: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(site_root).join("bundle-name"))
        .map(|name| name.trim().to_string())
        .ok()
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| env!("LEPTOS_OUTPUT_NAME").to_string())
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
        .output_name(bundle_name(&config.site_root))
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
