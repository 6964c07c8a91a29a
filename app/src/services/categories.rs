//! Platform management of the category tree (super admins and operators).

use crate::domain::audit::AuditTarget;
use crate::domain::category::{
    self as rules, check_category_name, CategoryAdminRow, CategoryNode, CommissionRate,
    MAX_CATEGORY_LEVEL,
};
use crate::domain::permission::Permission;
use crate::error::{AppError, AppResult};
use crate::repo::audit;
use crate::repo::categories::{self as repo, CategoryChanges, NewCategory};
use crate::services::admins::AdminScope;
use crate::state::AppState;

/// The live category tree for the shop front (H5 and mini-program).
pub async fn tree(st: &AppState) -> AppResult<Vec<CategoryNode>> {
    Ok(rules::tree(&repo::list_categories(&st.db.pool).await?))
}

/// Every category, live or not, depth-first, for the admin's table.
pub async fn admin_rows(st: &AppState) -> AppResult<Vec<CategoryAdminRow>> {
    let rows = repo::list_categories(&st.db.pool).await?;
    rules::depth_first(&rows)
        .into_iter()
        .map(|r| {
            Ok(CategoryAdminRow {
                id: r.id,
                parent_id: r.parent_id,
                name: r.name.clone(),
                level: r.level,
                sort_order: r.sort_order,
                icon: r.icon.clone(),
                commission_percent: CommissionRate::from_bps(r.commission_rate_bps)?.percent_text(),
                enabled: r.enabled != 0,
            })
        })
        .collect()
}

/// The live top-level categories a shop may apply to sell in: (id, name, icon).
pub async fn top_level_choices(st: &AppState) -> AppResult<Vec<(i64, String, String)>> {
    let rows = repo::list_categories(&st.db.pool).await?;
    Ok(rules::live_top_level(&rows)
        .into_iter()
        .map(|r| (r.id, r.name.clone(), r.icon.clone()))
        .collect())
}

/// What an admin submits for a new or edited category.
pub struct CategoryInput<'a> {
    pub name: &'a str,
    pub icon: &'a str,
    pub sort_order: i64,
    pub commission_percent: &'a str,
    pub enabled: bool,
}

struct Checked {
    name: String,
    icon: String,
    rate: CommissionRate,
}

fn check(input: &CategoryInput<'_>) -> AppResult<Checked> {
    let name = check_category_name(input.name)?;
    let icon = input.icon.trim().to_string();
    if icon.chars().count() > 8 {
        return Err(AppError::invalid("icon", "图标请填写一个表情符号或留空"));
    }
    if !(0..=9999).contains(&input.sort_order) {
        return Err(AppError::invalid("sort_order", "排序需为0到9999的整数"));
    }
    let rate = CommissionRate::parse_percent(input.commission_percent)?;
    Ok(Checked { name, icon, rate })
}

/// Adds a category under `parent_id` (or at the top). Returns its id.
pub async fn create(
    st: &AppState,
    admin: &AdminScope,
    parent_id: Option<i64>,
    input: &CategoryInput<'_>,
    ip: &str,
) -> AppResult<i64> {
    admin.require(Permission::ManageCategories)?;
    let c = check(input)?;
    let pool = &st.db.pool;
    let level = match parent_id {
        None => 1,
        Some(pid) => {
            let parent = repo::category_by_id(pool, pid)
                .await?
                .ok_or_else(|| AppError::invalid("parent_id", "上级分类不存在"))?;
            if parent.level >= MAX_CATEGORY_LEVEL {
                return Err(AppError::invalid(
                    "parent_id",
                    "分类最多三级，不能再添加下级",
                ));
            }
            parent.level + 1
        }
    };
    if repo::sibling_name_taken(pool, parent_id, &c.name, None).await? {
        return Err(AppError::invalid("name", "同级分类中已有这个名称"));
    }
    let mut tx = st.db.begin_write().await?;
    let id = repo::insert_category(
        &mut tx,
        &NewCategory {
            parent_id,
            name: &c.name,
            level,
            sort_order: input.sort_order,
            icon: &c.icon,
            commission_rate_bps: c.rate.bps(),
        },
    )
    .await?;
    if !input.enabled {
        let changes = changes(&c, input);
        repo::update_category(&mut tx, id, &changes).await?;
    }
    let after = summary(&c.name, c.rate.bps(), input.enabled);
    let entry = admin
        .entry("category_create", "", ip)
        .on(AuditTarget::Category, id)
        .change("", &after);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a category's name, icon, order, commission rate or enabled flag. The rate applies to
/// orders placed from now on; placed orders keep the rate fixed on them.
pub async fn update(
    st: &AppState,
    admin: &AdminScope,
    id: i64,
    input: &CategoryInput<'_>,
    ip: &str,
) -> AppResult<()> {
    admin.require(Permission::ManageCategories)?;
    let c = check(input)?;
    let pool = &st.db.pool;
    let current = repo::category_by_id(pool, id)
        .await?
        .ok_or_else(|| AppError::not_found("分类不存在"))?;
    if repo::sibling_name_taken(pool, current.parent_id, &c.name, Some(id)).await? {
        return Err(AppError::invalid("name", "同级分类中已有这个名称"));
    }
    let mut tx = st.db.begin_write().await?;
    repo::update_category(&mut tx, id, &changes(&c, input)).await?;
    let before = summary(
        &current.name,
        current.commission_rate_bps,
        current.enabled != 0,
    );
    let after = summary(&c.name, c.rate.bps(), input.enabled);
    let entry = admin
        .entry("category_update", "", ip)
        .on(AuditTarget::Category, id)
        .change(&before, &after);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

fn changes<'a>(c: &'a Checked, input: &CategoryInput<'_>) -> CategoryChanges<'a> {
    CategoryChanges {
        name: &c.name,
        sort_order: input.sort_order,
        icon: &c.icon,
        commission_rate_bps: c.rate.bps(),
        enabled: input.enabled,
    }
}

/// A category as its audit entries show it before and after a change: `茶叶 佣金 5.00% 启用`.
fn summary(name: &str, rate_bps: i64, enabled: bool) -> String {
    let rate = CommissionRate::from_bps(rate_bps).map_or(String::new(), |r| r.percent_text());
    let state = if enabled { "启用" } else { "停用" };
    format!("{name} 佣金 {rate}% {state}")
}
