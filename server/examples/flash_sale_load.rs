//! 秒杀 load test (run by bench/flash_sale.sh against a running server; see bench/README.md).
//!
//! Puts one SKU into a running flash-sale slot with `--stock` units of activity stock, prepares
//! `--buyers` distinct mini-program shoppers (address and bearer token each), then has every
//! buyer ask once for one unit (`POST /api/mp/v1/checkout/submit` with `flash_sale_item_id`),
//! `--connections` at a time. Beside it, in the same run, the same client asks `GET /healthz`
//! as many times at the same concurrency: the baseline. Afterwards it checks from the database
//! that exactly `--stock` orders hold the item, its activity stock and the SKU's stock moved by
//! exactly that, and no answer was a 5xx. Writes a Markdown report to `--out`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::domain::address::AddressInput;
use app::domain::flash_sale::{EventInput, ItemAction, ItemInput, ItemStatus, Slot};
use app::domain::state_machine::Actor;
use app::domain::time::{china_day, day_start, ChinaTime};
use app::infra::clock::wall_ms;
use app::infra::config::Config;
use app::repo::accounts::{insert_shopper, NewShopper};
use app::repo::flash_sales as repo;
use app::services::{addresses, mp_auth};
use clap::Parser;
use rand::Rng;
use serde_json::json;
use tokio::sync::Semaphore;

#[derive(Parser)]
struct Args {
    /// the running server, e.g. http://127.0.0.1:3000
    #[arg(long)]
    url: String,
    #[arg(long, default_value_t = 10_000)]
    buyers: usize,
    /// requests in flight at once
    #[arg(long, default_value_t = 500)]
    connections: usize,
    /// the item's activity stock
    #[arg(long, default_value_t = 100)]
    stock: i64,
    /// a name for the report (e.g. the database)
    #[arg(long)]
    label: String,
    #[arg(long)]
    out: String,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    // the same configuration (JISHI_* variables) as the server under test
    let st = server::startup::build_state(Config::load(None)?).await?;
    let pool = &st.db.pool;
    let now = wall_ms();

    // a SKU in no flash sale yet, with stock to spare beyond the activity's
    let (merchant_id, product_id, sku_id, price): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT s.merchant_id, s.product_id, s.id, s.price FROM skus s \
         JOIN products p ON p.id = s.product_id JOIN merchants m ON m.id = s.merchant_id \
         WHERE p.status = 'on_sale' AND s.active = 1 AND m.status = 'active' AND s.price >= 1000 \
         AND s.id NOT IN (SELECT sku_id FROM flash_sale_items) ORDER BY s.id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .map_err(err)?;
    sqlx::query("UPDATE skus SET stock = $1 WHERE id = $2")
        .bind(args.stock * 10 + 1_000)
        .bind(sku_id)
        .execute(pool)
        .await
        .map_err(err)?;
    // one slot from the top of this hour, a day long: it runs through the whole test
    let today = china_day(now);
    let hour = ChinaTime::of_ms(now).hour;
    let event = EventInput {
        title: "压测秒杀".into(),
        first_day: today,
        last_day: today,
        slot_hours: vec![hour],
        slot_minutes: 24 * 60,
        apply_until: now,
        allow_platform_coupon: false,
    };
    let starts_at = day_start(today) + hour * 3_600_000;
    let slot = Slot {
        starts_at,
        ends_at: starts_at + 24 * 3_600_000,
    };
    let input = ItemInput {
        price: price / 2,
        quantity: args.stock,
        per_user_limit: 1,
        per_order_limit: 1,
    };
    let mut tx = st.db.begin_write().await.map_err(err)?;
    let event_id = repo::insert_event(&mut tx, &event, now)
        .await
        .map_err(err)?;
    let item = repo::NewItem {
        event_id,
        merchant_id,
        product_id,
        sku_id,
        slot,
        input: &input,
        now,
    };
    let item_id = repo::insert_item(&mut tx, &item)
        .await
        .map_err(err)?
        .ok_or("the SKU is in another flash sale")?;
    let approved = ItemStatus::Approved;
    repo::move_item(
        &mut tx,
        item_id,
        ItemAction::Approve,
        Actor::Platform,
        approved,
        "",
        now,
    )
    .await
    .map_err(err)?;
    tx.commit().await.map_err(err)?;
    let stock_before = sku_stock(&st, sku_id).await?;

    eprintln!("==> {} buyers", args.buyers);
    let run = rand::thread_rng().gen::<u32>();
    let mut tokens = Vec::with_capacity(args.buyers);
    for i in 0..args.buyers {
        let openid = format!("flash-{run}-{i}");
        insert_shopper(
            pool,
            &NewShopper {
                phone_hash: None,
                phone_enc: None,
                phone_masked: None,
                password_hash: None,
                nickname: &format!("秒杀买家{i}"),
                wx_openid: Some(&openid),
                wx_unionid: None,
                signed_up_at: now,
            },
        )
        .await
        .map_err(err)?;
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM shoppers WHERE wx_openid = $1")
            .bind(&openid)
            .fetch_one(pool)
            .await
            .map_err(err)?;
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
            .map_err(err)?;
        tokens.push(mp_auth::issue_token(&st, id, "").await.map_err(err)?.0);
    }

    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.connections)
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(err)?;
    let gate = Arc::new(Semaphore::new(args.connections));

    eprintln!(
        "==> baseline: {} × GET /healthz, {} at a time",
        args.buyers, args.connections
    );
    let mut tasks = Vec::with_capacity(args.buyers);
    let started = Instant::now();
    for _ in 0..args.buyers {
        let (http, gate, url) = (http.clone(), gate.clone(), args.url.clone());
        tasks.push(tokio::spawn(async move {
            let _turn = gate.acquire_owned().await.expect("gate open");
            let t = Instant::now();
            let status = http
                .get(format!("{url}/healthz"))
                .send()
                .await
                .map_or(0, |r| r.status().as_u16());
            (status, t.elapsed())
        }));
    }
    let mut baseline = Vec::new();
    for t in tasks {
        baseline.push(t.await.map_err(err)?);
    }
    let baseline_secs = started.elapsed().as_secs_f64();

    eprintln!(
        "==> {} buyers ask once each for {} units, {} at a time",
        args.buyers, args.stock, args.connections
    );
    let mut tasks = Vec::with_capacity(args.buyers);
    let started = Instant::now();
    for (i, token) in tokens.into_iter().enumerate() {
        let (http, gate, url) = (http.clone(), gate.clone(), args.url.clone());
        let body = json!({
            "lines": [{"sku_id": sku_id, "qty": 1}],
            "flash_sale_item_id": item_id,
            "idempotency_key": format!("flash-{run}-{i:06}"),
        });
        tasks.push(tokio::spawn(async move {
            let _turn = gate.acquire_owned().await.expect("gate open");
            let t = Instant::now();
            let reply = http
                .post(format!("{url}/api/mp/v1/checkout/submit"))
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await;
            let status = match reply {
                Ok(r) => {
                    let status = r.status().as_u16();
                    let text = r.text().await.unwrap_or_default();
                    (status, text)
                }
                Err(e) => (0, e.to_string()),
            };
            (status, t.elapsed())
        }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.map_err(err)?);
    }
    let load_secs = started.elapsed().as_secs_f64();

    // what the database holds afterwards
    let orders = count(
        &st,
        &format!("SELECT COUNT(*) FROM order_items WHERE flash_sale_item_id = {item_id}"),
    )
    .await?;
    let sold = count(
        &st,
        &format!("SELECT sold FROM flash_sale_items WHERE id = {item_id}"),
    )
    .await?;
    let stock_after = sku_stock(&st, sku_id).await?;

    let won = answers.iter().filter(|a| a.0 .0 == 200).count();
    let sold_out = answers
        .iter()
        .filter(|a| a.0 .0 == 409 && a.0 .1.contains("已抢光"))
        .count();
    let server_errors = answers
        .iter()
        .filter(|a| a.0 .0 >= 500 || a.0 .0 == 0)
        .count();
    let others = answers.len() - won - sold_out - server_errors;
    let ms = |mut v: Vec<Duration>, p: f64| -> f64 {
        v.sort_unstable();
        v.get(((v.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let all: Vec<Duration> = answers.iter().map(|a| a.1).collect();
    let of = |code: u16| -> Vec<Duration> {
        answers
            .iter()
            .filter(|a| a.0 .0 == code)
            .map(|a| a.1)
            .collect()
    };
    let base: Vec<Duration> = baseline.iter().map(|b| b.1).collect();
    let base_bad = baseline.iter().filter(|b| b.0 != 200).count();
    let (p99_all, p99_base) = (ms(all.clone(), 0.99), ms(base.clone(), 0.99));
    let mut report = format!(
        "# 秒杀 load test: {label}\n\n\
         {buyers} distinct buyers (mini-program bearer tokens) each ask once for one unit of one \
         SKU in a running flash-sale slot with {stock} units of activity stock, {conns} requests \
         in flight at once, through `POST /api/mp/v1/checkout/submit` on loopback (release \
         build). Baseline in the same run: as many `GET /healthz` at the same concurrency. \
         Machine: {cores} cores; the load generator shares them with the server. Run: {when}.\n\n\
         | measure | value |\n|---|---:|\n\
         | orders placed (200) | {won} |\n\
         | clean \"已抢光\" answers (409) | {sold_out} |\n\
         | other 4xx | {others} |\n\
         | 5xx or no answer | {server_errors} |\n\
         | orders holding the item (database) | {orders} |\n\
         | activity stock sold (database) | {sold} |\n\
         | SKU stock taken (database) | {taken} |\n\
         | answers per s | {rate:.0} |\n\
         | p50 ms, every answer | {p50:.1} |\n\
         | p99 ms, every answer | {p99_all:.1} |\n\
         | p99 ms, orders placed | {p99_won:.1} |\n\
         | p99 ms, sold out | {p99_out:.1} |\n\
         | max ms | {max:.1} |\n\
         | baseline `GET /healthz`: p50 / p99 ms (non-200) | {b50:.1} / {p99_base:.1} ({base_bad}) |\n\
         | baseline answers per s | {brate:.0} |\n\
         | p99 every answer ÷ baseline p99 | {ratio:.1} |\n",
        label = args.label,
        buyers = args.buyers,
        stock = args.stock,
        conns = args.connections,
        cores = std::thread::available_parallelism().map_or(0, |n| n.get()),
        when = ChinaTime::of_ms(wall_ms()).rfc3339(),
        taken = stock_before - stock_after,
        rate = answers.len() as f64 / load_secs,
        p50 = ms(all.clone(), 0.50),
        p99_won = ms(of(200), 0.99),
        p99_out = ms(of(409), 0.99),
        max = ms(all, 1.0),
        b50 = ms(base, 0.50),
        brate = baseline.len() as f64 / baseline_secs,
        ratio = p99_all / p99_base.max(0.001),
    );
    let mut other_texts: Vec<&str> = answers
        .iter()
        .filter(|a| a.0 .0 != 200 && !(a.0 .0 == 409 && a.0 .1.contains("已抢光")))
        .map(|a| a.0 .1.as_str())
        .collect();
    other_texts.sort_unstable();
    other_texts.dedup();
    for t in other_texts.iter().take(5) {
        report.push_str(&format!("\nother answer: {t}\n"));
    }
    std::fs::write(&args.out, &report).map_err(err)?;
    println!("{report}");
    let stock = args.stock as usize;
    if won != stock || orders != args.stock || sold != args.stock {
        return Err(format!(
            "expected {stock} orders: {won} answered, {orders} in the database, {sold} sold"
        ));
    }
    if stock_before - stock_after != args.stock || server_errors > 0 {
        return Err("stock moved wrongly or the server failed".into());
    }
    Ok(())
}

async fn count(st: &app::state::AppState, sql: &str) -> Result<i64, String> {
    let (n,): (i64,) = sqlx::query_as(sql)
        .fetch_one(&st.db.pool)
        .await
        .map_err(err)?;
    Ok(n)
}

async fn sku_stock(st: &app::state::AppState, sku: i64) -> Result<i64, String> {
    let (n,): (i64,) = sqlx::query_as("SELECT stock FROM skus WHERE id = $1")
        .bind(sku)
        .fetch_one(&st.db.pool)
        .await
        .map_err(err)?;
    Ok(n)
}
