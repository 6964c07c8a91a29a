//! The desktop consoles (merchant and platform admin): sidebar layout and sign-in page.

pub mod admin;
pub mod admin_applications;
pub mod admin_categories;
pub mod admin_coupons;
pub mod admin_finance;
pub mod admin_flash_sales;
pub mod admin_group_buys;
pub mod admin_merchants;
pub mod admin_orders;
pub mod admin_people;
pub mod admin_presales;
pub mod audit;
pub mod dashboard;
pub mod finance;
pub mod marketing;
pub mod merchant;
pub mod merchant_finance;
pub mod merchant_flash_sales;
pub mod merchant_group_buys;
pub mod merchant_marketing;
pub mod merchant_orders;
pub mod merchant_presales;
pub mod merchant_products;
pub mod merchant_shipping;
pub mod merchant_shop;
pub mod orders;
pub mod reviews;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use crate::api::auth::{current_identity, SignIn, SignOut};
use crate::domain::account::Realm;
use crate::ui::common::{ErrorBanner, PasswordInput};
use crate::ui::kit::form_error;

/// The frame of both consoles: the sidebar with the realm's sections, a header greeting the
/// signed-in staff member or admin, and the page.
#[component]
pub fn ConsoleShell(realm: Realm, children: Children) -> impl IntoView {
    let (brand, nav) = match realm {
        Realm::Admin => ("平台管理", admin::NAV),
        _ => ("商家后台", merchant::NAV),
    };
    let me = Resource::new(|| (), |_| current_identity());
    let user = move || {
        me.get()
            .and_then(Result::ok)
            .flatten()
            .map(|i| match (i.merchant_name, i.staff_role, i.admin_role) {
                (Some(shop), Some(role), _) => {
                    format!("{shop} · {}（{}）", i.display_name, role.label())
                }
                (_, _, Some(role)) => format!("{}（{}）", i.display_name, role.label()),
                _ => i.display_name,
            })
            .unwrap_or_default()
    };
    let sign_out = ServerAction::<SignOut>::new();
    let location = use_location();
    view! {
        <div class="flex min-h-screen bg-page">
            <aside class="flex w-56 shrink-0 flex-col bg-[#1f2430] text-gray-300">
                <div class="flex h-14 items-center gap-2 px-5 text-white">
                    <span class="flex h-7 w-7 items-center justify-center rounded bg-promo text-sm font-bold">"集"</span>
                    <span class="font-bold">{brand}</span>
                </div>
                <nav class="flex-1 py-2" aria-label="控制台导航">
                    {nav
                        .iter()
                        .map(|(href, label)| {
                            let href = *href;
                            let current = move || {
                                let path = location.pathname.get();
                                (current_nav(nav, &path) == Some(href)).then_some("page")
                            };
                            view! {
                                <a href=href class="block px-5 py-2.5 text-sm hover:bg-white/5 hover:text-white aria-[current=page]:bg-promo aria-[current=page]:text-white" aria-current=current>
                                    {*label}
                                </a>
                            }
                        })
                        .collect_view()}
                </nav>
            </aside>
            <div class="flex min-w-0 flex-1 flex-col">
                <header class="flex h-14 items-center justify-end gap-4 border-b border-gray-200 bg-white px-6 text-sm">
                    <Suspense fallback=|| ()>
                        <span data-test="console-user">{user}</span>
                    </Suspense>
                    <ActionForm action=sign_out>
                        <button type="submit" class="text-gray-500 hover:text-promo">"退出"</button>
                    </ActionForm>
                </header>
                <main class="flex-1 p-6">{children()}</main>
            </div>
        </div>
    }
}

/// The section a console page belongs to: the nav entry whose path is the longest prefix of
/// the page's path (`/merchant/products/12` belongs to 商品管理).
fn current_nav(nav: &[(&'static str, &'static str)], path: &str) -> Option<&'static str> {
    nav.iter()
        .map(|(href, _)| *href)
        .filter(|href| path == *href || path.starts_with(&format!("{href}/")))
        .max_by_key(|href| href.len())
}

/// The sign-in page of a console.
#[component]
pub fn ConsoleLoginPage(realm: Realm, #[prop(into)] title: String) -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let error = form_error(move || action.value().get());
    view! {
        <Title text=title.clone() />
        <div class="flex min-h-screen items-center justify-center bg-[#1f2430] p-6">
            <div class="w-full max-w-sm rounded-xl bg-white p-8 shadow-xl">
                <div class="mb-6 flex items-center gap-2">
                    <span class="flex h-9 w-9 items-center justify-center rounded bg-promo text-lg font-bold text-white">"集"</span>
                    <h1 class="text-xl font-bold">{title}</h1>
                </div>
                <ActionForm action=action>
                    <input type="hidden" name="realm" value=realm.as_str() />
                    <div class="flex flex-col gap-4">
                        <ErrorBanner message=error />
                        <label class="field">
                            <span>"用户名"</span>
                            <input name="login" type="text" autocomplete="username" placeholder="请输入用户名" required class="input" />
                        </label>
                        <label class="field">
                            <span>"密码"</span>
                            <PasswordInput name="password" placeholder="请输入密码" />
                        </label>
                        <button type="submit" class="btn-primary w-full" disabled=move || action.pending().get()>
                            {move || if action.pending().get() { "登录中…" } else { "登录" }}
                        </button>
                    </div>
                </ActionForm>
                {(realm == Realm::Merchant).then(|| view! {
                    <p class="mt-6 text-center text-sm text-gray-500">
                        "还没有店铺？" <a href="/apply" class="text-promo">"申请入驻"</a>
                    </p>
                })}
            </div>
        </div>
    }
}
