//! A local stand-in for the WeChat API (`/sns/jscode2session`, `/cgi-bin/stable_token`,
//! `/cgi-bin/message/subscribe/send`), with WeChat's error codes.
//!
//! Codes: `bad-*` → 40029 (invalid code), `busy-*` → 45011 (rate limit), `risky-*` → 40226,
//! `down-*` → HTTP 500; anything else signs in user `openid-<user>` where the code is
//! `<user>.<n>` (so several codes can belong to one user); `union-*` adds a unionid.
//!
//! Subscription messages: every send is recorded with the token it carried; a token of an older
//! generation (see [`FakeWechat::expire_token`]) is refused with 40001; `send_answer` sets what
//! the next sends get (an errcode, or -500 for an HTTP 500).

use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

pub const APPID: &str = "wx_test_app";
pub const SECRET: &str = "test-secret";

pub struct FakeWechat {
    pub base_url: String,
    pub calls: Arc<AtomicUsize>,
    pub subscribe: Arc<Subscribe>,
}

/// What the fake saw of subscription messages, and how it answers them.
#[derive(Default)]
pub struct Subscribe {
    pub token_requests: AtomicUsize,
    generation: AtomicUsize,
    /// every send: the message as posted, with `access_token` added
    pub sent: Mutex<Vec<serde_json::Value>>,
    /// errcode for the next sends (0 accepts; -500 answers HTTP 500)
    pub send_answer: AtomicI64,
}

#[derive(Deserialize)]
struct Params {
    appid: String,
    secret: String,
    js_code: String,
    grant_type: String,
}

impl FakeWechat {
    pub async fn start() -> FakeWechat {
        let calls = Arc::new(AtomicUsize::new(0));
        let subscribe = Arc::new(Subscribe::default());
        let app = Router::new()
            .route("/sns/jscode2session", get(code2session))
            .with_state(calls.clone())
            .merge(
                Router::new()
                    .route("/cgi-bin/stable_token", post(stable_token))
                    .route("/cgi-bin/message/subscribe/send", post(subscribe_send))
                    .with_state(subscribe.clone()),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeWechat {
            base_url: format!("http://{addr}"),
            calls,
            subscribe,
        }
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// Messages sent so far.
    pub fn sent(&self) -> Vec<serde_json::Value> {
        self.subscribe.sent.lock().unwrap().clone()
    }

    /// WeChat answers the next sends with `errcode` (0 accepts; -500: HTTP 500).
    pub fn answer_sends_with(&self, errcode: i64) {
        self.subscribe.send_answer.store(errcode, Ordering::SeqCst);
    }

    /// The token handed out so far stops working (as when another server refreshed it).
    pub fn expire_token(&self) {
        self.subscribe.generation.fetch_add(1, Ordering::SeqCst);
    }
}

fn current_token(s: &Subscribe) -> String {
    format!("token-{}", s.generation.load(Ordering::SeqCst))
}

async fn stable_token(
    State(s): State<Arc<Subscribe>>,
    Json(body): Json<serde_json::Value>,
) -> Json<serde_json::Value> {
    s.token_requests.fetch_add(1, Ordering::SeqCst);
    if body["appid"] != APPID
        || body["secret"] != SECRET
        || body["grant_type"] != "client_credential"
    {
        return Json(json!({"errcode": 40013, "errmsg": "invalid appid"}));
    }
    Json(json!({"access_token": current_token(&s), "expires_in": 7200}))
}

#[derive(Deserialize)]
struct TokenQuery {
    access_token: String,
}

async fn subscribe_send(
    State(s): State<Arc<Subscribe>>,
    Query(q): Query<TokenQuery>,
    Json(mut body): Json<serde_json::Value>,
) -> axum::response::Response {
    if q.access_token != current_token(&s) {
        return Json(json!({"errcode": 40001, "errmsg": "invalid credential"})).into_response();
    }
    body["access_token"] = json!(q.access_token);
    s.sent.lock().unwrap().push(body);
    match s.send_answer.load(Ordering::SeqCst) {
        -500 => (http::StatusCode::INTERNAL_SERVER_ERROR, "oops").into_response(),
        0 => Json(json!({"errcode": 0, "errmsg": "ok"})).into_response(),
        43101 => Json(json!({"errcode": 43101, "errmsg": "user refuse to accept the msg"}))
            .into_response(),
        code => {
            Json(json!({"errcode": code, "errmsg": "argument invalid! data.thing2.value invalid"}))
                .into_response()
        }
    }
}

async fn code2session(
    State(calls): State<Arc<AtomicUsize>>,
    Query(p): Query<Params>,
) -> axum::response::Response {
    calls.fetch_add(1, Ordering::SeqCst);
    if p.appid != APPID || p.secret != SECRET || p.grant_type != "authorization_code" {
        return Json(json!({"errcode": 40013, "errmsg": "invalid appid"})).into_response();
    }
    let code = p.js_code;
    if code.starts_with("bad") {
        Json(json!({"errcode": 40029, "errmsg": "invalid code"})).into_response()
    } else if code.starts_with("busy") {
        Json(json!({"errcode": 45011, "errmsg": "api minute-quota reach limit"})).into_response()
    } else if code.starts_with("risky") {
        Json(json!({"errcode": 40226, "errmsg": "high risk user"})).into_response()
    } else if code.starts_with("down") {
        (http::StatusCode::INTERNAL_SERVER_ERROR, "oops").into_response()
    } else {
        let user = code.split('.').next().unwrap_or_default();
        let mut body =
            json!({"openid": format!("openid-{user}"), "session_key": format!("sk-{code}")});
        if code.starts_with("union") {
            body["unionid"] = json!(format!("unionid-{user}"));
        }
        Json(body).into_response()
    }
}
