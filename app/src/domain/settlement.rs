//! Settlement: the cycles bills are cut on, and what the finance pages show (balances, bills,
//! withdrawals, ledger lines, the period report, the reconciliation check).

use serde::{Deserialize, Serialize};

use crate::domain::ledger::{AccountKind, SettlementAmounts};
use crate::domain::state_machine::{mv, Actor, Move, StateMachine};
use crate::domain::time::{china_day, day_start, days_from_civil, parse_day, ChinaTime, DAY_MS};
use crate::error::AppError;

/// How often bills are cut (China time): every day at 00:00, every Monday, every 1st.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cycle {
    Daily,
    Weekly,
    Monthly,
}

impl Cycle {
    pub fn label(self) -> &'static str {
        match self {
            Cycle::Daily => "日结",
            Cycle::Weekly => "周结",
            Cycle::Monthly => "月结",
        }
    }

    /// The start of the cycle period holding `now`: bills cut at `now` settle what became
    /// settleable before it.
    pub fn period_start(self, now: i64) -> i64 {
        let day = china_day(now);
        let start_day = match self {
            Cycle::Daily => day,
            // 1970-01-01 was a Thursday: day 4 of a Monday-based week
            Cycle::Weekly => day - (day + 3).rem_euclid(7),
            Cycle::Monthly => {
                let t = ChinaTime::of_ms(now);
                days_from_civil(t.year, t.month, 1)
            }
        };
        day_start(start_day)
    }

    /// The start of the period before the one starting at `start`.
    pub fn previous_start(self, start: i64) -> i64 {
        self.period_start(start - 1)
    }
}

/// The period of a report as the user picks it (days, `to` included) as `[from, to)` in epoch
/// ms; by default this month so far.
pub fn report_period(
    from: Option<&str>,
    to: Option<&str>,
    now: i64,
) -> Result<(i64, i64), AppError> {
    let from = match from.map(str::trim).filter(|s| !s.is_empty()) {
        Some(d) => parse_day("from", d)?,
        None => Cycle::Monthly.period_start(now),
    };
    let to = match to.map(str::trim).filter(|s| !s.is_empty()) {
        Some(d) => parse_day("to", d)? + DAY_MS,
        None => Cycle::Daily.period_start(now) + DAY_MS,
    };
    if to <= from {
        return Err(AppError::invalid("to", "结束日期不能早于开始日期"));
    }
    Ok((from, to))
}

pub use crate::domain::time::day_text;

/// A bill period `[start, end)` (epoch ms) as its first and last day, both inclusive (China
/// time): a week stored as Monday 00:00 to the next Monday 00:00 reads Monday to Sunday. The
/// bill pages and the CSV exports both read periods through this, so they agree.
pub fn period_days(start: i64, end: i64) -> (String, String) {
    (day_text(start), day_text((end - 1).max(start)))
}

/// A bill period for people: `2026-11-23 至 2026-11-29`, or one day.
pub fn period_text(start: i64, end: i64) -> String {
    match period_days(start, end) {
        (first, last) if first == last => first,
        (first, last) => format!("{first} 至 {last}"),
    }
}

crate::named_enum! {
    pub enum BillStatus {
        Pending = "pending" "待确认",
        /// 已确认 (its money is available)
        Confirmed = "confirmed" "已确认",
        Disputed = "disputed" "有异议",
    }
}

crate::named_enum! {
    pub enum BillAction {
        /// 确认账单: its money becomes available
        Confirm = "confirm" "确认账单",
        Dispute = "dispute" "提出异议",
    }
}

/// pending ─ merchant confirms ─▶ confirmed
/// pending ─ merchant disputes ─▶ disputed ─ platform confirms once resolved ─▶ confirmed
impl StateMachine for BillStatus {
    type Action = BillAction;
    const MOVES: &'static [Move<Self, BillAction>] = {
        use Actor::*;
        use BillAction::*;
        use BillStatus::*;
        &[
            mv(Pending, Confirm, Merchant, Confirmed),
            mv(Pending, Dispute, Merchant, Disputed),
            mv(Disputed, Confirm, Platform, Confirmed),
        ]
    };
    const NOUN: &'static str = "结算单";
}

crate::named_enum! {
    pub enum WithdrawalStatus {
        Pending = "pending" "待审核",
        Paid = "paid" "已打款",
        Rejected = "rejected" "已驳回",
    }
}

crate::named_enum! {
    pub enum WithdrawalAction {
        /// finance has made the bank transfer
        Pay = "pay" "确认打款",
        Reject = "reject" "驳回",
    }
}

/// pending ─ finance pays ─▶ paid;  pending ─ finance rejects ─▶ rejected (money available again)
impl StateMachine for WithdrawalStatus {
    type Action = WithdrawalAction;
    const MOVES: &'static [Move<Self, WithdrawalAction>] = {
        use Actor::*;
        use WithdrawalAction::*;
        use WithdrawalStatus::*;
        &[
            mv(Pending, Pay, Platform, Paid),
            mv(Pending, Reject, Platform, Rejected),
        ]
    };
    const NOUN: &'static str = "提现申请";
}

/// A merchant's money, each on its normal side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Balances {
    pub pending: i64,
    pub available: i64,
    pub withdrawing: i64,
    pub withdrawn: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillSummary {
    pub id: i64,
    pub bill_no: String,
    pub merchant_id: i64,
    pub shop_name: String,
    pub period_start: i64,
    pub period_end: i64,
    pub status: BillStatus,
    pub order_count: i64,
    pub amounts: SettlementAmounts,
    pub objection: String,
    pub confirmed_by: String,
    pub confirmed_at: Option<i64>,
    pub created_at: i64,
    /// what the party reading it may do now (from the bill state machine's table)
    pub actions: Vec<BillAction>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillOrderLine {
    pub order_id: i64,
    pub order_no: String,
    pub completed_at: i64,
    pub amounts: SettlementAmounts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillDetail {
    pub bill: BillSummary,
    pub orders: Vec<BillOrderLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawalView {
    pub id: i64,
    pub withdrawal_no: String,
    pub merchant_id: i64,
    pub shop_name: String,
    pub amount: i64,
    pub status: WithdrawalStatus,
    pub account_name: String,
    pub bank_name: String,
    /// masked, e.g. `**** 6789`
    pub account_no: String,
    pub requested_by: String,
    pub reviewed_by: String,
    pub transfer_ref: String,
    pub reject_reason: String,
    pub reviewed_at: Option<i64>,
    pub created_at: i64,
    /// what the party reading it may do now (from the withdrawal state machine's table)
    pub actions: Vec<WithdrawalAction>,
}

/// What a merchant fills in to withdraw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawalForm {
    /// yuan as typed
    pub amount: String,
    pub account_name: String,
    pub bank_name: String,
    pub account_no: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerLineView {
    pub id: i64,
    pub created_at: i64,
    pub event: String,
    pub event_label: String,
    pub account: AccountKind,
    pub merchant_id: i64,
    pub order_no: String,
    /// on the account's normal side: + increases the balance
    pub amount: i64,
    pub memo: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerPage {
    pub lines: Vec<LedgerLineView>,
    pub page: u32,
    pub has_more: bool,
}

/// A merchant's 结算 overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MerchantFinance {
    pub balances: Balances,
    pub cycle: String,
    pub after_sale_days: i64,
    pub bills: Vec<BillSummary>,
    pub withdrawals: Vec<WithdrawalView>,
}

/// One merchant's line on the period report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReportRow {
    pub merchant_id: i64,
    pub shop_name: String,
    pub paid: i64,
    pub refunds: i64,
    pub commission: i64,
    pub subsidies: i64,
    /// what the period added to the merchant's money: paid − refunds − commission + subsidies
    pub merchant_income: i64,
    pub settled: i64,
    pub withdrawn: i64,
    /// pending + available + withdrawing at the end of the period
    pub payable_at_end: i64,
}

/// 财务报表 over `[from, to)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodReport {
    pub from: i64,
    pub to: i64,
    /// GMV: what shoppers paid for orders in the period
    pub gmv: i64,
    pub total: ReportRow,
    pub merchants: Vec<ReportRow>,
    /// the discounts on orders paid in the period, by source and who funds them
    pub discount_costs: Vec<DiscountCost>,
}

/// What one kind of discount cost its funder over a report's period (orders paid in it, before
/// refunds): fen, and how many orders it was on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscountCost {
    pub source: crate::domain::pricing::DiscountSource,
    pub funder: crate::domain::pricing::Funder,
    pub amount: i64,
    pub orders: i64,
}

/// One difference found by the reconciliation check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drift {
    /// what was compared, e.g. `订单 2026… 平台清算户`
    pub subject: String,
    pub expected: i64,
    pub actual: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciliation {
    pub checked_at: i64,
    pub orders_checked: i64,
    pub postings_checked: i64,
    pub paid_total: i64,
    pub refunded_total: i64,
    pub clearing_balance: i64,
    /// paid out to merchants: what is left at the platform is clearing − this
    pub withdrawn_total: i64,
    pub drifts: Vec<Drift>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_start_at_midnight_in_china() {
        // 2026-11-25 (a Wednesday) 10:00 in China
        let now = parse_day("d", "2026-11-25").unwrap() + 10 * 3_600_000;
        assert_eq!(day_text(Cycle::Daily.period_start(now)), "2026-11-25");
        assert_eq!(day_text(Cycle::Weekly.period_start(now)), "2026-11-23");
        assert_eq!(day_text(Cycle::Monthly.period_start(now)), "2026-11-01");
        let week = Cycle::Weekly.period_start(now);
        let next = week + 7 * DAY_MS;
        assert_eq!(
            period_days(week, next),
            ("2026-11-23".to_string(), "2026-11-29".to_string()),
            "a week reads Monday to Sunday"
        );
        assert_eq!(period_text(week, next), "2026-11-23 至 2026-11-29");
        assert_eq!(period_text(week, week + DAY_MS), "2026-11-23");
        assert_eq!(
            day_text(Cycle::Monthly.previous_start(Cycle::Monthly.period_start(now))),
            "2026-10-01"
        );
        let midnight = parse_day("d", "2026-11-25").unwrap();
        assert_eq!(Cycle::Daily.period_start(midnight), midnight);
        assert_eq!(
            day_text(Cycle::Daily.period_start(midnight - 1)),
            "2026-11-24"
        );
    }

    #[test]
    fn report_periods_include_the_last_day() {
        let now = parse_day("d", "2026-11-25").unwrap() + 3_600_000;
        let (from, to) = report_period(None, None, now).unwrap();
        assert_eq!(
            (day_text(from), day_text(to)),
            ("2026-11-01".into(), "2026-11-26".into())
        );
        let (from, to) = report_period(Some("2026-10-01"), Some("2026-10-31"), now).unwrap();
        assert_eq!(to - from, 31 * DAY_MS);
        assert!(report_period(Some("2026-10-02"), Some("2026-10-01"), now).is_err());
    }

    #[test]
    fn days_parse_strictly() {
        assert_eq!(
            day_text(parse_day("d", "2026-02-28").unwrap()),
            "2026-02-28"
        );
        for bad in ["", "2026-02-30", "2026-13-01", "20261101", "abc-1-1"] {
            assert!(parse_day("d", bad).is_err(), "{bad} accepted");
        }
    }
}
