//! The UI kit: pieces the consoles and the H5 pages draw the same way. A state's badge comes from
//! its enum (the label from `named_enum!`, the colour from [`Toned`]), so a new state shows
//! correctly everywhere once it has a tone.

use leptos::prelude::*;

use crate::domain::named::Named;
use crate::domain::product::ProductStatus;
use crate::domain::settlement::{BillStatus, WithdrawalStatus};
use crate::error::AppError;
use crate::ui::common::{href_with, NotFound, SignInPrompt};

/// How a state reads at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// someone still has to act
    Waiting,
    /// done, as hoped
    Good,
    /// refused, disputed, taken down
    Bad,
    /// set aside, not yet started
    Neutral,
}

impl Tone {
    fn class(self) -> &'static str {
        match self {
            Tone::Waiting => "bg-amber-50 text-amber-700",
            Tone::Good => "bg-green-50 text-green-700",
            Tone::Bad => "bg-red-50 text-promo",
            Tone::Neutral => "bg-gray-100 text-gray-600",
        }
    }
}

/// A state with a tone: the one place that says which states look waiting, good or bad.
pub trait Toned: Named + Send + Sync {
    fn tone(self) -> Tone;
}

impl Toned for BillStatus {
    fn tone(self) -> Tone {
        match self {
            BillStatus::Pending => Tone::Waiting,
            BillStatus::Confirmed => Tone::Good,
            BillStatus::Disputed => Tone::Bad,
        }
    }
}

impl Toned for WithdrawalStatus {
    fn tone(self) -> Tone {
        match self {
            WithdrawalStatus::Pending => Tone::Waiting,
            WithdrawalStatus::Paid => Tone::Good,
            WithdrawalStatus::Rejected => Tone::Neutral,
        }
    }
}

impl Toned for ProductStatus {
    fn tone(self) -> Tone {
        match self {
            ProductStatus::OnSale => Tone::Good,
            ProductStatus::Draft => Tone::Neutral,
            ProductStatus::OffShelf => Tone::Waiting,
            ProductStatus::TakenDown => Tone::Bad,
        }
    }
}

/// A state's label in its tone's colours; `test` names it for the browser tests.
#[component]
pub fn StatusBadge<S: Toned>(
    status: S,
    #[prop(optional)] test: Option<&'static str>,
) -> impl IntoView {
    view! {
        <span class=format!("rounded px-2 py-0.5 text-xs {}", status.tone().class()) data-test=test>
            {status.label()}
        </span>
    }
}

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
    base: &'static str,
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
        href_with(base, &all)
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

/// Where a loaded part of a page sits, which sets how its loading line and errors look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Place {
    /// a console page, left-aligned under its heading
    #[default]
    Console,
    /// the H5 shop, centred
    Shop,
}

/// The one way a page shows what it loads: one loading line, one `role="alert"` error, a
/// sign-in prompt on 401 (in the shop 「登录后{sign_in_to}」; in a console, back to its sign-in
/// page), with `not_found` the 404 page for a missing row, and while a change refetches, the
/// content already shown (a `Transition`: the page never goes blank). `children` draws the
/// data.
#[component]
pub fn Loaded<T, V, F>(
    resource: Resource<Result<T, AppError>>,
    #[prop(optional)] place: Place,
    /// what signing in lets a shopper do (登录后…), for a 401 in the shop
    #[prop(optional)]
    sign_in_to: Option<&'static str>,
    /// a detail page: a missing (or another's) row shows the 404 page, with its status
    #[prop(optional)]
    not_found: bool,
    /// what a visitor who is not signed in sees instead of the sign-in prompt (我的, 商家入驻)
    #[prop(optional, into)]
    signed_out: Option<ViewFn>,
    children: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
{
    let children = std::sync::Arc::new(children);
    view! {
        <Transition fallback=move || loading(place)>
            {move || {
                let (children, signed_out) = (children.clone(), signed_out.clone());
                Suspend::new(async move {
                    match resource.await {
                        Ok(data) => children(data).into_any(),
                        Err(AppError::Unauthorized) => match signed_out {
                            Some(view) => view.run(),
                            None => sign_in_prompt(place, sign_in_to),
                        },
                        Err(AppError::NotFound(_)) if not_found => view! { <NotFound /> }.into_any(),
                        Err(e) => failure(place, e.to_string()).into_any(),
                    }
                })
            }}
        </Transition>
    }
}

fn loading(place: Place) -> impl IntoView {
    let class = match place {
        Place::Console => "mt-6 text-gray-400",
        Place::Shop => "p-6 text-center text-sm text-gray-400",
    };
    view! { <p class=class>"加载中…"</p> }
}

fn failure(place: Place, message: String) -> impl IntoView {
    let class = match place {
        Place::Console => "mt-6 rounded-md bg-red-50 px-3 py-2 text-sm text-promo",
        Place::Shop => "p-6 text-center text-sm text-promo",
    };
    view! { <p role="alert" class=class data-test="load-error">{message}</p> }
}

fn sign_in_prompt(place: Place, sign_in_to: Option<&'static str>) -> AnyView {
    match place {
        Place::Shop => view! { <SignInPrompt what=sign_in_to.unwrap_or("继续") /> }.into_any(),
        Place::Console => {
            let path = leptos_router::hooks::use_location()
                .pathname
                .get_untracked();
            let login = if path.starts_with("/admin") {
                "/admin/login"
            } else {
                "/merchant/login"
            };
            view! {
                <p role="alert" class="mt-6 text-sm text-gray-500">
                    "登录已过期，请" <a href=login class="text-promo">"重新登录"</a>
                </p>
            }
            .into_any()
        }
    }
}
