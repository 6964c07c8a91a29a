//! A local stand-in for the WeChat API (`/sns/jscode2session`), with WeChat's error codes.
//!
//! Codes: `bad-*` → 40029 (invalid code), `busy-*` → 45011 (rate limit), `risky-*` → 40226,
//! `down-*` → HTTP 500; anything else signs in user `openid-<user>` where the code is
//! `<user>.<n>` (so several codes can belong to one user); `union-*` adds a unionid.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

pub const APPID: &str = "wx_test_app";
pub const SECRET: &str = "test-secret";

pub struct FakeWechat {
    pub base_url: String,
    pub calls: Arc<AtomicUsize>,
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
        let app = Router::new()
            .route("/sns/jscode2session", get(code2session))
            .with_state(calls.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeWechat {
            base_url: format!("http://{addr}"),
            calls,
        }
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
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
