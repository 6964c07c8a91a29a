//! 平台管理后台.

use leptos::prelude::*;

use super::dashboard::DashboardPage;
use super::ConsoleLoginPage;
use crate::domain::account::Realm;

pub const NAV: &[(&str, &str)] = &[
    ("/admin", "概览"),
    ("/admin/applications", "入驻审核"),
    ("/admin/merchants", "商家管理"),
    ("/admin/products", "商品管理"),
    ("/admin/shoppers", "会员管理"),
    ("/admin/staff", "商家账号"),
    ("/admin/orders", "订单管理"),
    ("/admin/after-sales", "售后仲裁"),
    ("/admin/coupons", "平台优惠券"),
    ("/admin/flash-sales", "秒杀活动"),
    ("/admin/group-buys", "拼团活动"),
    ("/admin/presales", "预售活动"),
    ("/admin/reviews", "评价管理"),
    ("/admin/finance", "结算管理"),
    ("/admin/finance/withdrawals", "提现审核"),
    ("/admin/finance/report", "财务报表"),
    ("/admin/finance/reconcile", "对账"),
    ("/admin/categories", "分类管理"),
    ("/admin/admins", "管理员"),
    ("/admin/audit", "操作日志"),
];

#[component]
pub fn AdminLoginPage() -> impl IntoView {
    view! { <ConsoleLoginPage realm=Realm::Admin title="集市平台管理" /> }
}

#[component]
pub fn AdminHomePage() -> impl IntoView {
    view! { <DashboardPage realm=Realm::Admin /> }
}
