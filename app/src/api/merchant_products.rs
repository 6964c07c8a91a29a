//! Merchant console: the shop's products, the product editor, shelf status and stock.
//! Every function runs in the caller's `MerchantScope`: another shop's rows are not found.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::domain::product::{ProductStatus, SpecDim};
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MerchantProductRow {
    pub id: i64,
    pub title: String,
    pub image: String,
    pub status: ProductStatus,
    pub status_reason: String,
    pub min_price: i64,
    pub max_price: i64,
    pub total_stock: i64,
    pub sales: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MerchantProductList {
    pub items: Vec<MerchantProductRow>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// A category a product may be filed under, with its path (茶叶 / 绿茶).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryOption {
    pub id: i64,
    pub path: String,
}

/// One SKU row of the editor. Prices are yuan text as typed; `stock` is the opening stock of a
/// new combination (existing SKUs show theirs and change it by adjustment).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SkuForm {
    pub id: Option<i64>,
    pub spec_values: Vec<String>,
    pub price: String,
    pub original_price: String,
    pub stock: i64,
    pub weight_g: i64,
    pub code: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProductForm {
    pub id: Option<i64>,
    pub category_id: i64,
    pub title: String,
    pub subtitle: String,
    pub brand: String,
    pub origin: String,
    pub description: String,
    pub main_image: String,
    pub gallery: Vec<String>,
    pub spec_dims: Vec<SpecDim>,
    pub skus: Vec<SkuForm>,
    pub featured: bool,
    /// read-only in the editor
    pub status: Option<ProductStatus>,
    pub status_reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductEditorData {
    pub form: ProductForm,
    pub categories: Vec<CategoryOption>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockLogView {
    pub sku_id: i64,
    pub spec: String,
    pub delta: i64,
    pub stock_after: i64,
    pub reason: String,
    pub created_at: i64,
}

#[cfg(feature = "ssr")]
const PAGE_SIZE: i64 = 20;

#[server(prefix = "/api", endpoint = "merchant/products")]
pub async fn merchant_products(
    status: Option<String>,
    page: Option<i64>,
) -> Result<MerchantProductList, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let status = status.as_deref().and_then(ProductStatus::parse);
        let page = page.unwrap_or(1).max(1);
        let (rows, total) = crate::repo::products::list_of_merchant(
            &c.st.db.pool,
            scope.merchant_id,
            status,
            PAGE_SIZE,
            (page - 1) * PAGE_SIZE,
        )
        .await?;
        let items = rows
            .into_iter()
            .map(|r| MerchantProductRow {
                id: r.id,
                title: r.title,
                image: r.main_image,
                status: r.status,
                status_reason: r.status_reason,
                min_price: r.min_price,
                max_price: r.max_price,
                total_stock: r.total_stock,
                sales: r.sales,
            })
            .collect();
        Ok(MerchantProductList {
            items,
            total,
            page,
            page_size: PAGE_SIZE,
        })
    })
}

/// The editor's data: the product (`id`) or a blank form, and the categories this shop may use.
#[server(prefix = "/api", endpoint = "merchant/products/editor")]
pub async fn product_editor(id: Option<i64>) -> Result<ProductEditorData, AppError> {
    use crate::domain::money::yuan_text;
    use crate::services::products::allowed_categories;
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let pool = &c.st.db.pool;
        let categories = allowed_categories(&c.st, &scope)
            .await?
            .into_iter()
            .map(|(id, path)| CategoryOption { id, path })
            .collect();
        let form = match id {
            None => ProductForm::default(),
            Some(id) => {
                let p = crate::repo::products::product_of_merchant(pool, scope.merchant_id, id)
                    .await?
                    .ok_or_else(|| AppError::not_found("商品不存在"))?;
                let skus = crate::repo::products::active_skus_of(pool, &[id]).await?;
                ProductForm {
                    id: Some(p.id),
                    category_id: p.category_id,
                    title: p.title,
                    subtitle: p.subtitle,
                    brand: p.brand,
                    origin: p.origin,
                    description: p.description,
                    main_image: p.main_image,
                    gallery: crate::services::storefront::keys(&p.gallery),
                    spec_dims: serde_json::from_str(&p.spec_dims).unwrap_or_default(),
                    skus: skus
                        .into_iter()
                        .map(|s| SkuForm {
                            id: Some(s.id),
                            spec_values: serde_json::from_str(&s.spec_values).unwrap_or_default(),
                            price: yuan_text(s.price),
                            original_price: if s.original_price > 0 {
                                yuan_text(s.original_price)
                            } else {
                                String::new()
                            },
                            stock: s.stock,
                            weight_g: s.weight_g,
                            code: s.code,
                        })
                        .collect(),
                    featured: p.featured != 0,
                    status: Some(p.status),
                    status_reason: p.status_reason,
                }
            }
        };
        Ok(ProductEditorData { form, categories })
    })
}

/// Saves the editor. `publish` also puts the product on sale. Returns the product id.
#[server(prefix = "/api", endpoint = "merchant/products/save", input = Json)]
pub async fn save_product(form: ProductForm, publish: bool) -> Result<i64, AppError> {
    use crate::domain::money::parse_yuan;
    use crate::domain::product::SkuInput;
    use crate::services::products::{save, ProductInput};
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let mut skus = Vec::with_capacity(form.skus.len());
        for s in form.skus {
            let original = s.original_price.trim();
            skus.push(SkuInput {
                price: parse_yuan("skus", &s.price)?,
                original_price: if original.is_empty() {
                    0
                } else {
                    parse_yuan("skus", original)?
                },
                spec_values: s.spec_values,
                stock: s.stock,
                weight_g: s.weight_g,
                code: s.code,
            });
        }
        let input = ProductInput {
            category_id: form.category_id,
            title: form.title,
            subtitle: form.subtitle,
            brand: form.brand,
            origin: form.origin,
            description: form.description,
            main_image: form.main_image,
            gallery: form.gallery,
            spec_dims: form.spec_dims,
            skus,
            featured: form.featured,
        };
        save(&c.st, &scope, form.id, input, publish, &c.ip).await
    })
}

/// Bulk on sale (`on` = "1") or off shelf of the checked products.
#[server(prefix = "/api", endpoint = "merchant/products/shelf")]
pub async fn set_shelf(ids: Option<Vec<i64>>, on: String) -> Result<usize, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let ids = ids.unwrap_or_default();
        let n =
            crate::services::products::set_on_sale(&c.st, &scope, &ids, on == "1", &c.ip).await?;
        Ok(n)
    })
}

#[server(prefix = "/api", endpoint = "merchant/stock/adjust")]
pub async fn adjust_stock(sku_id: i64, delta: i64, reason: String) -> Result<i64, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::products::adjust_stock(&c.st, &scope, sku_id, delta, &reason, &c.ip).await
    })
}

#[server(prefix = "/api", endpoint = "merchant/stock/log")]
pub async fn stock_log(product_id: i64) -> Result<Vec<StockLogView>, AppError> {
    use crate::domain::product::spec_label;
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let rows = crate::services::products::stock_log(&c.st, &scope, product_id).await?;
        Ok(rows
            .into_iter()
            .map(|r| StockLogView {
                sku_id: r.sku_id,
                spec: spec_label(
                    &serde_json::from_str::<Vec<String>>(&r.spec_values).unwrap_or_default(),
                ),
                delta: r.delta,
                stock_after: r.stock_after,
                reason: r.reason,
                created_at: r.created_at,
            })
            .collect())
    })
}
