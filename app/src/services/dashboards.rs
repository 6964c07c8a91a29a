//! The consoles' 概览: the platform's and each shop's dashboard, and the daily aggregates they
//! read. A day is closed (its figures stored in `daily_stats`) by the job a few minutes after
//! China midnight, and can be rebuilt from the orders at any time (`jishi rebuild-stats`); the
//! days not closed yet (today) are read live from the same queries, so a stored day and a live
//! one never differ in what they count.

use std::collections::{BTreeMap, HashMap};

use sqlx::AnyConnection;

use crate::domain::dashboard::{
    kpis, top_rows, Dashboard, DayRange, Figures, HourPoint, SalesRow, ScorePoint, Todo,
    TrendPoint, LOW_STOCK, TOP_ROWS,
};
use crate::domain::time::{china_day, day_start, day_text, DAY_MS};
use crate::error::AppResult;
use crate::repo::daily_stats::{self as repo, DayBook, ProductDay};
use crate::services::admins::AdminScope;
use crate::services::merchants::MerchantScope;
use crate::services::visits;
use crate::state::AppState;

/// A day is closed this long after its China midnight, so a write that began before midnight
/// has committed before the day is read for good.
pub const CLOSE_AFTER_MS: i64 = 5 * 60_000;
/// Days read and stored in one go when closing or rebuilding.
const DAYS_PER_PASS: i64 = 31;

/// Closes every day up to yesterday that is not closed yet (from the first sign-up or payment
/// on a new database). Returns the number of days closed.
pub async fn close_days(st: &AppState) -> AppResult<i64> {
    let now = st.clock.now_ms();
    let last_closable = china_day(now - CLOSE_AFTER_MS) - 1;
    let mut conn = st.db.pool.acquire().await?;
    let first = match repo::last_closed_day(&mut conn).await? {
        Some(d) => d + 1,
        None => match repo::first_activity(&mut conn).await? {
            Some(ms) => china_day(ms),
            None => return Ok(0),
        },
    };
    let mut closed = 0;
    let mut from_day = first;
    while from_day <= last_closable {
        let to_day = (from_day + DAYS_PER_PASS - 1).min(last_closable);
        let book =
            repo::from_sources(&mut conn, day_start(from_day), day_start(to_day + 1), None).await?;
        let mut tx = st.db.begin_write().await?;
        repo::replace_days(&mut tx, from_day, to_day, &book).await?;
        tx.commit().await?;
        closed += to_day - from_day + 1;
        from_day = to_day + 1;
    }
    Ok(closed)
}

/// Forgets every stored day and closes them all again from the orders, refunds, sign-ups and
/// the ledger (`jishi rebuild-stats`). Returns the number of days closed.
pub async fn rebuild(st: &AppState) -> AppResult<i64> {
    let mut tx = st.db.begin_write().await?;
    repo::clear(&mut tx).await?;
    tx.commit().await?;
    close_days(st).await
}

/// The platform's dashboard over `range`: every admin reads it (its to-dos link to pages their
/// role may or may not open).
pub async fn platform(st: &AppState, _admin: &AdminScope, range: DayRange) -> AppResult<Dashboard> {
    let key = (0, range.from_day, range.to_day);
    let mut d = st
        .dashboards
        .get_or_count(key, async {
            let mut conn = st.db.pool.acquire().await?;
            build(st, &mut conn, None, range).await
        })
        .await?;
    let mut conn = st.db.pool.acquire().await?;
    let t = crate::repo::todos::platform(&mut conn).await?;
    d.todos = vec![
        todo("入驻申请待审核", t.applications, "/admin/applications"),
        todo(
            "商品待审核",
            t.products,
            "/admin/products?status=pending_review",
        ),
        todo("售后待仲裁", t.arbitration, "/admin/after-sales"),
        todo("提现待审核", t.withdrawals, "/admin/finance/withdrawals"),
        todo("账单有异议", t.disputed_bills, "/admin/finance"),
    ];
    Ok(d)
}

/// A shop's dashboard over `range`, for any of its staff.
pub async fn shop(st: &AppState, scope: &MerchantScope, range: DayRange) -> AppResult<Dashboard> {
    let m = scope.merchant_id;
    let key = (m, range.from_day, range.to_day);
    let mut d = st
        .dashboards
        .get_or_count(key, shop_figures(st, m, range))
        .await?;
    d.shop_name = Some(crate::services::merchants::shop_of(st, scope).await?.name);
    let mut conn = st.db.pool.acquire().await?;
    let t = crate::repo::todos::shop(&mut conn, m, LOW_STOCK).await?;
    d.todos = vec![
        todo("待发货订单", t.to_ship, "/merchant/orders?tab=to_ship"),
        todo("待处理售后", t.after_sales, "/merchant/after-sales"),
        todo(
            "待回复评价",
            t.reviews_to_reply,
            "/merchant/reviews?filter=unreplied",
        ),
        todo("库存预警（≤10 件）", t.low_stock, "/merchant/products"),
        todo("待确认账单", t.bills_to_confirm, "/merchant/finance"),
    ];
    Ok(d)
}

/// A shop's figures: the common ones, its buyers' loyalty and its review score trend.
async fn shop_figures(st: &AppState, m: i64, range: DayRange) -> AppResult<Dashboard> {
    let mut conn = st.db.pool.acquire().await?;
    let mut d = build(st, &mut conn, Some(m), range).await?;
    let (from, to) = bounds(range, d.as_of);
    (d.repeat_buyers, d.returning_buyers) =
        repo::repeat_and_returning(&mut conn, m, from, to).await?;
    let by_day = crate::repo::reviews::daily_scores(&mut conn, m, from, to).await?;
    d.scores = (range.from_day..=range.to_day)
        .map(|day| {
            let (n, sums) = by_day.get(&day).copied().unwrap_or_default();
            ScorePoint::of(day_text(day_start(day)), n, sums)
        })
        .collect();
    Ok(d)
}

fn todo(label: &str, count: i64, href: &str) -> Todo {
    Todo {
        label: label.into(),
        count,
        href: href.into(),
    }
}

/// `[from, to)` of a range, cut at `now` (today is not over).
fn bounds(range: DayRange, now: i64) -> (i64, i64) {
    let (from, to) = range.bounds_ms();
    (from, to.min(now + 1))
}

/// The figures of a shop (or the platform) per day over `from_day ..= to_day`: closed days from
/// the aggregates, the others from the sources; with the live book, for its products.
async fn days(
    conn: &mut AnyConnection,
    merchant: Option<i64>,
    from_day: i64,
    to_day: i64,
    now: i64,
) -> AppResult<(BTreeMap<i64, Figures>, Option<i64>, DayBook)> {
    let closed = repo::last_closed_day(conn).await?;
    let key = merchant.unwrap_or(0);
    let mut by_day: BTreeMap<i64, Figures> = BTreeMap::new();
    let stored_to = closed.map_or(from_day - 1, |c| c.min(to_day));
    if stored_to >= from_day {
        by_day.extend(repo::stored_days(conn, key, from_day, stored_to).await?);
    }
    let live_from = (stored_to + 1).max(from_day);
    let mut live = DayBook::default();
    if live_from <= to_day {
        let to = day_start(to_day + 1).min(now + 1);
        live = repo::from_sources(conn, day_start(live_from), to, merchant).await?;
        for ((m, day), f) in &live.figures {
            if *m == key {
                by_day.insert(*day, *f);
            }
        }
    }
    Ok((by_day, closed, live))
}

async fn build(
    st: &AppState,
    conn: &mut AnyConnection,
    merchant: Option<i64>,
    range: DayRange,
) -> AppResult<Dashboard> {
    let now = st.clock.now_ms();
    let today = china_day(now);
    let before = range.previous();
    let first = before.from_day.min(today - 1);
    let last = range.to_day.max(today);
    let (by_day, closed, live) = days(conn, merchant, first, last, now).await?;
    let sum = |r: DayRange| {
        let mut f = Figures::default();
        for (_, d) in by_day.range(r.from_day..=r.to_day) {
            f.add(d);
        }
        f
    };
    let mut period = sum(range);
    let (from, to) = bounds(range, now);
    period.payers = repo::payers(conn, from, to, merchant).await?;
    let mut previous = sum(before);
    let (pf, pt) = before.bounds_ms();
    previous.payers = repo::payers(conn, pf, pt, merchant).await?;
    let zero = Figures::default();
    let platform = merchant.is_none();
    let visits = visits::Reader::new(st, merchant.unwrap_or(0));
    let period_visits = visits.totals(range).await?;
    period.visitors = period_visits.visitors;
    previous.visitors = visits.totals(before).await?.visitors;
    let on_day = |day: i64| *by_day.get(&day).unwrap_or(&zero);
    let (mut today_figures, mut yesterday) = (on_day(today), on_day(today - 1));
    today_figures.visitors = visits.totals(DayRange::one(today)).await?.visitors;
    yesterday.visitors = visits.totals(DayRange::one(today - 1)).await?.visitors;
    let today_kpis = kpis(&today_figures, &yesterday, platform);
    let visitors_by_day = visits.by_day(range).await?;
    let trend = (range.from_day..=range.to_day)
        .map(|day| {
            let f = by_day.get(&day).unwrap_or(&zero);
            TrendPoint {
                day: day_text(day_start(day)),
                gmv: f.gmv,
                paid_orders: f.paid_orders,
                payers: f.payers,
                refunds: f.refunds,
                visitors: visitors_by_day.get(&day).copied().unwrap_or(0),
            }
        })
        .collect();
    let hourly = hourly(conn, merchant, today, now).await?;
    let products = products_sold(conn, merchant, range, closed, &live).await?;
    let total = period.gmv;
    let categories = category_share(st, &products, total).await?;
    let top_products = top_products(st, &products, total).await?;
    let top_shops = if platform {
        top_shops(conn, range, closed, &live, total).await?
    } else {
        Vec::new()
    };
    let ordered = repo::ordering_shoppers(conn, from, to, merchant).await?;
    let funnel = visits::funnel(&period_visits, platform, ordered, period.payers);
    let sources = visits.sources(range).await?;
    Ok(Dashboard {
        shop_name: None,
        range: range.view(),
        as_of: now,
        aggregated_through: closed.map(|d| day_text(day_start(d))),
        today: today_kpis,
        period: kpis(&period, &previous, platform),
        trend,
        hourly,
        categories,
        top_shops,
        top_products,
        returning_buyers: 0,
        repeat_buyers: 0,
        todos: Vec::new(),
        funnel,
        sources,
        scores: Vec::new(),
    })
}

async fn hourly(
    conn: &mut AnyConnection,
    merchant: Option<i64>,
    today: i64,
    now: i64,
) -> AppResult<Vec<HourPoint>> {
    let rows = repo::hourly_gmv(conn, day_start(today - 1), now + 1, merchant).await?;
    let first_hour = (today - 1) * 24;
    let mut yesterday = [0i64; 24];
    let mut so_far = [0i64; 24];
    for (hour, gmv) in rows {
        let i = hour - first_hour;
        if (0..24).contains(&i) {
            yesterday[i as usize] += gmv;
        } else if (24..48).contains(&i) {
            so_far[i as usize - 24] += gmv;
        }
    }
    let this_hour = (now - day_start(today)) / (DAY_MS / 24);
    Ok((0..24)
        .map(|h| HourPoint {
            hour: h,
            today: (h <= this_hour).then_some(so_far[h as usize]),
            yesterday: yesterday[h as usize],
        })
        .collect())
}

/// Every product sold in `range`: closed days from the aggregates plus the live book's days.
async fn products_sold(
    conn: &mut AnyConnection,
    merchant: Option<i64>,
    range: DayRange,
    closed: Option<i64>,
    live: &DayBook,
) -> AppResult<Vec<ProductDay>> {
    let mut by_product: HashMap<i64, ProductDay> = HashMap::new();
    let stored_to = closed.map_or(range.from_day - 1, |c| c.min(range.to_day));
    let mut rows = Vec::new();
    if stored_to >= range.from_day {
        rows = repo::stored_products(conn, range.from_day, stored_to, merchant).await?;
    }
    let live_rows = live
        .products
        .iter()
        .filter(|p| (range.from_day..=range.to_day).contains(&p.day) && p.day > stored_to);
    for p in rows.iter().chain(live_rows) {
        let e = by_product.entry(p.product_id).or_insert(ProductDay {
            units: 0,
            gmv: 0,
            ..*p
        });
        e.units += p.units;
        e.gmv += p.gmv;
    }
    Ok(by_product.into_values().collect())
}

/// Sales per top-level category (the tree as it is now), largest first.
async fn category_share(
    st: &AppState,
    products: &[ProductDay],
    total: i64,
) -> AppResult<Vec<SalesRow>> {
    let categories = crate::repo::categories::list_categories(&st.db.pool).await?;
    let parent: HashMap<i64, Option<i64>> =
        categories.iter().map(|c| (c.id, c.parent_id)).collect();
    let name: HashMap<i64, &str> = categories.iter().map(|c| (c.id, c.name.as_str())).collect();
    let top_of = |mut id: i64| {
        // three levels at most; the bound guards against a cycle
        for _ in 0..8 {
            match parent.get(&id) {
                Some(Some(p)) => id = *p,
                _ => break,
            }
        }
        id
    };
    let mut sums: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for p in products {
        let e = sums.entry(top_of(p.category_id)).or_default();
        e.0 += p.gmv;
        e.1 += p.units;
    }
    let rows = sums
        .into_iter()
        .map(|(id, (gmv, units))| {
            let n = name.get(&id).map_or("其他", |n| n).to_string();
            (id, n, gmv, units)
        })
        .collect::<Vec<_>>();
    let len = rows.len();
    Ok(top_rows(rows, total, len))
}

async fn top_products(
    st: &AppState,
    products: &[ProductDay],
    total: i64,
) -> AppResult<Vec<SalesRow>> {
    let rows: Vec<(i64, String, i64, i64)> = products
        .iter()
        .map(|p| (p.product_id, String::new(), p.gmv, p.units))
        .collect();
    let mut top = top_rows(rows, total, TOP_ROWS);
    let ids: Vec<i64> = top.iter().map(|r| r.id).collect();
    let titles: HashMap<i64, String> = crate::repo::products::products_by_ids(&st.db.pool, &ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p.title))
        .collect();
    for r in &mut top {
        r.name = titles.get(&r.id).cloned().unwrap_or_default();
    }
    Ok(top)
}

async fn top_shops(
    conn: &mut AnyConnection,
    range: DayRange,
    closed: Option<i64>,
    live: &DayBook,
    total: i64,
) -> AppResult<Vec<SalesRow>> {
    let mut sums: HashMap<i64, (i64, i64)> = HashMap::new();
    let stored_to = closed.map_or(range.from_day - 1, |c| c.min(range.to_day));
    if stored_to >= range.from_day {
        for (m, gmv, units) in repo::stored_shops(conn, range.from_day, stored_to).await? {
            let e = sums.entry(m).or_default();
            e.0 += gmv;
            e.1 += units;
        }
    }
    for ((m, day), f) in &live.figures {
        if *m != 0 && *day > stored_to && (range.from_day..=range.to_day).contains(day) {
            let e = sums.entry(*m).or_default();
            e.0 += f.gmv;
            e.1 += f.units;
        }
    }
    let rows: Vec<(i64, String, i64, i64)> = sums
        .into_iter()
        .map(|(m, (gmv, units))| (m, String::new(), gmv, units))
        .collect();
    let mut top = top_rows(rows, total, TOP_ROWS);
    let ids: Vec<i64> = top.iter().map(|r| r.id).collect();
    let names: HashMap<i64, String> = crate::repo::merchants::names(conn, &ids)
        .await?
        .into_iter()
        .collect();
    for r in &mut top {
        r.name = names.get(&r.id).cloned().unwrap_or_default();
    }
    Ok(top)
}
