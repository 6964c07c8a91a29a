//! Checkout load test (see bench/README.md; run by bench/checkout.sh against a running server).
//!
//! Prepares `--buyers` mini-program shoppers (address and bearer token each) in the server's
//! database, then has them all submit checkouts at once for `--seconds`: every trade takes one
//! SKU from each of 2–3 different shops, and one line in ten goes to a few "hot" SKUs so that
//! stock runs out under load. Afterwards it checks, from the database, that every unit that left
//! stock is in an order and no stock went below zero. Then it makes every unpaid trade due at
//! once and keeps the buyers checking out while the server's sweep closes them: the backlog over
//! time shows whether closing keeps up with creating. Writes a Markdown report to `--out`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::domain::address::AddressInput;
use app::infra::clock::wall_ms;
use app::infra::config::Config;
use app::repo::accounts::{insert_shopper, NewShopper};
use app::services::{addresses, mp_auth};
use clap::Parser;
use rand::seq::SliceRandom;
use rand::Rng;
use serde_json::json;

#[derive(Parser)]
struct Args {
    /// the running server, e.g. http://127.0.0.1:3000
    #[arg(long)]
    url: String,
    #[arg(long, default_value_t = 64)]
    buyers: usize,
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// a name for the report (e.g. the database)
    #[arg(long)]
    label: String,
    #[arg(long)]
    out: String,
    /// baskets with discounts: every shop runs a full-reduction and every buyer holds a
    /// hundred copies of each of two platform coupons, which checkout picks from
    #[arg(long)]
    promotions: bool,
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    trades: u64,
    orders: u64,
    sold_out: u64,
    failures: HashMap<String, u64>,
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    // the same configuration (JISHI_* variables) as the server under test
    let st = server::startup::build_state(Config::load(None)?).await?;
    let pool = &st.db.pool;

    // shops and their buyable SKUs
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT s.id, s.merchant_id FROM skus s JOIN products p ON p.id = s.product_id \
         JOIN merchants m ON m.id = s.merchant_id \
         WHERE p.status = 'on_sale' AND s.active = 1 AND m.status = 'active' AND s.stock > 0",
    )
    .fetch_all(pool)
    .await
    .map_err(|e| e.to_string())?;
    let mut by_shop: HashMap<i64, Vec<i64>> = HashMap::new();
    for (sku, shop) in &rows {
        by_shop.entry(*shop).or_default().push(*sku);
    }
    let shops: Vec<(i64, Vec<i64>)> = by_shop.into_iter().collect();
    if shops.len() < 3 {
        return Err("need at least 3 shops: run seed-demo and seed-bench first".into());
    }
    let hot: Vec<(usize, i64)> = shops
        .iter()
        .enumerate()
        .take(8)
        .map(|(i, s)| (i, s.1[0]))
        .collect();
    let stock_before = stocks(&st).await?;

    eprintln!("==> {} buyers", args.buyers);
    let run = rand::thread_rng().gen::<u32>();
    let mut tokens = Vec::new();
    let mut buyer_ids = Vec::new();
    for i in 0..args.buyers {
        let openid = format!("bench-{run}-{i}");
        insert_shopper(
            pool,
            &NewShopper {
                phone_hash: None,
                phone_enc: None,
                phone_masked: None,
                password_hash: None,
                nickname: &format!("压测买家{i}"),
                wx_openid: Some(&openid),
                wx_unionid: None,
                signed_up_at: app::infra::clock::wall_ms(),
            },
        )
        .await
        .map_err(|e| e.to_string())?;
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM shoppers WHERE wx_openid = $1")
            .bind(&openid)
            .fetch_one(pool)
            .await
            .map_err(|e| e.to_string())?;
        let address = AddressInput {
            receiver: format!("买家{i}"),
            phone: "13800138000".into(),
            province: "贵州省".into(),
            city: "贵阳市".into(),
            district: "云岩区".into(),
            detail: format!("中华北路 {i} 号"),
            is_default: true,
        };
        addresses::save(&st, id, None, &address)
            .await
            .map_err(|e| e.to_string())?;
        buyer_ids.push(id);
        tokens.push(
            mp_auth::issue_token(&st, id, "")
                .await
                .map_err(|e| e.to_string())?
                .0,
        );
    }

    if args.promotions {
        eprintln!("==> full-reductions in every shop, platform coupons for every buyer");
        let merchants: Vec<i64> = shops.iter().map(|s| s.0).collect();
        promotions(&st, &merchants, &buyer_ids).await?;
    }

    eprintln!(
        "==> {} s of checkouts by {} buyers at once",
        args.seconds, args.buyers
    );
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.buyers)
        .build()
        .map_err(|e| e.to_string())?;
    let load = Load {
        http,
        url: args.url.clone(),
        tokens,
        shops: Arc::new(shops),
        hot: Arc::new(hot),
        run,
    };
    let (total, elapsed) = load.run("a", args.seconds).await?;

    // every unit that left stock is in an order, and no stock is negative
    let stock_after = stocks(&st).await?;
    let sold: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT i.sku_id, CAST(SUM(i.qty) AS BIGINT) FROM order_items i \
         JOIN orders o ON o.id = i.order_id JOIN shoppers s ON s.id = o.shopper_id \
         WHERE s.wx_openid LIKE $1 GROUP BY i.sku_id",
    )
    .bind(format!("bench-{run}-%"))
    .fetch_all(pool)
    .await
    .map_err(|e| e.to_string())?;
    let sold: HashMap<i64, i64> = sold.into_iter().collect();
    let mut oversold = 0i64;
    let mut mismatched = 0usize;
    for (sku, before) in &stock_before {
        let after = stock_after.get(sku).copied().unwrap_or(*before);
        oversold += (-after).max(0);
        if before - after != sold.get(sku).copied().unwrap_or(0) {
            mismatched += 1;
        }
    }
    let sold_out_skus = stock_after.values().filter(|s| **s == 0).count();

    // how many orders of the run carried each kind of discount
    let discounted: Vec<(String, i64)> = sqlx::query_as(
        "SELECT d.source, CAST(COUNT(DISTINCT d.order_id) AS BIGINT) FROM order_item_discounts d \
         JOIN orders o ON o.id = d.order_id JOIN shoppers s ON s.id = o.shopper_id \
         WHERE s.wx_openid LIKE $1 GROUP BY d.source ORDER BY d.source",
    )
    .bind(format!("bench-{run}-%"))
    .fetch_all(pool)
    .await
    .map_err(|e| e.to_string())?;

    let mut lat = total.latencies_us.clone();
    lat.sort_unstable();
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .map_or(0.0, |us| *us as f64 / 1000.0)
    };
    let failures: u64 = total.failures.values().sum();
    let mut report = String::new();
    report.push_str(&format!(
        "# Checkout load test: {}\n\n\
         {} buyers submitting at once for {:.0} s through `POST /api/mp/v1/checkout/submit` on \
         loopback (release build); each trade has one SKU from each of 2–3 shops, one line in ten \
         on a few hot SKUs so that stock runs out. Machine: {} cores; the load generator shares \
         them with the server.\n\n\
         | measure | value |\n|---|---:|\n\
         | trades created | {} |\n| orders created (one per shop) | {} |\n\
         | trades/s | {:.0} |\n| orders/s | {:.0} |\n\
         | p50 ms | {:.1} |\n| p99 ms | {:.1} |\n| max ms | {:.1} |\n\
         | clean \"sold out\" answers (409) | {} |\n| other failures | {} |\n\
         | SKUs sold out during the run | {} |\n| oversold units | {} |\n\
         | SKUs whose stock change differs from what orders hold | {} |\n",
        args.label,
        args.buyers,
        elapsed,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        total.trades,
        total.orders,
        total.trades as f64 / elapsed,
        total.orders as f64 / elapsed,
        pct(0.50),
        pct(0.99),
        pct(1.0),
        total.sold_out,
        failures,
        sold_out_skus,
        oversold,
        mismatched,
    ));
    for (source, orders) in &discounted {
        report.push_str(&format!(
            "| orders with a `{source}` discount | {orders} |\n"
        ));
    }
    for (what, n) in &total.failures {
        report.push_str(&format!("\nfailure ×{n}: {what}\n"));
    }

    // The unpaid-trade sweep under the same load: every trade of the first phase falls due at
    // once (as if their pay time had run out together), and the buyers go on checking out.
    eprintln!(
        "==> {} s more checkouts while the sweep closes the first ones",
        args.seconds
    );
    let backlog_start = sqlx::query("UPDATE trades SET pay_deadline = $1 WHERE status = 'unpaid'")
        .bind(wall_ms())
        .execute(pool)
        .await
        .map_err(|e| e.to_string())?
        .rows_affected() as i64;
    let sampling_started = Instant::now();
    let sampler = {
        let pool = pool.clone();
        tokio::spawn(async move {
            let mut samples = Vec::new();
            loop {
                let left = due_backlog(&pool).await?;
                samples.push((sampling_started.elapsed().as_secs_f64(), left));
                if left == 0 || sampling_started.elapsed() > DRAIN_LIMIT {
                    return Ok::<_, String>(samples);
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        })
    };
    let (second, second_elapsed) = load.run("b", args.seconds).await?;
    let samples = sampler.await.map_err(|e| e.to_string())??;
    let (drain_secs, left) = *samples.last().expect("one sample at least");
    let closed = backlog_start - left;
    let close_rate = closed as f64 / drain_secs.max(1.0);
    let create_rate = second.trades as f64 / second_elapsed;

    // every closed trade gave its stock back: what left stock is what open orders hold
    let stock_end = stocks(&st).await?;
    let held: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT i.sku_id, CAST(SUM(i.qty) AS BIGINT) FROM order_items i \
         JOIN orders o ON o.id = i.order_id JOIN shoppers s ON s.id = o.shopper_id \
         WHERE s.wx_openid LIKE $1 AND o.status <> 'cancelled' GROUP BY i.sku_id",
    )
    .bind(format!("bench-{run}-%"))
    .fetch_all(pool)
    .await
    .map_err(|e| e.to_string())?;
    let held: HashMap<i64, i64> = held.into_iter().collect();
    let unreturned = stock_before
        .iter()
        .filter(|(sku, before)| {
            let end = stock_end.get(sku).copied().unwrap_or(**before);
            **before - end != held.get(sku).copied().unwrap_or(0)
        })
        .count();
    report.push_str(&format!(
        "\n## Unpaid trades closing under load\n\n\
         Every unpaid trade of the run above is made due at once; the buyers then check out for \
         another {:.0} s while the server's own timer sweep (every `orders.sweep_secs`, batches of \
         500 trades per transaction) closes them and returns their stock.\n\n\
         | measure | value |\n|---|---:|\n\
         | trades due at once | {backlog_start} |\n\
         | trades created meanwhile | {} |\n\
         | trades created per s (same load) | {create_rate:.0} |\n\
         | trades closed | {closed} |\n\
         | backlog left | {left} |\n\
         | s until the backlog was empty | {drain_secs:.0} |\n\
         | trades closed per s | {close_rate:.0} |\n\
         | closed per s ÷ created per s | {:.2} |\n\
         | SKUs whose stock differs from what open orders hold | {unreturned} |\n\n\
         Backlog (due, still unpaid) over time: {}\n",
        second_elapsed,
        second.trades,
        close_rate / create_rate.max(1.0),
        samples
            .iter()
            .step_by(5)
            .map(|(t, n)| format!("{t:.0} s: {n}"))
            .collect::<Vec<_>>()
            .join(", "),
    ));
    std::fs::write(&args.out, &report).map_err(|e| e.to_string())?;
    println!("{report}");
    if oversold > 0 || mismatched > 0 || unreturned > 0 {
        return Err("stock and orders disagree".into());
    }
    if left > 0 {
        return Err(format!(
            "{left} due trades still unpaid after {drain_secs:.0} s"
        ));
    }
    if failures > 0 || total.trades == 0 {
        return Err(format!(
            "{failures} checkouts failed, {} succeeded",
            total.trades
        ));
    }
    Ok(())
}

/// Discounts in every basket: a two-tier full-reduction in each shop without one (made through
/// the merchant's service, as 营销中心 does) and, for each buyer, a hundred copies of each of two
/// platform coupons (a 满减 and a capped 折扣, through the claim's own guarded updates), so the
/// pipeline has a full-reduction on every order and a platform coupon to choose on every trade.
async fn promotions(
    st: &app::state::AppState,
    merchants: &[i64],
    buyers: &[i64],
) -> Result<(), String> {
    use app::domain::account::{AdminRole, StaffRole};
    use app::domain::coupon::{
        CouponKind, CouponRule, CouponScope, Distribution, TemplateInput, Validity,
    };
    use app::domain::full_reduction::{Basis, Benefit, FullReductionInput, Tier};
    use app::services::admins::AdminScope;
    use app::services::coupons::{self, Issuer};
    use app::services::merchants::MerchantScope;
    let e = |e: app::error::AppError| e.to_string();
    let now = wall_ms();
    let year = 365 * 86_400_000;
    for &merchant_id in merchants {
        let scope = MerchantScope {
            merchant_id,
            staff_id: 0,
            role: StaffRole::Owner,
            shop_active: true,
        };
        let input = FullReductionInput {
            title: "压测满减".into(),
            basis: Basis::Amount,
            benefit: Benefit::AmountOff,
            tiers: vec![
                Tier {
                    threshold: 5_000,
                    off: 300,
                    free_shipping: false,
                },
                Tier {
                    threshold: 10_000,
                    off: 800,
                    free_shipping: true,
                },
            ],
            repeat: false,
            repeat_cap: 0,
            product_ids: vec![],
            starts_at: now - 60_000,
            ends_at: now + year,
        };
        // a demo shop already runs one over the whole shop: refused as overlapping, kept
        let _ = app::services::full_reductions::create(st, &scope, &input, "127.0.0.1").await;
    }
    let operator = AdminScope {
        admin_id: 0,
        role: AdminRole::Operator,
        display_name: "压测".into(),
    };
    let template = |name: &str, rule: CouponRule| TemplateInput {
        name: name.into(),
        rule,
        scope: CouponScope::default(),
        validity: Validity::Days {
            days: 30,
            next_day: false,
        },
        claim_from: now - 60_000,
        claim_until: now + year,
        total_qty: 1_000_000,
        per_user_limit: 100,
        per_user_daily_limit: 0,
        distribution: Distribution::Claim,
        shop_share_bps: 0,
    };
    let rules = [
        (
            "压测满减券",
            CouponRule {
                kind: CouponKind::AmountOff,
                threshold: 3_000,
                amount_off: 200,
                off_bps: 0,
                cap: 0,
            },
        ),
        (
            "压测折扣券",
            CouponRule {
                kind: CouponKind::Percent,
                threshold: 0,
                amount_off: 0,
                off_bps: 500,
                cap: 500,
            },
        ),
    ];
    for (name, rule) in rules {
        let id = coupons::create(
            st,
            Issuer::Platform(&operator),
            &template(name, rule),
            "127.0.0.1",
        )
        .await
        .map_err(e)?;
        let mut conn = st.db.pool.acquire().await.map_err(|x| x.to_string())?;
        let t = app::repo::coupons::template(&mut conn, id)
            .await
            .map_err(e)?
            .ok_or("template vanished")?;
        drop(conn);
        let mut tx = st.db.begin_write().await.map_err(|x| x.to_string())?;
        for &buyer in buyers {
            for _ in 0..100 {
                app::repo::coupons::claim(
                    &mut tx,
                    &t,
                    buyer,
                    now,
                    app::domain::time::china_day(now),
                )
                .await
                .map_err(e)?
                .map_err(|why| format!("claim refused: {why:?}"))?;
            }
        }
        tx.commit().await.map_err(|x| x.to_string())?;
    }
    Ok(())
}

/// The buyers and what they buy; `run` has them all check out at once for a while.
struct Load {
    http: reqwest::Client,
    url: String,
    tokens: Vec<String>,
    shops: Arc<Vec<(i64, Vec<i64>)>>,
    hot: Arc<Vec<(usize, i64)>>,
    run: u32,
}

impl Load {
    /// Every buyer submits checkouts until `seconds` pass; `phase` keeps idempotency keys apart.
    async fn run(&self, phase: &str, seconds: u64) -> Result<(Tally, f64), String> {
        let run = self.run;
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let mut workers = Vec::new();
        for (w, token) in self.tokens.iter().cloned().enumerate() {
            let (http, shops, hot, url) = (
                self.http.clone(),
                self.shops.clone(),
                self.hot.clone(),
                self.url.clone(),
            );
            let phase = phase.to_string();
            workers.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            let mut n = 0u64;
            while Instant::now() < deadline {
                let (lines, shop_count) = {
                    let mut rng = rand::thread_rng();
                    let count = rng.gen_range(2..=3);
                    let picked: Vec<usize> =
                        rand::seq::index::sample(&mut rng, shops.len(), count).into_vec();
                    let lines: Vec<_> = picked
                        .iter()
                        .map(|&i| {
                            let sku = match hot.iter().find(|h| h.0 == i) {
                                Some(h) if rng.gen_ratio(1, 10) => h.1,
                                _ => *shops[i].1.choose(&mut rng).expect("a shop has SKUs"),
                            };
                            json!({"sku_id": sku, "qty": rng.gen_range(1..=2)})
                        })
                        .collect();
                    (lines, count as u64)
                };
                n += 1;
                let body =
                    json!({"lines": lines, "idempotency_key": format!("bench-{run}-{phase}-{w}-{n}")});
                let t = Instant::now();
                let reply = http
                    .post(format!("{url}/api/mp/v1/checkout/submit"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await;
                let (status, text) = match reply {
                    Ok(r) => (r.status().as_u16(), r.text().await.unwrap_or_default()),
                    Err(e) => (0, e.to_string()),
                };
                tally.latencies_us.push(t.elapsed().as_micros() as u64);
                match status {
                    200 => {
                        tally.trades += 1;
                        tally.orders += shop_count;
                    }
                    409 if text.contains("库存不足") || text.contains("售罄") => {
                        tally.sold_out += 1
                    }
                    _ => {
                        let what =
                            format!("{status} {}", text.chars().take(120).collect::<String>());
                        *tally.failures.entry(what).or_default() += 1;
                    }
                }
            }
            tally
        }));
        }
        let mut total = Tally::default();
        for w in workers {
            let t = w.await.map_err(|e| e.to_string())?;
            total.latencies_us.extend(t.latencies_us);
            total.trades += t.trades;
            total.orders += t.orders;
            total.sold_out += t.sold_out;
            for (k, v) in t.failures {
                *total.failures.entry(k).or_default() += v;
            }
        }
        let elapsed = started.elapsed().as_secs_f64();
        Ok((total, elapsed))
    }
}

/// How long the sweep may take to empty the backlog before the run counts as failed.
const DRAIN_LIMIT: Duration = Duration::from_secs(300);

/// Unpaid trades whose pay time has run out.
async fn due_backlog(pool: &sqlx::AnyPool) -> Result<i64, String> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM trades WHERE status = 'unpaid' AND pay_deadline <= $1",
    )
    .bind(wall_ms())
    .fetch_one(pool)
    .await
    .map_err(|e| e.to_string())?;
    Ok(n)
}

async fn stocks(st: &app::state::AppState) -> Result<HashMap<i64, i64>, String> {
    let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT id, stock FROM skus")
        .fetch_all(&st.db.pool)
        .await
        .map_err(|e| e.to_string())?;
    Ok(rows.into_iter().collect())
}
