//! What the shop front shows: the read models shared by the H5 pages (through server functions)
//! and the mini-program API (as JSON). Money in fen.

use serde::{Deserialize, Serialize};

use crate::domain::money::parse_yuan;
use crate::domain::product::SpecDim;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use utoipa::ToSchema;

/// One purchasable combination of a product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct SkuView {
    pub id: i64,
    /// one value per spec dimension, in dimension order; empty without specs
    pub spec_values: Vec<String>,
    /// fen
    pub price: i64,
    /// fen, 0 when there is no crossed-out price
    pub original_price: i64,
    pub stock: i64,
}

/// A product in a list: enough for a card, plus each SKU's price and stock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ProductCard {
    pub id: i64,
    pub title: String,
    pub subtitle: String,
    /// image key; URLs are `/media/<key>_<240|750|1500>.jpg`
    pub image: String,
    pub min_price: i64,
    pub max_price: i64,
    pub sales: i64,
    pub origin: String,
    pub shop_id: i64,
    pub shop_name: String,
    pub skus: Vec<SkuView>,
}

/// Everything the product page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ProductDetail {
    pub id: i64,
    pub title: String,
    pub subtitle: String,
    pub brand: String,
    pub origin: String,
    pub category_id: i64,
    pub category_name: String,
    /// sanitised HTML
    pub description: String,
    /// image keys: the main image first, then the gallery
    pub images: Vec<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
    pub spec_dims: Vec<SpecDim>,
    pub skus: Vec<SkuView>,
    pub min_price: i64,
    pub max_price: i64,
    pub sales: i64,
    pub created_at: i64,
    pub shop: ShopBrief,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ShopBrief {
    pub id: i64,
    pub name: String,
    pub logo: String,
    pub region: String,
    pub product_count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ShopPage {
    pub shop: ShopBrief,
    pub intro: String,
    pub kind_label: String,
    pub banners: Vec<String>,
    pub featured: Vec<ProductCard>,
    pub products: SearchPage,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    /// 综合: relevance for a query, else sales
    #[default]
    Default,
    /// 销量
    Sales,
    /// 价格 low to high
    PriceAsc,
    /// 价格 high to low
    PriceDesc,
    /// 新品
    Newest,
}

impl SortBy {
    pub const ALL: [SortBy; 5] = [
        SortBy::Default,
        SortBy::Sales,
        SortBy::PriceAsc,
        SortBy::PriceDesc,
        SortBy::Newest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortBy::Default => "default",
            SortBy::Sales => "sales",
            SortBy::PriceAsc => "price_asc",
            SortBy::PriceDesc => "price_desc",
            SortBy::Newest => "newest",
        }
    }

    pub fn parse(s: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .unwrap_or_default()
    }
}

/// A shop-front query. Everything optional; prices in fen.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchQuery {
    pub q: String,
    pub category: Option<i64>,
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    /// a province (e.g. 贵州) or a full origin (贵州·遵义)
    pub region: Option<String>,
    pub shop: Option<i64>,
    pub sort: SortBy,
    /// 1-based
    pub page: u32,
}

pub const PAGE_SIZE: usize = 20;
/// Deeper pages are not served (nobody reads 10,000 products by paging).
pub const MAX_PAGE: u32 = 500;

/// A 1-based page number as sent by a client, kept within 1..=MAX_PAGE.
pub fn page_number(page: Option<u32>) -> u32 {
    page.unwrap_or(1).clamp(1, MAX_PAGE)
}

impl SearchQuery {
    /// A query as the clients send it (the H5 search form, the mini-program query string):
    /// prices in yuan as typed (empty = no limit), an unknown sort means 综合.
    #[allow(clippy::too_many_arguments)]
    pub fn from_params(
        q: &str,
        category: Option<i64>,
        min_price: Option<&str>,
        max_price: Option<&str>,
        region: Option<String>,
        shop: Option<i64>,
        sort: Option<&str>,
        page: Option<u32>,
    ) -> Result<Self, AppError> {
        let price = |field: &str, v: Option<&str>| match v.map(str::trim) {
            None | Some("") => Ok(None),
            Some(t) => parse_yuan(field, t).map(Some),
        };
        Ok(SearchQuery {
            q: q.chars().take(50).collect(),
            category,
            min_price: price("min_price", min_price)?,
            max_price: price("max_price", max_price)?,
            region,
            shop,
            sort: SortBy::parse(sort.unwrap_or_default()),
            page: page_number(page),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct SearchPage {
    pub items: Vec<ProductCard>,
    pub total: usize,
    pub page: u32,
    pub page_size: u32,
    /// provinces present in the whole catalogue, for the region filter
    pub regions: Vec<String>,
}

impl SearchPage {
    pub fn has_more(&self) -> bool {
        (self.page as usize) * (self.page_size as usize) < self.total
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct HomeFeed {
    /// (shop id, image key) of shop banners shown in the carousel
    pub banners: Vec<HomeBanner>,
    pub categories: Vec<CategoryShortcut>,
    pub recommended: Vec<ProductCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct HomeBanner {
    pub shop_id: i64,
    pub shop_name: String,
    pub image: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct CategoryShortcut {
    pub id: i64,
    pub name: String,
    pub icon: String,
}

/// URL of one stored size of an image (`edge` is 240, 750 or 1500); a neutral placeholder when
/// there is no image.
pub fn image_url(key: &str, edge: u32) -> String {
    if key.is_empty() {
        "/placeholder.svg".to_string()
    } else {
        format!("/media/{key}_{edge}.jpg")
    }
}

/// The province part of an origin: `贵州·遵义` → `贵州`.
pub fn province_of(origin: &str) -> &str {
    origin
        .split(['·', ' ', '-'])
        .next()
        .unwrap_or(origin)
        .trim()
}
