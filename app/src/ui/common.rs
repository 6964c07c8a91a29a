//! Pieces shared by all three UIs.

use leptos::prelude::*;
use leptos_meta::Title;

/// Text for an element whose contents Leptos writes into the server-rendered HTML without
/// escaping (`<title>` through leptos_meta, `<textarea>` children through tachys): escaped when
/// rendered on the server; in the browser the same text goes through the DOM, which needs no
/// escaping (and would show the entities). Every user-typed text in such an element goes
/// through here.
pub fn raw_text_element(text: String) -> String {
    #[cfg(feature = "ssr")]
    {
        html_escape::encode_text(&text).into_owned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        text
    }
}

/// A password input with a show/hide toggle (an island: the toggle needs the browser; the input
/// itself works without it).
#[island]
pub fn PasswordInput(
    #[prop(into)] name: String,
    #[prop(into)] placeholder: String,
    /// `current-password` unless given
    #[prop(optional, into)]
    autocomplete: Option<String>,
) -> impl IntoView {
    let autocomplete = autocomplete.unwrap_or_else(|| "current-password".into());
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

#[component]
pub fn ErrorBanner(message: impl Fn() -> Option<String> + Send + Sync + 'static) -> impl IntoView {
    view! {
        {move || {
            message()
                .map(|m| {
                    view! {
                        <p role="alert" class="form-alert">
                            {m}
                        </p>
                    }
                })
        }}
    }
}

/// Shown to a visitor on a page that needs a shopper: sign in (and come back here) or register.
#[component]
pub fn SignInPrompt(#[prop(into)] what: String) -> impl IntoView {
    view! {
        <div class="flex flex-col items-center gap-4 px-6 py-16 text-center" data-test="sign-in-prompt">
            <p class="text-gray-500">{format!("登录后{what}")}</p>
            <div class="flex w-full max-w-xs gap-3">
                <a href="/login" class="btn-primary flex-1">"登录"</a>
                <a href="/register" class="btn-outline flex-1">"注册"</a>
            </div>
        </div>
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

/// `path?k=v&…` with the values percent-encoded; empty values are left out.
pub fn href_with(path: &str, params: &[(&str, String)]) -> String {
    let query: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_component(v)))
        .collect();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub use crate::domain::time::datetime_text;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_times_read_right() {
        assert_eq!(
            href_with(
                "/search",
                &[("q", "辣椒 酱".into()), ("page", String::new())]
            ),
            "/search?q=%E8%BE%A3%E6%A4%92%20%E9%85%B1"
        );
        assert_eq!(datetime_text(0), "1970-01-01 08:00");
        assert_eq!(datetime_text(1_795_000_000_000), "2026-11-18 19:06");
    }
}
