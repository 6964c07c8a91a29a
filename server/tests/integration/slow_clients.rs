//! Slow and stalled clients over real TCP: bodies that never arrive, headers sent a byte at a
//! time, and many idle connections must not hold what other shoppers need. While they are open,
//! a probe loads the home page, calls a server function and checks out; each must answer long
//! before the stalled clients are timed out (the speed itself is for `bench/`, not asserted).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use app::infra::db::Backend;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::common::{self, TestApp};

async fn serve(app: &TestApp) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    let per_address = app.st.config.connections_per_address;
    tokio::spawn(server::listen::serve(
        listener,
        router,
        per_address,
        std::future::pending(),
    ));
    addr
}

/// A server-function POST that promises 100 bytes and sends none.
async fn stalled_body(addr: SocketAddr, path: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nOrigin: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n",
        common::HOST,
        common::ORIGIN
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s
}

/// Headers started and never finished.
async fn stalled_headers(addr: SocketAddr) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: jishi.test\r\nX-Slow: ")
        .await
        .unwrap();
    s
}

/// Reads what the server sends until it closes or `limit` passes.
async fn answer_within(s: &mut TcpStream, limit: Duration) -> Option<String> {
    let mut buf = Vec::new();
    match tokio::time::timeout(limit, s.read_to_end(&mut buf)).await {
        Ok(_) => Some(String::from_utf8_lossy(&buf).into_owned()),
        Err(_) => None,
    }
}

async fn timed<F: std::future::Future<Output = reqwest::StatusCode>>(f: F) -> (Duration, u16) {
    let t = Instant::now();
    let status = f.await;
    (t.elapsed(), status.as_u16())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_and_slow_clients_do_not_hold_the_shop() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.seed_demo().await;
    let addr = serve(&app).await;
    let base = format!("http://{addr}");
    let plain = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let sign_in = plain
        .post(format!("{base}/api/auth/sign-in"))
        .header("Origin", format!("http://{addr}"))
        .form(&[
            ("realm", "shopper"),
            ("login", "13800000001"),
            ("password", common::DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(sign_in.status(), 200);
    let cookie = sign_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("; ");
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("cookie", cookie.parse().unwrap());
    headers.insert("origin", base.parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let (sku,): (i64,) = sqlx::query_as(
        "SELECT s.id FROM skus s JOIN products p ON p.id = s.product_id \
         WHERE p.status = 'on_sale' AND s.active = 1 AND s.stock > 100 ORDER BY s.id LIMIT 1",
    )
    .fetch_one(&app.st.db.pool)
    .await
    .unwrap();
    let mut n = 0;
    let probe = |n: usize| {
        let http = http.clone();
        let base = base.clone();
        async move {
            let home =
                timed(async { http.get(format!("{base}/")).send().await.unwrap().status() }).await;
            let server_fn = timed(async {
                http.post(format!("{base}/api/shop/home"))
                    .send()
                    .await
                    .unwrap()
                    .status()
            })
            .await;
            let checkout = timed(async {
                http.post(format!("{base}/api/checkout/submit"))
                    .form(&[
                        ("items", format!("{sku}x1")),
                        ("key", format!("slow-probe-{n:04}")),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
            })
            .await;
            [home, server_fn, checkout]
        }
    };
    let before = probe(n).await;
    for (what, (_, status)) in ["home", "server fn", "checkout"].iter().zip(before) {
        assert_eq!(status, 200, "{what} answers normally");
    }

    // the attack: stalled bodies on server functions, stalled headers, idle connections
    let mut stalled = Vec::new();
    for _ in 0..16 {
        stalled.push(stalled_body(addr, "/api/auth/sign-in").await);
        stalled.push(stalled_body(addr, "/api/checkout/submit").await);
    }
    let mut slow_headers = Vec::new();
    for _ in 0..16 {
        slow_headers.push(stalled_headers(addr).await);
    }
    let mut idle = Vec::new();
    for _ in 0..100 {
        idle.push(TcpStream::connect(addr).await.unwrap());
    }
    let attack_started = Instant::now();

    let mut during = Vec::new();
    for _ in 0..3 {
        n += 1;
        during.push(probe(n).await);
    }
    for (i, what) in ["home", "server fn", "checkout"].iter().enumerate() {
        let normal = before[i].0;
        let worst = during.iter().map(|p| p[i].0).max().unwrap();
        println!("{what}: {normal:?} alone, at worst {worst:?} beside the stalled clients");
        assert!(
            during.iter().all(|p| p[i].1 == 200),
            "{what} answers while stalled clients wait"
        );
        // the stalled clients are timed out after 10–15 s; the probe must not have waited for that
        assert!(
            worst < Duration::from_secs(5),
            "{what} waited {worst:?} behind stalled clients"
        );
    }
    assert!(
        attack_started.elapsed() < server::listen::HEADER_TIMEOUT,
        "probes ran while the attack was live"
    );

    // the stalled clients are answered and let go: 408 for a body, closed for headers
    let mut body = stalled.pop().unwrap();
    let answer = answer_within(&mut body, Duration::from_secs(30))
        .await
        .expect("a stalled body is timed out");
    assert!(answer.starts_with("HTTP/1.1 408"), "stalled body: {answer}");
    let mut head = slow_headers.pop().unwrap();
    assert!(
        answer_within(&mut head, Duration::from_secs(30))
            .await
            .is_some(),
        "stalled headers are cut off"
    );

    // one address cannot take every connection
    let mut many = Vec::new();
    for _ in 0..app.st.config.connections_per_address + 8 {
        many.push(TcpStream::connect(addr).await.unwrap());
    }
    let mut refused = 0;
    for s in many.iter_mut().rev().take(8) {
        if answer_within(s, Duration::from_secs(5)).await.is_some() {
            refused += 1;
        }
    }
    assert!(
        refused > 0,
        "connections over the per-address cap are closed at once"
    );
}
