//! 我的: profile, order shortcuts and sign-out; a sign-in prompt when nobody is signed in.

use leptos::prelude::*;
use leptos_meta::Title;

use super::H5Layout;
use crate::api::auth::SignOut;
use crate::api::overview::shopper_profile;
use crate::domain::order_view::OrderTab;
use crate::ui::kit::{Loaded, Place};

const ORDER_TABS: [OrderTab; 5] = [
    OrderTab::Unpaid,
    OrderTab::ToShip,
    OrderTab::Shipped,
    OrderTab::ToReview,
    OrderTab::AfterSale,
];

#[component]
pub fn MePage() -> impl IntoView {
    let profile = Resource::new(|| (), |_| shopper_profile());
    let sign_out = ServerAction::<SignOut>::new();
    view! {
        <Title text="我的" />
        <H5Layout>
            <Loaded resource=profile place=Place::Shop signed_out=|| view! {
                <header class="bg-promo px-5 py-10 text-white">
                    <p class="text-xl font-bold">"欢迎来到集市"</p>
                    <p class="mt-1 text-sm opacity-90">"登录后查看订单、收货地址和售后"</p>
                </header>
                <div class="mx-3 mt-4 flex gap-3">
                    <a href="/login" class="btn-primary flex-1">"登录"</a>
                    <a href="/register" class="btn-outline flex-1">"注册"</a>
                </div>
            } let:p>
                {view! {
                    <header class="bg-promo px-5 pb-8 pt-8 text-white">
                        <p class="text-xl font-bold" data-test="me-name">{p.identity.display_name}</p>
                        <p class="mt-1 text-sm opacity-90">{p.phone_masked.unwrap_or_else(|| "未绑定手机号".into())}</p>
                    </header>
                    <section class="mx-3 -mt-4 rounded-xl bg-white p-4">
                        <a href="/orders" class="mb-3 flex justify-between text-sm"><span class="font-bold">"我的订单"</span><span class="text-gray-400">"全部订单 ›"</span></a>
                        <div class="grid grid-cols-5 text-center text-xs text-gray-600">
                            {ORDER_TABS.map(|t| view! { <a href=format!("/orders?tab={}", t.as_str()) class="py-1">{t.label()}</a> }).collect_view()}
                        </div>
                    </section>
                    <a href="/me/coupons" class="mx-3 mt-3 flex items-center justify-between rounded-xl bg-white p-4 text-sm" data-test="my-coupons-link">
                        <span>"🎟️ 我的优惠券"</span>
                        <span class="text-gray-400">"领券中心 ›"</span>
                    </a>
                    <a href="/me/reviews" class="mx-3 mt-3 flex items-center justify-between rounded-xl bg-white p-4 text-sm" data-test="my-reviews-link">
                        <span>"⭐ 我的评价"</span>
                        <span class="text-gray-400">"待评价 ›"</span>
                    </a>
                    <a href="/addresses" class="mx-3 mt-3 flex items-center justify-between rounded-xl bg-white p-4 text-sm">
                        <span>"📍 收货地址"</span>
                        <span class="text-gray-400">"›"</span>
                    </a>
                    <a href="/apply" class="mx-3 mt-3 flex items-center justify-between rounded-xl bg-white p-4 text-sm" data-test="apply-link">
                        <span>"🏪 商家入驻"</span>
                        <span class="text-gray-400">"开一家自己的店 ›"</span>
                    </a>
                    <section class="mx-3 mt-3">
                        <ActionForm action=sign_out>
                            <button type="submit" class="btn-outline w-full">"退出登录"</button>
                        </ActionForm>
                    </section>
                }}
            </Loaded>
        </H5Layout>
    }
}
