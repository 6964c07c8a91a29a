//! 商家后台.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{ConsoleLayout, ConsoleLoginPage};
use crate::api::overview::merchant_overview;
use crate::domain::account::Realm;

const NAV: &[(&str, &str)] = &[("/merchant", "概览")];

#[component]
pub fn MerchantLoginPage() -> impl IntoView {
    view! { <ConsoleLoginPage realm=Realm::Merchant title="集市商家后台" /> }
}

#[component]
pub fn MerchantHomePage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| merchant_overview());
    let user = Signal::derive(move || {
        overview
            .get()
            .and_then(Result::ok)
            .map(|o| {
                format!(
                    "{}（{}）",
                    o.identity.display_name,
                    o.identity.staff_role.map(|r| r.label()).unwrap_or_default()
                )
            })
            .unwrap_or_default()
    });
    view! {
        <Title text="商家后台" />
        <ConsoleLayout brand="商家后台" nav=NAV user=user>
            <Suspense fallback=|| view! { <p class="text-gray-400">"加载中…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(o) => view! {
                            <h1 class="text-xl font-bold" data-test="shop-name">{o.shop_name}</h1>
                            <p class="mt-1 text-sm text-gray-500">{o.region.clone()} " · " {if o.shop_status == "active" { "营业中" } else { "已暂停营业" }}</p>
                            <dl class="mt-6 grid max-w-2xl grid-cols-[8rem_1fr] gap-y-3 rounded-lg bg-white p-6 text-sm">
                                <dt class="text-gray-500">"店铺名称"</dt>
                                <dd>{o.identity.merchant_name.clone().unwrap_or_default()}</dd>
                                <dt class="text-gray-500">"产地"</dt>
                                <dd>{o.region.clone()}</dd>
                                <dt class="text-gray-500">"我的身份"</dt>
                                <dd>{o.identity.staff_role.map(|r| r.label()).unwrap_or_default()}</dd>
                            </dl>
                        }.into_any(),
                        Err(e) => view! { <p class="text-promo">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </ConsoleLayout>
    }
}
