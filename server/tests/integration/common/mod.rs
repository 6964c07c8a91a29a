//! Test harness: a fresh database per test (SQLite file or a new PostgreSQL database), the real
//! router, a fake WeChat API on a local port, and a cookie-keeping client.
//!
//! `backend_tests!` runs each test body once on SQLite and once on PostgreSQL. PostgreSQL is
//! required: `JISHI_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432/test`) must answer.

#![allow(dead_code)]

pub mod buying;
pub mod fake_wechat;
pub mod fake_wechat_pay;

use std::collections::HashMap;
use std::sync::Mutex;

use app::infra::config::Config;
use app::infra::db::Backend;
use app::state::AppState;
use axum::body::Body;
use axum::Router;
use http::{header, Request, StatusCode};
use serde_json::{json, Value};
use sqlx::{Connection, Executor};
use tower::ServiceExt;

/// Runs each listed async test on both database backends.
#[macro_export]
macro_rules! backend_tests {
    ($($(#[doc = $doc:expr])* async fn $name:ident($app:ident : TestApp) $body:block)*) => {
        $(
            $(#[doc = $doc])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                async fn run($app: $crate::common::TestApp) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    run($crate::common::TestApp::spawn(app::infra::db::Backend::Sqlite).await).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    run($crate::common::TestApp::spawn(app::infra::db::Backend::Postgres).await).await
                }
            }
        )*
    };
}

pub const HOST: &str = "jishi.test";
pub const ORIGIN: &str = "http://jishi.test";
pub const DEMO_PASSWORD: &str = "jishi2026";

pub struct TestApp {
    pub router: Router,
    pub st: AppState,
    _db: TestDb,
    pub wechat: fake_wechat::FakeWechat,
}

pub struct Response {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub text: String,
}

impl Response {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Like [`TestApp::spawn`], with a chance to adjust the configuration first.
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
        // `RUST_LOG=warn` shows what the server logged (a failing job, an internal error)
        if let Ok(filter) = tracing_subscriber::EnvFilter::try_from_default_env() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_test_writer()
                .try_init();
        }
        Self::try_spawn_with(backend, adjust).await.expect("state")
    }

    /// Like [`TestApp::spawn_with`]; a configuration the server refuses is an error.
    pub async fn try_spawn_with(
        backend: Backend,
        adjust: impl FnOnce(&mut Config),
    ) -> Result<TestApp, String> {
        let db = TestDb::create(backend).await;
        let wechat = fake_wechat::FakeWechat::start().await;
        let mut config = Config {
            database_url: db.url.clone(),
            data_dir: db.dir.to_string_lossy().into_owned(),
            listen: "127.0.0.1:0".into(),
            ..Config::default()
        };
        config.data_key = Some(
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
                .to_string()
                .into(),
        );
        config.wechat.api_base = wechat.base_url.clone();
        config.wechat.appid = fake_wechat::APPID.into();
        config.wechat.secret = Some(fake_wechat::SECRET.to_string().into());
        // products go on sale as they are published; the tests of 商品审核 turn review on
        config.catalog.review_products = false;
        // every read counts afresh; the test of the 概览 cache turns it on
        config.dashboards.cache_seconds = 0;
        adjust(&mut config);
        let st = server::startup::build_state(config).await?;
        app::services::jobs::start(&st);
        let router = server::http::router(st.clone()).await.expect("router");
        Ok(TestApp {
            router,
            st,
            _db: db,
            wechat,
        })
    }

    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookies: Mutex::new(HashMap::new()),
        }
    }

    pub async fn seed_demo(&self) {
        app::seed::demo::seed(&self.st).await.expect("seed");
    }

    /// A client already signed in to `realm` with `login` / `password`.
    pub async fn signed_in(&self, realm: &str, login: &str, password: &str) -> Client {
        let c = self.client();
        let r = c.sign_in(realm, login, password).await;
        assert_eq!(r.status, StatusCode::OK, "sign-in failed: {}", r.text);
        c
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql)
            .fetch_one(&self.st.db.pool)
            .await
            .unwrap();
        n
    }
}

/// A browser-like client: keeps cookies and sends the site's Origin on writes.
pub struct Client {
    router: Router,
    cookies: Mutex<HashMap<String, String>>,
}

impl Client {
    pub async fn request(&self, req: Request<Body>) -> Response {
        let mut req = req;
        req.headers_mut()
            .insert(header::HOST, HOST.parse().unwrap());
        let cookie = {
            let jar = self.cookies.lock().unwrap();
            jar.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ")
        };
        if !cookie.is_empty() {
            req.headers_mut()
                .insert(header::COOKIE, cookie.parse().unwrap());
        }
        let res = self.router.clone().oneshot(req).await.unwrap();
        for set in res.headers().get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            let pair = set.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            let mut jar = self.cookies.lock().unwrap();
            if v.is_empty() || set.contains("Max-Age=0") {
                jar.remove(k);
            } else {
                jar.insert(k.to_string(), v.to_string());
            }
        }
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), 10 << 20)
            .await
            .unwrap();
        Response {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// A server-function call as the hydrated page makes it (form body, JSON answer).
    pub async fn call(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.request(
            form_post(path, form)
                .header(header::ORIGIN, ORIGIN)
                .body(encode(form))
                .unwrap(),
        )
        .await
    }

    /// A plain HTML form post, as the page sends it before its wasm has loaded.
    pub async fn post_html_form(
        &self,
        path: &str,
        referer: &str,
        form: &[(&str, &str)],
    ) -> Response {
        self.request(
            form_post(path, form)
                .header(header::ORIGIN, ORIGIN)
                .header(header::ACCEPT, "text/html")
                .header(header::REFERER, format!("{ORIGIN}{referer}"))
                .body(encode(form))
                .unwrap(),
        )
        .await
    }

    /// A server function that takes JSON (the product editor).
    pub async fn call_json(&self, path: &str, body: &Value) -> Response {
        self.request(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ORIGIN, ORIGIN)
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }

    /// Uploads a file as the image widget does (multipart, field `file`).
    pub async fn upload(&self, bytes: &[u8], filename: &str) -> Response {
        let boundary = "jishi-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
             filename=\"{filename}\"\r\nContent-Type: image/jpeg\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.request(
            Request::post("/api/uploads/image")
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .header(header::ORIGIN, ORIGIN)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Uploads a small generated picture and returns its image key.
    pub async fn upload_picture(&self, seed: u8) -> String {
        let r = self
            .upload(&png(64 + u32::from(seed), 48, seed), "商品.png")
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.json()["key"].as_str().unwrap().to_string()
    }

    pub async fn sign_in(&self, realm: &str, login: &str, password: &str) -> Response {
        self.call(
            "/api/auth/sign-in",
            &[("realm", realm), ("login", login), ("password", password)],
        )
        .await
    }

    /// The value of a cookie the client holds.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    pub fn has_session_cookie(&self) -> bool {
        self.cookies
            .lock()
            .unwrap()
            .contains_key(server::sessions::COOKIE_NAME)
    }
}

/// A PNG of `w`×`h` pixels, varied by `seed`.
pub fn png(w: u32, h: u32, seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([seed, (x % 256) as u8, (y % 256) as u8])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn form_post(path: &str, _form: &[(&str, &str)]) -> http::request::Builder {
    Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
}

pub fn encode(form: &[(&str, &str)]) -> Body {
    let mut s = String::new();
    for (i, (k, v)) in form.iter().enumerate() {
        if i > 0 {
            s.push('&');
        }
        s.push_str(&urlencode(k));
        s.push('=');
        s.push_str(&urlencode(v));
    }
    Body::from(s)
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A throw-away database, removed when the test ends.
struct TestDb {
    url: String,
    dir: std::path::PathBuf,
    pg_name: Option<String>,
}

fn pg_admin_url() -> String {
    std::env::var("JISHI_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

impl TestDb {
    async fn create(backend: Backend) -> TestDb {
        let tag = format!("{}_{:016x}", std::process::id(), rand::random::<u64>());
        let dir = std::env::temp_dir().join(format!("jishi-test-{tag}"));
        std::fs::create_dir_all(&dir).unwrap();
        match backend {
            Backend::Sqlite => TestDb {
                url: format!("sqlite://{}/jishi.db", dir.display()),
                dir,
                pg_name: None,
            },
            Backend::Postgres => {
                let admin = pg_admin_url();
                let mut conn = sqlx::PgConnection::connect(&admin)
                    .await
                    .unwrap_or_else(|e| {
                        panic!("PostgreSQL is required for the test suite ({admin}): {e}")
                    });
                let name = format!("jishi_test_{tag}");
                conn.execute(format!("CREATE DATABASE \"{name}\"").as_str())
                    .await
                    .unwrap();
                let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
                TestDb {
                    url: format!("{base}/{name}"),
                    dir,
                    pg_name: Some(name),
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some(name) = self.pg_name.take() {
            // Drop runs outside any runtime we may block: use a private one on its own thread.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    if let Ok(mut c) = sqlx::PgConnection::connect(&pg_admin_url()).await {
                        let _ = c
                            .execute(
                                format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").as_str(),
                            )
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

/// A platform operator's scope, as a signed-in admin console call would build it.
pub fn operator() -> app::services::admins::AdminScope {
    admin(app::domain::account::AdminRole::Operator, "运营")
}

/// A finance admin's scope (may cut bills and pay withdrawals).
pub fn finance() -> app::services::admins::AdminScope {
    admin(app::domain::account::AdminRole::Finance, "财务")
}

fn admin(role: app::domain::account::AdminRole, name: &str) -> app::services::admins::AdminScope {
    app::services::admins::AdminScope {
        admin_id: 1,
        role,
        display_name: name.into(),
    }
}

/// The owner's scope of a merchant, as a signed-in console call would build it.
pub async fn merchant_scope(
    st: &AppState,
    merchant_id: i64,
) -> app::services::merchants::MerchantScope {
    let (staff_id,): (i64,) = sqlx::query_as(
        "SELECT id FROM merchant_staff WHERE merchant_id = $1 AND role = 'owner' ORDER BY id",
    )
    .bind(merchant_id)
    .fetch_one(&st.db.pool)
    .await
    .unwrap();
    app::services::merchants::MerchantScope {
        merchant_id,
        staff_id,
        role: app::domain::account::StaffRole::Owner,
        shop_active: true,
    }
}

/// A mini-program bearer token for the fake WeChat login `code`.
pub async fn mp_token(app: &TestApp, code: &str) -> String {
    let r = app
        .client()
        .request(
            Request::post("/api/mp/v1/auth/wx-login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json!({ "code": code }).to_string()))
                .unwrap(),
        )
        .await;
    r.json()["data"]["token"].as_str().unwrap().to_string()
}

/// A mini-program API call: (status, JSON body).
pub async fn mp_api(
    app: &TestApp,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(method)
        .uri(format!("/api/mp/v1{path}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.map_or(Body::empty(), |b| Body::from(b.to_string())))
        .unwrap();
    let r = app.client().request(req).await;
    (r.status, r.json())
}

/// A proptest runner for the HTTP and service property tests: `{name}_CASES` sets how many
/// cases (default `default_cases`), `{name}_SEED` another seed; without it the seed is fixed, so
/// every run and machine walks the same cases. No failure files are written.
pub fn prop_runner(name: &str, default_cases: u32) -> proptest::test_runner::TestRunner {
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let env = |what: &str| std::env::var(format!("{name}_{what}")).ok();
    let cases = env("CASES")
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    let rng = match env("SEED").and_then(|v| v.parse::<u64>().ok()) {
        None => TestRng::deterministic_rng(RngAlgorithm::ChaCha),
        Some(seed) => {
            let mut bytes = [0u8; 32];
            bytes[..8].copy_from_slice(&seed.to_le_bytes());
            TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
        }
    };
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, rng)
}

/// Gives every SKU `stock` units (and the shop front sees it), so a property test's random
/// buying never runs out.
pub async fn plenty_of_stock(st: &AppState, stock: i64) {
    sqlx::query("UPDATE skus SET stock = $1")
        .bind(stock)
        .execute(&st.db.pool)
        .await
        .unwrap();
    st.shop_front.reload_all(&st.db.pool).await.unwrap();
}

/// Ends the demo marketplace's full-reductions, for tests that compute figures by hand or run
/// their own promotions in the demo shops.
pub async fn end_demo_promotions(st: &AppState) {
    sqlx::query("UPDATE full_reductions SET status = 'ended'")
        .execute(&st.db.pool)
        .await
        .unwrap();
    st.shop_front.reload_all(&st.db.pool).await.unwrap();
}
