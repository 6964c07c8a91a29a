//! [`DataTable`]: the consoles' lists of orders, bills, products, merchants. The cells' padding,
//! the header's shade and the row rules live in one stylesheet class (`.data-table` in
//! `style/main.css`), so a row only says what it shows; an amount's cell is `<td class="num">`.

use leptos::children::ViewFnOnce;
use leptos::prelude::*;

/// A column heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col {
    label: &'static str,
    num: bool,
    shown: bool,
    /// the heading is for screen readers only (a column of checkboxes)
    unseen: bool,
}

impl Col {
    /// A column of text.
    pub const fn text(label: &'static str) -> Self {
        Self {
            label,
            num: false,
            shown: true,
            unseen: false,
        }
    }

    /// A column whose heading only screen readers need (the checkboxes that pick rows).
    pub const fn unseen(label: &'static str) -> Self {
        Self {
            unseen: true,
            ..Self::text(label)
        }
    }

    /// A column of amounts or counts: right-aligned, so digits line up.
    pub const fn num(label: &'static str) -> Self {
        Self {
            label,
            num: true,
            shown: true,
            unseen: false,
        }
    }

    /// Drawn only when `shown` (the shop column on the platform's lists, not on a merchant's);
    /// the row leaves out its cell the same way.
    pub const fn only_if(self, shown: bool) -> Self {
        Self { shown, ..self }
    }
}

/// A table of `rows`, one `<tr>` each from `children`. With `empty`, no rows show that line
/// instead of an empty table. `foot` is drawn after the rows (a totals row); `dense` cells are
/// shorter (long money tables); `class` places the table (its margin or flex share); `test`
/// names it for the browser tests.
#[component]
pub fn DataTable<T, V, F>(
    columns: Vec<Col>,
    rows: Vec<T>,
    test: &'static str,
    #[prop(optional)] empty: Option<&'static str>,
    #[prop(optional)] dense: bool,
    #[prop(default = "mt-4")] class: &'static str,
    #[prop(optional, into)] foot: Option<ViewFnOnce>,
    children: F,
) -> impl IntoView
where
    T: 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + 'static,
{
    if let (true, Some(text)) = (rows.is_empty(), empty) {
        return view! {
            <p class=format!("{class} rounded-lg bg-white p-8 text-center text-gray-400") data-test="empty">{text}</p>
        }
        .into_any();
    }
    let table_class = format!("data-table {class}{}", if dense { " dense" } else { "" });
    view! {
        <table class=table_class data-test=test>
            <thead>
                <tr>
                    {columns.into_iter().filter(|c| c.shown).map(|c| view! {
                        <th class:num=c.num><span class:sr-only=c.unseen>{c.label}</span></th>
                    }).collect_view()}
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(children).collect_view()}
                {foot.map(ViewFnOnce::run)}
            </tbody>
        </table>
    }
    .into_any()
}
