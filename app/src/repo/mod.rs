//! SQL, and only SQL: one module per aggregate, portable across SQLite and PostgreSQL.
//! Services call these; nothing above this layer writes a query.

pub mod accounts;
pub mod activity_skus;
pub mod activity_stock;
pub mod addresses;
pub mod after_sales;
pub mod applications;
pub mod audit;
pub mod cart;
pub mod categories;
pub mod coupons;
pub mod daily_stats;
pub mod flash_sales;
pub mod full_reductions;
pub mod group_buys;
pub mod images;
pub mod ledger;
pub mod merchants;
pub mod orders;
pub mod payments;
pub mod people;
pub mod presale_balances;
pub mod presales;
pub mod products;
pub mod reviews;
pub mod settlement;
pub mod shipping;
pub mod stock;
pub mod subscriptions;
pub mod todos;
pub mod trades;
pub mod visits;

use sqlx::any::AnyArguments;
use sqlx::query::{Query, QueryAs};
use sqlx::{Any, Encode, Type};

/// A `LIKE … ESCAPE '\\'` pattern matching text that contains `words`, where `%` and `_` typed
/// by a reader match themselves; empty for no words (queries test `$n = ''` to skip the filter).
pub fn contains_pattern(words: &str) -> String {
    if words.is_empty() {
        return String::new();
    }
    let escaped = words
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// `$from, $from+1, …` for `n` values: the inside of an `IN (…)` list.
pub fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($1, …, $cols), ($cols+1, …), …` for `rows` rows: the VALUES of a multi-row INSERT, bound
/// row by row.
pub fn value_rows(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholders(r * cols + 1, cols)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Binds every value of a list in order, after what is bound already: the values of an
/// `IN (…)` list made by [`placeholders`].
pub trait BindAll<'q>: Sized {
    fn bind_all<T, I>(self, values: I) -> Self
    where
        T: 'q + Encode<'q, Any> + Type<Any>,
        I: IntoIterator<Item = T>;
}

impl<'q> BindAll<'q> for Query<'q, Any, AnyArguments<'q>> {
    fn bind_all<T, I>(mut self, values: I) -> Self
    where
        T: 'q + Encode<'q, Any> + Type<Any>,
        I: IntoIterator<Item = T>,
    {
        for v in values {
            self = self.bind(v);
        }
        self
    }
}

impl<'q, O> BindAll<'q> for QueryAs<'q, Any, O, AnyArguments<'q>> {
    fn bind_all<T, I>(mut self, values: I) -> Self
    where
        T: 'q + Encode<'q, Any> + Type<Any>,
        I: IntoIterator<Item = T>,
    {
        for v in values {
            self = self.bind(v);
        }
        self
    }
}
