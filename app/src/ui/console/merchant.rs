//! 商家后台.

use leptos::prelude::*;

use super::dashboard::DashboardPage;
use super::ConsoleLoginPage;
use crate::domain::account::Realm;

pub const NAV: &[(&str, &str)] = &[
    ("/merchant", "概览"),
    ("/merchant/products", "商品管理"),
    ("/merchant/products/new", "发布商品"),
    ("/merchant/orders", "订单管理"),
    ("/merchant/after-sales", "售后处理"),
    ("/merchant/reviews", "评价管理"),
    ("/merchant/marketing", "营销中心"),
    ("/merchant/finance", "结算中心"),
    ("/merchant/shipping", "运费设置"),
    ("/merchant/shop", "店铺装修"),
    ("/merchant/staff", "店员管理"),
    ("/merchant/audit", "操作日志"),
];

#[component]
pub fn MerchantLoginPage() -> impl IntoView {
    view! { <ConsoleLoginPage realm=Realm::Merchant title="集市商家后台" /> }
}

#[component]
pub fn MerchantHomePage() -> impl IntoView {
    view! { <DashboardPage realm=Realm::Merchant /> }
}
