//! `jishi seed-demo --history-days N`: the demo marketplace's last N days, lived through the
//! real services on a clock that starts N days ago and walks to now. Shoppers sign up (a few a
//! day, more at first) and buy from the demo shops with a weekly and daily rhythm (evenings and
//! weekends busier, 双11 and 双12 much busier, the market growing over the period); most pay, a
//! few let the trade lapse; the shops ship twice a day; shoppers confirm receipt (or the timer
//! does), review about half of what they got, ask for a refund now and then; the shops reply
//! and approve refunds; bills are cut by the settlement job, confirmed weekly, and the owners
//! withdraw, which finance pays. The order timers, automatic reviews and the dashboards' day
//! closing run as the serving mall runs them (`jobs::run_once`), so every report and chart a new
//! user opens has a believable past. Idempotent: a second run finds the history and stops.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::domain::account::{AdminRole, Identity, Realm, StaffRole};
use crate::domain::address::AddressInput;
use crate::domain::after_sale::{AfterSaleKind, AfterSaleLine, AfterSaleRequest};
use crate::domain::cart::{CheckoutRequest, LineRequest};
use crate::domain::review::{LineReviewInput, OrderReviewInput};
use crate::domain::settlement::{WithdrawalForm, WithdrawalStatus};
use crate::domain::time::{china_day, day_start, ChinaTime, DAY_MS};
use crate::domain::visit::{PageView, VisitPage, VisitSource};
use crate::error::{AppError, AppResult};
use crate::infra::clock::Clock;
use crate::services::admins::AdminScope;
use crate::services::merchants::MerchantScope;
use crate::services::{
    accounts, addresses, after_sales, checkout, jobs, orders, payments, reviews, settlement,
};
use crate::state::AppState;

const IP: &str = "127.0.0.1";
/// Orders on an ordinary weekday at the end of the period, before chance.
const ORDERS_PER_DAY: f64 = 26.0;
/// Relative order weight of each hour, 00:00–23:00 China time.
const HOURS: [u32; 24] = [
    2, 1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 7, 6, 6, 6, 7, 8, 9, 11, 13, 13, 10, 5,
];
const REVIEW_TEXTS: [&str; 12] = [
    "包装很用心，东西和描述一致，已经回购了。",
    "物流很快，隔天就到了，家里老人很喜欢。",
    "味道正宗，就是分量比想象的少一点。",
    "老板人很好，还送了小样，好评！",
    "一般般吧，中规中矩，价格可以再实惠些。",
    "产地直发，和超市买的完全不一样。",
    "整体满意，快递外箱有点压痕，里面完好。",
    "发货有点慢，催了两次才发。",
    "第三次买了，品质一直稳定。",
    "送朋友的，朋友说很好，下次还来。",
    "性价比高，推荐给同事了。",
    "有点小瑕疵，客服处理得很及时。",
];
const REPLIES: [&str; 3] = [
    "感谢亲的支持，欢迎常来！",
    "谢谢反馈，我们会继续改进包装和发货速度。",
    "收到建议了，下一批会注意，谢谢您！",
];
/// Where the generated shoppers live: (province, city, district).
const PLACES: [(&str, &str, &str); 6] = [
    ("贵州省", "贵阳市", "云岩区"),
    ("贵州省", "遵义市", "红花岗区"),
    ("云南省", "昆明市", "五华区"),
    ("四川省", "成都市", "武侯区"),
    ("重庆市", "重庆市", "渝中区"),
    ("广东省", "深圳市", "南山区"),
];

/// What a history run made.
#[derive(Debug, Default, Clone, Copy)]
pub struct History {
    pub shoppers: usize,
    pub trades: usize,
    pub refunds: usize,
    pub reviews: usize,
}

struct Shop {
    scope: MerchantScope,
    owner: Identity,
}

struct Walk<'a> {
    st: AppState,
    rng: StdRng,
    shops: Vec<Shop>,
    finance: AdminScope,
    shoppers: Vec<i64>,
    /// products on sale and their shops, for the visitors who only look
    products: Vec<(i64, i64)>,
    /// shoppers who bought before, for repeat purchases
    buyers: Vec<i64>,
    outbox: tokio::sync::mpsc::UnboundedReceiver<crate::infra::payments::simulated::Outgoing>,
    made: History,
    keys: usize,
    progress: &'a (dyn Fn(u64, u64) + Sync),
}

/// Lives the last `days` days (1–366) of the demo marketplace; `progress(done, days)` after
/// each day. Needs the demo seeded first; does nothing when a history is there already.
pub async fn seed(
    st: &AppState,
    days: i64,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> AppResult<History> {
    if !(1..=366).contains(&days) {
        return Err(AppError::invalid(
            "history-days",
            "历史天数应在 1 到 366 之间",
        ));
    }
    let (done,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM trades WHERE idempotency_key LIKE 'history-%'",
    )
    .fetch_one(&st.db.pool)
    .await?;
    if done > 0 {
        return Ok(History::default());
    }
    let outbox = st
        .simulated_outbox
        .lock()
        .map_err(|_| AppError::internal("outbox lock poisoned"))?
        .take()
        .ok_or_else(|| AppError::internal("the simulated provider's outbox is taken"))?;
    let now = st.clock.now_ms();
    let start = day_start(china_day(now) - days) + 8 * 3_600_000;
    let mut hist = st.clone();
    hist.clock = Clock::starting_at(start);
    let products =
        sqlx::query_as("SELECT id, merchant_id FROM products WHERE status = 'on_sale' ORDER BY id")
            .fetch_all(&hist.db.pool)
            .await?;
    let mut walk = Walk {
        shops: shops(&hist).await?,
        finance: super::admin_as(&hist, AdminRole::Finance).await?,
        st: hist,
        rng: StdRng::seed_from_u64(20_261_111),
        products,
        shoppers: Vec::new(),
        buyers: Vec::new(),
        outbox,
        made: History::default(),
        keys: 0,
        progress,
    };
    // the shoppers who were there before the period
    for _ in 0..30 {
        walk.sign_up().await?;
    }
    let first = china_day(start);
    for day in first..=china_day(now) {
        walk.live_day(day, first, days, now).await?;
        (walk.progress)((day - first + 1) as u64, (days + 1) as u64);
    }
    walk.disable_a_shopper().await?;
    crate::services::visits::flush(&walk.st).await?;
    Ok(walk.made)
}

async fn shops(st: &AppState) -> AppResult<Vec<Shop>> {
    let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT s.merchant_id, s.id, s.display_name, m.name FROM merchant_staff s \
         JOIN merchants m ON m.id = s.merchant_id WHERE s.role = 'owner' ORDER BY s.merchant_id",
    )
    .fetch_all(&st.db.pool)
    .await?;
    if rows.is_empty() {
        return Err(AppError::internal("no shops: seed the demo first"));
    }
    Ok(rows
        .into_iter()
        .map(|(merchant_id, staff_id, name, shop)| Shop {
            scope: MerchantScope {
                merchant_id,
                staff_id,
                role: StaffRole::Owner,
                shop_active: true,
            },
            owner: Identity {
                realm: Realm::Merchant,
                account_id: staff_id,
                display_name: name,
                merchant_id: Some(merchant_id),
                merchant_name: Some(shop),
                staff_role: Some(StaffRole::Owner),
                admin_role: None,
            },
        })
        .collect())
}

impl Walk<'_> {
    /// Moves the walk's clock to `hour:minute` of `day` (never back).
    fn at(&self, day: i64, hour: i64, minute: i64) {
        let target = day_start(day) + hour * 3_600_000 + minute * 60_000;
        let ahead = target - self.st.clock.now_ms();
        if ahead > 0 {
            self.st
                .clock
                .advance(std::time::Duration::from_millis(ahead as u64));
        }
    }

    async fn live_day(&mut self, day: i64, first: i64, span: i64, now: i64) -> AppResult<()> {
        let t = ChinaTime::of_ms(day_start(day));
        // 1970-01-01 was a Thursday: 0 = Monday
        let weekday = (day + 3).rem_euclid(7);
        let mut rate = ORDERS_PER_DAY * (0.55 + 0.45 * (day - first) as f64 / span as f64);
        rate *= match weekday {
            4 => 1.1,
            5 => 1.45,
            6 => 1.35,
            _ => 1.0,
        };
        rate *= match (t.month, t.day) {
            (11, 11) => 3.0,
            (12, 12) => 2.0,
            (11, 10) | (11, 12) => 1.5,
            _ => 1.0,
        };
        let orders = (rate * self.rng.gen_range(0.75..1.25)).round() as usize;
        self.browse(day, orders);
        let mut minutes: Vec<i64> = (0..orders).map(|_| self.minute_of_day()).collect();
        minutes.sort_unstable();
        let signups = self.rng.gen_range(1..=4) + usize::from(day - first < 14);
        let mut signup_minutes: Vec<i64> = (0..signups)
            .map(|_| self.rng.gen_range(8 * 60..23 * 60))
            .collect();
        signup_minutes.sort_unstable();
        // the day's chores, at fixed times, among the purchases
        let chores = [(9, 0), (12, 0), (14, 0), (16, 0), (20, 0), (23, 55)];
        let mut chore = 0;
        let mut signup = 0;
        for m in minutes {
            while chore < chores.len() && chores[chore].0 * 60 + chores[chore].1 <= m {
                self.chore(day, chores[chore], now).await?;
                chore += 1;
            }
            while signup < signup_minutes.len() && signup_minutes[signup] <= m {
                self.at(
                    day,
                    signup_minutes[signup] / 60,
                    signup_minutes[signup] % 60,
                );
                if day_start(day) + signup_minutes[signup] * 60_000 < now {
                    self.sign_up().await?;
                }
                signup += 1;
            }
            if day_start(day) + m * 60_000 >= now {
                break;
            }
            self.at(day, m / 60, m % 60);
            self.buy().await?;
        }
        while chore < chores.len() {
            self.chore(day, chores[chore], now).await?;
            chore += 1;
        }
        Ok(())
    }

    fn minute_of_day(&mut self) -> i64 {
        let total: u32 = HOURS.iter().sum();
        let mut pick = self.rng.gen_range(0..total);
        for (h, w) in HOURS.iter().enumerate() {
            if pick < *w {
                return h as i64 * 60 + self.rng.gen_range(0..60);
            }
            pick -= w;
        }
        23 * 60
    }

    async fn chore(&mut self, day: i64, (hour, minute): (i64, i64), now: i64) -> AppResult<()> {
        if day_start(day) + hour * 3_600_000 + minute * 60_000 >= now {
            return Ok(());
        }
        self.at(day, hour, minute);
        match (hour, minute) {
            (9, 0) | (16, 0) => self.ship_paid().await?,
            (14, 0) => self.ask_refunds(day).await?,
            (20, 0) => self.receive(day).await?,
            _ => {}
        }
        // what the serving mall's jobs do: lapse unpaid trades, confirm receipt on time, write
        // automatic reviews, cut bills, close the dashboards' days
        jobs::run_once(&self.st).await;
        self.deliver_refunds().await?;
        let weekday = (day + 3).rem_euclid(7);
        if (hour, minute) == (12, 0) && weekday == 0 {
            self.settle_up().await?;
        }
        if (hour, minute) == (12, 0) && weekday == 1 {
            self.pay_withdrawals().await?;
        }
        Ok(())
    }

    /// The operator has disabled one shopper who never bought (会员管理 shows a disabled
    /// account with its reason).
    async fn disable_a_shopper(&mut self) -> AppResult<()> {
        let Some(&shopper) = self
            .shoppers
            .iter()
            .rev()
            .find(|s| !self.buyers.contains(s))
        else {
            return Ok(());
        };
        let operator = super::admin_as(&self.st, AdminRole::Operator).await?;
        crate::services::people::set_shopper_status(
            &self.st,
            &operator,
            shopper,
            false,
            "批量注册小号领券",
            IP,
        )
        .await
    }

    async fn sign_up(&mut self) -> AppResult<()> {
        let n = self.shoppers.len();
        let phone = format!("1390000{:04}", n + 1);
        let nickname = format!("集市买家{:03}", n + 1);
        let me =
            accounts::register_shopper(&self.st, &phone, super::demo::DEMO_PASSWORD, &nickname)
                .await?;
        let (province, city, district) = PLACES[self.rng.gen_range(0..PLACES.len())];
        addresses::save(
            &self.st,
            me.account_id,
            None,
            &AddressInput {
                receiver: nickname,
                phone,
                province: province.into(),
                city: city.into(),
                district: district.into(),
                detail: format!("幸福路 {} 号", self.rng.gen_range(1..300)),
                is_default: true,
            },
        )
        .await?;
        self.shoppers.push(me.account_id);
        self.made.shoppers += 1;
        Ok(())
    }

    /// Counts a view as the serving mall does (`services::visits`), on the walk's clock.
    fn view(&self, page: VisitPage, target: i64, source: VisitSource, visitor: &str) {
        let view = PageView {
            page,
            target,
            source,
        };
        self.st.visits.record(self.st.clock.now_ms(), view, visitor);
    }

    /// Where a visitor came from, weighted as a young mall's traffic is.
    fn pick_source(&mut self) -> VisitSource {
        const WEIGHTS: [(VisitSource, u32); 6] = [
            (VisitSource::Home, 35),
            (VisitSource::Search, 25),
            (VisitSource::Category, 12),
            (VisitSource::Shop, 10),
            (VisitSource::Share, 8),
            (VisitSource::Other, 10),
        ];
        let mut pick = self.rng.gen_range(0..100);
        for (s, w) in WEIGHTS {
            if pick < w {
                return s;
            }
            pick -= w;
        }
        VisitSource::Other
    }

    /// The day's visitors who only look: about five for every order, each opening the home
    /// page and one to three products (some from a shop page).
    fn browse(&mut self, day: i64, orders: usize) {
        if self.products.is_empty() {
            return;
        }
        let guests = orders * self.rng.gen_range(4..7) + 3;
        for g in 0..guests {
            let visitor = format!("history-guest-{day}-{g:04}");
            let entry = self.pick_source();
            if entry == VisitSource::Share {
                let (product, _) = self.products[self.rng.gen_range(0..self.products.len())];
                self.view(VisitPage::Product, product, VisitSource::Share, &visitor);
                continue;
            }
            self.view(VisitPage::Home, 0, VisitSource::Other, &visitor);
            for _ in 0..self.rng.gen_range(1..=3) {
                let (product, shop) = self.products[self.rng.gen_range(0..self.products.len())];
                let source = self.pick_source();
                if source == VisitSource::Shop {
                    self.view(VisitPage::Shop, shop, VisitSource::Home, &visitor);
                    // some look at the shop and leave
                    if self.rng.gen_bool(0.3) {
                        continue;
                    }
                }
                if source == VisitSource::Search {
                    self.view(VisitPage::Search, 0, VisitSource::Home, &visitor);
                }
                let source = if source == VisitSource::Share {
                    VisitSource::Home
                } else {
                    source
                };
                self.view(VisitPage::Product, product, source, &visitor);
            }
        }
    }

    /// One trade of one or two shops, paid nine times in ten.
    async fn buy(&mut self) -> AppResult<()> {
        let repeat = !self.buyers.is_empty() && self.rng.gen_bool(0.3);
        let shopper = if repeat {
            self.buyers[self.rng.gen_range(0..self.buyers.len())]
        } else {
            self.shoppers[self.rng.gen_range(0..self.shoppers.len())]
        };
        let skus: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT s.id, s.product_id FROM skus s JOIN products p ON p.id = s.product_id \
             WHERE p.status = 'on_sale' AND s.active = 1 AND s.stock >= 20 ORDER BY s.id",
        )
        .fetch_all(&self.st.db.pool)
        .await?;
        if skus.is_empty() {
            return Ok(());
        }
        let mut lines: Vec<LineRequest> = Vec::new();
        let count = if self.rng.gen_bool(0.25) { 2 } else { 1 };
        for _ in 0..count {
            // popular products sell more: the square of a uniform pick favours the first
            let i = (self.rng.gen::<f64>().powi(2) * skus.len() as f64) as usize;
            let (sku_id, product_id) = skus[i.min(skus.len() - 1)];
            if lines.iter().all(|l| l.sku_id != sku_id) {
                // the buyer found the product and put it in the cart first
                let source = self.pick_source();
                let visitor = format!("history-visitor-{shopper:06}");
                self.view(VisitPage::Product, product_id, source, &visitor);
                self.view(VisitPage::Cart, 0, VisitSource::Other, &visitor);
                let qty = if self.rng.gen_bool(0.8) { 1 } else { 2 };
                lines.push(LineRequest { sku_id, qty });
            }
        }
        self.keys += 1;
        let req = CheckoutRequest {
            lines,
            ..CheckoutRequest::default()
        };
        let key = format!("history-{:06}", self.keys);
        // a basket the shopper's address cannot receive (fresh fruit outside the south-west)
        // is simply not bought
        let Ok(trade) = checkout::submit(&self.st, shopper, &req, &key).await else {
            return Ok(());
        };
        self.made.trades += 1;
        if self.rng.gen_bool(0.9) {
            payments::pay_simulated(&self.st, shopper, &trade.trade_no).await?;
            if !self.buyers.contains(&shopper) {
                self.buyers.push(shopper);
            }
        }
        Ok(())
    }

    /// Every shop ships what is paid and waiting.
    async fn ship_paid(&mut self) -> AppResult<()> {
        let due: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, merchant_id FROM orders WHERE status = 'to_ship' AND delivery = 'express' \
             ORDER BY id",
        )
        .fetch_all(&self.st.db.pool)
        .await?;
        for (order_id, merchant_id) in due {
            let Some(shop) = self
                .shops
                .iter()
                .find(|s| s.scope.merchant_id == merchant_id)
            else {
                continue;
            };
            let shipment = orders::Shipment {
                order_id,
                carrier: "中通快递".into(),
                tracking_no: format!("ZT7{order_id:09}"),
            };
            orders::ship(&self.st, &shop.scope, &shipment, IP).await?;
        }
        Ok(())
    }

    /// Shoppers confirm parcels shipped two or more days ago (three in five do; the timer
    /// confirms the rest later) and review about half of what they got.
    async fn receive(&mut self, day: i64) -> AppResult<()> {
        let shipped_before = day_start(day) - DAY_MS;
        let parcels: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT id, shopper_id, merchant_id FROM orders WHERE status = 'shipped' \
             AND shipped_at < $1 ORDER BY id",
        )
        .bind(shipped_before)
        .fetch_all(&self.st.db.pool)
        .await?;
        for (order_id, shopper, merchant_id) in parcels {
            if !self.rng.gen_bool(0.6) {
                continue;
            }
            orders::confirm_receipt(&self.st, shopper, order_id).await?;
            if self.rng.gen_bool(0.5) {
                self.review(shopper, order_id, merchant_id).await?;
            }
        }
        Ok(())
    }

    async fn review(&mut self, shopper: i64, order_id: i64, merchant_id: i64) -> AppResult<()> {
        let waiting = reviews::waiting(&self.st, shopper, Some(order_id)).await?;
        if waiting.is_empty() {
            return Ok(());
        }
        let mut lines = Vec::new();
        for l in &waiting {
            let roll = self.rng.gen_range(0..100);
            let stars = match roll {
                0..=59 => 5,
                60..=84 => 4,
                85..=93 => 3,
                94..=97 => 2,
                _ => 1,
            };
            let words = if self.rng.gen_bool(0.8) {
                let text = REVIEW_TEXTS[self.rng.gen_range(0..REVIEW_TEXTS.len())];
                text.to_string()
            } else {
                String::new()
            };
            lines.push(LineReviewInput {
                order_item_id: l.order_item_id,
                goods_stars: stars,
                service_stars: (stars + self.rng.gen_range(0..2)).min(5),
                logistics_stars: (stars + self.rng.gen_range(0..2)).min(5),
                content: words,
                images: Vec::new(),
                anonymous: self.rng.gen_bool(0.15),
            });
        }
        let ids = reviews::submit(&self.st, shopper, order_id, &OrderReviewInput { lines }).await?;
        self.made.reviews += ids.len();
        if let Some(shop) = self
            .shops
            .iter()
            .find(|s| s.scope.merchant_id == merchant_id)
        {
            for id in ids {
                if self.rng.gen_bool(0.4) {
                    let reply = REPLIES[self.rng.gen_range(0..REPLIES.len())];
                    reviews::reply(&self.st, &shop.scope, id, false, reply, IP).await?;
                }
            }
        }
        Ok(())
    }

    /// About one paid order in twenty of the last three days asks for a refund (of one unit of
    /// its first line, or of all of it), which the shop approves.
    async fn ask_refunds(&mut self, day: i64) -> AppResult<()> {
        let recent: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT id, shopper_id, merchant_id FROM orders WHERE paid_at >= $1 AND paid_at < $2 \
             AND status IN ('to_ship', 'shipped', 'completed') AND refunded_amount = 0 ORDER BY id",
        )
        .bind(day_start(day) - DAY_MS)
        .bind(day_start(day))
        .fetch_all(&self.st.db.pool)
        .await?;
        for (order_id, shopper, merchant_id) in recent {
            if !self.rng.gen_bool(0.05) {
                continue;
            }
            let items: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT id, qty - refund_qty FROM order_items WHERE order_id = $1 ORDER BY id",
            )
            .bind(order_id)
            .fetch_all(&self.st.db.pool)
            .await?;
            let whole = self.rng.gen_bool(0.3);
            let lines: Vec<AfterSaleLine> = items
                .iter()
                .filter(|(_, left)| *left > 0)
                .take(if whole { usize::MAX } else { 1 })
                .map(|&(order_item_id, left)| AfterSaleLine {
                    order_item_id,
                    qty: if whole { left } else { 1 },
                })
                .collect();
            if lines.is_empty() {
                continue;
            }
            let req = AfterSaleRequest {
                order_id,
                kind: AfterSaleKind::RefundOnly,
                lines,
                reason: if whole {
                    "拍错了，不想要了"
                } else {
                    "收到有一件破损"
                }
                .into(),
                photos: Vec::new(),
            };
            let Ok(id) = after_sales::request(&self.st, shopper, &req).await else {
                continue;
            };
            if let Some(shop) = self
                .shops
                .iter()
                .find(|s| s.scope.merchant_id == merchant_id)
            {
                after_sales::approve(&self.st, &shop.scope, id, IP).await?;
                self.made.refunds += 1;
            }
        }
        self.deliver_refunds().await
    }

    /// The simulated provider's refund notifications, handled as the serving mall's job would.
    async fn deliver_refunds(&mut self) -> AppResult<()> {
        while let Ok((headers, body)) = self.outbox.try_recv() {
            let name = crate::infra::payments::simulated::NAME;
            payments::handle_notification(&self.st, name, &headers, &body).await?;
        }
        Ok(())
    }

    /// Mondays: every shop confirms its bills and its owner withdraws most of what is
    /// available.
    async fn settle_up(&mut self) -> AppResult<()> {
        for shop in &self.shops {
            let m = shop.scope.merchant_id;
            for b in settlement::bills(&self.st, Some(m), None, 1).await? {
                if b.status == crate::domain::settlement::BillStatus::Pending {
                    settlement::confirm(&self.st, &shop.scope, &shop.owner, b.id, IP).await?;
                }
            }
            let available = settlement::balances(&self.st, m).await?.available;
            if available >= 10_000 {
                let form = WithdrawalForm {
                    amount: crate::domain::money::yuan_text(available * 4 / 5),
                    account_name: shop.owner.display_name.clone(),
                    bank_name: "中国农业银行".into(),
                    account_no: format!("62284800{m:08}"),
                };
                settlement::request_withdrawal(&self.st, &shop.scope, &shop.owner, &form, IP)
                    .await?;
            }
        }
        Ok(())
    }

    /// Tuesdays: finance pays every withdrawal asked for.
    async fn pay_withdrawals(&mut self) -> AppResult<()> {
        let pending =
            settlement::withdrawals(&self.st, None, Some(WithdrawalStatus::Pending), 1).await?;
        for w in pending {
            let transfer = format!("HIS{:010}", w.id);
            settlement::review_withdrawal(&self.st, &self.finance, w.id, true, &transfer, IP)
                .await?;
        }
        Ok(())
    }
}
