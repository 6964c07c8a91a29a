//! 预售 (presale), paid in full: a shop sells a product before it can ship it (seasonal fruit
//! before the harvest), at a presale price with activity stock per SKU, in a sale window, and
//! promises a ship date: a fixed day, or N days after payment. Every order bought in it carries
//! that promise as `ship_by`; an order not shipped by then may be refunded in full at the
//! shopper's word, without a reason or the shop's consent ([`may_refund_late`]). Pricing step 1
//! of DESIGN.md "Promotions and pricing": a presale line skips the full-reductions and coupons.
//!
//! The form's rules and the promise live here; the stock moves in `repo::presales`, the flow in
//! `services::presales`.

use serde::{Deserialize, Serialize};

use crate::domain::activity_form::{self, PriceRule, SkuLineForm, SkuNow};
use crate::domain::group_buy::ActivitySkuView;
use crate::domain::order::OrderStatus;
use crate::domain::presale_deposit::{
    self, DepositLineForm, DepositPlan, DepositTerms, MissedBalance, PayMode,
};
use crate::domain::time::{china_day, day_start, day_text, parse_day, DAY_MS};
use crate::error::AppError;

/// Most days a shop may promise to ship in after payment, or after the sale ends.
pub const MAX_SHIP_DAYS: i64 = 90;

/// When a shop promises to ship a presale order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum ShipPromise {
    /// by the end of a day (China time): `before` is epoch ms of 00:00 of the day after it
    Date { before: i64 },
    /// within `days` days of the payment
    Days { days: i64 },
}

impl ShipPromise {
    /// The stored columns `(ship_mode, ship_date, ship_days)`.
    pub fn columns(&self) -> (&'static str, i64, i64) {
        match *self {
            ShipPromise::Date { before } => ("date", before, 0),
            ShipPromise::Days { days } => ("days", 0, days),
        }
    }

    /// From the stored columns (an unknown mode reads as a date).
    pub fn of_columns(mode: &str, date: i64, days: i64) -> Self {
        match mode {
            "days" => ShipPromise::Days { days },
            _ => ShipPromise::Date { before: date },
        }
    }

    /// The instant (epoch ms) an order paid at `paid_at` must be shipped before.
    pub fn ship_by(&self, paid_at: i64) -> i64 {
        match *self {
            ShipPromise::Date { before } => before,
            ShipPromise::Days { days } => paid_at + days * DAY_MS,
        }
    }

    /// `2026-12-20 前发货` or `付款后 7 天内发货`, as the product page says it.
    pub fn text(&self) -> String {
        match *self {
            ShipPromise::Date { before } => format!("{} 前发货", day_text(before - 1)),
            ShipPromise::Days { days } => format!("付款后 {days} 天内发货"),
        }
    }
}

/// `2026-12-20 前发货` for an order's `ship_by` (epoch ms), as its page says it.
pub fn ship_by_text(ship_by: i64) -> String {
    format!("{} 前发货", day_text(ship_by - 1))
}

/// Whether the shopper may take everything back at their word because the shop broke its ship
/// promise: the order is paid and still not shipped past `ship_by`.
pub fn may_refund_late(status: OrderStatus, ship_by: Option<i64>, now: i64) -> bool {
    status == OrderStatus::ToShip && ship_by.is_some_and(|t| now >= t)
}

/// A presale as the shop's form posts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PresaleForm {
    pub product_id: i64,
    pub title: String,
    /// the sale window, `2026-12-05 10:00` China time
    pub starts_at: String,
    pub ends_at: String,
    /// `date` (ship by `ship_date`) or `days` (within `ship_days` of payment)
    pub ship_mode: String,
    /// `2026-12-20`
    pub ship_date: String,
    pub ship_days: String,
    pub per_order_limit: String,
    pub per_user_limit: String,
    /// one row per SKU of the product; a row with an empty price is not in the presale
    pub skus: Vec<SkuLineForm>,
    /// `full` (全款, the default) or `deposit` (定金+尾款)
    pub pay_mode: String,
    /// a deposit presale's balance window, `2026-12-11 00:00` China time
    pub balance_starts_at: String,
    pub balance_ends_at: String,
    /// `refund` (the default) or `keep`: a missed balance's deposit
    pub missed_balance: String,
    /// a deposit presale's deposit per priced SKU
    pub deposits: Vec<DepositLineForm>,
}

/// A checked presale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresaleInput {
    pub title: String,
    /// epoch ms
    pub starts_at: i64,
    pub ends_at: i64,
    pub ship: ShipPromise,
    pub per_order_limit: i64,
    pub per_user_limit: i64,
    /// (SKU, presale price in fen, activity stock)
    pub skus: Vec<(i64, i64, i64)>,
    /// a deposit presale's plan; `None` paid in full
    pub deposit: Option<DepositPlan>,
}

impl PresaleForm {
    /// The presale the form describes for a product whose SKUs are `skus`, judged at `now`
    /// (epoch ms). Errors: 422 naming the field: the shared rules of `domain::activity_form`
    /// (title, window, limits, SKU rows; a presale price may equal the SKU's price, not pass
    /// it); a ship day that does not parse, falls before the sale's last day or more than
    /// [`MAX_SHIP_DAYS`] after it; ship days outside 1–[`MAX_SHIP_DAYS`]; for a deposit
    /// presale, the balance window and deposits (`domain::presale_deposit`, a deposit worth at
    /// most `max_multiple` times itself), and a ship day before the balance's last day.
    pub fn parse(
        &self,
        now: i64,
        skus: &[SkuNow],
        max_multiple: i64,
    ) -> Result<PresaleInput, AppError> {
        let title = activity_form::title(&self.title)?;
        let (starts_at, ends_at) = activity_form::window(&self.starts_at, &self.ends_at, now)?;
        let pay_mode = match self.pay_mode.as_str() {
            "" => PayMode::Full,
            m => {
                PayMode::parse(m).ok_or_else(|| AppError::invalid("pay_mode", "请选择付款方式"))?
            }
        };
        let balance = match pay_mode {
            PayMode::Full => None,
            PayMode::Deposit => Some(presale_deposit::balance_window(
                &self.balance_starts_at,
                &self.balance_ends_at,
                ends_at,
            )?),
        };
        // the promise counts from the last moment the shopper can still pay
        let last_pay = balance.map_or(ends_at, |b| b.1);
        let ship = match self.ship_mode.as_str() {
            "days" => ShipPromise::Days {
                days: activity_form::count(
                    "ship_days",
                    &self.ship_days,
                    "付款后发货天数",
                    (1, MAX_SHIP_DAYS),
                )?,
            },
            "date" => {
                let day = china_day(parse_day("ship_date", &self.ship_date)?);
                let last_sale_day = china_day(last_pay - 1);
                if day < last_sale_day || day > last_sale_day + MAX_SHIP_DAYS {
                    let end = if balance.is_some() {
                        "尾款截止"
                    } else {
                        "预售结束"
                    };
                    return Err(AppError::invalid(
                        "ship_date",
                        format!(
                            "发货日期须在{end}当天（{}）到其后 {MAX_SHIP_DAYS} 天之间",
                            day_text(last_pay - 1)
                        ),
                    ));
                }
                ShipPromise::Date {
                    before: day_start(day + 1),
                }
            }
            _ => return Err(AppError::invalid("ship_mode", "请选择发货时间的约定方式")),
        };
        let (per_order_limit, per_user_limit) =
            activity_form::limits(&self.per_order_limit, &self.per_user_limit)?;
        let lines = activity_form::sku_lines(&self.skus, skus, "预售价", PriceRule::NotAbove)?;
        let deposit = match balance {
            None => None,
            Some((balance_starts_at, balance_ends_at)) => {
                let missed = match self.missed_balance.as_str() {
                    "" => MissedBalance::Refund,
                    m => MissedBalance::parse(m).ok_or_else(|| {
                        AppError::invalid("missed_balance", "请选择未付尾款时定金的处理方式")
                    })?,
                };
                let priced: Vec<(i64, i64, &str)> = lines
                    .iter()
                    .map(|&(sku_id, price, _)| {
                        let name = skus.iter().find(|s| s.sku_id == sku_id);
                        (sku_id, price, name.map_or("", |s| s.name.as_str()))
                    })
                    .collect();
                Some(DepositPlan {
                    balance_starts_at,
                    balance_ends_at,
                    missed,
                    skus: presale_deposit::deposit_lines(&self.deposits, &priced, max_multiple)?,
                })
            }
        };
        Ok(PresaleInput {
            title,
            starts_at,
            ends_at,
            ship,
            per_order_limit,
            per_user_limit,
            skus: lines,
            deposit,
        })
    }
}

/// The presale price a basket line is bought at (pricing step 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PresalePrice {
    pub activity_id: i64,
    /// the `presale_skus` row
    pub activity_sku_id: i64,
    /// fen
    pub price: i64,
    pub per_user_limit: i64,
    pub ship: ShipPromise,
    /// a deposit presale's terms for this SKU; `None` paid in full
    pub deposit: Option<DepositTerms>,
}

/// One SKU's deposit in a deposit presale, per unit, fen.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkuDepositView {
    pub sku_id: i64,
    pub deposit: i64,
    /// what the deposit counts for at balance time (above `deposit`: 定金膨胀)
    pub deposit_value: i64,
}

/// How a deposit presale is paid, on its pages.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositPlanView {
    /// the balance window, epoch ms, and as `12-11 00:00 ~ 12-13 23:59`
    pub balance_starts_at: i64,
    pub balance_ends_at: i64,
    pub balance_window: String,
    pub missed: MissedBalance,
    /// 逾期未付尾款，定金不退 / …定金原路退回
    pub missed_label: String,
    pub skus: Vec<SkuDepositView>,
}

/// A presale as the consoles, the product page and the mini-program show it.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresaleView {
    pub id: i64,
    pub merchant_id: i64,
    pub shop_name: String,
    pub product_id: i64,
    pub product_title: String,
    pub image: String,
    pub title: String,
    /// the sale window, epoch ms
    pub starts_at: i64,
    pub ends_at: i64,
    /// `12-05 10:00 ~ 12-12 22:00`
    pub window: String,
    pub ship: ShipPromise,
    /// `2026-12-20 前发货`, `付款后 7 天内发货`
    pub ship_text: String,
    pub per_order_limit: i64,
    pub per_user_limit: i64,
    /// `active` | `ended`
    pub status: String,
    /// before its window, selling, or over (`selling` is `phase == selling`)
    pub phase: crate::domain::activity_form::ActivityPhase,
    /// 未开始 / 进行中 / 已结束
    pub phase_label: String,
    /// selling now: started, not over, not ended early
    pub selling: bool,
    /// the lowest presale price and the lowest normal price of its SKUs, fen
    pub from_price: i64,
    pub from_normal_price: i64,
    pub skus: Vec<ActivitySkuView>,
    /// 定金+尾款: how it is paid; `None` paid in full
    pub deposit: Option<DepositPlanView>,
}

/// An order line's presale promise, on the order pages.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipPromiseView {
    /// epoch ms: to be shipped before
    pub ship_by: i64,
    /// `2026-12-20 前发货`
    pub text: String,
    /// the promise is broken: the shopper may refund everything without a reason
    pub late: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::days_from_civil;

    fn now() -> i64 {
        day_start(days_from_civil(2026, 12, 1))
    }

    fn skus() -> Vec<SkuNow> {
        vec![SkuNow {
            sku_id: 21,
            price: 6800,
            stock: 50,
            name: "脐橙 · 5斤".into(),
        }]
    }

    fn form() -> PresaleForm {
        PresaleForm {
            product_id: 1,
            title: "赣南脐橙预售".into(),
            starts_at: "2026-12-01 10:00".into(),
            ends_at: "2026-12-10 22:00".into(),
            ship_mode: "date".into(),
            ship_date: "2026-12-15".into(),
            ship_days: String::new(),
            per_order_limit: "2".into(),
            per_user_limit: "4".into(),
            skus: vec![SkuLineForm {
                sku_id: 21,
                price: "68".into(),
                quantity: "30".into(),
            }],
            ..PresaleForm::default()
        }
    }

    #[test]
    fn a_ship_date_is_kept_as_the_end_of_that_day_in_china() {
        let p = form().parse(now(), &skus(), 3).unwrap();
        let before = day_start(days_from_civil(2026, 12, 16));
        assert_eq!(p.ship, ShipPromise::Date { before });
        assert_eq!(p.ship.text(), "2026-12-15 前发货");
        assert_eq!(p.ship.ship_by(now()), before);
        // the price may equal the SKU's own
        assert_eq!(p.skus, vec![(21, 6800, 30)]);
    }

    #[test]
    fn days_after_payment_count_from_the_payment() {
        let mut f = form();
        f.ship_mode = "days".into();
        f.ship_days = "7".into();
        let p = f.parse(now(), &skus(), 3).unwrap();
        assert_eq!(p.ship.ship_by(1_000), 1_000 + 7 * DAY_MS);
        assert_eq!(p.ship.text(), "付款后 7 天内发货");
        let (mode, date, days) = p.ship.columns();
        assert_eq!(ShipPromise::of_columns(mode, date, days), p.ship);
    }

    #[test]
    fn bad_forms_name_their_field() {
        let field = |f: PresaleForm| match f.parse(now(), &skus(), 3) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("accepted: {other:?}"),
        };
        let mut f = form();
        f.ship_date = "2026-12-09".into();
        assert_eq!(field(f), "ship_date");
        let mut f = form();
        f.ship_date = "2027-03-20".into();
        assert_eq!(field(f), "ship_date");
        let mut f = form();
        f.ship_mode = "days".into();
        f.ship_days = "0".into();
        assert_eq!(field(f), "ship_days");
        let mut f = form();
        f.ship_mode = String::new();
        assert_eq!(field(f), "ship_mode");
        let mut f = form();
        f.skus[0].price = "68.01".into();
        assert_eq!(field(f), "skus");
        let mut f = form();
        f.skus[0].quantity = "51".into();
        assert_eq!(field(f), "skus");
    }

    #[test]
    fn a_deposit_presale_ships_after_its_balance_window() {
        let mut f = form();
        f.pay_mode = "deposit".into();
        f.balance_starts_at = "2026-12-11 00:00".into();
        f.balance_ends_at = "2026-12-17 00:00".into();
        f.missed_balance = "keep".into();
        f.deposits = vec![DepositLineForm {
            sku_id: 21,
            deposit: "10".into(),
            deposit_value: "30".into(),
        }];
        // the ship day (12-15) falls before the balance's last day
        let field = |f: &PresaleForm| match f.parse(now(), &skus(), 3) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("accepted: {other:?}"),
        };
        assert_eq!(field(&f), "ship_date");
        f.ship_date = "2026-12-20".into();
        let p = f.parse(now(), &skus(), 3).unwrap();
        let d = p.deposit.unwrap();
        assert_eq!(d.missed, MissedBalance::Keep);
        assert_eq!(d.skus, vec![(21, 1_000, 3_000)]);
        // worth more than three times itself
        f.deposits[0].deposit_value = "30.01".into();
        assert_eq!(field(&f), "deposits");
        f.deposits.clear();
        assert_eq!(field(&f), "deposits");
        f.pay_mode = "later".into();
        assert_eq!(field(&f), "pay_mode");
    }

    #[test]
    fn only_an_unshipped_paid_order_past_its_promise_refunds_at_a_word() {
        let t = 1_000_000;
        assert!(may_refund_late(OrderStatus::ToShip, Some(t), t));
        assert!(!may_refund_late(OrderStatus::ToShip, Some(t), t - 1));
        assert!(!may_refund_late(OrderStatus::ToShip, None, t));
        assert!(!may_refund_late(OrderStatus::Shipped, Some(t), t + 1));
        assert!(!may_refund_late(OrderStatus::Unpaid, Some(t), t + 1));
    }
}
