//! The merchant console's product pages: the list's rows, the editor's form as the browser
//! sends it (prices as yuan text), and what the editor's form becomes once parsed
//! ([`ProductInput`], checked further by `services::products::save`).

use serde::{Deserialize, Serialize};

use crate::domain::money::parse_yuan;
use crate::domain::product::{ProductStatus, SkuInput, SpecDim};
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
    /// 上架 sends this product to 商品审核 (the platform reviews products and has not approved
    /// it yet), so the editor's button says 提交审核
    pub needs_review: bool,
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

/// What the product editor submits, prices in fen.
#[derive(Debug, Clone)]
pub struct ProductInput {
    pub category_id: i64,
    pub title: String,
    pub subtitle: String,
    pub brand: String,
    pub origin: String,
    /// HTML from the editor; sanitised here
    pub description: String,
    pub main_image: String,
    pub gallery: Vec<String>,
    pub spec_dims: Vec<SpecDim>,
    /// one per combination; `stock` is the opening stock of combinations that are new (stock
    /// of existing SKUs changes only through `services::products::adjust_stock`, so it is always logged)
    pub skus: Vec<SkuInput>,
    pub featured: bool,
}

impl ProductForm {
    /// The form's product id (None: a new product) and its input with prices in fen.
    /// Errors: 422 on `skus` when a price is not a yuan amount.
    pub fn parse(self) -> Result<(Option<i64>, ProductInput), AppError> {
        let mut skus = Vec::with_capacity(self.skus.len());
        for s in self.skus {
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
            category_id: self.category_id,
            title: self.title,
            subtitle: self.subtitle,
            brand: self.brand,
            origin: self.origin,
            description: self.description,
            main_image: self.main_image,
            gallery: self.gallery,
            spec_dims: self.spec_dims,
            skus,
            featured: self.featured,
        };
        Ok((self.id, input))
    }
}
