//! Image uploads: decoded, checked and re-encoded off the async runtime, then stored.
//! Decoding a large picture takes a core and up to 160 MB for a second or more, so uploads are
//! limited per account (`uploads_per_hour` in the configuration) and decoded a few at a time ([`decode_slots`]):
//! the rest wait their turn instead of taking every core and the pages with them.

use crate::domain::account::Identity;
use crate::error::{AppError, AppResult};
use std::sync::Arc;

use crate::infra::imaging::{self, is_image_key, Processed};
use crate::repo::images;
use crate::state::AppState;

/// One decode per two cores, at least one: the other core keeps serving pages.
fn decode_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new((cores / 2).max(1))
    })
}

/// What an upload answers: the key to put in a form, and the width and height kept.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Uploaded {
    pub key: String,
    pub width: u32,
    pub height: u32,
}

pub async fn upload_image(st: &AppState, who: &Identity, bytes: Vec<u8>) -> AppResult<Uploaded> {
    let uploader = format!("{}:{}", who.realm.as_str(), who.account_id);
    if !st.upload_limit.hit(&uploader) {
        return Err(AppError::TooManyRequests("上传过于频繁，请稍后再试".into()));
    }
    store(st, &uploader, bytes).await
}

async fn store(st: &AppState, uploader: &str, bytes: Vec<u8>) -> AppResult<Uploaded> {
    if bytes.is_empty() {
        return Err(AppError::bad_request("请选择要上传的图片"));
    }
    let _slot = decode_slots().acquire().await.map_err(AppError::internal)?;
    let processed = tokio::task::spawn_blocking(move || imaging::process(&bytes))
        .await
        .map_err(AppError::internal)??;
    drop(_slot);
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
