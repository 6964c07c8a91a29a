//! 预售 定金+尾款 (deposit, then balance): a presale may take a deposit per unit when the order
//! is placed and the rest (the balance, 尾款) in a later balance window. A deposit may be worth
//! more at balance time than was paid (定金膨胀): the difference is a shop-funded line discount
//! (pricing step 1, `DiscountSource::DepositInflation`), capped at a platform multiple of the
//! deposit. A shopper who misses the balance window loses the order; the deposit goes back or
//! stays with the shop, as the presale said before they paid ([`MissedBalance`]).
//!
//! The order carries two payments, each its own trade (`presale_balances.trade_id` names the
//! balance's), so notifications, late payments and refunds take the trade paths every payment
//! takes. The flow is in `services::presale_balances`.

use serde::{Deserialize, Serialize};

use crate::domain::money::{parse_yuan, price_text};
use crate::domain::state_machine::{mv, Actor, Move, StateMachine};
use crate::domain::time::{parse_minute, DAY_MS};
use crate::error::AppError;

/// The most a deposit may be of the presale price, in percent: 《民法典》第五百八十六条 caps a
/// 定金 at 20 % of the contract's amount.
pub const MAX_DEPOSIT_PERCENT: i64 = 20;
/// The longest balance window, in days.
pub const MAX_BALANCE_DAYS: i64 = 30;

crate::named_enum! {
    /// How a presale is paid (`presale_activities.pay_mode`).
    pub enum PayMode {
        /// 全款预售: everything when the order is placed
        Full = "full" "全款预售",
        /// 定金预售: a deposit when placed, the balance in the balance window
        Deposit = "deposit" "定金预售",
    }
}

crate::named_enum! {
    /// What happens to the deposit of an order whose balance was not paid in its window
    /// (`presale_activities.missed_balance`), shown to the shopper before they pay.
    pub enum MissedBalance {
        /// the deposit is refunded in full
        Refund = "refund" "逾期未付尾款，定金原路退回",
        /// the shop keeps the deposit (定金不退, its income, commission on it)
        Keep = "keep" "逾期未付尾款，定金不退",
    }
}

crate::named_enum! {
    /// Where an order's balance stands (`presale_balances.status`).
    ///
    /// due ─ shopper pays the balance ─▶ paid
    /// due ─ the balance window closes unpaid ─▶ refunded (deposit back) | kept (by the shop)
    pub enum BalanceStatus {
        Due = "due" "待付尾款",
        Paid = "paid" "尾款已付",
        Refunded = "refunded" "未付尾款，定金已退",
        Kept = "kept" "未付尾款，定金不退",
    }
}

crate::named_enum! {
    pub enum BalanceAction {
        /// the balance's payment, as the provider's notification reports it
        Pay = "pay" "支付尾款",
        /// the balance window closed unpaid
        Miss = "miss" "逾期未付尾款",
    }
}

impl StateMachine for BalanceStatus {
    type Action = BalanceAction;
    const MOVES: &'static [Move<Self, BalanceAction>] = {
        use Actor::*;
        use BalanceAction::*;
        use BalanceStatus::*;
        &[
            mv(Due, Pay, Shopper, Paid),
            mv(Due, Miss, System, Refunded),
            mv(Due, Miss, System, Kept),
        ]
    };
    const NOUN: &'static str = "尾款";
}

impl MissedBalance {
    /// The balance's state after a missed window under this policy.
    pub fn missed_status(self) -> BalanceStatus {
        match self {
            MissedBalance::Refund => BalanceStatus::Refunded,
            MissedBalance::Keep => BalanceStatus::Kept,
        }
    }
}

/// One SKU's deposit row as the shop's form posts it (yuan texts).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DepositLineForm {
    pub sku_id: i64,
    /// the deposit per unit
    pub deposit: String,
    /// what it counts for at balance time; empty: the deposit itself (no 膨胀)
    pub deposit_value: String,
}

/// A checked deposit plan of a presale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepositPlan {
    /// the balance window, epoch ms
    pub balance_starts_at: i64,
    pub balance_ends_at: i64,
    pub missed: MissedBalance,
    /// (SKU, deposit per unit in fen, its value at balance time per unit in fen)
    pub skus: Vec<(i64, i64, i64)>,
}

/// The balance window `(starts, ends)` from `2026-12-11 00:00` texts (China time): it opens
/// when the deposit window has closed (`sale_ends_at`) or later and lasts at most
/// [`MAX_BALANCE_DAYS`]. Errors: 422 naming the field.
pub fn balance_window(starts: &str, ends: &str, sale_ends_at: i64) -> Result<(i64, i64), AppError> {
    let starts_at = parse_minute("balance_starts_at", starts)?;
    let ends_at = parse_minute("balance_ends_at", ends)?;
    if starts_at < sale_ends_at {
        return Err(AppError::invalid(
            "balance_starts_at",
            "尾款支付须在定金支付结束之后开始",
        ));
    }
    if ends_at <= starts_at {
        return Err(AppError::invalid(
            "balance_ends_at",
            "尾款截止时间须晚于开始时间",
        ));
    }
    if ends_at - starts_at > MAX_BALANCE_DAYS * DAY_MS {
        return Err(AppError::invalid(
            "balance_ends_at",
            format!("尾款支付最长 {MAX_BALANCE_DAYS} 天"),
        ));
    }
    Ok((starts_at, ends_at))
}

/// The deposit of each presale SKU `priced` (`(SKU, presale price in fen, stock)`, with its
/// name for errors) from the form's rows: a deposit above zero and at most
/// [`MAX_DEPOSIT_PERCENT`] of the presale price; a value at least the deposit, at most
/// `max_multiple` times it, and below the presale price (a balance is always left to pay).
/// Errors: 422 on `deposits` naming the SKU.
pub fn deposit_lines(
    rows: &[DepositLineForm],
    priced: &[(i64, i64, &str)],
    max_multiple: i64,
) -> Result<Vec<(i64, i64, i64)>, AppError> {
    let mut out = Vec::new();
    for &(sku_id, price, name) in priced {
        let bad = |why: String| AppError::invalid("deposits", format!("「{name}」{why}"));
        let row = rows
            .iter()
            .find(|r| r.sku_id == sku_id && !r.deposit.trim().is_empty())
            .ok_or_else(|| bad("请填写定金".into()))?;
        let deposit = parse_yuan("deposits", &row.deposit)?;
        let most = price * MAX_DEPOSIT_PERCENT / 100;
        if deposit <= 0 || deposit > most {
            return Err(bad(format!(
                "的定金须大于 0，且不超过预售价的 {MAX_DEPOSIT_PERCENT}%（{}）",
                price_text(most)
            )));
        }
        let value = if row.deposit_value.trim().is_empty() {
            deposit
        } else {
            parse_yuan("deposits", &row.deposit_value)?
        };
        if value < deposit || value > deposit * max_multiple {
            return Err(bad(format!(
                "的定金抵扣金额须在定金的 1–{max_multiple} 倍之间"
            )));
        }
        if value >= price {
            return Err(bad(format!(
                "的定金抵扣金额须低于预售价 {}",
                price_text(price)
            )));
        }
        out.push((sku_id, deposit, value));
    }
    Ok(out)
}

/// A deposit line's terms as the checkout prices it (per unit, fen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DepositTerms {
    /// paid when the order is placed, per unit
    pub deposit: i64,
    /// what it counts for at balance time, per unit (≥ deposit)
    pub deposit_value: i64,
    /// the balance window, epoch ms
    pub balance_starts_at: i64,
    pub balance_ends_at: i64,
    pub missed: MissedBalance,
}

impl DepositTerms {
    /// The deposit of `qty` units: what the order's first payment takes, fen.
    pub fn deposit_of(&self, qty: i64) -> i64 {
        self.deposit * qty
    }

    /// 定金膨胀 of `qty` units: the shop-funded discount on the line, fen.
    pub fn inflation_of(&self, qty: i64) -> i64 {
        (self.deposit_value - self.deposit) * qty
    }

    /// The balance of an order whose payable (after the inflation, shipping included) is
    /// `payable` fen: everything but the deposit.
    pub fn balance_of(&self, payable: i64, qty: i64) -> i64 {
        payable - self.deposit_of(qty)
    }
}

/// Where a shopper may pay an order's balance at `now`: before the window, in it, or past it.
pub fn balance_open(starts_at: i64, ends_at: i64, now: i64) -> Result<(), AppError> {
    if now < starts_at {
        return Err(AppError::Conflict(format!(
            "尾款将于 {} 开始支付",
            crate::domain::time::datetime_text(starts_at)
        )));
    }
    if now >= ends_at {
        return Err(AppError::Conflict("尾款支付已截止".into()));
    }
    Ok(())
}

/// An order's deposit and balance on its pages.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceView {
    /// fen paid as the deposit
    pub deposit: i64,
    /// fen of 定金膨胀 (0: none)
    pub inflation: i64,
    /// fen due (or paid) as the balance
    pub balance: i64,
    /// the balance window, epoch ms, and as `12-11 00:00 ~ 12-13 23:59`
    pub starts_at: i64,
    pub ends_at: i64,
    pub window: String,
    pub status: BalanceStatus,
    pub status_label: String,
    /// the shop's stated policy for a missed balance
    pub missed_policy: MissedBalance,
    pub missed_policy_label: String,
    /// the shopper may pay the balance now
    pub payable_now: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missed_balance_ends_as_the_policy_says() {
        assert_eq!(MissedBalance::Keep.missed_status(), BalanceStatus::Kept);
        assert_eq!(
            MissedBalance::Refund.missed_status(),
            BalanceStatus::Refunded
        );
    }

    #[test]
    fn a_deposit_is_at_most_a_fifth_of_the_price_and_its_value_below_the_price() {
        let priced = [(21, 10_000, "脐橙 · 5斤")];
        let row = |d: &str, v: &str| {
            vec![DepositLineForm {
                sku_id: 21,
                deposit: d.into(),
                deposit_value: v.into(),
            }]
        };
        assert_eq!(
            deposit_lines(&row("20", "60"), &priced, 3).unwrap(),
            vec![(21, 2_000, 6_000)]
        );
        assert_eq!(
            deposit_lines(&row("10", ""), &priced, 3).unwrap(),
            vec![(21, 1_000, 1_000)]
        );
        for (d, v) in [
            ("20.01", ""),
            ("0", ""),
            ("20", "60.01"),
            ("10", "9"),
            ("", ""),
        ] {
            assert!(deposit_lines(&row(d, v), &priced, 3).is_err(), "{d} {v}");
        }
        // a value that would leave nothing to pay
        let cheap = [(21, 1_000, "样品")];
        assert!(deposit_lines(&row("2", "10"), &cheap, 5).is_err());
    }

    #[test]
    fn the_balance_window_follows_the_deposit_window() {
        let sale_ends = parse_minute("x", "2026-12-10 22:00").unwrap();
        assert!(balance_window("2026-12-11 00:00", "2026-12-13 23:59", sale_ends).is_ok());
        for (s, e) in [
            ("2026-12-10 21:00", "2026-12-13 23:59"),
            ("2026-12-11 00:00", "2026-12-11 00:00"),
            ("2026-12-11 00:00", "2027-01-11 00:00"),
        ] {
            assert!(balance_window(s, e, sale_ends).is_err(), "{s} {e}");
        }
    }

    #[test]
    fn deposit_inflation_and_balance_sum_to_the_payable() {
        let t = DepositTerms {
            deposit: 2_000,
            deposit_value: 6_000,
            balance_starts_at: 0,
            balance_ends_at: 1,
            missed: MissedBalance::Refund,
        };
        // 2 × ¥100, ¥8 shipping: payable = 200 − 80 inflation + 8
        let payable = 20_000 - t.inflation_of(2) + 800;
        assert_eq!(t.deposit_of(2), 4_000);
        assert_eq!(t.inflation_of(2), 8_000);
        assert_eq!(t.balance_of(payable, 2), 8_800);
        assert_eq!(t.deposit_of(2) + t.balance_of(payable, 2), payable);
    }

    #[test]
    fn the_balance_is_payable_only_in_its_window() {
        assert!(balance_open(10, 20, 9).is_err());
        assert!(balance_open(10, 20, 10).is_ok());
        assert!(balance_open(10, 20, 20).is_err());
    }
}
