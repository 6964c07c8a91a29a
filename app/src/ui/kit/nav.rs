//! Moving about a list: tabs that filter it, a pager that pages it. Both keep the list's other
//! query parameters on their links.

use leptos::prelude::*;

use crate::ui::common::href_with;

/// Tabs that set `?{param}=value` on `base` (a value of `""` is 全部); the current one is
/// underlined and marked `aria-current`. `label` names the tab bar for screen readers.
#[component]
pub fn Tabs(
    base: &'static str,
    param: &'static str,
    items: Vec<(String, String)>,
    #[prop(into)] current: Signal<String>,
    label: &'static str,
) -> impl IntoView {
    view! {
        <nav class="mt-4 flex gap-1 border-b border-gray-200 text-sm" aria-label=label>
            {items.into_iter().map(|(value, text)| {
                let href = href_with(base, &[(param, value.clone())]);
                let on = Signal::derive(move || current.get() == value);
                view! {
                    <a href=href class="-mb-px border-b-2 px-4 py-2"
                        class:border-promo=on class:text-promo=on class:border-transparent=move || !on.get()
                        aria-current=move || on.get().then_some("page")>{text}</a>
                }
            }).collect_view()}
        </nav>
    }
}

/// 上一页 / 下一页 of a list, keeping `params` (the tab, the filter) on the links. `caption` says
/// where one is (第 2 页, or 共 23 单，第 1/2 页 when the total is known); without a caption
/// the pager shows only when there is another page.
#[component]
pub fn Pager(
    #[prop(into)] base: String,
    #[prop(optional)] params: Vec<(&'static str, String)>,
    page: u32,
    has_more: bool,
    #[prop(optional, into)] caption: Option<String>,
) -> impl IntoView {
    let link = move |p: u32| {
        let mut all = params.clone();
        if p > 1 {
            all.push(("page", p.to_string()));
        }
        href_with(&base, &all)
    };
    let shown = page > 1 || has_more || caption.is_some();
    shown.then(|| {
        view! {
            <nav class="mt-3 flex items-center gap-3 text-sm text-gray-500" aria-label="分页">
                {caption.unwrap_or_else(|| format!("第 {page} 页"))}
                {(page > 1).then(|| view! { <a href=link(page - 1) class="text-promo">"上一页"</a> })}
                {has_more.then(|| view! { <a href=link(page + 1) class="text-promo">"下一页"</a> })}
            </nav>
        }
    })
}
