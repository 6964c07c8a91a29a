//! Pieces shared by all three UIs.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;

/// A password input with a show/hide toggle.
#[component]
pub fn PasswordInput(
    #[prop(into)] name: String,
    #[prop(into)] placeholder: String,
    #[prop(into, default = "current-password".into())] autocomplete: String,
) -> impl IntoView {
    let shown = RwSignal::new(false);
    view! {
        <div class="relative">
            <input
                id=name.clone()
                name=name
                type=move || if shown.get() { "text" } else { "password" }
                placeholder=placeholder
                autocomplete=autocomplete
                required
                class="input pr-14"
            />
            <button
                type="button"
                data-test="toggle-password"
                class="absolute inset-y-0 right-0 px-3 text-sm text-gray-500"
                aria-label=move || if shown.get() { "隐藏密码" } else { "显示密码" }
                on:click=move |_| shown.update(|s| *s = !*s)
            >
                {move || if shown.get() { "隐藏" } else { "显示" }}
            </button>
        </div>
    }
}

/// The error of the last submission: from the server-function result once the page is
/// interactive, or from `?error=` after a plain form post (before the wasm has loaded).
pub fn form_error<T: Send + Sync + 'static>(
    result: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    let query = use_query_map();
    move || match result() {
        Some(Err(e)) => Some(e.to_string()),
        Some(Ok(_)) => None,
        None => query.read().get("error"),
    }
}

#[component]
pub fn ErrorBanner(message: impl Fn() -> Option<String> + Send + Sync + 'static) -> impl IntoView {
    view! {
        {move || {
            message()
                .map(|m| {
                    view! {
                        <p role="alert" class="rounded-md bg-red-50 px-3 py-2 text-sm text-promo">
                            {m}
                        </p>
                    }
                })
        }}
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="页面不存在" />
        <main class="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center gap-4 p-8 text-center">
            <p class="text-6xl font-bold text-promo">"404"</p>
            <p class="text-lg">"页面不存在或已下架"</p>
            <a href="/" class="btn-primary px-6">"回到首页"</a>
        </main>
    }
}
