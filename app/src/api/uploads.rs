//! Image upload for every signed-in user (licence photos, product pictures, shop banners).

use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadedImage {
    /// what forms submit
    pub key: String,
    pub width: u32,
    pub height: u32,
}

/// Takes the first file of the form (field `file`), at most 10 MB.
#[server(prefix = "/api", endpoint = "uploads/image", input = MultipartFormData)]
pub async fn upload_image(data: MultipartData) -> Result<UploadedImage, AppError> {
    use crate::infra::imaging::MAX_UPLOAD_BYTES;
    use crate::infra::session;
    use crate::state::AppState;
    session::respond(async move {
        let me = crate::api::live_identity()
            .await?
            .ok_or(AppError::Unauthorized)?;
        let st = AppState::from_context()?;
        let mut form = data
            .into_inner()
            .ok_or_else(|| AppError::bad_request("请选择要上传的图片"))?;
        let bad_form = |_| AppError::bad_request("上传失败，请重新选择图片");
        let mut bytes = Vec::new();
        while let Some(mut field) = form.next_field().await.map_err(bad_form)? {
            if field.name() != Some("file") {
                continue;
            }
            while let Some(chunk) = field.chunk().await.map_err(bad_form)? {
                if bytes.len() + chunk.len() > MAX_UPLOAD_BYTES {
                    return Err(AppError::bad_request("图片不能超过10MB"));
                }
                bytes.extend_from_slice(&chunk);
            }
            break;
        }
        let up = crate::services::uploads::upload_image(&st, &me, bytes).await?;
        Ok(UploadedImage {
            key: up.key,
            width: up.width,
            height: up.height,
        })
    })
    .await
}
