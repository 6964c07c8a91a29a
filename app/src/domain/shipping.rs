//! Shipping fees from a merchant's templates.
//!
//! A template charges by piece or by weight (grams): a first-unit fee, then a fee per additional
//! step, with rules per province and a fallback rule for everywhere else. An order's fee is the
//! sum over the templates its items use (items are grouped by template first, so two products on
//! one template share one first-unit fee); a template's part is free when the goods on it reach
//! its `free_over` amount. A template without the fallback rule delivers only to the provinces
//! its rules name (仅配送指定地区); checkout then names the shop and offers another address or,
//! where the shop has one, its pickup.

use serde::{Deserialize, Serialize};

use crate::domain::address::PROVINCES;
use crate::domain::money::{parse_yuan, yuan_text, MAX_PRICE_FEN};
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeBy {
    Piece,
    /// grams
    Weight,
}

impl ChargeBy {
    pub fn as_str(self) -> &'static str {
        match self {
            ChargeBy::Piece => "piece",
            ChargeBy::Weight => "weight",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "piece" => Some(ChargeBy::Piece),
            "weight" => Some(ChargeBy::Weight),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ChargeBy::Piece => "按件数",
            ChargeBy::Weight => "按重量",
        }
    }
}

/// One line of a template: for these provinces (none = everywhere else), `first` units cost
/// `first_fee`, and each further `extra` units (or part of them) cost `extra_fee`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingRule {
    #[serde(default)]
    pub regions: Vec<String>,
    pub first: i64,
    pub first_fee: i64,
    pub extra: i64,
    pub extra_fee: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingTemplate {
    pub id: i64,
    pub name: String,
    pub charge_by: ChargeBy,
    pub rules: Vec<ShippingRule>,
    /// goods amount (fen) from which this template ships free; 0 = never
    pub free_over: i64,
}

/// What one order line contributes to shipping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShippedLine {
    pub template_id: i64,
    pub qty: i64,
    pub weight_g: i64,
    pub gross: i64,
}

/// One rule as the console's form sends it: fees in yuan as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleForm {
    /// provinces; empty for the rule of every other province
    #[serde(default)]
    pub regions: Vec<String>,
    /// pieces, or grams when charging by weight
    pub first: i64,
    pub first_fee: String,
    pub extra: i64,
    pub extra_fee: String,
}

/// A shipping template as the console's form sends it (`id` none: a new template).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateForm {
    pub id: Option<i64>,
    pub name: String,
    pub charge_by: ChargeBy,
    /// the rules for chosen provinces, and at most one without provinces for everywhere else;
    /// without that one the template delivers only to the chosen provinces
    pub rules: Vec<RuleForm>,
    /// yuan; empty or 0 = never free
    #[serde(default)]
    pub free_over: String,
    #[serde(default)]
    pub make_default: bool,
}

impl TemplateForm {
    /// The form of a stored template, for editing.
    pub fn of(t: &ShippingTemplate) -> Self {
        Self {
            id: Some(t.id),
            name: t.name.clone(),
            charge_by: t.charge_by,
            rules: t
                .rules
                .iter()
                .map(|r| RuleForm {
                    regions: r.regions.clone(),
                    first: r.first,
                    first_fee: yuan_text(r.first_fee),
                    extra: r.extra,
                    extra_fee: yuan_text(r.extra_fee),
                })
                .collect(),
            free_over: yuan_text(t.free_over),
            make_default: false,
        }
    }

    /// The template it describes (`id` 0 for a new one), checked.
    /// Errors: a field error (422) naming what to fix, in Chinese.
    pub fn parse(&self) -> Result<ShippingTemplate, AppError> {
        let fee =
            |field: &str, v: &str| parse_yuan(field, if v.trim().is_empty() { "0" } else { v });
        let rules = self
            .rules
            .iter()
            .map(|r| {
                Ok(ShippingRule {
                    regions: r.regions.clone(),
                    first: r.first,
                    first_fee: fee("rules", &r.first_fee)?,
                    extra: r.extra,
                    extra_fee: fee("rules", &r.extra_fee)?,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let t = ShippingTemplate {
            id: self.id.unwrap_or(0),
            name: self.name.trim().to_string(),
            charge_by: self.charge_by,
            rules,
            free_over: fee("free_over", &self.free_over)?,
        };
        t.check()?;
        Ok(t)
    }
}

impl ShippingTemplate {
    /// Whether provinces no rule names are served (by the fallback rule).
    pub fn delivers_elsewhere(&self) -> bool {
        self.rules.iter().any(|r| r.regions.is_empty())
    }

    /// The rule for a province: the first naming it, else the fallback rule.
    pub fn rule_for(&self, province: &str) -> Option<&ShippingRule> {
        self.rules
            .iter()
            .find(|r| r.regions.iter().any(|p| p == province))
            .or_else(|| self.rules.iter().find(|r| r.regions.is_empty()))
    }

    /// The fee for `units` (pieces or grams) worth `goods` fen, to `province`; `None` when the
    /// template does not deliver there.
    pub fn fee(&self, province: &str, units: i64, goods: i64) -> Option<i64> {
        let rule = self.rule_for(province)?;
        if self.free_over > 0 && goods >= self.free_over {
            return Some(0);
        }
        let beyond = (units - rule.first).max(0);
        let steps = (beyond + rule.extra - 1) / rule.extra;
        Some(rule.first_fee + steps * rule.extra_fee)
    }

    /// Checks a template as entered by a merchant.
    pub fn check(&self) -> Result<(), AppError> {
        if self.name.trim().is_empty() || self.name.chars().count() > 30 {
            return Err(AppError::invalid("name", "模板名称为 1-30 个字"));
        }
        if self.rules.is_empty() || self.rules.len() > 40 {
            return Err(AppError::invalid("rules", "请设置 1-40 条运费规则"));
        }
        if self.rules.iter().filter(|r| r.regions.is_empty()).count() > 1 {
            return Err(AppError::invalid("rules", "只能有一条“其他地区”规则"));
        }
        let mut seen: Vec<&str> = Vec::new();
        for r in &self.rules {
            for p in &r.regions {
                if !PROVINCES.contains(&p.as_str()) {
                    return Err(AppError::invalid("rules", "请从列表中选择省份"));
                }
                if seen.contains(&p.as_str()) {
                    return Err(AppError::invalid("rules", format!("{p} 出现在多条规则中")));
                }
                seen.push(p);
            }
            let unit_max = match self.charge_by {
                ChargeBy::Piece => 999,
                ChargeBy::Weight => 1_000_000,
            };
            if !(1..=unit_max).contains(&r.first) || !(1..=unit_max).contains(&r.extra) {
                return Err(AppError::invalid("rules", "首件（重）和续件（重）须大于 0"));
            }
            let fee_ok = |f: i64| (0..=100_000).contains(&f);
            if !fee_ok(r.first_fee) || !fee_ok(r.extra_fee) {
                return Err(AppError::invalid("rules", "运费须在 0-1000 元之间"));
            }
        }
        if !(0..=MAX_PRICE_FEN).contains(&self.free_over) {
            return Err(AppError::invalid("free_over", "包邮门槛不正确"));
        }
        Ok(())
    }
}

/// The shipping fee of one shop's lines to `province`: the sum over the templates used.
/// `Err(template_id)` names a template that does not deliver there.
pub fn shipping_fee(
    templates: &[ShippingTemplate],
    lines: &[ShippedLine],
    province: &str,
) -> Result<i64, i64> {
    let mut ids: Vec<i64> = lines.iter().map(|l| l.template_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut total = 0;
    for id in ids {
        let template = templates.iter().find(|t| t.id == id).ok_or(id)?;
        let on_it = lines.iter().filter(|l| l.template_id == id);
        let (units, goods) = on_it.fold((0, 0), |(u, g), l| {
            let units = match template.charge_by {
                ChargeBy::Piece => l.qty,
                ChargeBy::Weight => l.weight_g * l.qty,
            };
            (u + units, g + l.gross)
        });
        total += template.fee(province, units, goods).ok_or(id)?;
    }
    Ok(total)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
/// The merchant console's 运费设置 page: the shop's templates, its default and its pickup point.
pub struct ShippingSettingsData {
    pub templates: Vec<ShippingTemplate>,
    /// the id of the default template (0 when there is none: the shop ships free)
    pub default_id: i64,
    pub pickup_address: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_piece() -> ShippingTemplate {
        ShippingTemplate {
            id: 1,
            name: "默认".into(),
            charge_by: ChargeBy::Piece,
            rules: vec![
                ShippingRule {
                    regions: vec!["新疆维吾尔自治区".into(), "西藏自治区".into()],
                    first: 1,
                    first_fee: 2000,
                    extra: 1,
                    extra_fee: 1000,
                },
                ShippingRule {
                    regions: vec![],
                    first: 1,
                    first_fee: 800,
                    extra: 2,
                    extra_fee: 300,
                },
            ],
            free_over: 9900,
        }
    }

    #[test]
    fn first_unit_then_started_steps() {
        let t = by_piece();
        assert_eq!(t.fee("贵州省", 1, 100), Some(800));
        assert_eq!(t.fee("贵州省", 2, 100), Some(1100)); // one started step of 2
        assert_eq!(t.fee("贵州省", 3, 100), Some(1100));
        assert_eq!(t.fee("贵州省", 4, 100), Some(1400));
        assert_eq!(t.fee("西藏自治区", 3, 100), Some(4000));
        assert_eq!(t.fee("贵州省", 5, 9900), Some(0), "free from the threshold");
    }

    #[test]
    fn regions_without_a_rule_are_not_served() {
        let mut t = by_piece();
        t.rules.pop();
        assert_eq!(t.fee("贵州省", 1, 100), None);
        let lines = [ShippedLine {
            template_id: 1,
            qty: 1,
            weight_g: 0,
            gross: 100,
        }];
        assert_eq!(shipping_fee(&[t], &lines, "贵州省"), Err(1));
    }

    #[test]
    fn lines_on_one_template_share_the_first_unit() {
        let mut weight = by_piece();
        weight.id = 2;
        weight.charge_by = ChargeBy::Weight;
        weight.rules = vec![ShippingRule {
            regions: vec![],
            first: 1000,
            first_fee: 1000,
            extra: 500,
            extra_fee: 200,
        }];
        weight.free_over = 0;
        let line = |template_id, qty, weight_g| ShippedLine {
            template_id,
            qty,
            weight_g,
            gross: 1000,
        };
        let templates = [by_piece(), weight];
        // piece: 2 pieces → 800 + 300; weight: 2×600 g = 1200 g → 1000 + 200
        let lines = [line(1, 1, 0), line(1, 1, 0), line(2, 2, 600)];
        assert_eq!(shipping_fee(&templates, &lines, "贵州省"), Ok(1100 + 1200));
    }

    #[test]
    fn merchants_get_clear_refusals() {
        let mut t = by_piece();
        assert!(t.check().is_ok());
        t.rules[1].extra = 0;
        assert!(t.check().is_err());
        let mut t = by_piece();
        t.rules[1].regions = vec!["西藏自治区".into()];
        assert!(t.check().is_err(), "a province in two rules");
        let mut t = by_piece();
        t.rules[0].regions.push("<b>火星</b>".into());
        assert!(t.check().is_err(), "only real provinces");
    }

    #[test]
    fn a_template_for_chosen_provinces_only_survives_the_form() {
        let mut t = by_piece();
        t.rules.pop();
        assert!(!t.delivers_elsewhere());
        let form = TemplateForm::of(&t);
        assert_eq!(form.rules[0].first_fee, "20.00");
        assert_eq!(
            form.parse().unwrap(),
            t,
            "editing and saving changes nothing"
        );
        let mut bad = form.clone();
        bad.rules[0].first_fee = "二十".into();
        assert!(bad.parse().is_err());
        let mut none = form;
        none.rules.clear();
        assert!(none.parse().is_err(), "a template delivers somewhere");
    }
}
