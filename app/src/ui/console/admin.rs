//! 平台管理后台.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{ConsoleLoginPage, ConsoleShell};
use crate::api::overview::admin_overview;
use crate::domain::account::Realm;
use crate::ui::kit::{Col, DataTable, Loaded};

pub const NAV: &[(&str, &str)] = &[
    ("/admin", "概览"),
    ("/admin/applications", "入驻审核"),
    ("/admin/merchants", "商家管理"),
    ("/admin/products", "商品管理"),
    ("/admin/orders", "订单管理"),
    ("/admin/after-sales", "售后仲裁"),
    ("/admin/coupons", "平台优惠券"),
    ("/admin/reviews", "评价管理"),
    ("/admin/finance", "结算管理"),
    ("/admin/finance/withdrawals", "提现审核"),
    ("/admin/finance/report", "财务报表"),
    ("/admin/finance/reconcile", "对账"),
    ("/admin/categories", "分类管理"),
    ("/admin/audit", "操作日志"),
];

#[component]
pub fn AdminLoginPage() -> impl IntoView {
    view! { <ConsoleLoginPage realm=Realm::Admin title="集市平台管理" /> }
}

#[component]
pub fn AdminHomePage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| admin_overview());
    view! {
        <Title text="平台管理" />
        <ConsoleShell realm=Realm::Admin>
            <Loaded resource=overview let:o>
                {view! {
                    <h1 class="text-xl font-bold">"市场概览"</h1>
                    <div class="mt-6 grid grid-cols-4 gap-4">
                        <div class="rounded-lg bg-white p-5">
                            <p class="text-sm text-gray-500">"入驻商家"</p>
                            <p class="mt-2 text-2xl font-bold" data-test="merchant-count">{o.merchants.len()}</p>
                        </div>
                        <div class="rounded-lg bg-white p-5">
                            <p class="text-sm text-gray-500">"商品分类"</p>
                            <p class="mt-2 text-2xl font-bold">{o.category_count}</p>
                        </div>
                    </div>
                    <h2 class="mt-8 mb-3 font-bold">"商家列表"</h2>
                    <DataTable columns=vec![Col::text("ID"), Col::text("店铺"), Col::text("产地"), Col::text("状态")] rows=o.merchants test="overview-merchants" class="" let:m>
                        <tr>
                            <td>{m.id}</td>
                            <td>{m.name}</td>
                            <td>{m.region}</td>
                            <td>{m.status.label()}</td>
                        </tr>
                    </DataTable>
                }.into_any()}
            </Loaded>
        </ConsoleShell>
    }
}
