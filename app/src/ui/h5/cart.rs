//! 购物车 (empty until the cart arrives with checkout).

use leptos::prelude::*;
use leptos_meta::Title;

use super::{H5Layout, TopBar};

#[component]
pub fn CartPage() -> impl IntoView {
    view! {
        <Title text="购物车" />
        <H5Layout>
            <TopBar title="购物车" />
            <div class="flex flex-col items-center gap-3 py-20 text-gray-400">
                <p>"购物车还是空的"</p>
                <a href="/" class="btn-outline px-6">"去逛逛"</a>
            </div>
        </H5Layout>
    }
}
