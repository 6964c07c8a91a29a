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
                            <p class="mt-1 text-sm text-gray-500">{o.region} " · " {if o.shop_status == "active" { "营业中" } else { "已暂停营业" }}</p>
                            <div class="mt-6 grid grid-cols-4 gap-4">
                                {[("今日订单", "0"), ("待发货", "0"), ("售后待处理", "0"), ("可提现（元）", "0.00")]
                                    .map(|(k, v)| view! {
                                        <div class="rounded-lg bg-white p-5">
                                            <p class="text-sm text-gray-500">{k}</p>
                                            <p class="mt-2 text-2xl font-bold">{v}</p>
                                        </div>
                                    })
                                    .collect_view()}
                            </div>
                        }.into_any(),
                        Err(e) => view! { <p class="text-promo">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </ConsoleLayout>
    }
}
