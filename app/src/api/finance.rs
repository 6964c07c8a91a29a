//! 结算与财务: the merchant's 结算中心 (balances, bills to confirm or object to, withdrawals,
//! its ledger lines) and the platform's finance desk (every bill, 立即出账, withdrawal review,
//! the ledger, the period report and the reconciliation check; super admins and finance).
//! A merchant works in its `MerchantScope`: another shop's bills are "not found".

use leptos::prelude::*;

use crate::domain::settlement::{
    BillDetail, BillSummary, LedgerPage, MerchantFinance, PeriodReport, Reconciliation,
    WithdrawalView,
};
use crate::error::AppError;

/// How many bills and withdrawals the 结算中心 shows.
pub const RECENT: usize = 10;

#[cfg(feature = "ssr")]
async fn finance_call() -> Result<(crate::api::Call, crate::services::admins::AdminScope), AppError>
{
    let (c, admin) = crate::api::admin_call().await?;
    admin.require(crate::domain::permission::Permission::HandleFinance)?;
    Ok((c, admin))
}

// ---------------------------------------------------------------------------------------------
// Merchant
// ---------------------------------------------------------------------------------------------

/// 结算中心: balances, the cycle, the latest bills and withdrawals.
#[server(prefix = "/api", endpoint = "merchant/finance")]
pub async fn merchant_finance_overview() -> Result<MerchantFinance, AppError> {
    session_respond!({
        use crate::services::settlement as svc;
        let (c, scope) = crate::api::merchant_call().await?;
        let m = Some(scope.merchant_id);
        let mut bills = svc::bills(&c.st, m, None, 1).await?;
        bills.truncate(RECENT);
        let mut withdrawals = svc::withdrawals(&c.st, m, None, 1).await?;
        withdrawals.truncate(RECENT);
        Ok(MerchantFinance {
            balances: svc::balances(&c.st, scope.merchant_id).await?,
            cycle: c.st.config.settlement.cycle.label().to_string(),
            after_sale_days: c.st.config.orders.after_sale_days,
            bills,
            withdrawals,
        })
    })
}

/// The shop's bills, newest first (`status`: `pending`, `confirmed`, `disputed` or all).
#[server(prefix = "/api", endpoint = "merchant/finance/bills")]
pub async fn merchant_bills(
    status: Option<String>,
    page: Option<u32>,
) -> Result<Vec<BillSummary>, AppError> {
    session_respond!({
        use crate::domain::settlement::BillStatus;
        let (c, scope) = crate::api::merchant_call().await?;
        let status = status.as_deref().and_then(BillStatus::parse);
        crate::services::settlement::bills(
            &c.st,
            Some(scope.merchant_id),
            status,
            page.unwrap_or(1),
        )
        .await
    })
}

#[server(prefix = "/api", endpoint = "merchant/finance/bills/detail")]
pub async fn merchant_bill(id: i64) -> Result<BillDetail, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::settlement::bill(&c.st, Some(scope.merchant_id), id).await
    })
}

/// 确认结算单: the bill's net becomes available to withdraw.
#[server(prefix = "/api", endpoint = "merchant/finance/bills/confirm")]
pub async fn confirm_bill(id: i64) -> Result<(), AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::settlement::confirm(&c.st, &scope, &c.me, id, &c.ip).await?;
        leptos_axum::redirect(&format!("/merchant/finance/bills/{id}"));
        Ok(())
    })
}

/// 提出异议 with a note for the platform; the bill's money waits for the platform.
#[server(prefix = "/api", endpoint = "merchant/finance/bills/object")]
pub async fn object_to_bill(id: i64, note: String) -> Result<(), AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::settlement::object(&c.st, &scope, id, &note, &c.ip).await?;
        leptos_axum::redirect(&format!("/merchant/finance/bills/{id}"));
        Ok(())
    })
}

/// 申请提现 (the shop owner): `amount` in yuan as typed. Returns the withdrawal's id.
#[server(prefix = "/api", endpoint = "merchant/finance/withdraw")]
pub async fn request_withdrawal(
    amount: String,
    account_name: String,
    bank_name: String,
    account_no: String,
) -> Result<i64, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        let form = crate::domain::settlement::WithdrawalForm {
            amount,
            account_name,
            bank_name,
            account_no,
        };
        let id =
            crate::services::settlement::request_withdrawal(&c.st, &scope, &c.me, &form, &c.ip)
                .await?;
        leptos_axum::redirect("/merchant/finance?requested=1");
        Ok(id)
    })
}

/// 资金流水: the lines on the shop's own accounts, newest first.
#[server(prefix = "/api", endpoint = "merchant/finance/ledger")]
pub async fn merchant_ledger(page: Option<u32>) -> Result<LedgerPage, AppError> {
    session_respond!({
        let (c, scope) = crate::api::merchant_call().await?;
        crate::services::finance_reports::ledger_page(
            &c.st,
            Some(scope.merchant_id),
            page.unwrap_or(1),
        )
        .await
    })
}

// ---------------------------------------------------------------------------------------------
// Platform
// ---------------------------------------------------------------------------------------------

/// Every shop's bills (`status`: `pending`, `confirmed`, `disputed` or all).
#[server(prefix = "/api", endpoint = "admin/finance/bills")]
pub async fn admin_bills(
    status: Option<String>,
    page: Option<u32>,
) -> Result<Vec<BillSummary>, AppError> {
    session_respond!({
        use crate::domain::settlement::BillStatus;
        let (c, _) = finance_call().await?;
        let status = status.as_deref().and_then(BillStatus::parse);
        crate::services::settlement::bills(&c.st, None, status, page.unwrap_or(1)).await
    })
}

#[server(prefix = "/api", endpoint = "admin/finance/bills/detail")]
pub async fn admin_bill(id: i64) -> Result<BillDetail, AppError> {
    session_respond!({
        let (c, _) = finance_call().await?;
        crate::services::settlement::bill(&c.st, None, id).await
    })
}

/// 复核确认: the platform confirms a bill the merchant objected to.
#[server(prefix = "/api", endpoint = "admin/finance/bills/confirm")]
pub async fn confirm_disputed_bill(id: i64) -> Result<(), AppError> {
    session_respond!({
        let (c, admin) = finance_call().await?;
        crate::services::settlement::confirm_disputed(&c.st, &admin, id, &c.ip).await?;
        leptos_axum::redirect(&format!("/admin/finance/bills/{id}"));
        Ok(())
    })
}

/// 立即出账: cuts bills now for every order whose after-sale window has closed (one shop, or
/// all). Returns how many bills were made.
#[server(prefix = "/api", endpoint = "admin/finance/settle")]
pub async fn settle_bills_now(merchant_id: Option<i64>) -> Result<usize, AppError> {
    session_respond!({
        let (c, admin) = finance_call().await?;
        let made =
            crate::services::settlement::settle_now(&c.st, &admin, merchant_id, &c.ip).await?;
        leptos_axum::redirect(&format!("/admin/finance?settled={made}"));
        Ok(made)
    })
}

/// Withdrawals of every shop (`status`: `pending`, `paid`, `rejected` or all).
#[server(prefix = "/api", endpoint = "admin/finance/withdrawals")]
pub async fn admin_withdrawals(
    status: Option<String>,
    page: Option<u32>,
) -> Result<Vec<WithdrawalView>, AppError> {
    session_respond!({
        use crate::domain::settlement::WithdrawalStatus;
        let (c, _) = finance_call().await?;
        let status = status.as_deref().and_then(WithdrawalStatus::parse);
        crate::services::settlement::withdrawals(&c.st, None, status, page.unwrap_or(1)).await
    })
}

/// 已打款: finance transferred the money; `transfer_ref` is the bank transfer's reference.
#[server(prefix = "/api", endpoint = "admin/finance/withdrawals/approve")]
pub async fn approve_withdrawal(id: i64, transfer_ref: String) -> Result<(), AppError> {
    session_respond!({
        let (c, admin) = finance_call().await?;
        crate::services::settlement::review_withdrawal(
            &c.st,
            &admin,
            id,
            true,
            &transfer_ref,
            &c.ip,
        )
        .await?;
        leptos_axum::redirect("/admin/finance/withdrawals");
        Ok(())
    })
}

/// 驳回: the money goes back to the shop's available balance.
#[server(prefix = "/api", endpoint = "admin/finance/withdrawals/reject")]
pub async fn reject_withdrawal(id: i64, reason: String) -> Result<(), AppError> {
    session_respond!({
        let (c, admin) = finance_call().await?;
        crate::services::settlement::review_withdrawal(&c.st, &admin, id, false, &reason, &c.ip)
            .await?;
        leptos_axum::redirect("/admin/finance/withdrawals");
        Ok(())
    })
}

/// Every ledger line, newest first.
#[server(prefix = "/api", endpoint = "admin/finance/ledger")]
pub async fn admin_ledger(page: Option<u32>) -> Result<LedgerPage, AppError> {
    session_respond!({
        let (c, _) = finance_call().await?;
        crate::services::finance_reports::ledger_page(&c.st, None, page.unwrap_or(1)).await
    })
}

/// 财务报表 from `from` to `to` (`YYYY-MM-DD`, both days included); without them, this month
/// so far.
#[server(prefix = "/api", endpoint = "admin/finance/report")]
pub async fn finance_report(
    from: Option<String>,
    to: Option<String>,
) -> Result<PeriodReport, AppError> {
    session_respond!({
        let (c, _) = finance_call().await?;
        crate::services::finance_reports::picked_period_report(
            &c.st,
            from.as_deref(),
            to.as_deref(),
        )
        .await
    })
}

/// 对账: checks the ledger against the orders, payments and refunds, and against itself.
#[server(prefix = "/api", endpoint = "admin/finance/reconcile")]
pub async fn reconcile_ledger() -> Result<Reconciliation, AppError> {
    session_respond!({
        let (c, _) = finance_call().await?;
        crate::services::ledger::reconcile(&c.st).await
    })
}
