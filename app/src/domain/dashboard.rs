//! What the consoles' 概览 (dashboards) show, and the arithmetic of their figures: one day's or a
//! period's figures, the period a user picks, the change against the period before, shares.
//! Where the figures come from is `services::dashboards`; the rule that GMV counts on the
//! payment day and refunds on the refund day (China time) is DESIGN.md's "Data".

use serde::{Deserialize, Serialize};

use crate::domain::money::yuan_text;
use crate::domain::time::{china_day, day_start, day_text, parse_day};
use crate::domain::visit::VisitSource;
use crate::error::AppError;

/// The longest period a dashboard reads at once, in days.
pub const MAX_RANGE_DAYS: i64 = 366;
/// The periods offered as one click, in days (a custom period goes up to [`MAX_RANGE_DAYS`]).
pub const PRESETS: [i64; 3] = [7, 30, 90];
/// Rows in each top list.
pub const TOP_ROWS: usize = 10;
/// A SKU with at most this many units in stock is "low" on the shop's to-do list.
pub const LOW_STOCK: i64 = 10;
/// Shown under every chart and figure.
pub const TIME_ZONE_NOTE: &str = "中国时间（UTC+8）";

/// One day's or one period's figures of a shop or the whole platform. Money in fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Σ pay_amount of the orders paid in the period (成交额).
    pub gmv: i64,
    pub paid_orders: i64,
    /// Distinct shoppers who paid (not additive over days: a period's own count).
    pub payers: i64,
    /// Payers paying the shop (or the platform) for the first time; additive over days.
    pub new_buyers: i64,
    pub units: i64,
    /// Σ refunds confirmed in the period, whenever the order was paid.
    pub refunds: i64,
    pub refund_count: i64,
    /// Discounts on the orders paid in the period, by who funds them.
    pub merchant_discount: i64,
    pub platform_discount: i64,
    /// Commission income booked in the period (at completion, less reversals).
    pub commission: i64,
    /// Sign-ups (platform only).
    pub new_shoppers: i64,
    /// Distinct visitors of the shop's (or the mall's) pages; read from the visits
    /// (`services::visits`), not stored with the day's sales.
    pub visitors: i64,
}

impl Figures {
    /// 净销售额 = GMV − refunds, in fen.
    pub fn net(&self) -> i64 {
        self.gmv - self.refunds
    }

    /// 优惠成本: every discount on the period's paid orders, in fen.
    pub fn coupon_cost(&self) -> i64 {
        self.merchant_discount + self.platform_discount
    }

    /// 客单价 = GMV / payers, in fen rounded half up; 0 without payers.
    pub fn average_order(&self) -> i64 {
        ratio_rounded(self.gmv, self.payers)
    }

    /// 支付转化率 = payers / visitors, basis points, at most 100 %; 0 without visitors.
    /// Visitors are counted per browser or phone and payers per account, so a day with
    /// buyers who paid from a device never counted (an order placed by staff for them, a
    /// browser that hides its agent) could read above 100 %: it is shown as 100 %.
    pub fn conversion_bps(&self) -> i64 {
        share_bps(self.payers, self.visitors).min(10_000)
    }

    /// Adds `other` field by field; `payers` too, which the caller replaces with the period's
    /// distinct count when it has one.
    pub fn add(&mut self, o: &Figures) {
        self.gmv += o.gmv;
        self.paid_orders += o.paid_orders;
        self.payers += o.payers;
        self.new_buyers += o.new_buyers;
        self.units += o.units;
        self.refunds += o.refunds;
        self.refund_count += o.refund_count;
        self.merchant_discount += o.merchant_discount;
        self.platform_discount += o.platform_discount;
        self.commission += o.commission;
        self.new_shoppers += o.new_shoppers;
        self.visitors += o.visitors;
    }
}

/// `a / b` rounded half up (non-negative inputs); 0 when `b` is 0.
pub fn ratio_rounded(a: i64, b: i64) -> i64 {
    if b == 0 {
        return 0;
    }
    ((i128::from(a) * 2 + i128::from(b)) / (i128::from(b) * 2)) as i64
}

/// `part / whole` in basis points (1/10000), rounded half up; 0 when `whole` is 0.
pub fn share_bps(part: i64, whole: i64) -> i64 {
    ratio_rounded(part * 10_000, whole)
}

/// Basis points as a percent with one decimal: 1234 → "12.3%".
pub fn percent_text(bps: i64) -> String {
    let tenths = if bps >= 0 {
        (bps + 5) / 10
    } else {
        (bps - 5) / 10
    };
    let sign = if tenths < 0 { "−" } else { "" };
    format!("{sign}{}.{}%", tenths.abs() / 10, tenths.abs() % 10)
}

/// The change from `previous` to `value`: "+12.3%", "−4.0%", or None when there was nothing
/// before to compare with.
pub fn change_text(value: i64, previous: i64) -> Option<String> {
    if previous == 0 {
        return None;
    }
    let bps = ((i128::from(value) - i128::from(previous)) * 10_000 / i128::from(previous)) as i64;
    let text = percent_text(bps);
    Some(if bps >= 0 { format!("+{text}") } else { text })
}

/// Fen as a short yuan text for chart axes: ¥860, ¥1,250, ¥3.4万, ¥1.2亿.
pub fn short_yuan(fen: i64) -> String {
    let yuan = fen / 100;
    if yuan.abs() >= 100_000_000 {
        format!("¥{}亿", one_decimal(yuan, 100_000_000))
    } else if yuan.abs() >= 10_000 {
        format!("¥{}万", one_decimal(yuan, 10_000))
    } else {
        format!(
            "{}¥{}",
            if yuan < 0 { "−" } else { "" },
            thousands(&yuan.abs().to_string())
        )
    }
}

/// Digits grouped by three: 1234567 → 1,234,567.
fn thousands(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Fen as yuan with grouped thousands and two decimals: 4260370 → ¥42,603.70.
pub fn grouped_yuan(fen: i64) -> String {
    let text = yuan_text(fen.abs());
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let sign = if fen < 0 { "−" } else { "" };
    format!("{sign}¥{}.{cents}", thousands(whole))
}

fn one_decimal(v: i64, unit: i64) -> String {
    let tenths = ratio_rounded(v.abs() * 10, unit);
    let sign = if v < 0 { "−" } else { "" };
    if tenths % 10 == 0 {
        format!("{sign}{}", tenths / 10)
    } else {
        format!("{sign}{}.{}", tenths / 10, tenths % 10)
    }
}

/// How a figure reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    Fen,
    Count,
    /// Basis points.
    Bps,
    /// Hundredths of a star (482 = 4.82 of 5).
    Stars,
}

impl Unit {
    pub fn text(self, v: i64) -> String {
        match self {
            Unit::Fen => grouped_yuan(v),
            Unit::Count => v.to_string(),
            Unit::Bps => percent_text(v),
            Unit::Stars => format!("{}.{:02}", v / 100, v % 100),
        }
    }
}

/// One KPI card: the period's value and the period before's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kpi {
    /// Stable key for tests and CSV (`gmv`, `paid_orders`, …).
    pub key: String,
    pub label: String,
    pub unit: Unit,
    pub value: i64,
    pub previous: i64,
}

impl Kpi {
    pub fn value_text(&self) -> String {
        self.unit.text(self.value)
    }

    pub fn change_text(&self) -> Option<String> {
        change_text(self.value, self.previous)
    }
}

/// A KPI card's key, label, unit and how it reads from the figures.
type KpiSpec = (&'static str, &'static str, Unit, fn(&Figures) -> i64);

/// The KPI cards of a period, in the order they are shown: the platform's (`platform`) or a shop's.
pub fn kpis(now: &Figures, before: &Figures, platform: bool) -> Vec<Kpi> {
    let mut rows: Vec<KpiSpec> = vec![
        ("gmv", "成交额", Unit::Fen, |f| f.gmv),
        ("visitors", "访客数", Unit::Count, |f| f.visitors),
        (
            "conversion",
            "支付转化率",
            Unit::Bps,
            Figures::conversion_bps,
        ),
        ("paid_orders", "支付订单", Unit::Count, |f| {
            f.paid_orders
        }),
        ("payers", "支付人数", Unit::Count, |f| f.payers),
        ("average_order", "客单价", Unit::Fen, Figures::average_order),
        ("refunds", "退款金额", Unit::Fen, |f| f.refunds),
        ("net", "净销售额", Unit::Fen, Figures::net),
        ("new_buyers", "新客", Unit::Count, |f| f.new_buyers),
        ("coupon_cost", "优惠成本", Unit::Fen, Figures::coupon_cost),
    ];
    if platform {
        rows.push(("new_shoppers", "新注册", Unit::Count, |f| f.new_shoppers));
        rows.push(("commission", "佣金收入", Unit::Fen, |f| f.commission));
    } else {
        rows.push(("commission", "平台佣金", Unit::Fen, |f| f.commission));
    }
    rows.into_iter()
        .map(|(key, label, unit, get)| Kpi {
            key: key.into(),
            label: label.into(),
            unit,
            value: get(now),
            previous: get(before),
        })
        .collect()
}

/// The days a dashboard reads: `from_day ..= to_day`, China-time day numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayRange {
    pub from_day: i64,
    pub to_day: i64,
}

impl DayRange {
    /// The last `days` days up to and including today.
    pub fn last(days: i64, now_ms: i64) -> Self {
        let today = china_day(now_ms);
        DayRange {
            from_day: today - days + 1,
            to_day: today,
        }
    }

    /// From the page's query: `days` (one of [`PRESETS`]) or `from`/`to` (`YYYY-MM-DD`, both
    /// included, at most [`MAX_RANGE_DAYS`], not after today); by default the last 7 days.
    /// Errors: 422 naming the field.
    pub fn pick(days: &str, from: &str, to: &str, now_ms: i64) -> Result<Self, AppError> {
        let today = china_day(now_ms);
        if !from.trim().is_empty() || !to.trim().is_empty() {
            let from_day = china_day(parse_day("from", from)?);
            let to_day = if to.trim().is_empty() {
                today
            } else {
                china_day(parse_day("to", to)?)
            };
            if to_day < from_day {
                return Err(AppError::invalid("to", "结束日期不能早于开始日期"));
            }
            if to_day > today {
                return Err(AppError::invalid("to", "结束日期不能晚于今天"));
            }
            if to_day - from_day + 1 > MAX_RANGE_DAYS {
                return Err(AppError::invalid("from", "时间范围最长一年（366 天）"));
            }
            return Ok(DayRange { from_day, to_day });
        }
        let n = match days.trim() {
            "" => 7,
            d => d
                .parse::<i64>()
                .ok()
                .filter(|n| PRESETS.contains(n))
                .ok_or_else(|| AppError::invalid("days", "请选择近 7 天、30 天或 90 天"))?,
        };
        Ok(DayRange::last(n, now_ms))
    }

    /// One day.
    pub fn one(day: i64) -> Self {
        Self {
            from_day: day,
            to_day: day,
        }
    }

    pub fn days(&self) -> i64 {
        self.to_day - self.from_day + 1
    }

    /// The same number of days just before.
    pub fn previous(&self) -> Self {
        DayRange {
            from_day: self.from_day - self.days(),
            to_day: self.from_day - 1,
        }
    }

    /// Epoch ms of the first moment and of the moment after the last day.
    pub fn bounds_ms(&self) -> (i64, i64) {
        (day_start(self.from_day), day_start(self.to_day + 1))
    }

    pub fn view(&self) -> RangeView {
        let days = self.days();
        RangeView {
            from: day_text(day_start(self.from_day)),
            to: day_text(day_start(self.to_day)),
            days,
        }
    }
}

/// The period as the page shows it and puts back into its links.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RangeView {
    /// `YYYY-MM-DD`, China time, both included.
    pub from: String,
    pub to: String,
    pub days: i64,
}

/// One day of the trend chart. Money in fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// `YYYY-MM-DD`, China time.
    pub day: String,
    pub gmv: i64,
    pub paid_orders: i64,
    pub payers: i64,
    pub refunds: i64,
    pub visitors: i64,
}

/// One day of a shop's review scores: the reviews shoppers wrote that day (not the automatic
/// 默认好评, not those the platform hid) and their average stars in hundredths (482 = 4.82),
/// None on a day without any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScorePoint {
    /// `YYYY-MM-DD`, China time.
    pub day: String,
    pub reviews: i64,
    pub goods: Option<i64>,
    pub service: Option<i64>,
    pub logistics: Option<i64>,
}

impl ScorePoint {
    /// The day's point from its review count and star sums (goods, service, logistics);
    /// averages rounded half up to the hundredth.
    pub fn of(day: String, reviews: i64, sums: (i64, i64, i64)) -> Self {
        let avg = |sum: i64| (reviews > 0).then(|| (sum * 200 + reviews) / (2 * reviews));
        Self {
            day,
            reviews,
            goods: avg(sums.0),
            service: avg(sums.1),
            logistics: avg(sums.2),
        }
    }
}

/// One hour (0–23, China time) of today and of yesterday: GMV in fen; `today` is None for hours
/// still to come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HourPoint {
    pub hour: i64,
    pub today: Option<i64>,
    pub yesterday: i64,
}

/// One row of a share or top list: a category, shop or product with its sales in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesRow {
    pub id: i64,
    pub name: String,
    pub gmv: i64,
    pub units: i64,
    /// Share of the period's GMV, basis points.
    pub share_bps: i64,
}

/// Something waiting for the reader, with where to do it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Todo {
    pub label: String,
    pub count: i64,
    pub href: String,
}

/// A dashboard: the platform's (`shop_name` None) or one shop's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub shop_name: Option<String>,
    pub range: RangeView,
    /// When the live figures were read, epoch ms.
    pub as_of: i64,
    /// The last day read from the daily aggregates (`YYYY-MM-DD`); later days are read live.
    pub aggregated_through: Option<String>,
    pub today: Vec<Kpi>,
    pub period: Vec<Kpi>,
    pub trend: Vec<TrendPoint>,
    pub hourly: Vec<HourPoint>,
    pub categories: Vec<SalesRow>,
    /// Empty on a shop's dashboard.
    pub top_shops: Vec<SalesRow>,
    pub top_products: Vec<SalesRow>,
    /// Shop only: buyers of the period who had bought here before it, and those who paid at
    /// least twice in it (复购).
    pub returning_buyers: i64,
    pub repeat_buyers: i64,
    pub todos: Vec<Todo>,
    /// visitors → product viewers → (platform: add-to-cart →) ordered → paid, over the period
    pub funnel: Vec<FunnelStep>,
    /// the period's page views by where they came from, most first
    pub sources: Vec<SourceRow>,
    /// Shop only: review scores per day of the period (empty on the platform's).
    pub scores: Vec<ScorePoint>,
}

impl Dashboard {
    /// The period's payers who bought here at least twice in it, basis points.
    pub fn repurchase_bps(&self) -> i64 {
        let payers = self
            .period
            .iter()
            .find(|k| k.key == "payers")
            .map_or(0, |k| k.value);
        share_bps(self.repeat_buyers, payers)
    }
}

/// The tables a dashboard exports as CSV, by the name in its link.
pub const TABLES: [&str; 9] = [
    "kpis",
    "trend",
    "hourly",
    "categories",
    "shops",
    "products",
    "funnel",
    "sources",
    "scores",
];

impl Dashboard {
    /// One of [`TABLES`] as a header and rows (money in yuan, shares in percent), or None for
    /// a name that is not one.
    pub fn table(&self, name: &str) -> Option<(Vec<&'static str>, Vec<Vec<String>>)> {
        let yuan = |v: i64| yuan_text(v);
        let sales = |rows: &[SalesRow]| {
            rows.iter()
                .enumerate()
                .map(|(i, r)| {
                    vec![
                        (i + 1).to_string(),
                        r.id.to_string(),
                        r.name.clone(),
                        r.units.to_string(),
                        yuan(r.gmv),
                        percent_text(r.share_bps),
                    ]
                })
                .collect::<Vec<_>>()
        };
        let sales_head = vec!["排名", "ID", "名称", "销量", "成交额（元）", "占比"];
        Some(match name {
            "kpis" => (
                vec!["指标", "本期", "上期", "变化"],
                self.today
                    .iter()
                    .map(|k| (format!("今日{}", k.label), k))
                    .chain(self.period.iter().map(|k| (k.label.clone(), k)))
                    .map(|(label, k)| {
                        let plain = |v: i64| match k.unit {
                            Unit::Fen => yuan(v),
                            u => u.text(v),
                        };
                        vec![
                            label,
                            plain(k.value),
                            plain(k.previous),
                            k.change_text().unwrap_or_default(),
                        ]
                    })
                    .collect(),
            ),
            "trend" => (
                vec![
                    "日期",
                    "成交额（元）",
                    "支付订单",
                    "支付人数",
                    "退款（元）",
                    "访客数",
                ],
                self.trend
                    .iter()
                    .map(|p| {
                        vec![
                            p.day.clone(),
                            yuan(p.gmv),
                            p.paid_orders.to_string(),
                            p.payers.to_string(),
                            yuan(p.refunds),
                            p.visitors.to_string(),
                        ]
                    })
                    .collect(),
            ),
            "hourly" => (
                vec!["小时", "今日成交额（元）", "昨日成交额（元）"],
                self.hourly
                    .iter()
                    .map(|h| {
                        vec![
                            format!("{:02}:00", h.hour),
                            h.today.map(yuan).unwrap_or_default(),
                            yuan(h.yesterday),
                        ]
                    })
                    .collect(),
            ),
            "categories" => (sales_head, sales(&self.categories)),
            "shops" => (sales_head, sales(&self.top_shops)),
            "products" => (sales_head, sales(&self.top_products)),
            "funnel" => (
                vec!["环节", "人数", "上一环节转化率"],
                self.funnel
                    .iter()
                    .map(|s| {
                        vec![
                            s.label.clone(),
                            s.count.to_string(),
                            percent_text(s.rate_bps),
                        ]
                    })
                    .collect(),
            ),
            "sources" => (
                vec!["来源", "浏览量", "访客数", "浏览占比"],
                self.sources
                    .iter()
                    .map(|s| {
                        vec![
                            s.source.label().to_string(),
                            s.views.to_string(),
                            s.visitors.to_string(),
                            percent_text(s.share_bps),
                        ]
                    })
                    .collect(),
            ),
            "scores" => (
                vec!["日期", "评价数", "商品评分", "服务评分", "物流评分"],
                self.scores
                    .iter()
                    .map(|p| {
                        let stars =
                            |v: Option<i64>| v.map_or(String::new(), |v| Unit::Stars.text(v));
                        vec![
                            p.day.clone(),
                            p.reviews.to_string(),
                            stars(p.goods),
                            stars(p.service),
                            stars(p.logistics),
                        ]
                    })
                    .collect(),
            ),
            _ => return None,
        })
    }
}

/// One step of the buying funnel: how many people reached it, and what share of the step
/// before did (basis points; the first step 10000).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelStep {
    pub key: String,
    pub label: String,
    pub count: i64,
    pub rate_bps: i64,
}

/// The funnel of `(key, label, count)` steps in order.
pub fn funnel(steps: &[(&str, &str, i64)]) -> Vec<FunnelStep> {
    let mut before = None;
    steps
        .iter()
        .map(|(key, label, count)| {
            let rate_bps = before.map_or(10_000, |b| share_bps(*count, b));
            before = Some(*count);
            FunnelStep {
                key: key.to_string(),
                label: label.to_string(),
                count: *count,
                rate_bps,
            }
        })
        .collect()
}

/// Page views and visitors from one source over a period; `share_bps` of all views.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRow {
    pub source: VisitSource,
    pub views: i64,
    pub visitors: i64,
    pub share_bps: i64,
}

/// Rows of `(id, name, gmv, units)` as a list sorted by GMV (then id), cut to `limit`, each with
/// its share of `total`.
pub fn top_rows(mut rows: Vec<(i64, String, i64, i64)>, total: i64, limit: usize) -> Vec<SalesRow> {
    rows.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    rows.into_iter()
        .take(limit)
        .map(|(id, name, gmv, units)| SalesRow {
            id,
            name,
            gmv,
            units,
            share_bps: share_bps(gmv, total),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_funnel_step_is_rated_against_the_one_before() {
        let f = funnel(&[
            ("v", "访客", 200),
            ("p", "浏览商品", 100),
            ("o", "下单", 0),
            ("pay", "支付", 0),
        ]);
        let rates: Vec<i64> = f.iter().map(|s| s.rate_bps).collect();
        assert_eq!(rates, vec![10_000, 5_000, 0, 0]);
    }

    #[test]
    fn a_day_of_scores_averages_to_the_hundredth_and_none_without_reviews() {
        // three reviews: goods 5 + 5 + 4 = 4.666… → 4.67; service 4 + 4 + 4; logistics 5 + 4 + 4
        let p = ScorePoint::of("2026-12-01".into(), 3, (14, 12, 13));
        assert_eq!(
            (p.goods, p.service, p.logistics),
            (Some(467), Some(400), Some(433))
        );
        assert_eq!(Unit::Stars.text(467), "4.67");
        let empty = ScorePoint::of("2026-12-02".into(), 0, (0, 0, 0));
        assert_eq!(
            (empty.goods, empty.service, empty.logistics),
            (None, None, None)
        );
    }

    #[test]
    fn change_and_percent_texts() {
        assert_eq!(change_text(1_100, 1_000).as_deref(), Some("+10.0%"));
        assert_eq!(change_text(960, 1_000).as_deref(), Some("−4.0%"));
        assert_eq!(change_text(5, 0), None);
        assert_eq!(percent_text(1_234), "12.3%");
        assert_eq!(percent_text(1_235), "12.4%");
        assert_eq!(share_bps(1, 3), 3_333);
        assert_eq!(ratio_rounded(5, 2), 3);
    }

    #[test]
    fn short_yuan_groups_and_abbreviates() {
        assert_eq!(short_yuan(86_000), "¥860");
        assert_eq!(short_yuan(125_000), "¥1,250");
        assert_eq!(short_yuan(3_400_000), "¥3.4万");
        assert_eq!(short_yuan(10_000_000), "¥10万");
        assert_eq!(short_yuan(12_000_000_000), "¥1.2亿");
        assert_eq!(grouped_yuan(4_260_370), "¥42,603.70");
        assert_eq!(grouped_yuan(5), "¥0.05");
        assert_eq!(grouped_yuan(-123_456_789), "−¥1,234,567.89");
    }

    #[test]
    fn a_picked_range_is_checked() {
        // 2026-11-30 12:00 China time
        let now = day_start(crate::domain::time::days_from_civil(2026, 11, 30)) + 12 * 3_600_000;
        let r = DayRange::pick("", "", "", now).unwrap();
        assert_eq!(r.days(), 7);
        assert_eq!(r.view().to, "2026-11-30");
        assert_eq!(r.view().from, "2026-11-24");
        assert_eq!(r.previous().view().to, "2026-11-23");
        let r = DayRange::pick("30", "", "", now).unwrap();
        assert_eq!(r.days(), 30);
        assert!(DayRange::pick("8", "", "", now).is_err());
        let r = DayRange::pick("", "2026-10-31", "2026-11-01", now).unwrap();
        assert_eq!(r.days(), 2);
        assert!(DayRange::pick("", "2026-11-02", "2026-11-01", now).is_err());
        assert!(DayRange::pick("", "2026-11-02", "2026-12-01", now).is_err());
        assert!(DayRange::pick("", "2025-11-01", "2026-11-30", now).is_err());
        assert!(DayRange::pick("", "2025-11-30", "2026-11-30", now).is_ok());
    }

    #[test]
    fn top_rows_sort_cut_and_share() {
        let rows = vec![
            (1, "a".into(), 100, 1),
            (2, "b".into(), 300, 2),
            (3, "c".into(), 100, 1),
        ];
        let top = top_rows(rows, 500, 2);
        assert_eq!(top.iter().map(|r| r.id).collect::<Vec<_>>(), vec![2, 1]);
        assert_eq!(top[0].share_bps, 6_000);
    }
}
