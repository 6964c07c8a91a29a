//! Reading the audit trail: platform admins read every entry, a shop's staff their shop's
//! entries only. Filters are checked here (a bad one is a 422 naming its field); the CSV export
//! goes through the one CSV writer (`finance_reports::csv`, formulas defused).

use crate::domain::audit::{
    action_label, realm_label, AuditFilter, AuditPage, AuditRow, AuditTarget, ACTIONS, EXPORT_ROWS,
    PAGE_SIZE, REALMS,
};
use crate::domain::time::parse_day;
use crate::error::{AppError, AppResult};
use crate::repo::audit::{self as repo, AuditQuery};
use crate::state::AppState;

/// Whose entries a reader may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditReader {
    /// a platform admin allowed to read the trail: everything
    Platform,
    /// a shop's staff: the entries of this merchant id
    Shop(i64),
}

const DAY_MS: i64 = 86_400_000;

/// The row filter: (kind, id), id 0 for every row of the kind. Errors: 422 on `kind` or `row`
/// (a row without its kind, or not a positive number).
fn row_filter(f: &AuditFilter) -> AppResult<(&str, i64)> {
    let kind = f.kind.trim();
    if !kind.is_empty() && AuditTarget::parse(kind).is_none() {
        return Err(AppError::invalid("kind", "请选择对象类型"));
    }
    let row = match f.row.trim().trim_start_matches('#') {
        "" => 0,
        _ if kind.is_empty() => return Err(AppError::invalid("kind", "请先选择对象类型")),
        text => text
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or_else(|| AppError::invalid("row", "编号应为正整数"))?,
    };
    Ok((kind, row))
}

/// The filter as query bounds. Errors: 422 on `realm`, `action`, `q`, `from` or `to`.
fn bounds(f: &AuditFilter) -> AppResult<(i64, i64)> {
    if !f.realm.is_empty() && !REALMS.iter().any(|r| r.0 == f.realm) {
        return Err(AppError::invalid("realm", "请选择操作人类型"));
    }
    if !f.action.is_empty() && !ACTIONS.iter().any(|a| a.0 == f.action) {
        return Err(AppError::invalid("action", "请选择操作类型"));
    }
    if f.q.chars().count() > 50 {
        return Err(AppError::invalid("q", "搜索内容最多 50 个字"));
    }
    let from = match f.from.trim() {
        "" => 0,
        d => parse_day("from", d)?,
    };
    let until = match f.to.trim() {
        "" => i64::MAX,
        d => parse_day("to", d)? + DAY_MS,
    };
    if from >= until {
        return Err(AppError::invalid("to", "结束日期不能早于开始日期"));
    }
    Ok((from, until))
}

async fn rows(
    st: &AppState,
    reader: AuditReader,
    f: &AuditFilter,
    limit: u32,
    offset: u32,
) -> AppResult<(Vec<AuditRow>, i64)> {
    let (from, until) = bounds(f)?;
    let (kind, row) = row_filter(f)?;
    let q = AuditQuery {
        merchant_id: match reader {
            AuditReader::Platform => 0,
            AuditReader::Shop(id) => id,
        },
        realm: &f.realm,
        action: &f.action,
        kind,
        row,
        q: f.q.trim(),
        from,
        until,
        limit: i64::from(limit),
        offset: i64::from(offset),
    };
    let (list, total) = repo::list(&st.db.pool, &q).await?;
    let rows = list
        .into_iter()
        .map(|r| AuditRow {
            id: r.id,
            at: r.created_at,
            actor: match (r.actor_name, r.actor_login) {
                (Some(name), Some(login)) => format!("{name}（{login}）"),
                (Some(name), None) => name,
                _ => String::new(),
            },
            realm: r.realm,
            shop: r.shop.unwrap_or_default(),
            action: r.action,
            detail: r.detail,
            target: AuditTarget::parse(&r.target_kind),
            target_id: r.target_id,
            before: r.before_value,
            after: r.after_value,
            ip: r.ip,
        })
        .collect();
    Ok((rows, total))
}

/// One page (1-based, [`PAGE_SIZE`] rows) of what `reader` may see, newest first.
pub async fn page(
    st: &AppState,
    reader: AuditReader,
    f: &AuditFilter,
    page: u32,
) -> AppResult<AuditPage> {
    let page = page.clamp(1, 10_000);
    let (rows, total) = rows(st, reader, f, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    Ok(AuditPage { rows, total, page })
}

/// The filtered entries as CSV (at most [`EXPORT_ROWS`], newest first).
pub async fn export(st: &AppState, reader: AuditReader, f: &AuditFilter) -> AppResult<String> {
    let (rows, _) = rows(st, reader, f, EXPORT_ROWS, 0).await?;
    Ok(crate::services::finance_reports::csv(
        &[
            "时间",
            "操作人类型",
            "操作人",
            "店铺",
            "操作",
            "对象",
            "变更前",
            "变更后",
            "详情",
            "IP",
        ],
        rows.into_iter().map(|r| {
            let target = r.target_text();
            vec![
                crate::services::finance_reports::time_text(r.at),
                realm_label(&r.realm).to_string(),
                r.actor,
                r.shop,
                action_label(&r.action),
                target,
                r.before,
                r.after,
                r.detail,
                r.ip,
            ]
        }),
    ))
}
