//! Counting visits: page views and distinct visitors per China-time day, page and source, for
//! the whole mall and for the shop whose page or product was seen (DESIGN.md "Data").
//!
//! A view is counted in memory (`infra::visit_counter`, no database work on the page's path) and
//! written by the job every few seconds ([`flush`]) as additive upserts, so servers sharing a
//! database add up. A crash loses at most the views since the last flush; counts are for
//! trends, not money. Robots are filtered before recording (`domain::visit::is_robot`).

use std::collections::{HashMap, HashSet};

use crate::domain::dashboard::{share_bps, DayRange, FunnelStep, SourceRow};
use crate::domain::time::china_day;
use crate::domain::visit::{PageView, VisitPage};
use crate::error::AppResult;
use crate::infra::visit_counter::Pending;
use crate::repo::visits::{self as repo, ViewCount, VisitTotals, VisitorSeen};
use crate::state::AppState;

/// Days of visitor ids kept (distinct visitors over any period a dashboard reads, ≤ 366 days).
pub const VISITOR_DAYS_KEPT: i64 = 400;

/// A new visitor id: 128 random bits, URL-safe base64 (22 characters).
pub fn new_visitor_id() -> String {
    use base64::Engine;
    let bytes: [u8; 16] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Writes the views counted since the last flush; how many views were written.
pub async fn flush(st: &AppState) -> AppResult<i64> {
    let pending = st.visits.take();
    if pending.dropped > 0 {
        tracing::warn!(
            dropped = pending.dropped,
            "visits dropped: too many between flushes"
        );
    }
    if pending.views.is_empty() {
        return Ok(0);
    }
    match write(st, &pending).await {
        Ok(n) => Ok(n),
        Err(e) => {
            st.visits.put_back(pending);
            Err(e)
        }
    }
}

async fn write(st: &AppState, p: &Pending) -> AppResult<i64> {
    let products: Vec<i64> = p
        .views
        .keys()
        .filter(|(_, v)| v.page == VisitPage::Product)
        .map(|(_, v)| v.target)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let shop_of = repo::shops_of_products(&st.db.pool, &products).await?;
    // the mall (0) counts every view; a shop its own page and its products' pages
    let shops = |v: &PageView| -> Vec<i64> {
        let shop = match v.page {
            VisitPage::Shop => Some(v.target),
            VisitPage::Product => shop_of.get(&v.target).copied(),
            _ => None,
        };
        std::iter::once(0).chain(shop).collect()
    };
    let mut views: HashMap<(i64, i64, PageView), i64> = HashMap::new();
    let mut total = 0;
    for ((day, v), n) in &p.views {
        total += n;
        for m in shops(v) {
            *views.entry((*day, m, *v)).or_insert(0) += n;
        }
    }
    let mut counts: HashMap<(i64, i64, VisitPage, crate::domain::visit::VisitSource), i64> =
        HashMap::new();
    for ((day, m, v), n) in views {
        *counts.entry((day, m, v.page, v.source)).or_insert(0) += n;
    }
    let counts: Vec<ViewCount> = counts
        .into_iter()
        .map(|((day, merchant_id, page, source), views)| ViewCount {
            day,
            merchant_id,
            page,
            source,
            views,
        })
        .collect();
    let visitors: Vec<VisitorSeen> = p
        .visitors
        .iter()
        .flat_map(|(day, v, who)| {
            shops(v).into_iter().map(move |m| VisitorSeen {
                day: *day,
                merchant_id: m,
                page: v.page,
                source: v.source,
                visitor: who.clone(),
            })
        })
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut tx = st.db.begin_write().await?;
    repo::add(&mut tx, &counts, &visitors).await?;
    tx.commit().await?;
    Ok(total)
}

/// The visits a dashboard reads: a shop's (or the mall's, `merchant_id` 0).
pub struct Reader<'a> {
    st: &'a AppState,
    merchant_id: i64,
}

impl<'a> Reader<'a> {
    pub fn new(st: &'a AppState, merchant_id: i64) -> Self {
        Self { st, merchant_id }
    }

    pub async fn totals(&self, r: DayRange) -> AppResult<VisitTotals> {
        repo::totals(&self.st.db.pool, self.merchant_id, r.from_day, r.to_day).await
    }

    /// Distinct visitors per day of the period.
    pub async fn by_day(&self, r: DayRange) -> AppResult<HashMap<i64, i64>> {
        Ok(
            repo::by_day(&self.st.db.pool, self.merchant_id, r.from_day, r.to_day)
                .await?
                .into_iter()
                .map(|(day, visitors, _)| (day, visitors))
                .collect(),
        )
    }

    /// The period's views and visitors by source, most views first.
    pub async fn sources(&self, r: DayRange) -> AppResult<Vec<SourceRow>> {
        let rows =
            repo::by_source(&self.st.db.pool, self.merchant_id, r.from_day, r.to_day).await?;
        let all: i64 = rows.iter().map(|r| r.1).sum();
        Ok(rows
            .into_iter()
            .map(|(source, views, visitors)| SourceRow {
                source,
                views,
                visitors,
                share_bps: share_bps(views, all),
            })
            .collect())
    }
}

/// The period's funnel: visitors → product viewers → (the mall only: add-to-cart, which is
/// not tied to a shop) → shoppers who ordered → payers.
pub fn funnel(v: &VisitTotals, platform: bool, ordered: i64, payers: i64) -> Vec<FunnelStep> {
    let mut steps = vec![
        ("visitors", "访客", v.visitors),
        ("product_visitors", "浏览商品", v.product_visitors),
    ];
    if platform {
        steps.push(("cart_visitors", "加入购物车", v.cart_visitors));
    }
    steps.push(("ordered", "下单", ordered));
    steps.push(("paid", "支付", payers));
    crate::domain::dashboard::funnel(&steps)
}

/// Forgets visitor ids older than [`VISITOR_DAYS_KEPT`] days (the counts stay).
pub async fn forget_old_visitors(st: &AppState) -> AppResult<u64> {
    let today = china_day(st.clock.now_ms());
    repo::forget_visitors_before(&st.db.pool, today - VISITOR_DAYS_KEPT).await
}
