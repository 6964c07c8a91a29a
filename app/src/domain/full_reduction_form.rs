//! The merchant console's full-reduction form (营销中心 → 满减活动) as the browser posts it:
//! up to five tier rows of text, thresholds in yuan or pieces, what each tier gives in yuan or
//! 折, times as China-time `datetime-local` text. [`FullReductionForm::parse`] turns it into the
//! [`FullReductionInput`] that `FullReduction::check` then judges.

use serde::{Deserialize, Serialize};

use crate::domain::full_reduction::{Basis, Benefit, FullReductionInput, Tier, MAX_TIERS};
use crate::domain::money::{parse_fixed, parse_yuan};
use crate::domain::time::{minute_text, parse_minute, DAY_MS};
use crate::error::AppError;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FullReductionForm {
    pub title: String,
    /// `amount` (满 ¥X) | `quantity` (满 N 件)
    pub basis: String,
    /// `amount_off` (减 ¥Y) | `percent` (打 Z 折)
    pub benefit: String,
    /// one per tier row, in order; a row left empty is skipped
    pub thresholds: Vec<String>,
    pub offs: Vec<String>,
    /// the rows (1-based) whose checkbox 包邮 is ticked
    pub free_shipping: Option<Vec<usize>>,
    /// a checkbox: 每满 (the single tier repeats)
    pub repeat: Option<String>,
    /// yuan, the most a 每满 promotion takes off
    pub repeat_cap: String,
    /// empty: the whole shop
    pub product_ids: Option<Vec<i64>>,
    pub starts_at: String,
    pub ends_at: String,
}

impl FullReductionForm {
    /// A new form: 满减 by amount, starting now, running 7 days.
    pub fn blank(now: i64) -> Self {
        FullReductionForm {
            basis: Basis::Amount.as_str().into(),
            benefit: Benefit::AmountOff.as_str().into(),
            starts_at: minute_text(now),
            ends_at: minute_text(now + 7 * DAY_MS),
            ..FullReductionForm::default()
        }
    }

    /// The promotion the form describes. Errors: 422 naming the field that does not parse
    /// (`tiers` for any tier row); the rules themselves are `FullReduction::check`'s.
    pub fn parse(&self) -> Result<FullReductionInput, AppError> {
        let basis = Basis::parse(&self.basis)
            .ok_or_else(|| AppError::invalid("basis", "请选择按金额或按件数"))?;
        let benefit = Benefit::parse(&self.benefit)
            .ok_or_else(|| AppError::invalid("benefit", "请选择满减或满折"))?;
        let shipping = self.free_shipping.clone().unwrap_or_default();
        let mut tiers = Vec::new();
        for row in 0..self.thresholds.len().max(self.offs.len()) {
            let cell =
                |v: &Vec<String>| v.get(row).map(|s| s.trim().to_string()).unwrap_or_default();
            let (threshold, off) = (cell(&self.thresholds), cell(&self.offs));
            let free_shipping = shipping.contains(&(row + 1));
            if threshold.is_empty() && off.is_empty() {
                continue;
            }
            let n = row + 1;
            let threshold = match basis {
                Basis::Amount => parse_yuan("tiers", &threshold).map_err(|_| {
                    AppError::invalid("tiers", format!("第 {n} 档的门槛金额不正确"))
                })?,
                Basis::Quantity => threshold
                    .parse::<i64>()
                    .ok()
                    .filter(|q| *q > 0)
                    .ok_or_else(|| {
                        AppError::invalid("tiers", format!("第 {n} 档的件数请填写正整数"))
                    })?,
            };
            let off = match (benefit, off.is_empty()) {
                // a tier may give free shipping alone
                (_, true) if free_shipping => 0,
                (Benefit::AmountOff, _) => parse_yuan("tiers", &off).map_err(|_| {
                    AppError::invalid("tiers", format!("第 {n} 档的优惠金额不正确"))
                })?,
                (Benefit::Percent, _) => parse_fixed(&off, 3)
                    .filter(|z| (1..10_000).contains(z))
                    .map(|paid| 10_000 - paid)
                    .ok_or_else(|| {
                        AppError::invalid(
                            "tiers",
                            format!("第 {n} 档的折扣请填写 0.1 到 9.99 之间的数"),
                        )
                    })?,
            };
            tiers.push(Tier {
                threshold,
                off,
                free_shipping,
            });
        }
        if tiers.len() > MAX_TIERS {
            return Err(AppError::invalid(
                "tiers",
                format!("最多 {MAX_TIERS} 档优惠"),
            ));
        }
        let repeat = self.repeat.is_some();
        let repeat_cap = if repeat {
            parse_yuan("repeat_cap", &self.repeat_cap)?
        } else {
            0
        };
        Ok(FullReductionInput {
            title: self.title.trim().to_string(),
            basis,
            benefit,
            tiers,
            repeat,
            repeat_cap,
            product_ids: self.product_ids.clone().unwrap_or_default(),
            starts_at: parse_minute("starts_at", &self.starts_at)?,
            ends_at: parse_minute("ends_at", &self.ends_at)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(thresholds: &[&str], offs: &[&str]) -> FullReductionForm {
        let mut f = FullReductionForm::blank(parse_minute("t", "2026-12-01T10:00").unwrap());
        f.title = "年货节满减".into();
        f.thresholds = thresholds.iter().map(|s| s.to_string()).collect();
        f.offs = offs.iter().map(|s| s.to_string()).collect();
        f
    }

    #[test]
    fn tier_rows_become_tiers_and_empty_rows_are_skipped() {
        let mut f = form(&["100", "", "200", "", "300"], &["10", "", "30", "", ""]);
        f.free_shipping = Some(vec![5]);
        let input = f.parse().unwrap();
        let tiers: Vec<(i64, i64, bool)> = input
            .tiers
            .iter()
            .map(|t| (t.threshold, t.off, t.free_shipping))
            .collect();
        assert_eq!(
            tiers,
            [
                (10_000, 1_000, false),
                (20_000, 3_000, false),
                (30_000, 0, true)
            ]
        );
        assert_eq!(input.ends_at - input.starts_at, 7 * DAY_MS);
    }

    #[test]
    fn quantity_and_zhe_tiers() {
        let mut f = form(&["2", "3"], &["9", "8.5"]);
        f.basis = "quantity".into();
        f.benefit = "percent".into();
        let input = f.parse().unwrap();
        assert_eq!(input.tiers[0].threshold, 2);
        assert_eq!(input.tiers[0].off, 1_000);
        assert_eq!(input.tiers[1].off, 1_500);
    }

    #[test]
    fn each_refusal_names_its_field_and_row() {
        let refusal = |f: FullReductionForm| match f.parse().unwrap_err() {
            AppError::Invalid { field, msg } => format!("{field}: {msg}"),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            refusal(form(&["100", "x"], &["10", "5"])),
            "tiers: 第 2 档的门槛金额不正确"
        );
        assert_eq!(
            refusal(form(&["100"], &["-1"])),
            "tiers: 第 1 档的优惠金额不正确"
        );
        let mut f = form(&["2"], &["10"]);
        f.basis = "quantity".into();
        f.benefit = "percent".into();
        assert_eq!(
            refusal(f),
            "tiers: 第 1 档的折扣请填写 0.1 到 9.99 之间的数"
        );
        let mut f = form(&["100"], &["10"]);
        f.repeat = Some("on".into());
        assert!(refusal(f).starts_with("repeat_cap:"));
        let mut f = form(&["100"], &["10"]);
        f.ends_at = "".into();
        assert!(refusal(f).starts_with("ends_at:"));
    }
}
