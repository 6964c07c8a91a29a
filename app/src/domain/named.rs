//! Closed enums that are stored and shown by name: every state and action of a state machine,
//! ledger accounts and events, roles, kinds. [`named_enum!`](crate::named_enum) writes each one
//! from a single list `Variant = "stored_name" "中文标签"`, so the stored name, the JSON name, the
//! label and the parser cannot drift apart; it also stores the enum as text in either database
//! ([`stored_as_text!`](crate::stored_as_text)).

use std::fmt::Debug;

/// A closed enum with a stable stored name and the words people see.
pub trait Named: Copy + Eq + Debug + 'static {
    /// Every value, in the order lists show them.
    const ALL: &'static [Self];
    /// The stored name (a column's value, the JSON name).
    fn as_str(self) -> &'static str;
    /// What people see, in Chinese.
    fn label(self) -> &'static str;
    /// The value stored as `s`; `None` for any other text (never a fallback).
    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|x| x.as_str() == s)
    }
}

/// Declares a [`Named`] enum: `Variant = "stored_name" "标签"` per value (doc comments allowed).
/// The enum derives `Debug, Clone, Copy, PartialEq, Eq, Hash`, serde under the stored names and,
/// on the server, an OpenAPI schema listing the stored names; it gets inherent `ALL`, `as_str`, `label` and `parse`
/// (callable without importing a trait) and is stored as text.
#[macro_export]
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal $label:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant ),+
        }

        // written out, not derived: the derive does not read a `rename` whose text comes from
        // this macro, and would document the variants' Rust names instead of the stored ones
        #[cfg(feature = "ssr")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }

        impl $name {
            /// Every value, in the order lists show them.
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];

            /// The stored name (a column's value, the JSON name).
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// What people see, in Chinese.
            pub const fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The value stored as `s`; `None` for any other text (never a fallback).
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl $crate::domain::named::Named for $name {
            const ALL: &'static [Self] = &$name::ALL;
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn label(self) -> &'static str {
                $name::label(self)
            }
        }

        $crate::stored_as_text!($name);
    };
}

/// Stores a closed enum as its text name in either database: `Type`, `Encode` and `Decode` for
/// `sqlx::Any` through the type's `as_str` and `parse`. Decoding text that names no value is an
/// error (the row is refused), never a guess.
#[macro_export]
macro_rules! stored_as_text {
    ($($t:ty),+ $(,)?) => {$(
        #[cfg(feature = "ssr")]
        impl sqlx::Type<sqlx::Any> for $t {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <str as sqlx::Type<sqlx::Any>>::type_info()
            }
            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <str as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'q> sqlx::Encode<'q, sqlx::Any> for $t {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<'q, sqlx::Any>>::encode(self.as_str(), buf)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> sqlx::Decode<'r, sqlx::Any> for $t {
            fn decode(
                value: <sqlx::Any as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <String as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                <$t>::parse(&text).ok_or_else(|| {
                    format!("{:?} is not a {}", text, stringify!($t)).into()
                })
            }
        }
    )+};
}

#[cfg(test)]
mod tests {
    use super::Named;

    crate::named_enum! {
        /// A test enum.
        enum Fruit {
            /// doc comments pass through
            Apple = "apple" "苹果",
            DragonFruit = "dragon_fruit" "火龙果",
        }
    }

    #[test]
    fn one_list_gives_the_name_the_json_the_label_and_the_parser() {
        assert_eq!(Fruit::ALL, [Fruit::Apple, Fruit::DragonFruit]);
        for f in Fruit::ALL {
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.as_str()));
            assert_eq!(serde_json::from_str::<Fruit>(&json).unwrap(), f);
            assert_eq!(Fruit::parse(f.as_str()), Some(f));
            assert_eq!(<Fruit as Named>::parse(f.as_str()), Some(f));
        }
        assert_eq!(Fruit::DragonFruit.label(), "火龙果");
        assert_eq!(Fruit::parse("Apple"), None, "only the stored name");
        assert!(serde_json::from_str::<Fruit>("\"banana\"").is_err());
    }
}
