//! What a shop's activity forms (拼团, 预售) read: the shop's products on sale and the chosen
//! product's SKUs, named the way the forms' errors name them.

use crate::domain::activity_form::{ActivityFormData, SkuNow};
use crate::error::{AppError, AppResult};
use crate::repo::activity_skus;
use crate::services::merchants::MerchantScope;
use crate::state::AppState;

/// `["250g","礼盒"]` → `250g 礼盒`.
pub fn spec_text(values: &str) -> String {
    crate::domain::product::spec_label(
        &serde_json::from_str::<Vec<String>>(values).unwrap_or_default(),
    )
}

/// The shop's on-sale product's SKUs as a form is judged against them. Errors: 404 for a
/// product that is not the shop's or not on sale.
pub async fn skus_now(
    st: &AppState,
    scope: &MerchantScope,
    product_id: i64,
) -> AppResult<Vec<SkuNow>> {
    let (title, skus) = activity_skus::skus_of_product(
        &mut *st.db.pool.acquire().await?,
        scope.merchant_id,
        product_id,
    )
    .await?
    .ok_or_else(|| AppError::not_found("商品不存在或未上架"))?;
    Ok(skus
        .into_iter()
        .map(|(sku_id, spec, price, stock)| {
            let spec = spec_text(&spec);
            SkuNow {
                sku_id,
                price,
                stock,
                name: if spec.is_empty() {
                    title.clone()
                } else {
                    format!("{title} · {spec}")
                },
            }
        })
        .collect())
}

/// What a shop's new-activity form needs: the chosen product's SKUs (`product_id` 0: none
/// chosen yet) and its products to choose from. Errors: 404 for another shop's product.
pub async fn form_data(
    st: &AppState,
    scope: &MerchantScope,
    product_id: i64,
) -> AppResult<ActivityFormData> {
    let mut conn = st.db.pool.acquire().await?;
    let products = activity_skus::products_of_shop(&mut conn, scope.merchant_id).await?;
    let (product_title, skus) = if product_id == 0 {
        (String::new(), Vec::new())
    } else {
        let (title, skus) =
            activity_skus::skus_of_product(&mut conn, scope.merchant_id, product_id)
                .await?
                .ok_or_else(|| AppError::not_found("商品不存在或未上架"))?;
        let skus = skus
            .into_iter()
            .map(|(id, spec, price, stock)| (id, spec_text(&spec), price, stock))
            .collect();
        (title, skus)
    };
    Ok(ActivityFormData {
        product_id,
        product_title,
        skus,
        products,
        now: st.clock.now_ms(),
    })
}
