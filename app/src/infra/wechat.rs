//! WeChat server API client: `jscode2session` for mini-program sign-in.
//! The base URL comes from configuration so tests talk to a local fake.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::infra::config::WechatConfig;

#[derive(Debug, Clone)]
pub struct WechatClient {
    http: reqwest::Client,
    api_base: String,
    appid: String,
    secret: SecretString,
}

/// What WeChat tells us about a mini-program user. `session_key` must never leave the server.
#[derive(Debug)]
pub struct WxSession {
    pub openid: String,
    pub unionid: Option<String>,
    pub session_key: SecretString,
}

#[derive(Deserialize)]
struct Code2SessionReply {
    openid: Option<String>,
    session_key: Option<String>,
    unionid: Option<String>,
    #[serde(default)]
    errcode: i64,
    #[serde(default)]
    errmsg: String,
}

impl WechatClient {
    pub fn new(cfg: &WechatConfig) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .expect("HTTP client builds with static settings");
        Self {
            http,
            api_base: cfg.api_base.trim_end_matches('/').to_string(),
            appid: cfg.appid.clone(),
            secret: cfg
                .secret
                .clone()
                .unwrap_or_else(|| SecretString::from(String::new())),
        }
    }

    /// Exchanges a `wx.login()` code for the user's openid and session key.
    pub async fn code_to_session(&self, code: &str) -> AppResult<WxSession> {
        let url = format!("{}/sns/jscode2session", self.api_base);
        let reply = self
            .http
            .get(&url)
            .query(&[
                ("appid", self.appid.as_str()),
                ("secret", self.secret.expose_secret()),
                ("js_code", code),
                ("grant_type", "authorization_code"),
            ])
            .send()
            .await
            // the URL carries the app secret: never let it reach a log line
            .map_err(|e| unavailable(format!("jscode2session request: {}", e.without_url())))?;
        if !reply.status().is_success() {
            return Err(unavailable(format!(
                "jscode2session HTTP {}",
                reply.status()
            )));
        }
        let body: Code2SessionReply = reply
            .json()
            .await
            .map_err(|e| unavailable(format!("jscode2session body: {}", e.without_url())))?;
        match (body.errcode, body.openid, body.session_key) {
            (0, Some(openid), Some(session_key)) if !openid.is_empty() => Ok(WxSession {
                openid,
                unionid: body.unionid.filter(|u| !u.is_empty()),
                session_key: SecretString::from(session_key),
            }),
            (40029 | 40163, ..) => Err(AppError::bad_request("登录凭证无效或已使用，请重新登录")),
            (45011, ..) => Err(AppError::TooManyRequests(
                "微信登录过于频繁，请稍后再试".into(),
            )),
            (40226, ..) => Err(AppError::Forbidden(
                "该微信账号存在安全风险，暂时无法登录".into(),
            )),
            (code, ..) => Err(unavailable(format!(
                "jscode2session errcode {code}: {}",
                body.errmsg
            ))),
        }
    }
}

/// WeChat failed in a way the user cannot fix: log the cause, show a calm message.
fn unavailable(cause: String) -> AppError {
    tracing::warn!("wechat: {cause}");
    AppError::Upstream("微信服务暂时不可用，请稍后再试".into())
}
