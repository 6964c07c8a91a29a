//! The ledger's rules: its accounts, its events, and what each account holds for one order at
//! any point of the order's life (see docs/money.md).
//!
//! Lines are stored debit-positive: a posting's lines sum to zero. Each account reads on its
//! normal side: clearing and subsidy expense are debit accounts, the rest credit accounts, so
//! every balance a user sees is a positive number.
//!
//! How an order's money moves:
//! - **payment**: the shopper's money enters clearing (escrow), held for the merchant (pending);
//! - **completion**: the platform's commission and subsidy are recognised on what is left of the
//!   order after refunds so far: pending gives the commission to commission income and receives
//!   the platform-funded discount from subsidy expense;
//! - **refund**: clearing pays the shopper back from pending; after completion the commission
//!   and subsidy are reversed in proportion to what was refunded of each item;
//! - **settlement**: a confirmed bill moves each order's net from pending to available;
//! - **withdrawal**: available → withdrawing when asked, → withdrawn when finance has paid it
//!   (or back to available when refused).
//!
//! Payment, completion and refund postings are computed the same way: the order's target
//! holdings ([`order_shares`]) minus what the ledger already holds for it. That one rule makes
//! a full refund net to zero in every account and no sequence of partial refunds over-reverse.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

crate::named_enum! {
    #[derive(PartialOrd, Ord)]
    pub enum AccountKind {
        /// 平台清算户: what shoppers paid, less what went back to them
        Clearing = "clearing" "平台清算户",
        /// 平台佣金收入
        CommissionIncome = "commission_income" "佣金收入",
        /// 平台补贴支出 (platform-funded discounts)
        SubsidyExpense = "subsidy_expense" "平台补贴支出",
        /// 待退款: payments that arrived after their trade closed, until they are sent back
        RefundPayable = "refund_payable" "待退款",
        /// 商家待结算
        MerchantPending = "merchant_pending" "待结算",
        /// 商家可提现
        MerchantAvailable = "merchant_available" "可提现",
        /// 商家提现中
        MerchantWithdrawing = "merchant_withdrawing" "提现中",
        /// 商家已提现
        MerchantWithdrawn = "merchant_withdrawn" "已提现",
    }
}

impl AccountKind {
    pub fn is_merchant(self) -> bool {
        matches!(
            self,
            AccountKind::MerchantPending
                | AccountKind::MerchantAvailable
                | AccountKind::MerchantWithdrawing
                | AccountKind::MerchantWithdrawn
        )
    }

    /// +1 for debit accounts, −1 for credit accounts: balance = sign × Σ lines.
    pub fn sign(self) -> i64 {
        match self {
            AccountKind::Clearing | AccountKind::SubsidyExpense => 1,
            _ => -1,
        }
    }
}

crate::named_enum! {
    /// What a posting records.
    pub enum LedgerEvent {
        /// an order's share of a trade's payment (source: order)
        Payment = "payment" "订单支付",
        /// a 预售 order's balance paid (source: order)
        BalancePayment = "balance_payment" "尾款支付",
        /// a 预售 order's balance missed, the shop keeping the deposit (source: order)
        DepositKept = "deposit_kept" "逾期未付尾款，定金归商家",
        /// an order completed (source: order)
        Completion = "completion" "订单完成（佣金、补贴）",
        /// an after-sale refunded (source: after-sale)
        Refund = "refund" "售后退款",
        /// a payment the trade cannot keep: paid after it closed, or paid twice (source: stray payment)
        StrayPayment = "stray_payment" "超时或重复付款",
        /// that payment sent back (source: stray payment)
        StrayRefund = "stray_refund" "超时或重复付款退回",
        /// a bill confirmed (source: bill)
        Settlement = "settlement" "结算入账",
        /// a withdrawal asked for (source: withdrawal)
        WithdrawalRequested = "withdrawal_requested" "申请提现",
        /// a withdrawal paid out by finance (source: withdrawal)
        WithdrawalPaid = "withdrawal_paid" "提现打款",
        /// a withdrawal refused, its money back to available (source: withdrawal)
        WithdrawalRejected = "withdrawal_rejected" "提现驳回",
    }
}

/// `round(base × bps / 10000)`, half away from zero, in decimal arithmetic.
pub fn commission(base: i64, bps: i64) -> i64 {
    let c = Decimal::from(base) * Decimal::from(bps) / Decimal::from(10_000);
    c.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
        .expect("commission of a bounded amount fits")
}

/// One order item's money, as fixed at checkout, and what has been refunded of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ItemMoney {
    pub qty: i64,
    /// G = unit price × qty
    pub gross: i64,
    /// Dm
    pub merchant_discount: i64,
    /// Dp
    pub platform_discount: i64,
    /// commission rate fixed when the order was placed
    pub commission_bps: i64,
    /// units and fen actually refunded (refunds confirmed by the provider)
    pub refunded_qty: i64,
    pub refunded_amount: i64,
}

impl ItemMoney {
    /// P = G − Dm − Dp: what the shopper paid for the item.
    pub fn paid(&self) -> i64 {
        self.gross - self.merchant_discount - self.platform_discount
    }

    /// B = G − Dm: the merchant's revenue base.
    pub fn base(&self) -> i64 {
        self.gross - self.merchant_discount
    }

    /// C = round(B × rate).
    pub fn commission(&self) -> i64 {
        commission(self.base(), self.commission_bps)
    }

    /// What is left of `part` (a piece of this item's money) after its refunds: refunded in
    /// the proportion refunded/paid (units when nothing was paid), the reversed piece rounded
    /// down. Refunding everything leaves exactly zero.
    pub fn kept(&self, part: i64) -> i64 {
        let (done, whole) = if self.paid() > 0 {
            (self.refunded_amount, self.paid())
        } else {
            (self.refunded_qty, self.qty)
        };
        if whole == 0 {
            return part;
        }
        let reversed = (part as i128 * done as i128 / whole as i128) as i64;
        part - reversed
    }
}

/// One order's money: its items, its shipping, and how far its life has gone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderMoney {
    pub items: Vec<ItemMoney>,
    pub shipping_fee: i64,
    /// shipping paid back (with the last unit of an order that never shipped)
    pub shipping_refunded: i64,
    pub paid: bool,
    pub completed: bool,
    /// fen of a 预售 deposit order's balance not paid (due, or missed): money the order's
    /// figures count that never came in
    pub unpaid_balance: i64,
    /// the balance was missed and the shop keeps the deposit: the order is over, the deposit
    /// is the shop's income and bears commission at the line's rate
    pub deposit_kept: bool,
}

impl OrderMoney {
    /// Refunded to the shopper so far, shipping included.
    pub fn refunded(&self) -> i64 {
        self.items.iter().map(|i| i.refunded_amount).sum::<i64>() + self.shipping_refunded
    }
}

/// What the ledger should hold for one order, each on its account's normal side. The
/// merchant's part is pending until a bill settles it, available after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OrderShares {
    pub clearing: i64,
    pub merchant: i64,
    pub commission: i64,
    pub subsidy: i64,
}

impl OrderShares {
    /// `merchant` goes to `merchant_account` (pending before settlement).
    pub fn lines(&self, merchant_account: AccountKind) -> [(AccountKind, i64); 4] {
        [
            (AccountKind::Clearing, self.clearing),
            (merchant_account, -self.merchant),
            (AccountKind::CommissionIncome, -self.commission),
            (AccountKind::SubsidyExpense, self.subsidy),
        ]
    }
}

/// The target holdings of an order (see the module comment).
pub fn order_shares(o: &OrderMoney) -> OrderShares {
    if !o.paid {
        return OrderShares::default();
    }
    let clearing = o.items.iter().map(|i| i.paid()).sum::<i64>() + o.shipping_fee
        - o.refunded()
        - o.unpaid_balance;
    if o.deposit_kept {
        // a 预售 order is bought alone: one line, one rate
        let bps = o.items.first().map_or(0, |i| i.commission_bps);
        let commission = commission(clearing, bps);
        return OrderShares {
            clearing,
            merchant: clearing - commission,
            commission,
            subsidy: 0,
        };
    }
    if !o.completed {
        return OrderShares {
            clearing,
            merchant: clearing,
            commission: 0,
            subsidy: 0,
        };
    }
    let commission: i64 = o.items.iter().map(|i| i.kept(i.commission())).sum();
    let subsidy: i64 = o.items.iter().map(|i| i.kept(i.platform_discount)).sum();
    OrderShares {
        clearing,
        merchant: clearing + subsidy - commission,
        commission,
        subsidy,
    }
}

/// One order's row on a settlement bill. `net = gross − merchant_discount + shipping − refunds −
/// commission`; the platform subsidy is shown but does not reduce the merchant's income.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SettlementAmounts {
    pub gross: i64,
    pub merchant_discount: i64,
    pub platform_subsidy: i64,
    pub shipping: i64,
    /// commission kept after refunds
    pub commission: i64,
    /// the merchant's income given back: refunds to the shopper plus the platform subsidy
    /// reversed with them
    pub refunds: i64,
    pub net: i64,
}

impl SettlementAmounts {
    /// The money columns of a bill, in the order every bill table and CSV shows them.
    pub const HEADINGS: [&'static str; 7] = [
        "商品总额",
        "商家优惠",
        "平台补贴",
        "运费",
        "佣金",
        "退款",
        "结算金额",
    ];

    /// The amounts (fen) under [`Self::HEADINGS`].
    pub fn columns(&self) -> [i64; 7] {
        [
            self.gross,
            self.merchant_discount,
            self.platform_subsidy,
            self.shipping,
            self.commission,
            self.refunds,
            self.net,
        ]
    }

    pub fn add(&mut self, o: &SettlementAmounts) {
        self.gross += o.gross;
        self.merchant_discount += o.merchant_discount;
        self.platform_subsidy += o.platform_subsidy;
        self.shipping += o.shipping;
        self.commission += o.commission;
        self.refunds += o.refunds;
        self.net += o.net;
    }
}

/// The bill row of a completed order; its `net` is the merchant's share of [`order_shares`].
pub fn settlement_amounts(o: &OrderMoney) -> SettlementAmounts {
    let shares = order_shares(o);
    if o.deposit_kept {
        // no goods left the shop: the bill shows the kept deposit as the order's gross
        return SettlementAmounts {
            gross: shares.clearing,
            commission: shares.commission,
            net: shares.merchant,
            ..SettlementAmounts::default()
        };
    }
    let gross: i64 = o.items.iter().map(|i| i.gross).sum();
    let merchant_discount: i64 = o.items.iter().map(|i| i.merchant_discount).sum();
    let platform_subsidy: i64 = o.items.iter().map(|i| i.platform_discount).sum();
    let net = shares.merchant;
    SettlementAmounts {
        gross,
        merchant_discount,
        platform_subsidy,
        shipping: o.shipping_fee,
        commission: shares.commission,
        refunds: gross - merchant_discount + o.shipping_fee - shares.commission - net,
        net,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn item(gross: i64, dm: i64, dp: i64, bps: i64, qty: i64) -> ItemMoney {
        ItemMoney {
            qty,
            gross,
            merchant_discount: dm,
            platform_discount: dp,
            commission_bps: bps,
            refunded_qty: 0,
            refunded_amount: 0,
        }
    }

    #[test]
    fn commission_rounds_half_away_from_zero() {
        assert_eq!(commission(1000, 550), 55);
        assert_eq!(commission(10, 500), 1); // 0.5 → 1
        assert_eq!(commission(9, 500), 0); // 0.45 → 0
        assert_eq!(commission(0, 10_000), 0);
    }

    /// The example of the Money rules: G 100.00, Dm 10.00, Dp 5.00, rate 6 %, shipping 8.00.
    #[test]
    fn a_completed_order_splits_as_the_money_rules_say() {
        let o = OrderMoney {
            items: vec![item(10_000, 1_000, 500, 600, 2)],
            shipping_fee: 800,
            shipping_refunded: 0,
            paid: true,
            completed: true,
            unpaid_balance: 0,
            deposit_kept: false,
        };
        let s = order_shares(&o);
        // P = 85.00 + 8.00 shipping; B = 90.00; C = 5.40
        assert_eq!(s.clearing, 9_300);
        assert_eq!(s.commission, 540);
        assert_eq!(s.subsidy, 500);
        // merchant: B + shipping − C; platform: C − Dp
        assert_eq!(s.merchant, 9_000 + 800 - 540);
        assert_eq!(s.merchant + (s.commission - s.subsidy), s.clearing);
        let b = settlement_amounts(&o);
        assert_eq!(b.net, s.merchant);
        assert_eq!(b.refunds, 0);
        // paid, not completed: everything is held for the merchant
        let held = order_shares(&OrderMoney {
            completed: false,
            ..o.clone()
        });
        assert_eq!(
            held,
            OrderShares {
                clearing: 9_300,
                merchant: 9_300,
                commission: 0,
                subsidy: 0
            }
        );
    }

    #[test]
    fn half_refunded_reverses_half_the_commission_and_subsidy() {
        let mut i = item(10_000, 1_000, 500, 600, 2);
        i.refunded_qty = 1;
        i.refunded_amount = 4_250;
        let o = OrderMoney {
            items: vec![i],
            shipping_fee: 800,
            shipping_refunded: 0,
            paid: true,
            completed: true,
            unpaid_balance: 0,
            deposit_kept: false,
        };
        let s = order_shares(&o);
        assert_eq!(s.clearing, 8_500 + 800 - 4_250);
        assert_eq!(s.commission, 270);
        assert_eq!(s.subsidy, 250);
        let b = settlement_amounts(&o);
        // the merchant gives back the shopper's 42.50 and the platform's 2.50 of subsidy
        assert_eq!(b.refunds, 4_500);
        assert_eq!(b.net, 9_000 + 800 - 4_500 - 270);
    }

    fn arb_item() -> impl Strategy<Value = ItemMoney> {
        (1i64..20, 1i64..100_000, 0i64..=10_000, 0u8..100, 0u8..100).prop_map(
            |(qty, unit, bps, dm_pct, dp_pct)| {
                let gross = unit * qty;
                let dm = gross * dm_pct as i64 / 200;
                let dp = gross * dp_pct as i64 / 200;
                item(gross, dm, dp, bps, qty)
            },
        )
    }

    proptest! {
        /// For any order and any amounts refunded of its items: the merchant and the platform
        /// split exactly what is left of the payment, nothing is negative, and refunding
        /// everything leaves nothing anywhere.
        #[test]
        fn shares_split_what_is_left_and_never_go_negative(
            items in proptest::collection::vec(arb_item(), 1..6),
            refunds in proptest::collection::vec((0u8..=100, any::<bool>()), 6),
            shipping in 0i64..5_000,
            ship_back in any::<bool>(),
            completed in any::<bool>(),
        ) {
            let mut o = OrderMoney {
                items: items.clone(),
                shipping_fee: shipping,
                shipping_refunded: 0,
                paid: true,
                completed,
                ..OrderMoney::default()
            };
            for (i, (pct, all)) in o.items.iter_mut().zip(&refunds) {
                let units = if *all { i.qty } else { i.qty * *pct as i64 / 100 };
                i.refunded_qty = units;
                i.refunded_amount = if units == i.qty { i.paid() } else { i.paid() * units / i.qty };
            }
            let everything = o.items.iter().all(|i| i.refunded_qty == i.qty) && ship_back;
            if everything {
                o.shipping_refunded = shipping;
            }
            let s = order_shares(&o);
            let paid: i64 = o.items.iter().map(|i| i.paid()).sum::<i64>() + shipping;
            prop_assert_eq!(s.clearing, paid - o.refunded());
            prop_assert_eq!(s.merchant + s.commission - s.subsidy, s.clearing);
            prop_assert!(s.merchant >= 0 && s.commission >= 0 && s.subsidy >= 0 && s.clearing >= 0);
            for i in &o.items {
                prop_assert!(i.commission() <= i.base());
            }
            if everything {
                prop_assert_eq!(s, OrderShares::default());
            }
            let b = settlement_amounts(&o);
            prop_assert_eq!(b.net, s.merchant);
            prop_assert!(b.refunds >= 0);
        }

        /// A 预售 deposit order holds its deposit while its balance is due; missing it leaves
        /// nothing when the deposit is refunded, and the deposit less its commission with the
        /// shop when kept; paying it holds everything.
        #[test]
        fn a_deposit_order_holds_what_came_in(
            unit in 100i64..100_000,
            qty in 1i64..5,
            deposit_pct in 1i64..=20,
            multiple in 1i64..=3,
            shipping in 0i64..2_000,
            bps in 0i64..=10_000,
        ) {
            let gross = unit * qty;
            let deposit = (unit * deposit_pct / 100).max(1) * qty;
            let inflation = (deposit * multiple - deposit).min(gross - qty);
            let payable = gross - inflation + shipping;
            let balance = payable - deposit;
            let mut o = OrderMoney {
                items: vec![item(gross, inflation, 0, bps, qty)],
                shipping_fee: shipping,
                paid: true,
                unpaid_balance: balance,
                ..OrderMoney::default()
            };
            let due = order_shares(&o);
            prop_assert_eq!(due.clearing, deposit);
            prop_assert_eq!(due.merchant, deposit);
            // kept
            o.deposit_kept = true;
            let kept = order_shares(&o);
            prop_assert_eq!(kept.clearing, deposit);
            prop_assert_eq!(kept.merchant + kept.commission, deposit);
            prop_assert!(kept.merchant >= 0);
            let b = settlement_amounts(&o);
            prop_assert_eq!(b.gross, deposit);
            prop_assert_eq!(b.net, kept.merchant);
            // refunded: the deposit back on the line
            o.deposit_kept = false;
            o.items[0].refunded_qty = qty;
            o.items[0].refunded_amount = deposit;
            prop_assert_eq!(order_shares(&o), OrderShares::default());
            // paid
            o.items[0].refunded_qty = 0;
            o.items[0].refunded_amount = 0;
            o.unpaid_balance = 0;
            prop_assert_eq!(order_shares(&o).clearing, payable);
        }
    }
}
