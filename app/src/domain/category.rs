//! The category tree's rules that need no database: its depth, commission rates, which
//! categories are live, and the shapes the shop front and the admin's table show.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

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

/// One category as stored (`categories`), parents before children when listed.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CategoryRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub level: i64,
    pub sort_order: i64,
    pub icon: String,
    pub commission_rate_bps: i64,
    /// 1 or 0 (portable across SQLite and PostgreSQL)
    pub enabled: i64,
}

/// The shop front's category tree: live categories only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryNode {
    pub id: i64,
    pub name: String,
    pub icon: String,
    #[cfg_attr(feature = "ssr", schema(no_recursion))]
    pub children: Vec<CategoryNode>,
}

/// A row of the admin's category table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryAdminRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub level: i64,
    pub sort_order: i64,
    pub icon: String,
    /// e.g. `5.50` (percent)
    pub commission_percent: String,
    pub enabled: bool,
}

/// The live categories: those whose whole ancestry is enabled. A disabled category hides its
/// subtree from the shop front, the product editor and the merchant application; this is the
/// one place that says so.
pub fn live_ids(rows: &[CategoryRow]) -> HashSet<i64> {
    let by_id: HashMap<i64, &CategoryRow> = rows.iter().map(|r| (r.id, r)).collect();
    rows.iter()
        .filter(|r| {
            let mut cur = Some(*r);
            while let Some(c) = cur {
                if c.enabled == 0 {
                    return false;
                }
                cur = c.parent_id.and_then(|p| by_id.get(&p).copied());
            }
            true
        })
        .map(|r| r.id)
        .collect()
}

/// The live top-level categories (what a shop applies to sell in), in listing order.
pub fn live_top_level(rows: &[CategoryRow]) -> Vec<&CategoryRow> {
    let live = live_ids(rows);
    rows.iter()
        .filter(|r| r.parent_id.is_none() && live.contains(&r.id))
        .collect()
}

/// The live category tree from rows ordered parents-first.
pub fn tree(rows: &[CategoryRow]) -> Vec<CategoryNode> {
    fn children(
        rows: &[CategoryRow],
        live: &HashSet<i64>,
        parent: Option<i64>,
    ) -> Vec<CategoryNode> {
        rows.iter()
            .filter(|r| r.parent_id == parent && live.contains(&r.id))
            .map(|r| CategoryNode {
                id: r.id,
                name: r.name.clone(),
                icon: r.icon.clone(),
                children: children(rows, live, Some(r.id)),
            })
            .collect()
    }
    children(rows, &live_ids(rows), None)
}

/// All categories, live or not, depth-first (each parent followed by its subtree), for the
/// admin's table.
pub fn depth_first(rows: &[CategoryRow]) -> Vec<&CategoryRow> {
    fn walk<'a>(rows: &'a [CategoryRow], parent: Option<i64>, out: &mut Vec<&'a CategoryRow>) {
        for r in rows.iter().filter(|r| r.parent_id == parent) {
            out.push(r);
            walk(rows, Some(r.id), out);
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    walk(rows, None, &mut out);
    out
}

#[cfg(test)]
mod tree_tests {
    use super::*;

    fn row(id: i64, parent: Option<i64>, enabled: i64) -> CategoryRow {
        CategoryRow {
            id,
            parent_id: parent,
            name: format!("c{id}"),
            level: if parent.is_some() { 2 } else { 1 },
            sort_order: 0,
            icon: String::new(),
            commission_rate_bps: 0,
            enabled,
        }
    }

    /// Two top-level categories, the second disabled, each with one enabled child.
    fn two_trees() -> [CategoryRow; 4] {
        [
            row(1, None, 1),
            row(2, None, 0),
            row(3, Some(1), 1),
            row(4, Some(2), 1),
        ]
    }

    #[test]
    fn disabled_categories_hide_their_subtree() {
        let t = tree(&two_trees());
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].children.len(), 1);
        assert_eq!(t[0].children[0].id, 3);
    }

    #[test]
    fn a_category_is_live_only_under_live_parents() {
        let rows = [
            row(1, None, 1),
            row(2, Some(1), 0),
            row(3, Some(2), 1),
            row(4, None, 0),
        ];
        let live = live_ids(&rows);
        assert!(live.contains(&1));
        assert!(!live.contains(&2) && !live.contains(&3) && !live.contains(&4));
        let tops: Vec<i64> = live_top_level(&rows).iter().map(|r| r.id).collect();
        assert_eq!(tops, [1]);
    }

    #[test]
    fn depth_first_puts_children_under_their_parent() {
        let ids: Vec<i64> = depth_first(&two_trees()).iter().map(|r| r.id).collect();
        assert_eq!(ids, [1, 3, 2, 4]);
    }
}
