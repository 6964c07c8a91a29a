//! CSV downloads of the finance pages: a merchant's bills, one bill and its ledger lines; the
//! platform's bills, ledger and period report (finance admins); and the coupon usage reports of
//! 营销中心 and 平台优惠券; the 操作日志 of both consoles; the tables of both 概览. Same session and realm checks as the
//! pages; a merchant only ever gets its own rows.

use app::domain::account::Realm;
use app::domain::audit::AuditFilter;
use app::domain::dashboard::{Dashboard, DayRange};
use app::domain::permission::Permission;
use app::domain::settlement::BillSummary;
use app::error::{AppError, AppResult};
use app::infra::session::{check_realm, identity_of};
use app::services::admins::AdminScope;
use app::services::audit_trail::{self, AuditReader};
use app::services::coupons::{self, Issuer};
use app::services::dashboards;
use app::services::finance_reports as reports;
use app::services::merchants::MerchantScope;
use app::services::settlement;
use app::state::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::header;
use serde::Deserialize;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/merchant/finance/export/bills.csv", get(merchant_bills))
        .route("/merchant/finance/export/bills/{file}", get(merchant_bill))
        .route("/merchant/finance/export/ledger.csv", get(merchant_ledger))
        .route("/admin/finance/export/bills.csv", get(admin_bills))
        .route("/admin/finance/export/ledger.csv", get(admin_ledger))
        .route("/admin/finance/export/report.csv", get(admin_report))
        .route("/merchant/marketing/usage.csv", get(shop_coupon_usage))
        .route("/admin/coupons/usage.csv", get(platform_coupon_usage))
        .route("/admin/audit.csv", get(admin_audit))
        .route("/merchant/audit.csv", get(merchant_audit))
        .route("/admin/overview/{file}", get(admin_overview))
        .route("/merchant/overview/{file}", get(merchant_overview))
}

fn csv_file(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

fn reply(result: AppResult<Response>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

async fn merchant(st: &AppState, session: &Session) -> AppResult<MerchantScope> {
    let me = check_realm(identity_of(session).await?, Realm::Merchant)?;
    MerchantScope::of(st, &me).await
}

/// The signed-in platform admin, who must hold `needs` (403 otherwise), as the page checks.
async fn admin_with(st: &AppState, session: &Session, needs: Permission) -> AppResult<AdminScope> {
    let me = check_realm(identity_of(session).await?, Realm::Admin)?;
    let admin = AdminScope::of(st, &me).await?;
    admin.require(needs)?;
    Ok(admin)
}

async fn finance_admin(st: &AppState, session: &Session) -> AppResult<AdminScope> {
    admin_with(st, session, Permission::HandleFinance).await
}

/// Every page of a merchant's (or everyone's) bills.
async fn all_bills(st: &AppState, merchant_id: Option<i64>) -> AppResult<Vec<BillSummary>> {
    let mut out = Vec::new();
    for page in 1.. {
        let bills = settlement::bills(st, merchant_id, None, page).await?;
        if bills.is_empty() || out.len() >= 50_000 {
            break;
        }
        out.extend(bills);
    }
    Ok(out)
}

async fn merchant_bills(State(st): State<AppState>, session: Session) -> Response {
    reply(
        async {
            let scope = merchant(&st, &session).await?;
            let bills = all_bills(&st, Some(scope.merchant_id)).await?;
            Ok(csv_file("bills.csv", reports::bills_csv(&bills)))
        }
        .await,
    )
}

async fn merchant_bill(
    State(st): State<AppState>,
    session: Session,
    Path(file): Path<String>,
) -> Response {
    reply(
        async {
            let scope = merchant(&st, &session).await?;
            let id: i64 = file
                .strip_suffix(".csv")
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| AppError::not_found("结算单不存在"))?;
            let bill = settlement::bill(&st, Some(scope.merchant_id), id).await?;
            let name = format!("{}.csv", bill.bill.bill_no);
            Ok(csv_file(&name, reports::bill_csv(&bill)))
        }
        .await,
    )
}

async fn merchant_ledger(State(st): State<AppState>, session: Session) -> Response {
    reply(
        async {
            let scope = merchant(&st, &session).await?;
            let lines = reports::all_lines(&st, Some(scope.merchant_id)).await?;
            Ok(csv_file("ledger.csv", reports::ledger_csv(&lines)))
        }
        .await,
    )
}

async fn admin_bills(State(st): State<AppState>, session: Session) -> Response {
    reply(
        async {
            finance_admin(&st, &session).await?;
            let bills = all_bills(&st, None).await?;
            Ok(csv_file("bills.csv", reports::bills_csv(&bills)))
        }
        .await,
    )
}

async fn admin_ledger(State(st): State<AppState>, session: Session) -> Response {
    reply(
        async {
            finance_admin(&st, &session).await?;
            let lines = reports::all_lines(&st, None).await?;
            Ok(csv_file("ledger.csv", reports::ledger_csv(&lines)))
        }
        .await,
    )
}

#[derive(Debug, Deserialize)]
struct Period {
    from: Option<String>,
    to: Option<String>,
}

async fn admin_report(
    State(st): State<AppState>,
    session: Session,
    Query(p): Query<Period>,
) -> Response {
    reply(
        async {
            finance_admin(&st, &session).await?;
            let report =
                reports::picked_period_report(&st, p.from.as_deref(), p.to.as_deref()).await?;
            Ok(csv_file("report.csv", reports::report_csv(&report)))
        }
        .await,
    )
}

async fn shop_coupon_usage(State(st): State<AppState>, session: Session) -> Response {
    reply(
        async {
            let scope = merchant(&st, &session).await?;
            let body = coupons::usage_csv(&st, Issuer::Shop(&scope)).await?;
            Ok(csv_file("coupon-usage.csv", body))
        }
        .await,
    )
}

/// Needs 管理营销, like the page.
async fn platform_coupon_usage(State(st): State<AppState>, session: Session) -> Response {
    reply(
        async {
            let me = check_realm(identity_of(&session).await?, Realm::Admin)?;
            let admin = AdminScope::of(&st, &me).await?;
            let body = coupons::usage_csv(&st, Issuer::Platform(&admin)).await?;
            Ok(csv_file("coupon-usage.csv", body))
        }
        .await,
    )
}

/// Needs 查看操作日志, like the page.
async fn admin_audit(
    State(st): State<AppState>,
    session: Session,
    Query(f): Query<AuditFilter>,
) -> Response {
    reply(
        async {
            admin_with(&st, &session, Permission::ReadAudit).await?;
            let body = audit_trail::export(&st, AuditReader::Platform, &f).await?;
            Ok(csv_file("audit.csv", body))
        }
        .await,
    )
}

/// The shop's owner only, like the page.
async fn merchant_audit(
    State(st): State<AppState>,
    session: Session,
    Query(f): Query<AuditFilter>,
) -> Response {
    reply(
        async {
            let scope = merchant(&st, &session).await?;
            scope.require_owner()?;
            let body = audit_trail::export(&st, AuditReader::Shop(scope.merchant_id), &f).await?;
            Ok(csv_file("audit.csv", body))
        }
        .await,
    )
}

/// The period of a 概览 CSV link (`from`/`to` or `days`, as the page).
#[derive(Deserialize)]
struct DashboardPeriod {
    #[serde(default)]
    days: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// One table of a dashboard (`kpis.csv`, `trend.csv`, …) as CSV; 404 for another name.
fn dashboard_csv(d: &Dashboard, file: &str) -> AppResult<Response> {
    let (header, rows) = file
        .strip_suffix(".csv")
        .and_then(|t| d.table(t))
        .ok_or_else(|| AppError::not_found("没有这张表"))?;
    let name = format!("{}-{}-{}", d.range.from, d.range.to, file);
    Ok(csv_file(&name, reports::csv(&header, rows)))
}

async fn admin_overview(
    State(st): State<AppState>,
    session: Session,
    Path(file): Path<String>,
    Query(p): Query<DashboardPeriod>,
) -> Response {
    reply(
        async {
            let me = check_realm(identity_of(&session).await?, Realm::Admin)?;
            let admin = AdminScope::of(&st, &me).await?;
            let range = DayRange::pick(&p.days, &p.from, &p.to, st.clock.now_ms())?;
            let d = dashboards::platform(&st, &admin, range).await?;
            dashboard_csv(&d, &file)
        }
        .await,
    )
}

async fn merchant_overview(
    State(st): State<AppState>,
    session: Session,
    Path(file): Path<String>,
    Query(p): Query<DashboardPeriod>,
) -> Response {
    reply(
        async {
            let scope = merchant(&st, &session).await?;
            let range = DayRange::pick(&p.days, &p.from, &p.to, st.clock.now_ms())?;
            let d = dashboards::shop(&st, &scope, range).await?;
            dashboard_csv(&d, &file)
        }
        .await,
    )
}
