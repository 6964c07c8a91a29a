//! The three user interfaces. Routes are declared here, in one place.
//!
//! Pages render on the server only (leptos islands): the browser receives HTML that works
//! without script, and the wasm of the page's islands alone, from one of two bundles: the shop's
//! (`shop.<hash>`) or the consoles' (`console.<hash>`, built with the `console` feature; the
//! shop's islands are in it too). A shopper never downloads console code.

pub mod common;
#[cfg(any(feature = "ssr", feature = "console"))]
pub mod console;
#[cfg(feature = "ssr")]
mod document;
pub mod h5;
pub mod kit;
pub mod upload;

#[cfg(feature = "ssr")]
pub use document::{shell, Bundles};
#[cfg(feature = "ssr")]
use leptos::prelude::*;

#[cfg(feature = "ssr")]
#[component]
pub fn App() -> impl IntoView {
    use leptos_meta::{provide_meta_context, Title};
    use leptos_router::components::{Route, Router, Routes};
    use leptos_router::{path, SsrMode};

    use common::NotFound;

    provide_meta_context();
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
                <Route path=path!("/product/:id/reviews") view=h5::review::ProductReviewsPage ssr=SsrMode::Async />
                <Route path=path!("/shop/:id") view=h5::shop::ShopFrontPage ssr=SsrMode::Async />
                <Route path=path!("/apply") view=h5::apply::ApplyPage ssr=SsrMode::Async />
                <Route path=path!("/cart") view=h5::cart::CartPage ssr=SsrMode::Async />
                <Route path=path!("/checkout") view=h5::checkout::CheckoutPage ssr=SsrMode::Async />
                <Route path=path!("/pay/:trade_no") view=h5::checkout::PayPage ssr=SsrMode::Async />
                <Route path=path!("/orders") view=h5::orders::OrdersPage ssr=SsrMode::Async />
                <Route path=path!("/orders/:id") view=h5::orders::OrderDetailPage ssr=SsrMode::Async />
                <Route path=path!("/orders/:id/after-sale") view=h5::after_sale::AfterSaleRequestPage ssr=SsrMode::Async />
                <Route path=path!("/orders/:id/review") view=h5::review::ReviewOrderPage ssr=SsrMode::Async />
                <Route path=path!("/after-sales/:id") view=h5::after_sale::AfterSaleDetailPage ssr=SsrMode::Async />
                <Route path=path!("/addresses") view=h5::addresses::AddressesPage ssr=SsrMode::Async />
                <Route path=path!("/addresses/new") view=h5::addresses::AddressEditPage ssr=SsrMode::Async />
                <Route path=path!("/addresses/:id") view=h5::addresses::AddressEditPage ssr=SsrMode::Async />
                <Route path=path!("/me") view=h5::me::MePage ssr=SsrMode::Async />
                <Route path=path!("/me/coupons") view=h5::coupons::MyCouponsPage ssr=SsrMode::Async />
                <Route path=path!("/me/reviews") view=h5::review::MyReviewsPage ssr=SsrMode::Async />
                <Route path=path!("/coupons") view=h5::coupons::CouponCenterPage ssr=SsrMode::Async />
                <Route path=path!("/flash-sale") view=h5::flash_sale::FlashSalePage ssr=SsrMode::Async />
                <Route path=path!("/group-buy") view=h5::group_buy::GroupBuyPage ssr=SsrMode::Async />
                <Route path=path!("/group/:id") view=h5::group_buy::GroupPage ssr=SsrMode::Async />
                <Route path=path!("/presale") view=h5::presale::PresalePage ssr=SsrMode::Async />
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
                <Route path=path!("/merchant/marketing/flash-sales") view=console::merchant_flash_sales::MerchantFlashSalesPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/marketing/flash-sales/:id") view=console::merchant_flash_sales::MerchantFlashSalePage ssr=SsrMode::Async />
                <Route path=path!("/merchant/marketing/group-buys") view=console::merchant_group_buys::MerchantGroupBuysPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/marketing/group-buys/new") view=console::merchant_group_buys::MerchantGroupBuyNewPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/marketing/group-buys/:id") view=console::merchant_group_buys::MerchantGroupBuyPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/marketing/presales") view=console::merchant_presales::MerchantPresalesPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/marketing/presales/new") view=console::merchant_presales::MerchantPresaleNewPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/marketing/presales/:id") view=console::merchant_presales::MerchantPresalePage ssr=SsrMode::Async />
                <Route path=path!("/merchant/shipping") view=console::merchant_shipping::ShippingPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/shop") view=console::merchant_shop::ShopDecorationPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/staff") view=console::merchant_shop::StaffPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/audit") view=console::audit::MerchantAuditPage ssr=SsrMode::Async />
                <Route path=path!("/merchant/reviews") view=console::reviews::MerchantReviewsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/login") view=console::admin::AdminLoginPage ssr=SsrMode::Async />
                <Route path=path!("/admin") view=console::admin::AdminHomePage ssr=SsrMode::Async />
                <Route path=path!("/admin/coupons") view=console::admin_coupons::AdminCouponsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/flash-sales") view=console::admin_flash_sales::AdminFlashSalesPage ssr=SsrMode::Async />
                <Route path=path!("/admin/flash-sales/new") view=console::admin_flash_sales::AdminFlashSaleNewPage ssr=SsrMode::Async />
                <Route path=path!("/admin/flash-sales/:id") view=console::admin_flash_sales::AdminFlashSalePage ssr=SsrMode::Async />
                <Route path=path!("/admin/group-buys") view=console::admin_group_buys::AdminGroupBuysPage ssr=SsrMode::Async />
                <Route path=path!("/admin/group-buys/:id") view=console::admin_group_buys::AdminGroupBuyPage ssr=SsrMode::Async />
                <Route path=path!("/admin/presales") view=console::admin_presales::AdminPresalesPage ssr=SsrMode::Async />
                <Route path=path!("/admin/coupons/new") view=console::admin_coupons::AdminCouponNewPage ssr=SsrMode::Async />
                <Route path=path!("/admin/categories") view=console::admin_categories::AdminCategoriesPage ssr=SsrMode::Async />
                <Route path=path!("/admin/applications") view=console::admin_applications::ApplicationsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/applications/:id") view=console::admin_applications::ApplicationDetailPage ssr=SsrMode::Async />
                <Route path=path!("/admin/merchants") view=console::admin_merchants::MerchantsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/products") view=console::admin_merchants::AdminProductsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/shoppers") view=console::admin_people::ShoppersPage ssr=SsrMode::Async />
                <Route path=path!("/admin/staff") view=console::admin_people::StaffAccountsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/admins") view=console::admin_people::AdminAccountsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/orders") view=console::admin_orders::AdminOrdersPage ssr=SsrMode::Async />
                <Route path=path!("/admin/orders/:id") view=console::admin_orders::AdminOrderPage ssr=SsrMode::Async />
                <Route path=path!("/admin/after-sales") view=console::admin_orders::AdminAfterSalesPage ssr=SsrMode::Async />
                <Route path=path!("/admin/finance") view=console::admin_finance::AdminBillsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/finance/bills/:id") view=console::admin_finance::AdminBillPage ssr=SsrMode::Async />
                <Route path=path!("/admin/finance/withdrawals") view=console::admin_finance::AdminWithdrawalsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/finance/report") view=console::admin_finance::FinanceReportPage ssr=SsrMode::Async />
                <Route path=path!("/admin/finance/reconcile") view=console::admin_finance::ReconcilePage ssr=SsrMode::Async />
                <Route path=path!("/admin/finance/ledger") view=console::admin_finance::AdminLedgerPage ssr=SsrMode::Async />
                <Route path=path!("/admin/audit") view=console::audit::AdminAuditPage ssr=SsrMode::Async />
                <Route path=path!("/admin/reviews") view=console::reviews::AdminReviewsPage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}
