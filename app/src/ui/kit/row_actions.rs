//! [`RowActions`]: the buttons at the end of a console row that move it (pause, resume, end,
//! void). Each is a form of its own posting `id` and `action`, so it works before the wasm loads.

use leptos::prelude::*;
use leptos::server_fn::client::Client;
use leptos::server_fn::codec::PostUrl;
use leptos::server_fn::request::ClientReq;
use leptos::server_fn::{Http, ServerFn};
use serde::de::DeserializeOwned;
use web_sys::FormData;

use crate::domain::named::Named;

/// One button per move in `moves` for the row `id`, posted to `action` (a server function taking
/// `id` and `action`, the move's stored name). Each button's `data-test` is `{test}-{move}`.
#[component]
pub fn RowActions<S, O, N>(
    id: i64,
    moves: Vec<N>,
    action: ServerAction<S>,
    test: &'static str,
) -> impl IntoView
where
    N: Named + Copy + Send + Sync + 'static,
    // what leptos's ActionForm asks of its server function
    S: DeserializeOwned + ServerFn<Protocol = Http<PostUrl, O>> + Clone + Send + Sync + 'static,
    <<S::Client as Client<S::Error>>::Request as ClientReq<S::Error>>::FormData: From<FormData>,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
    S::Client: Client<S::Error>,
    O: 'static,
{
    moves
        .into_iter()
        .map(|m| {
            view! {
                <ActionForm action>
                    <input type="hidden" name="id" value=id />
                    <input type="hidden" name="action" value=m.as_str() />
                    <button type="submit" class="text-gray-600 hover:text-promo" data-test=format!("{test}-{}", m.as_str())>{m.label()}</button>
                </ActionForm>
            }
        })
        .collect_view()
}
