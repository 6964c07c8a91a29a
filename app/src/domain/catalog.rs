//! Catalog rules that need no database: the category tree's depth and commission rates.

use rust_decimal::Decimal;
use std::str::FromStr;

use crate::error::AppError;

/// Categories nest at most this deep (一级 / 二级 / 三级).
pub const MAX_CATEGORY_LEVEL: i64 = 3;

/// A commission rate in basis points (1/100 of a percent): 550 = 5.50 %.
/// Stored as an integer so it is exact on every database; arithmetic uses [`Decimal`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CommissionRate(i64);

impl CommissionRate {
    pub fn from_bps(bps: i64) -> Result<Self, AppError> {
        if (0..=10_000).contains(&bps) {
            Ok(Self(bps))
        } else {
            Err(AppError::invalid(
                "commission_percent",
                "佣金比例需在0%到100%之间",
            ))
        }
    }

    /// Parses a percentage as typed by an admin: `5`, `5.5`, `5.50`, `5.5%`; at most two decimals.
    pub fn parse_percent(input: &str) -> Result<Self, AppError> {
        let text = input.trim().trim_end_matches('%').trim();
        let invalid = || {
            AppError::invalid(
                "commission_percent",
                "请输入0到100之间的百分比，最多两位小数",
            )
        };
        let percent = Decimal::from_str(text).map_err(|_| invalid())?;
        // more than two decimals leaves a fraction of a basis point
        let bps = percent * Decimal::ONE_HUNDRED;
        if bps.fract() != Decimal::ZERO {
            return Err(invalid());
        }
        let bps = i64::try_from(bps.trunc()).map_err(|_| invalid())?;
        Self::from_bps(bps).map_err(|_| invalid())
    }

    pub fn bps(self) -> i64 {
        self.0
    }

    /// The rate as a fraction (5.50 % → 0.055), for commission arithmetic.
    pub fn fraction(self) -> Decimal {
        Decimal::new(self.0, 4)
    }

    /// `5.50`, for forms and tables (append `%` in the UI).
    pub fn percent_text(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// A category name: trimmed, 1–20 characters, no control characters.
pub fn check_category_name(input: &str) -> Result<String, AppError> {
    let name = input.trim();
    if name.is_empty() || name.chars().count() > 20 || name.chars().any(char::is_control) {
        return Err(AppError::invalid("name", "分类名称需为1到20个字符"));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_parse_to_exact_basis_points() {
        for (text, bps) in [
            ("5", 500),
            ("5.5", 550),
            ("5.50%", 550),
            (" 0 ", 0),
            ("100", 10_000),
            ("0.01", 1),
            ("12.340", 1234),
        ] {
            assert_eq!(
                CommissionRate::parse_percent(text).unwrap().bps(),
                bps,
                "{text}"
            );
        }
        for bad in ["", "abc", "-1", "100.01", "5.555", "1e3", "NaN"] {
            assert!(
                CommissionRate::parse_percent(bad).is_err(),
                "{bad} accepted"
            );
        }
    }

    #[test]
    fn rates_print_and_convert_exactly() {
        let r = CommissionRate::from_bps(550).unwrap();
        assert_eq!(r.percent_text(), "5.50");
        assert_eq!(r.fraction(), Decimal::from_str("0.055").unwrap());
        assert_eq!(CommissionRate::from_bps(7).unwrap().percent_text(), "0.07");
        assert!(CommissionRate::from_bps(10_001).is_err());
    }

    #[test]
    fn category_names_are_trimmed_and_bounded() {
        assert_eq!(check_category_name(" 绿茶 ").unwrap(), "绿茶");
        assert!(check_category_name("  ").is_err());
        assert!(check_category_name(&"茶".repeat(21)).is_err());
    }
}
