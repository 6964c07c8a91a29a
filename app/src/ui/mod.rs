//! The three user interfaces. Routes are declared here, in one place.

pub mod common;
pub mod console;
pub mod h5;
pub mod kit;
pub mod upload;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use common::NotFound;

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
                <meta name="theme-color" content="#FF4E4E" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href=stylesheet_href(&options) />
                <HydrationScripts options />
                <MetaTags />
                {page_policy()}
            </head>
            <body class="bg-page text-ink antialiased">
                <App />
            </body>
        </html>
    }
}

/// The stylesheet's address. The build names the bundle's files (`.js`, `.wasm`, `.css`) after
/// their content (`jishi.<hash>`, the options' output name), so each name is cached for good.
pub fn stylesheet_href(options: &LeptosOptions) -> String {
    format!("/{}/{}.css", options.site_pkg_dir, options.output_name)
}

/// Sends this page's Content-Security-Policy, naming the nonce Leptos gives its scripts.
fn page_policy() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        let policy = crate::infra::security_headers::page_policy(&nonce);
        if let Ok(value) = http::HeaderValue::from_str(&policy) {
            res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser, after hydration: browser tests wait for this mark.
    Effect::new(|_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        // leptos_meta writes the title into the HTML unescaped: page titles carry search queries
        // and shop and product names, so the formatter escapes them on the server
        <Title formatter=|page: String| common::raw_text_element(if page.is_empty() { "集市".to_string() } else { format!("{page} - 集市") }) />
        // Every page renders complete HTML (SsrMode::Async waits for its data), so it is useful
        // before the wasm arrives and without JavaScript at all.
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=h5::home::HomePage ssr=SsrMode::Async />
                <Route path=path!("/category") view=h5::category::CategoryPage ssr=SsrMode::Async />
                <Route path=path!("/search") view=h5::search::SearchPage ssr=SsrMode::Async />
                <Route path=path!("/product/:id") view=h5::product::ProductPage ssr=SsrMode::Async />
                <Route path=path!("/shop/:id") view=h5::shop::ShopFrontPage ssr=SsrMode::Async />
                <Route path=path!("/apply") view=h5::apply::ApplyPage ssr=SsrMode::Async />
                <Route path=path!("/cart") view=h5::cart::CartPage ssr=SsrMode::Async />
                <Route path=path!("/checkout") view=h5::checkout::CheckoutPage ssr=SsrMode::Async />
                <Route path=path!("/pay/:trade_no") view=h5::checkout::PayPage ssr=SsrMode::Async />
                <Route path=path!("/orders") view=h5::orders::OrdersPage ssr=SsrMode::Async />
                <Route path=path!("/orders/:id") view=h5::orders::OrderDetailPage ssr=SsrMode::Async />
                <Route path=path!("/orders/:id/after-sale") view=h5::after_sale::AfterSaleRequestPage ssr=SsrMode::Async />
                <Route path=path!("/after-sales/:id") view=h5::after_sale::AfterSaleDetailPage ssr=SsrMode::Async />
                <Route path=path!("/addresses") view=h5::addresses::AddressesPage ssr=SsrMode::Async />
                <Route path=path!("/addresses/new") view=h5::addresses::AddressEditPage ssr=SsrMode::Async />
                <Route path=path!("/addresses/:id") view=h5::addresses::AddressEditPage ssr=SsrMode::Async />
                <Route path=path!("/me") view=h5::me::MePage ssr=SsrMode::Async />
                <Route path=path!("/me/coupons") view=h5::coupons::MyCouponsPage ssr=SsrMode::Async />
                <Route path=path!("/coupons") view=h5::coupons::CouponCenterPage ssr=SsrMode::Async />
                <Route path=path!("/login") view=h5::auth::LoginPage ssr=SsrMode::Async />
                <Route path=path!("/register") view=h5::auth::RegisterPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/login") view=console::merchant::MerchantLoginPage ssr=SsrMode::Async />
                <Route path=path!("/merchant") view=console::merchant::MerchantHomePage ssr=SsrMode::Async />
                <Route path=path!("/merchant/products") view=console::merchant_products::MerchantProductsPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/products/new") view=console::merchant_products::ProductEditorPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/products/:id") view=console::merchant_products::ProductEditorPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/orders") view=console::merchant_orders::MerchantOrdersPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/orders/:id") view=console::merchant_orders::MerchantOrderPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/orders/:id/packing") view=console::merchant_orders::PackingListPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/after-sales") view=console::merchant_orders::MerchantAfterSalesPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/finance") view=console::merchant_finance::MerchantFinancePage ssr=SsrMode::Async />
                <Route path=path!("/merchant/finance/bills") view=console::merchant_finance::MerchantBillsPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/finance/bills/:id") view=console::merchant_finance::MerchantBillPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/finance/ledger") view=console::merchant_finance::MerchantLedgerPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/marketing") view=console::merchant_marketing::MerchantMarketingPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/marketing/coupons/new") view=console::merchant_marketing::MerchantCouponNewPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/marketing/full-reductions/new") view=console::merchant_marketing::FullReductionNewPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/shipping") view=console::merchant_shipping::ShippingPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/shop") view=console::merchant_shop::ShopDecorationPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/staff") view=console::merchant_shop::StaffPage ssr=SsrMode::Async />
                <Route path=path!("/admin/login") view=console::admin::AdminLoginPage ssr=SsrMode::Async />
                <Route path=path!("/admin") view=console::admin::AdminHomePage ssr=SsrMode::Async />
                <Route path=path!("/admin/coupons") view=console::admin_coupons::AdminCouponsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/coupons/new") view=console::admin_coupons::AdminCouponNewPage ssr=SsrMode::Async />
                <Route path=path!("/admin/categories") view=console::admin_categories::AdminCategoriesPage ssr=SsrMode::Async />
                <Route path=path!("/admin/applications") view=console::admin_applications::ApplicationsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/applications/:id") view=console::admin_applications::ApplicationDetailPage ssr=SsrMode::Async />
                <Route path=path!("/admin/merchants") view=console::admin_merchants::MerchantsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/products") view=console::admin_merchants::AdminProductsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/orders") view=console::admin_orders::AdminOrdersPage ssr=SsrMode::Async />
                <Route path=path!("/admin/orders/:id") view=console::admin_orders::AdminOrderPage ssr=SsrMode::Async />
                <Route path=path!("/admin/after-sales") view=console::admin_orders::AdminAfterSalesPage ssr=SsrMode::Async />
                <Route path=path!("/admin/finance") view=console::admin_finance::AdminBillsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/finance/bills/:id") view=console::admin_finance::AdminBillPage ssr=SsrMode::Async />
                <Route path=path!("/admin/finance/withdrawals") view=console::admin_finance::AdminWithdrawalsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/finance/report") view=console::admin_finance::FinanceReportPage ssr=SsrMode::Async />
                <Route path=path!("/admin/finance/reconcile") view=console::admin_finance::ReconcilePage ssr=SsrMode::Async />
                <Route path=path!("/admin/finance/ledger") view=console::admin_finance::AdminLedgerPage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}
