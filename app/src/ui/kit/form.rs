//! A form's refusal shown where it belongs: a message that names a field
//! (`AppError::Invalid { field }`, the field being the input's `name`) sits under that field;
//! any other sits in the form's banner.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::error::AppError;
use crate::ui::common::ErrorBanner;

/// The refusal of a form's last submission: from the server function's result once the page is
/// interactive, or from `?error=`/`?field=` after a plain form post (before the wasm has
/// loaded; see `infra::session`).
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
        let last = Signal::derive(move || match result() {
            Some(Err(e)) => {
                let field = match &e {
                    AppError::Invalid { field, .. } => Some(field.clone()),
                    _ => None,
                };
                Some((e.to_string(), field))
            }
            Some(Ok(_)) => None,
            None => query.with(|q| q.get("error").map(|m| (m, q.get("field")))),
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

/// How many times `result` (a server action's value) has come back `Ok`. Key a page's resource
/// on it, not on the action's version, to reload after a change went through but not after a
/// refusal: a reload rebuilds the form, which keeps the typed text but loses what its signals
/// held (uploaded pictures, chosen provinces).
pub fn successes<T: 'static, E: 'static>(
    result: impl Fn() -> Option<Result<T, E>> + 'static,
) -> ReadSignal<u32> {
    let (count, set_count) = signal(0u32);
    Effect::new(move |_| {
        if matches!(result(), Some(Ok(_))) {
            set_count.update(|n| *n += 1);
        }
    });
    count
}

/// The form's banner: what went wrong that no field shows.
#[component]
pub fn FormBanner(form: FormError) -> impl IntoView {
    view! { <ErrorBanner message=form.banner() /> }
}

/// The refusal that names the input `field`, drawn under it (put it inside the field's label).
#[component]
pub fn FieldError(form: FormError, field: &'static str) -> impl IntoView {
    // Registered while the form is built, before its banner is drawn, so the banner leaves
    // this field's message to it.
    form.placed.update_value(|p| {
        if !p.contains(&field) {
            p.push(field)
        }
    });
    move || {
        form.for_field(field).map(|m| {
            view! { <span role="alert" class="text-xs text-promo" data-test="field-error" data-field=field>{m}</span> }
        })
    }
}
