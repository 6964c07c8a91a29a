//! 商家后台.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{ConsoleLoginPage, ConsoleShell};
use crate::api::overview::merchant_overview;
use crate::domain::account::Realm;
use crate::ui::kit::Loaded;

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
    let overview = Resource::new(|| (), |_| merchant_overview());
    view! {
        <Title text="商家后台" />
        <ConsoleShell realm=Realm::Merchant>
            <Loaded resource=overview let:o>
                {view! {
                    <h1 class="text-xl font-bold" data-test="shop-name">{o.shop_name}</h1>
                    <p class="mt-1 text-sm text-gray-500">{o.region.clone()} " · " {o.shop_status.label()}</p>
                    <dl class="mt-6 grid max-w-2xl grid-cols-[8rem_1fr] gap-y-3 rounded-lg bg-white p-6 text-sm">
                        <dt class="text-gray-500">"店铺名称"</dt>
                        <dd>{o.identity.merchant_name.clone().unwrap_or_default()}</dd>
                        <dt class="text-gray-500">"产地"</dt>
                        <dd>{o.region.clone()}</dd>
                        <dt class="text-gray-500">"我的身份"</dt>
                        <dd>{o.identity.staff_role.map(|r| r.label()).unwrap_or_default()}</dd>
                    </dl>
                }.into_any()}
            </Loaded>
        </ConsoleShell>
    }
}
