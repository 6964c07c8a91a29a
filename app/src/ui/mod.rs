//! The three user interfaces. Routes are declared here, in one place.

pub mod common;
pub mod console;
pub mod h5;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use common::NotFound;

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
                <meta name="theme-color" content="#FF4E4E" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class="bg-page text-ink antialiased">
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/jishi.css" />
        <Title formatter=|page: String| if page.is_empty() { "集市".to_string() } else { format!("{page} - 集市") } />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=h5::home::HomePage />
                <Route path=path!("/category") view=h5::category::CategoryPage />
                <Route path=path!("/cart") view=h5::cart::CartPage />
                <Route path=path!("/me") view=h5::me::MePage />
                <Route path=path!("/login") view=h5::auth::LoginPage />
                <Route path=path!("/register") view=h5::auth::RegisterPage />
                <Route path=path!("/merchant/login") view=console::merchant::MerchantLoginPage />
                <Route path=path!("/merchant") view=console::merchant::MerchantHomePage />
                <Route path=path!("/admin/login") view=console::admin::AdminLoginPage />
                <Route path=path!("/admin") view=console::admin::AdminHomePage />
            </Routes>
        </Router>
    }
}
