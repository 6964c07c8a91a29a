//! A form's refusal shown where it belongs: a message that names a field
//! (`AppError::Invalid { field }`, the field being the input's `name`) sits under that field;
//! any other sits in the form's banner.
//!
//! Three ways a refusal arrives: inside an island, from the server function's result
//! ([`FormError::live`]); for a form outside islands, from the page's form script
//! (`ui/forms.js`, which fills the slots [`FieldError`] and [`FormBanner`] leave); and without
//! any script, from `?error=`/`?field=` after the plain post (`infra::session`).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;
use crate::ui::common::ErrorBanner;

/// The refusal of a form's last submission, as the page is rendered: from `?error=`/`?field=`
/// after a plain form post ([`FormError::new`]), or from an island's server action.
#[derive(Clone, Copy)]
pub struct FormError {
    /// (message, the field it names)
    last: Signal<Option<(String, Option<String>)>>,
    /// the fields this form shows their own errors beside (each [`FieldError`] adds its own)
    placed: StoredValue<Vec<&'static str>>,
}

impl FormError {
    /// Follows `result`, a server action's value (`move || action.value().get()`).
    pub fn new<T: Send + Sync + 'static>(
        result: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
    ) -> Self {
        let query = use_query_map();
        Self::with_fallback(result, move || {
            query.with(|q| q.get("error").map(|m| (m, q.get("field"))))
        })
    }

    /// Follows `result` only. For a form inside an island: an island is hydrated apart from
    /// the page's router (there is no query to read), and its form needs the browser anyway.
    pub fn live<T: Send + Sync + 'static>(
        result: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
    ) -> Self {
        Self::with_fallback(result, || None)
    }

    fn with_fallback<T: Send + Sync + 'static>(
        result: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
        before_result: impl Fn() -> Option<(String, Option<String>)> + Send + Sync + 'static,
    ) -> Self {
        let last = Signal::derive(move || match result() {
            Some(Err(e)) => {
                let field = match &e {
                    AppError::Invalid { field, .. } => Some(field.clone()),
                    _ => None,
                };
                Some((e.to_string(), field))
            }
            Some(Ok(_)) => None,
            None => before_result(),
        });
        Self {
            last,
            placed: StoredValue::new(Vec::new()),
        }
    }

    /// The message for the banner: any refusal no field of this form shows.
    pub fn banner(self) -> impl Fn() -> Option<String> + Send + Sync + Copy + 'static {
        move || {
            self.last.get().and_then(|(message, field)| {
                let placed =
                    field.is_some_and(|f| self.placed.with_value(|p| p.contains(&f.as_str())));
                (!placed).then_some(message)
            })
        }
    }

    fn for_field(self, name: &'static str) -> Option<String> {
        self.last
            .get()
            .and_then(|(message, field)| (field.as_deref() == Some(name)).then_some(message))
    }
}

/// The error of a form's last submission, for its banner: from the server-function result once
/// the page is interactive, or from `?error=` after a plain form post (before the wasm has
/// loaded). A form whose fields show their own errors uses [`FormError`] instead.
pub fn form_error<T: Send + Sync + 'static>(
    result: impl Fn() -> Option<Result<T, AppError>> + Send + Sync + 'static,
) -> impl Fn() -> Option<String> + Send + Sync + Copy + 'static {
    FormError::new(result).banner()
}

/// The form's banner: what went wrong that no field shows.
///
/// Also the slot where the page's form script (`ui/forms.js`) puts a refusal or a success
/// notice without reloading.
#[component]
pub fn FormBanner(form: FormError) -> impl IntoView {
    view! { <div data-form-banner class="contents"><ErrorBanner message=form.banner() /></div> }
}

/// The refusal that names the input `field`, drawn under it (put it inside the field's label).
/// Also the slot where the page's form script puts a refusal without reloading.
#[component]
pub fn FieldError(form: FormError, field: &'static str) -> impl IntoView {
    // Registered while the form is built, before its banner is drawn, so the banner leaves
    // this field's message to it.
    form.placed.update_value(|p| {
        if !p.contains(&field) {
            p.push(field)
        }
    });
    // the slot is there without a refusal too: the page's form script (`ui/forms.js`) fills it
    view! {
        <span data-error-for=field class="contents">
            {move || {
                form.for_field(field).map(|m| {
                    view! { <span role="alert" class="field-alert" data-test="field-error" data-field=field>{m}</span> }
                })
            }}
        </span>
    }
}
