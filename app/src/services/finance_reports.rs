//! What the finance pages read: ledger lines, the period report, and their CSV exports.

use std::collections::BTreeMap;

use crate::domain::ledger::{AccountKind, LedgerEvent, SettlementAmounts};
use crate::domain::money::yuan_text;
use crate::domain::settlement::{
    period_days, BillDetail, BillSummary, DiscountCost, LedgerLineView, LedgerPage, PeriodReport,
    ReportRow,
};
use crate::domain::time::ChinaTime;
use crate::error::AppResult;
use crate::repo::ledger as repo;
use crate::state::AppState;

const LINES_PER_PAGE: i64 = 50;

/// Ledger lines, newest first: a merchant's own (`merchant_id` Some) or all.
pub async fn ledger_page(
    st: &AppState,
    merchant_id: Option<i64>,
    page: u32,
) -> AppResult<LedgerPage> {
    let page = page.max(1);
    let offset = i64::from(page - 1) * LINES_PER_PAGE;
    let mut conn = st.db.pool.acquire().await?;
    let mut rows = repo::lines(&mut conn, merchant_id, LINES_PER_PAGE + 1, offset).await?;
    let has_more = rows.len() as i64 > LINES_PER_PAGE;
    rows.truncate(LINES_PER_PAGE as usize);
    let lines = rows
        .into_iter()
        .filter_map(|r| {
            let account = AccountKind::parse(&r.kind)?;
            Some(LedgerLineView {
                id: r.id,
                created_at: r.created_at,
                event_label: LedgerEvent::parse(&r.event)
                    .map_or(r.event.clone(), |e| e.label().to_string()),
                event: r.event,
                account,
                merchant_id: r.merchant_id,
                order_no: r.order_no.unwrap_or_default(),
                amount: account.sign() * r.amount,
                memo: r.memo,
            })
        })
        .collect();
    Ok(LedgerPage {
        lines,
        page,
        has_more,
    })
}

/// 财务报表 over the days a user picked (`YYYY-MM-DD`, both included; by default this month so
/// far, China time). Errors: 422 on a date that does not parse or a period that ends before it
/// starts.
pub async fn picked_period_report(
    st: &AppState,
    from: Option<&str>,
    to: Option<&str>,
) -> AppResult<PeriodReport> {
    let (from, to) = crate::domain::settlement::report_period(from, to, st.clock.now_ms())?;
    period_report(st, from, to).await
}

/// 财务报表 over `[from, to)`, from the ledger's movements in the period.
pub async fn period_report(st: &AppState, from: i64, to: i64) -> AppResult<PeriodReport> {
    let mut conn = st.db.pool.acquire().await?;
    let names: BTreeMap<i64, String> = crate::repo::merchants::list(&st.db.pool)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let mut rows: BTreeMap<i64, ReportRow> = BTreeMap::new();
    let mut gmv = 0;
    for (m, event, kind, sum) in repo::movements(&mut conn, from, to).await? {
        let (Some(event), Some(kind)) = (LedgerEvent::parse(&event), AccountKind::parse(&kind))
        else {
            continue;
        };
        if m == 0 {
            continue; // stray payments: in and straight back out, nobody's income
        }
        let v = kind.sign() * sum;
        let r = rows.entry(m).or_insert_with(|| ReportRow {
            merchant_id: m,
            shop_name: names.get(&m).cloned().unwrap_or_default(),
            ..ReportRow::default()
        });
        match (event, kind) {
            (LedgerEvent::Payment, AccountKind::Clearing) => {
                r.paid += v;
                gmv += v;
            }
            (LedgerEvent::Refund, AccountKind::Clearing) => r.refunds -= v,
            (_, AccountKind::CommissionIncome) => r.commission += v,
            (_, AccountKind::SubsidyExpense) => r.subsidies += v,
            (LedgerEvent::Settlement, AccountKind::MerchantAvailable) => r.settled += v,
            (LedgerEvent::WithdrawalPaid, AccountKind::MerchantWithdrawn) => r.withdrawn += v,
            _ => {}
        }
    }
    for (m, kind, sum) in repo::merchant_balances_before(&mut conn, to).await? {
        let Some(kind) = AccountKind::parse(&kind) else {
            continue;
        };
        if kind == AccountKind::MerchantWithdrawn {
            continue;
        }
        let r = rows.entry(m).or_insert_with(|| ReportRow {
            merchant_id: m,
            shop_name: names.get(&m).cloned().unwrap_or_default(),
            ..ReportRow::default()
        });
        r.payable_at_end += kind.sign() * sum;
    }
    let mut total = ReportRow {
        shop_name: "合计".into(),
        ..ReportRow::default()
    };
    let merchants: Vec<ReportRow> = rows
        .into_values()
        .map(|mut r| {
            r.merchant_income = r.paid - r.refunds - r.commission + r.subsidies;
            total.paid += r.paid;
            total.refunds += r.refunds;
            total.commission += r.commission;
            total.subsidies += r.subsidies;
            total.merchant_income += r.merchant_income;
            total.settled += r.settled;
            total.withdrawn += r.withdrawn;
            total.payable_at_end += r.payable_at_end;
            r
        })
        .collect();
    Ok(PeriodReport {
        from,
        to,
        gmv,
        total,
        merchants,
        discount_costs: discount_costs(&mut conn, from, to).await?,
    })
}

async fn discount_costs(
    conn: &mut sqlx::AnyConnection,
    from: i64,
    to: i64,
) -> AppResult<Vec<DiscountCost>> {
    use crate::domain::pricing::{DiscountSource, Funder};
    let rows = crate::repo::orders::discount_costs(conn, from, to).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(source, funder, amount, orders)| {
            Some(DiscountCost {
                source: DiscountSource::parse(&source)?,
                funder: Funder::parse(&funder)?,
                amount,
                orders,
            })
        })
        .collect())
}

/// One CSV field, quoted when it must be; cells starting like a formula are defused so a
/// spreadsheet shows them as text.
fn field(s: &str) -> String {
    // OWASP's list of formula starters; spreadsheets skip leading blanks before reading one
    let starts_like_formula = s
        .trim_start_matches([' ', '\u{3000}'])
        .starts_with(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']);
    let s = if starts_like_formula && s.parse::<rust_decimal::Decimal>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A CSV document (UTF-8 with a BOM, CRLF lines) of `rows` under `header`, every field through
/// [`field`]: the one CSV writer of every export.
pub fn csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    // a byte-order mark so spreadsheet programs read the Chinese as UTF-8
    let mut out = String::from("\u{feff}");
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| field(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

/// `2026-12-01 10:00:05`, China time: how every export writes a moment.
pub(crate) fn time_text(ms: i64) -> String {
    let t = ChinaTime::of_ms(ms);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

pub fn bills_csv(bills: &[BillSummary]) -> String {
    csv(
        &[
            [
                "结算单号",
                "店铺",
                "账期开始",
                "账期结束（含）",
                "状态",
                "订单数",
            ]
            .as_slice(),
            &SettlementAmounts::HEADINGS,
        ]
        .concat(),
        bills.iter().map(|b| {
            let (first, last) = period_days(b.period_start, b.period_end);
            vec![
                b.bill_no.clone(),
                b.shop_name.clone(),
                first,
                last,
                b.status.label().to_string(),
                b.order_count.to_string(),
            ]
            .into_iter()
            .chain(b.amounts.columns().map(yuan_text))
            .collect()
        }),
    )
}

pub fn bill_csv(b: &BillDetail) -> String {
    csv(
        &[
            ["结算单号", "订单号", "完成时间"].as_slice(),
            &SettlementAmounts::HEADINGS,
        ]
        .concat(),
        b.orders.iter().map(|o| {
            vec![
                b.bill.bill_no.clone(),
                o.order_no.clone(),
                time_text(o.completed_at),
            ]
            .into_iter()
            .chain(o.amounts.columns().map(yuan_text))
            .collect()
        }),
    )
}

pub fn ledger_csv(lines: &[LedgerLineView]) -> String {
    csv(
        &[
            "分录号",
            "时间",
            "业务",
            "账户",
            "商家ID",
            "订单号",
            "金额",
            "凭证",
        ],
        lines.iter().map(|l| {
            vec![
                l.id.to_string(),
                time_text(l.created_at),
                l.event_label.clone(),
                l.account.label().to_string(),
                l.merchant_id.to_string(),
                l.order_no.clone(),
                yuan_text(l.amount),
                l.memo.clone(),
            ]
        }),
    )
}

pub fn report_csv(r: &PeriodReport) -> String {
    csv(
        &[
            "店铺",
            "实收",
            "退款",
            "佣金收入",
            "平台补贴",
            "商家收入",
            "已结算",
            "已提现",
            "期末应付商家",
        ],
        r.merchants.iter().chain([&r.total]).map(|m| {
            vec![
                m.shop_name.clone(),
                yuan_text(m.paid),
                yuan_text(m.refunds),
                yuan_text(m.commission),
                yuan_text(m.subsidies),
                yuan_text(m.merchant_income),
                yuan_text(m.settled),
                yuan_text(m.withdrawn),
                yuan_text(m.payable_at_end),
            ]
        }),
    )
}

/// Every ledger line of a merchant (or all), for the CSV export, newest first.
pub async fn all_lines(st: &AppState, merchant_id: Option<i64>) -> AppResult<Vec<LedgerLineView>> {
    let mut out = Vec::new();
    let mut page = 1;
    loop {
        let p = ledger_page(st, merchant_id, page).await?;
        out.extend(p.lines);
        if !p.has_more || out.len() >= 100_000 {
            return Ok(out);
        }
        page += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(field("-12.50"), "-12.50");
        assert_eq!(field("@cmd"), "'@cmd");
        assert_eq!(field("\tx"), "'\tx");
        assert_eq!(field("  =1+1"), "'  =1+1");
        assert_eq!(field("-1+cmd|' /C calc'!A0"), "'-1+cmd|' /C calc'!A0");
        let out = csv(&["x", "y"], [vec!["1".into(), "茶".into()]]);
        assert_eq!(out, "\u{feff}x,y\r\n1,茶\r\n");
    }
}
