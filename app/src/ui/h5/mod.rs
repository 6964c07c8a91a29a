//! The H5 mobile shop (375 px first): bottom tabs 首页 / 分类 / 购物车 / 我的.

pub mod addresses;
pub mod after_sale;
pub mod apply;
pub mod auth;
pub mod cart;
pub mod category;
pub mod checkout;
pub mod coupons;
pub mod flash_sale;
pub mod group_buy;
pub mod home;
pub mod me;
pub mod orders;
pub mod presale;
pub mod product;
pub mod product_grid;
pub mod review;
pub mod search;
pub mod shop;

use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// A phone-width page with the bottom tab bar.
#[component]
pub fn H5Layout(children: Children) -> impl IntoView {
    view! {
        <div class="mx-auto min-h-screen max-w-[480px] bg-page pb-16">{children()}</div>
        <TabBar />
    }
}

const TABS: [(&str, &str, &str); 4] = [
    ("/", "首页", "M3 10.5 12 3l9 7.5V21h-6v-6H9v6H3z"),
    (
        "/category",
        "分类",
        "M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z",
    ),
    (
        "/cart",
        "购物车",
        "M3 4h2l2.4 11h11l2-8H6.2M9 20a1 1 0 1 0 0-2 1 1 0 0 0 0 2m9 0a1 1 0 1 0 0-2 1 1 0 0 0 0 2",
    ),
    (
        "/me",
        "我的",
        "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8m-8 9a8 8 0 0 1 16 0",
    ),
];

#[component]
fn TabBar() -> impl IntoView {
    let location = use_location();
    view! {
        <nav
            aria-label="主导航"
            class="fixed inset-x-0 bottom-0 z-20 mx-auto grid max-w-[480px] grid-cols-4 border-t border-gray-200 bg-white pb-[env(safe-area-inset-bottom)]"
        >
            {TABS
                .into_iter()
                .map(|(href, label, icon)| {
                    let active = move || location.pathname.get() == href;
                    view! {
                        <a
                            href=href
                            class="flex h-14 flex-col items-center justify-center gap-0.5 text-xs"
                            class:text-promo=active
                            class:text-gray-500=move || !active()
                            aria-current=move || active().then_some("page")
                        >
                            <svg viewBox="0 0 24 24" class="h-6 w-6" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round" stroke-linecap="round" aria-hidden="true">
                                <path d=icon />
                            </svg>
                            {label}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// A plain title bar for secondary H5 pages.
#[component]
pub fn TopBar(#[prop(into)] title: String) -> impl IntoView {
    view! {
        <header class="sticky top-0 z-10 flex h-12 items-center justify-center bg-white text-base font-medium">
            {title}
        </header>
    }
}
