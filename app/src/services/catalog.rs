//! Catalog reads shared by the H5 pages and the mini-program API.

use crate::api::overview::CategoryNode;
use crate::repo::catalog::CategoryRow;

/// Builds the enabled category tree from rows ordered parents-first (see
/// `repo::catalog::list_categories`). A disabled category hides its whole subtree.
pub fn tree(rows: &[CategoryRow]) -> Vec<CategoryNode> {
    fn children(rows: &[CategoryRow], parent: Option<i64>) -> Vec<CategoryNode> {
        rows.iter()
            .filter(|r| r.parent_id == parent && r.enabled != 0)
            .map(|r| CategoryNode {
                id: r.id,
                name: r.name.clone(),
                icon: r.icon.clone(),
                children: children(rows, Some(r.id)),
            })
            .collect()
    }
    children(rows, None)
}

/// All categories, enabled or not, depth-first (each parent followed by its subtree), for the
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
mod tests {
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

    #[test]
    fn disabled_categories_hide_their_subtree() {
        let rows = [
            row(1, None, 1),
            row(2, None, 0),
            row(3, Some(1), 1),
            row(4, Some(2), 1),
        ];
        let t = tree(&rows);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].children.len(), 1);
        assert_eq!(t[0].children[0].id, 3);
    }

    #[test]
    fn depth_first_puts_children_under_their_parent() {
        let rows = [
            row(1, None, 1),
            row(2, None, 0),
            row(3, Some(1), 1),
            row(4, Some(2), 1),
        ];
        let ids: Vec<i64> = depth_first(&rows).iter().map(|r| r.id).collect();
        assert_eq!(ids, [1, 3, 2, 4]);
    }
}
