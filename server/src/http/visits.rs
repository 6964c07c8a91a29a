//! Counts shop page views and add-to-cart events for the dashboards (`services::visits`): H5
//! pages by the first-party visitor cookie, the mini-program by its `X-Visitor-Id` header.
//! Only answers that succeeded count; robots never do (`domain::visit::is_robot`).

use app::domain::visit::{
    is_robot, mp_page_of, mp_source_of, page_of, source_of, valid_visitor_id, PageView, VisitPage,
    VisitSource,
};
use app::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::header::{COOKIE, HOST, LOCATION, REFERER, SET_COOKIE, USER_AGENT};
use http::{HeaderMap, HeaderValue, Method};

/// The H5 visitor cookie: a random id, nothing else.
pub const VISITOR_COOKIE: &str = "jishi_vid";
/// The mini-program's visitor id (kept in its own storage).
pub const VISITOR_HEADER: &str = "x-visitor-id";
const MP_PREFIX: &str = "/api/mp/v1";

pub async fn count(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let Some(seen) = what_is_seen(&req) else {
        return next.run(req).await;
    };
    let mut res = next.run(req).await;
    let done = res.status().is_success()
        || (res.status().is_redirection()
            && res
                .headers()
                .get(LOCATION)
                .and_then(|l| l.to_str().ok())
                .is_some_and(|l| !l.contains("error=")));
    if !done {
        return res;
    }
    let (visitor, new) = match seen.visitor {
        Some(v) => (v, false),
        None if seen.mp => return res,
        None => (app::services::visits::new_visitor_id(), true),
    };
    // an add-to-cart by someone never seen on a page is not a funnel step
    if new && seen.view.page == VisitPage::Cart {
        return res;
    }
    st.visits.record(st.clock.now_ms(), seen.view, &visitor);
    if new {
        let secure = if st.config.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let cookie = format!(
            "{VISITOR_COOKIE}={visitor}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}"
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(SET_COOKIE, v);
        }
    }
    res
}

struct Seen {
    view: PageView,
    visitor: Option<String>,
    mp: bool,
}

/// The view a request would count if it succeeds, or None.
fn what_is_seen(req: &Request) -> Option<Seen> {
    let headers = req.headers();
    let path = req.uri().path();
    let query = req.uri().query();
    if is_robot(header(headers, USER_AGENT.as_str())) {
        return None;
    }
    if let Some(mp_path) = path.strip_prefix(MP_PREFIX) {
        let visitor = header(headers, VISITOR_HEADER)
            .filter(|v| valid_visitor_id(v))
            .map(str::to_string);
        let (page, target) = if req.method() == Method::POST && mp_path == "/cart/items" {
            (VisitPage::Cart, 0)
        } else if req.method() == Method::GET {
            mp_page_of(mp_path, query)?
        } else {
            return None;
        };
        let source = mp_source_of(query);
        return Some(Seen {
            view: PageView {
                page,
                target,
                source,
            },
            visitor,
            mp: true,
        });
    }
    let visitor = cookie(headers, VISITOR_COOKIE)
        .filter(|v| valid_visitor_id(v))
        .map(str::to_string);
    if req.method() == Method::POST && path == "/api/cart/add" {
        return Some(Seen {
            view: PageView {
                page: VisitPage::Cart,
                target: 0,
                source: VisitSource::Other,
            },
            visitor,
            mp: false,
        });
    }
    if req.method() != Method::GET {
        return None;
    }
    let (page, target) = page_of(path)?;
    let source = source_of(
        query,
        header(headers, REFERER.as_str()),
        header(headers, HOST.as_str()),
    );
    Some(Seen {
        view: PageView {
            page,
            target,
            source,
        },
        visitor,
        mp: false,
    })
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}
