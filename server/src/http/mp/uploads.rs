//! Image upload for the mini-program (`wx.uploadFile` with the field `file`): after-sale photos
//! today. The same pipeline and per-account hourly limit as the consoles' uploads; the body was
//! already read in full and bounded by `bodies::read_first`.

use app::error::AppError;
use app::infra::imaging::MAX_UPLOAD_BYTES;
use app::services::uploads::{self, Uploaded};
use app::state::AppState;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::State;
use axum::Json;

use super::extract::MpShopper;
use super::{ok, Envelope};

#[utoipa::path(post, path = "/uploads/image", tag = "buying", security(("bearer" = [])),
    request_body(content_type = "multipart/form-data", description = "the field `file`: a JPEG, PNG or WebP picture of at most 10 MB"),
    responses((status = 200, description = "The stored image: put `key` in a form (e.g. an after-sale's `photos`)", body = Envelope<Uploaded>),
        (status = 400, description = "No picture, or not a picture we can read"),
        (status = 413, description = "Larger than 10 MB"),
        (status = 429, description = "Too many uploads this hour")))]
pub async fn image(
    State(st): State<AppState>,
    me: MpShopper,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Json<Envelope<Uploaded>>, AppError> {
    let bad_form = || AppError::bad_request("上传失败，请重新选择图片");
    let mut form = form.map_err(|e| {
        tracing::debug!("mp upload: not multipart: {e}");
        bad_form()
    })?;
    let mut bytes = Vec::new();
    while let Some(field) = form.next_field().await.map_err(|_| bad_form())? {
        if field.name() == Some("file") {
            bytes = field.bytes().await.map_err(|_| bad_form())?.to_vec();
            break;
        }
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(AppError::PayloadTooLarge("图片不能超过10MB".into()));
    }
    Ok(ok(uploads::upload_image(&st, &me.identity, bytes).await?))
}
