//! Where image files live. Behind [`MediaStore`] so an S3-compatible store can replace the local
//! directory without touching the upload rules; the URLs are served under `/media/`.

use std::path::PathBuf;
use std::sync::Arc;

use crate::error::{AppError, AppResult};
use crate::infra::imaging::{variant_name, Processed};

/// Storage of processed images. Files are content-addressed, so writes are idempotent and a
/// stored file never changes (it may be cached forever).
pub trait MediaStore: Send + Sync + std::fmt::Debug {
    /// Stores every variant of `image` (blocking I/O: call off the async runtime).
    fn put(&self, image: &Processed) -> AppResult<()>;
}

/// The embedded default: files in `<data_dir>/media`, served by the HTTP layer at `/media/`.
#[derive(Debug)]
pub struct LocalMediaStore {
    pub dir: PathBuf,
}

impl LocalMediaStore {
    pub fn new(dir: impl Into<PathBuf>) -> Arc<Self> {
        Arc::new(Self { dir: dir.into() })
    }
}

impl MediaStore for LocalMediaStore {
    fn put(&self, image: &Processed) -> AppResult<()> {
        std::fs::create_dir_all(&self.dir).map_err(AppError::internal)?;
        for (edge, bytes) in &image.variants {
            let path = self.dir.join(variant_name(&image.key, *edge));
            if path.exists() {
                continue;
            }
            // write beside, then rename: a reader never sees half a file
            let tmp = path.with_extension("part");
            std::fs::write(&tmp, bytes).map_err(AppError::internal)?;
            std::fs::rename(&tmp, &path).map_err(AppError::internal)?;
        }
        Ok(())
    }
}
