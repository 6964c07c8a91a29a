//! Merchant console: the shop's products, the product editor, shelf status and stock.
//! Every function runs in the caller's `MerchantScope`: another shop's rows are not found.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::domain::product_editor::{
    MerchantProductList, ProductEditorData, ProductForm, StockLogView,
};
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "merchant/products")]
pub async fn merchant_products(
    status: Option<String>,
    page: Option<i64>,
) -> Result<MerchantProductList, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let status = status
            .as_deref()
            .and_then(crate::domain::product::ProductStatus::parse);
        crate::services::products::merchant_list(&c.st, &scope, status, page.unwrap_or(1)).await
    })
}

/// The editor's data: the product (`id`) or a blank form, and the categories this shop may use.
#[server(prefix = "/api", endpoint = "merchant/products/editor")]
pub async fn product_editor(id: Option<i64>) -> Result<ProductEditorData, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::products::editor(&c.st, &scope, id).await
    })
}

/// Saves the editor. `publish` also puts the product on sale. Returns the product id.
#[server(prefix = "/api", endpoint = "merchant/products/save", input = Json)]
pub async fn save_product(form: ProductForm, publish: bool) -> Result<i64, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let (id, input) = form.parse()?;
        crate::services::products::save(&c.st, &scope, id, input, publish, &c.ip).await
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
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::products::stock_log(&c.st, &scope, product_id).await
    })
}
