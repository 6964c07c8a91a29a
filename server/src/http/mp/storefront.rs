//! The shop front for the mini-program: the same read model and rules as the H5 pages.

use app::domain::category::CategoryNode;
use app::domain::storefront::{
    page_number, HomeFeed, ProductDetail, SearchPage, SearchQuery, ShopPage, SortBy,
};
use app::error::AppError;
use app::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use super::extract::{ApiPath, ApiQuery};
use super::{ok, Envelope};

#[utoipa::path(
    get, path = "/home", tag = "storefront",
    responses((status = 200, description = "Banners, category shortcuts, recommended products", body = Envelope<HomeFeed>))
)]
pub async fn home(State(st): State<AppState>) -> Json<Envelope<HomeFeed>> {
    ok(st.shop_front.home())
}

#[utoipa::path(
    get, path = "/categories", tag = "storefront",
    responses((status = 200, description = "The live category tree (a disabled category hides its subtree)", body = Envelope<Vec<CategoryNode>>))
)]
pub async fn categories(
    State(st): State<AppState>,
) -> Result<Json<Envelope<Vec<CategoryNode>>>, AppError> {
    Ok(ok(app::services::categories::tree(&st).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// words to search for (Chinese is segmented)
    #[serde(default)]
    pub q: String,
    /// a category id; its sub-categories are included
    pub category: Option<i64>,
    /// lowest price in yuan, e.g. `9.9`
    pub min_price: Option<String>,
    /// highest price in yuan
    pub max_price: Option<String>,
    /// a province such as `贵州`, or a full origin `贵州·遵义`
    pub region: Option<String>,
    /// a shop id
    pub shop: Option<i64>,
    /// `default` (综合), `sales`, `price_asc`, `price_desc`, `newest`
    pub sort: Option<String>,
    /// 1-based page of 20
    pub page: Option<u32>,
}

#[utoipa::path(
    get, path = "/products", tag = "storefront", params(ProductQuery),
    responses(
        (status = 200, description = "One page of products, each with its SKUs' price and stock", body = Envelope<SearchPage>),
        (status = 422, description = "A price filter is not an amount"),
    )
)]
pub async fn products(
    State(st): State<AppState>,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> Result<Json<Envelope<SearchPage>>, AppError> {
    let query = SearchQuery::from_params(
        &q.q,
        q.category,
        q.min_price.as_deref(),
        q.max_price.as_deref(),
        q.region,
        q.shop,
        q.sort.as_deref(),
        q.page,
    )?;
    Ok(ok(st.shop_front.search(&query)))
}

#[utoipa::path(
    get, path = "/products/{id}", tag = "storefront",
    params(
        ("id" = i64, Path, description = "product id"),
        ("from" = Option<String>, Query, description = "where the shopper came from, for the mall's visit counts: `share` when opened from a shared card; also home, search, category, shop, product"),
    ),
    responses(
        (status = 200, description = "The product with gallery, specs and SKUs", body = Envelope<ProductDetail>),
        (status = 404, description = "No such product on sale"),
    )
)]
pub async fn product(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Envelope<std::sync::Arc<ProductDetail>>>, AppError> {
    st.shop_front
        .product(id)
        .map(ok)
        .ok_or_else(|| AppError::not_found("商品不存在或已下架"))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ShopQuery {
    /// 1-based page of 20
    pub page: Option<u32>,
    /// `default` (综合), `sales`, `price_asc`, `price_desc`, `newest`
    pub sort: Option<String>,
}

#[utoipa::path(
    get, path = "/shops/{id}", tag = "storefront",
    params(
        ("id" = i64, Path, description = "shop id"),
        ("from" = Option<String>, Query, description = "where the shopper came from (as for a product); counted on the first page only"),
        ShopQuery,
    ),
    responses(
        (status = 200, description = "The shop's decoration, featured and listed products", body = Envelope<ShopPage>),
        (status = 404, description = "No such open shop"),
    )
)]
pub async fn shop(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ShopQuery>,
) -> Result<Json<Envelope<ShopPage>>, AppError> {
    st.shop_front
        .shop_page(
            id,
            page_number(q.page),
            SortBy::parse(q.sort.as_deref().unwrap_or_default()),
        )
        .map(ok)
        .ok_or_else(|| AppError::not_found("店铺不存在或已暂停营业"))
}
