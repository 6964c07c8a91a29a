//! Money as integer fen. Parsing and printing go through [`Decimal`], never floating point.

use rust_decimal::Decimal;
use std::str::FromStr;

use crate::error::AppError;

/// The most a single price may be (¥1,000,000.00): keeps every product of prices far from overflow.
pub const MAX_PRICE_FEN: i64 = 100_000_000;

/// `1250` → `12.50`.
pub fn yuan_text(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// `1250` → `¥12.50`.
pub fn price_text(fen: i64) -> String {
    format!("¥{}", yuan_text(fen))
}

/// A price range of a product: `¥12.50` or `¥12.50-¥30.00`.
pub fn price_range_text(min: i64, max: i64) -> String {
    if min == max {
        price_text(min)
    } else {
        format!("{}-{}", price_text(min), yuan_text(max))
    }
}

/// Parses yuan as typed (`12`, `12.5`, `12.50`, `¥12.50`) into fen; at most two decimals, ≥ 0.
pub fn parse_yuan(field: &str, input: &str) -> Result<i64, AppError> {
    let text = input.trim().trim_start_matches(['¥', '￥']).trim();
    let fen = parse_fixed(text, 2)
        .ok_or_else(|| AppError::invalid(field, "请输入正确的金额，最多两位小数"))?;
    if fen > MAX_PRICE_FEN {
        return Err(AppError::invalid(field, "金额不能超过100万元"));
    }
    Ok(fen)
}

/// A non-negative decimal as typed (`8.5`) in units of 10^-`places` (`8500` for 3 places):
/// `None` for anything else (signs, exponents, more decimals than `places`, overflow). Rates
/// typed as 折 or percent become basis points this way, exactly.
pub fn parse_fixed(text: &str, places: u32) -> Option<i64> {
    let text = text.trim();
    // plain decimal notation only (the parser would also take `1e3`)
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let value = Decimal::from_str(text).ok()? * Decimal::from(10_i64.pow(places));
    if value.fract() != Decimal::ZERO {
        return None;
    }
    i64::try_from(value.trunc()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn prices_print_in_yuan() {
        assert_eq!(price_text(1250), "¥12.50");
        assert_eq!(price_text(5), "¥0.05");
        assert_eq!(yuan_text(-105), "-1.05");
        assert_eq!(price_range_text(100, 100), "¥1.00");
        assert_eq!(price_range_text(100, 2999), "¥1.00-29.99");
    }

    #[test]
    fn fixed_decimals_parse_exactly() {
        assert_eq!(parse_fixed("8.5", 3), Some(8500));
        assert_eq!(parse_fixed("30", 2), Some(3000));
        assert_eq!(parse_fixed("0.001", 3), Some(1));
        for bad in ["", "-1", "1e3", "0.0001", "8.5折", "99999999999999999999"] {
            assert_eq!(parse_fixed(bad, 3), None, "{bad}");
        }
    }

    #[test]
    fn yuan_parse_exactly() {
        assert_eq!(parse_yuan("p", "12.5").unwrap(), 1250);
        assert_eq!(parse_yuan("p", "￥0.01").unwrap(), 1);
        assert_eq!(parse_yuan("p", " 88 ").unwrap(), 8800);
        for bad in ["", "abc", "-1", "1.001", "1e3", "1000000.01"] {
            assert!(parse_yuan("p", bad).is_err(), "{bad} accepted");
        }
    }

    proptest! {
        #[test]
        fn printing_then_parsing_is_identity(fen in 0i64..=MAX_PRICE_FEN) {
            prop_assert_eq!(parse_yuan("p", &yuan_text(fen)).unwrap(), fen);
        }
    }
}
