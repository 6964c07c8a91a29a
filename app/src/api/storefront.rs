//! The shop front for shoppers (no sign-in needed): home, search and lists, product and shop
//! pages. Served from the in-memory read model (`services::storefront`).

use leptos::prelude::*;

use crate::domain::storefront::{HomeFeed, ProductDetail, SearchPage, ShopPage};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "shop/home")]
pub async fn fetch_home() -> Result<HomeFeed, AppError> {
    use crate::infra::session;
    use crate::state::AppState;
    session::respond(async move { Ok(AppState::from_context()?.shop_front.home()) }).await
}

/// Search and list. Prices are yuan as typed in the filter (`10`, `9.9`); empty means no limit.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/api", endpoint = "shop/search")]
pub async fn search_products(
    q: String,
    category: Option<i64>,
    min_price: Option<String>,
    max_price: Option<String>,
    region: Option<String>,
    shop: Option<i64>,
    sort: Option<String>,
    page: Option<u32>,
) -> Result<SearchPage, AppError> {
    use crate::domain::storefront::SearchQuery;
    use crate::infra::session;
    use crate::state::AppState;
    session::respond(async move {
        let query = SearchQuery::from_params(
            &q,
            category,
            min_price.as_deref(),
            max_price.as_deref(),
            region,
            shop,
            sort.as_deref(),
            page,
        )?;
        Ok(AppState::from_context()?.shop_front.search(&query))
    })
    .await
}

#[server(prefix = "/api", endpoint = "shop/product")]
pub async fn fetch_product(id: i64) -> Result<ProductDetail, AppError> {
    use crate::infra::session;
    use crate::state::AppState;
    session::respond(async move {
        AppState::from_context()?
            .shop_front
            .product(id)
            .map(|p| (*p).clone())
            .ok_or_else(|| AppError::not_found("商品不存在或已下架"))
    })
    .await
}

#[server(prefix = "/api", endpoint = "shop/page")]
pub async fn fetch_shop(
    id: i64,
    page: Option<u32>,
    sort: Option<String>,
) -> Result<ShopPage, AppError> {
    use crate::domain::storefront::{page_number, SortBy};
    use crate::infra::session;
    use crate::state::AppState;
    session::respond(async move {
        AppState::from_context()?
            .shop_front
            .shop_page(
                id,
                page_number(page),
                SortBy::parse(sort.as_deref().unwrap_or_default()),
            )
            .ok_or_else(|| AppError::not_found("店铺不存在或已暂停营业"))
    })
    .await
}
