//! Image uploads: decoded, checked and re-encoded off the async runtime, then stored.

use crate::domain::account::Identity;
use crate::error::{AppError, AppResult};
use std::sync::Arc;

use crate::infra::imaging::{self, is_image_key, Processed};
use crate::infra::state::AppState;
use crate::repo::images;

/// What an upload answers: the key to put in a form, and the width and height kept.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Uploaded {
    pub key: String,
    pub width: u32,
    pub height: u32,
}

pub async fn upload_image(st: &AppState, who: &Identity, bytes: Vec<u8>) -> AppResult<Uploaded> {
    let uploader = format!("{}:{}", who.realm.as_str(), who.account_id);
    store(st, &uploader, bytes).await
}

async fn store(st: &AppState, uploader: &str, bytes: Vec<u8>) -> AppResult<Uploaded> {
    if bytes.is_empty() {
        return Err(AppError::bad_request("请选择要上传的图片"));
    }
    let processed = tokio::task::spawn_blocking(move || imaging::process(&bytes))
        .await
        .map_err(AppError::internal)??;
    store_processed(st, uploader, Arc::new(processed)).await
}

/// Stores an already processed image (the demo reuses its pictures across databases).
pub async fn store_processed(
    st: &AppState,
    uploader: &str,
    processed: Arc<Processed>,
) -> AppResult<Uploaded> {
    let store = st.media.clone();
    let p = processed.clone();
    tokio::task::spawn_blocking(move || store.put(&p))
        .await
        .map_err(AppError::internal)??;
    images::record(
        &st.db.pool,
        &processed.key,
        processed.width,
        processed.height,
        uploader,
    )
    .await?;
    Ok(Uploaded {
        key: processed.key.clone(),
        width: processed.width,
        height: processed.height,
    })
}

/// Refuses keys that are not images stored by [`upload_image`].
pub async fn check_image_keys(st: &AppState, keys: &[&str]) -> AppResult<()> {
    let bad = || AppError::invalid("images", "图片无效，请重新上传");
    if keys.iter().any(|k| !is_image_key(k)) {
        return Err(bad());
    }
    let mut unique: Vec<&str> = keys.to_vec();
    unique.sort_unstable();
    unique.dedup();
    if images::count_known(&st.db.pool, &unique).await? != unique.len() {
        return Err(bad());
    }
    Ok(())
}
