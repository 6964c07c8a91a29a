//! [`Loaded`]: the one way a page shows what it loads.

use leptos::prelude::*;

use crate::error::AppError;
use crate::ui::common::{NotFound, SignInPrompt};

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
