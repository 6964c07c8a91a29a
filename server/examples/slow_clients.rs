//! Slow-client load run (see bench/README.md; run by bench/slow_clients.sh against a running
//! server with the demo data).
//!
//! A probe (a signed-in shopper) loads the home page, calls a server function and checks out,
//! `--probes` times on its own and then `--probes` times while attackers on the same address keep
//! the server busy for the whole window: request bodies promised and never sent, headers sent a
//! byte at a time, and idle connections; each attacker opens a new connection as soon as the
//! server lets its last one go. Writes the probe's percentiles alone and under attack, and how the
//! server let the attackers go, as Markdown to `--out`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[derive(Parser)]
struct Args {
    /// the running server, e.g. http://127.0.0.1:3000
    #[arg(long)]
    url: String,
    /// probes per phase (each is one home page, one server function and one checkout)
    #[arg(long, default_value_t = 40)]
    probes: usize,
    #[arg(long)]
    out: String,
}

const STALLED_BODIES: usize = 32;
const SLOW_HEADERS: usize = 16;
const IDLE: usize = 100;

/// How each kind of attacker was let go: connections made, and how many the server ended.
#[derive(Default)]
struct Attack {
    opened: AtomicU64,
    ended_by_server: AtomicU64,
    answered_408: AtomicU64,
    held_ms_max: AtomicU64,
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    let base = args.url.trim_end_matches('/').to_string();
    let addr = base.trim_start_matches("http://").to_string();
    let http = signed_in(&base).await?;
    let sku = sku_with_stock(&http, &base, 2 * args.probes as i64).await?;

    eprintln!("==> {} probes alone", args.probes);
    let alone = probes(&http, &base, sku, "a", args.probes).await?;

    eprintln!("==> {} probes beside the attackers", args.probes);
    let stopped = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let kinds = [
        ("stalled body", STALLED_BODIES, Arc::new(Attack::default())),
        (
            "headers a byte at a time",
            SLOW_HEADERS,
            Arc::new(Attack::default()),
        ),
        ("idle connection", IDLE, Arc::new(Attack::default())),
    ];
    let mut attackers = Vec::new();
    for (kind, count, tally) in &kinds {
        for i in 0..*count {
            let (addr, tally, stopped, kind) =
                (addr.clone(), tally.clone(), stopped.clone(), *kind);
            attackers.push(tokio::spawn(async move {
                while !stopped.load(Ordering::Relaxed) {
                    attack_once(&addr, kind, i, &tally).await;
                }
            }));
        }
    }
    // let the attackers take their places before the probe starts
    tokio::time::sleep(Duration::from_secs(1)).await;
    let attack_started = Instant::now();
    let beside = probes(&http, &base, sku, "b", args.probes).await?;
    let probe_secs = attack_started.elapsed().as_secs_f64();
    // keep the attack up long enough to see the server time the stalled ones out
    tokio::time::sleep(Duration::from_secs(16).saturating_sub(attack_started.elapsed())).await;
    stopped.store(true, Ordering::Relaxed);
    for a in attackers {
        a.abort();
    }

    let mut report = format!(
        "# Slow and stalled clients\n\n\
         A signed-in shopper's probe (home page, one server function, one checkout) runs {} times \
         alone, then {} times while {} connections from the same address stall the server: {} \
         request bodies promised and never sent (server functions `/api/auth/sign-in` and \
         `/api/checkout/submit`), {} requests whose headers come a byte every 500 ms, and {} idle \
         connections; every attacker reconnects as soon as it is let go. Release build, SQLite, \
         demo data, loopback; the attackers and the probe share the server's {} cores.\n\n\
         | probe | alone p50 ms | alone p95 ms | alone max ms | attacked p50 ms | attacked p95 ms \
         | attacked max ms | attacked p50 ÷ alone p50 |\n|---|---:|---:|---:|---:|---:|---:|---:|\n",
        args.probes,
        args.probes,
        STALLED_BODIES + SLOW_HEADERS + IDLE,
        STALLED_BODIES,
        SLOW_HEADERS,
        IDLE,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
    let mut failures = 0;
    for (i, what) in [
        "home page `GET /`",
        "server function `POST /api/shop/home`",
        "checkout `POST /api/checkout/submit`",
    ]
    .iter()
    .enumerate()
    {
        let a = Percentiles::of(alone.iter().map(|p| p[i].0));
        let b = Percentiles::of(beside.iter().map(|p| p[i].0));
        failures += alone
            .iter()
            .chain(&beside)
            .filter(|p| p[i].1 != 200)
            .count();
        report.push_str(&format!(
            "| {what} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} |\n",
            a.p50,
            a.p95,
            a.max,
            b.p50,
            b.p95,
            b.max,
            b.p50 / a.p50.max(0.001)
        ));
    }
    report.push_str(&format!(
        "\nThe attacked probes took {probe_secs:.1} s in all. How the server let the attackers go \
         (over the whole window):\n\n\
         | attacker | connections | ended by the server | answered 408 | longest held s |\n\
         |---|---:|---:|---:|---:|\n"
    ));
    for (kind, _, t) in &kinds {
        report.push_str(&format!(
            "| {kind} | {} | {} | {} | {:.1} |\n",
            t.opened.load(Ordering::Relaxed),
            t.ended_by_server.load(Ordering::Relaxed),
            t.answered_408.load(Ordering::Relaxed),
            t.held_ms_max.load(Ordering::Relaxed) as f64 / 1000.0
        ));
    }
    report.push_str(&format!("\nProbe answers other than 200: {failures}\n"));
    std::fs::write(&args.out, &report).map_err(|e| e.to_string())?;
    println!("{report}");
    if failures > 0 {
        return Err(format!("{failures} probe answers were not 200"));
    }
    Ok(())
}

/// One attacking connection, held until the server ends it (or the run stops the task).
async fn attack_once(addr: &str, kind: &str, i: usize, tally: &Attack) {
    let Ok(mut s) = TcpStream::connect(addr).await else {
        tokio::time::sleep(Duration::from_millis(200)).await;
        return;
    };
    tally.opened.fetch_add(1, Ordering::Relaxed);
    let opened = Instant::now();
    let path = if i.is_multiple_of(2) {
        "/api/auth/sign-in"
    } else {
        "/api/checkout/submit"
    };
    let mut buf = Vec::new();
    // every arm returns once the server ends the connection (the run aborts the rest)
    match kind {
        "stalled body" => {
            let head = format!(
                "POST {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n\
                 Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n"
            );
            let _ = s.write_all(head.as_bytes()).await;
            let _ = s.read_to_end(&mut buf).await;
        }
        "headers a byte at a time" => {
            let head = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Slow: ");
            let _ = s.write_all(head.as_bytes()).await;
            let mut answer = [0u8; 512];
            loop {
                tokio::select! {
                    _ = s.read(&mut answer) => break,
                    _ = tokio::time::sleep(Duration::from_millis(500)) => {
                        if s.write_all(b"a").await.is_err() {
                            break;
                        }
                    }
                }
            }
        }
        _ => {
            let _ = s.read_to_end(&mut buf).await;
        }
    }
    tally.ended_by_server.fetch_add(1, Ordering::Relaxed);
    if buf.starts_with(b"HTTP/1.1 408") {
        tally.answered_408.fetch_add(1, Ordering::Relaxed);
    }
    tally
        .held_ms_max
        .fetch_max(opened.elapsed().as_millis() as u64, Ordering::Relaxed);
}

/// A SKU of the shop front with at least `units` in stock, found as a shopper would.
async fn sku_with_stock(http: &reqwest::Client, base: &str, units: i64) -> Result<i64, String> {
    let page: serde_json::Value = http
        .get(format!("{base}/api/mp/v1/products"))
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    page["data"]["items"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["skus"].as_array().cloned().unwrap_or_default())
        .find(|s| s["stock"].as_i64().unwrap_or(0) >= units)
        .and_then(|s| s["id"].as_i64())
        .ok_or_else(|| format!("no SKU with {units} in stock: seed the demo data first"))
}

/// A client signed in as the first demo shopper, sending the page's origin on every call.
async fn signed_in(base: &str) -> Result<reqwest::Client, String> {
    let plain = reqwest::Client::new();
    let r = plain
        .post(format!("{base}/api/auth/sign-in"))
        .header("Origin", base)
        .form(&[
            ("realm", "shopper"),
            ("login", "13800000001"),
            ("password", "jishi2026"),
        ])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if r.status() != 200 {
        return Err(format!("demo sign-in failed: {}", r.status()));
    }
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_string))
        .collect::<Vec<_>>()
        .join("; ");
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("cookie", cookie.parse().map_err(|_| "cookie")?);
    headers.insert("origin", base.parse().map_err(|_| "origin")?);
    reqwest::Client::builder()
        .default_headers(headers)
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| e.to_string())
}

type Probe = [(f64, u16); 3];

/// `count` probes one after another; each is (ms, status) for home, server function, checkout.
async fn probes(
    http: &reqwest::Client,
    base: &str,
    sku: i64,
    phase: &str,
    count: usize,
) -> Result<Vec<Probe>, String> {
    let mut out = Vec::new();
    for n in 0..count {
        let home = timed(http.get(format!("{base}/"))).await?;
        let server_fn = timed(http.post(format!("{base}/api/shop/home"))).await?;
        let key = format!("slow-{}-{phase}-{n}", std::process::id());
        let checkout = timed(
            http.post(format!("{base}/api/checkout/submit"))
                .form(&[("items", format!("{sku}x1")), ("key", key)]),
        )
        .await?;
        out.push([home, server_fn, checkout]);
    }
    Ok(out)
}

async fn timed(request: reqwest::RequestBuilder) -> Result<(f64, u16), String> {
    let t = Instant::now();
    let r = request.send().await.map_err(|e| e.to_string())?;
    let status = r.status().as_u16();
    r.bytes().await.map_err(|e| e.to_string())?;
    Ok((t.elapsed().as_secs_f64() * 1000.0, status))
}

struct Percentiles {
    p50: f64,
    p95: f64,
    max: f64,
}

impl Percentiles {
    fn of(ms: impl Iterator<Item = f64>) -> Self {
        let mut v: Vec<f64> = ms.collect();
        v.sort_by(f64::total_cmp);
        let at = |p: f64| {
            v.get(((v.len() as f64 * p).ceil() as usize).saturating_sub(1))
                .copied()
                .unwrap_or(0.0)
        };
        Self {
            p50: at(0.5),
            p95: at(0.95),
            max: at(1.0),
        }
    }
}
