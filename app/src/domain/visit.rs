//! Visits as the dashboards count them: which shop page was seen, where the visitor came from,
//! and which requests are not shoppers at all. Counting and storing is `services::visits`.
//!
//! A visitor is a random id in a first-party cookie (H5) or the mini-program's own storage,
//! nothing else: no IP address, no user agent and no account is stored with a visit.

use serde::{Deserialize, Serialize};

crate::named_enum! {
    /// The shop pages whose views are counted.
    pub enum VisitPage {
        Home = "home" "首页",
        Category = "category" "分类页",
        Search = "search" "搜索页",
        Shop = "shop" "店铺首页",
        Product = "product" "商品详情",
        /// not a page: an add-to-cart, the funnel's second step
        Cart = "cart" "加入购物车",
    }
}

crate::named_enum! {
    /// Where a page view came from: the page before it on this mall, a shared link
    /// (`?from=share`), or anything else (typed in, a bookmark, another site).
    pub enum VisitSource {
        Home = "home" "首页",
        Search = "search" "搜索",
        Category = "category" "分类",
        Shop = "shop" "店铺页",
        Product = "product" "商品详情",
        Share = "share" "分享链接",
        Other = "other" "直接访问及其他",
    }
}

/// A page view to count: the page, its shop or product id, and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PageView {
    pub page: VisitPage,
    /// the product's id on a product page, the shop's id on a shop page, else 0
    pub target: i64,
    pub source: VisitSource,
}

/// The counted page at `path` (no query), or None for pages that are not counted (the cart,
/// orders, the consoles, assets, the APIs).
pub fn page_of(path: &str) -> Option<(VisitPage, i64)> {
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    match path {
        "/" => return Some((VisitPage::Home, 0)),
        "/category" => return Some((VisitPage::Category, 0)),
        "/search" => return Some((VisitPage::Search, 0)),
        _ => {}
    }
    let id_after = |prefix: &str| {
        path.strip_prefix(prefix)
            .and_then(|rest| rest.parse::<i64>().ok())
            .filter(|id| *id > 0)
    };
    if let Some(id) = id_after("/product/") {
        return Some((VisitPage::Product, id));
    }
    id_after("/shop/").map(|id| (VisitPage::Shop, id))
}

/// The counted view behind a mini-program API call (`path` below `/api/mp/v1`, `query` its
/// query string): the home, categories, a product search, a product, a shop; None otherwise.
pub fn mp_page_of(path: &str, query: Option<&str>) -> Option<(VisitPage, i64)> {
    // a list's later pages (the shopper scrolling) are the same view
    let later_page = query.is_some_and(|q| {
        q.split('&')
            .filter_map(|kv| kv.strip_prefix("page="))
            .any(|n| n.parse::<i64>().is_ok_and(|n| n > 1))
    });
    if later_page {
        return None;
    }
    match path {
        "/home" => Some((VisitPage::Home, 0)),
        "/categories" => Some((VisitPage::Category, 0)),
        "/products" => {
            let searching =
                query.is_some_and(|q| q.split('&').any(|kv| kv.starts_with("q=") && kv.len() > 2));
            searching.then_some((VisitPage::Search, 0))
        }
        _ => page_of(
            &path
                .replace("/shops/", "/shop/")
                .replace("/products/", "/product/"),
        ),
    }
}

/// The mini-program's own account of where a view came from: `from=<source>` in the query
/// (`from=share` on a shared card's path), else [`VisitSource::Other`].
pub fn mp_source_of(query: Option<&str>) -> VisitSource {
    query
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("from=")))
        .and_then(VisitSource::parse)
        .unwrap_or(VisitSource::Other)
}

/// Where a view came from: `from=share` in the query wins; else the page of a same-host
/// referrer; else [`VisitSource::Other`].
pub fn source_of(query: Option<&str>, referer: Option<&str>, host: Option<&str>) -> VisitSource {
    let shared = query.is_some_and(|q| q.split('&').any(|kv| kv == "from=share"));
    if shared {
        return VisitSource::Share;
    }
    let (Some(referer), Some(host)) = (referer, host) else {
        return VisitSource::Other;
    };
    let Some(rest) = referer.split_once("://").map(|(_, r)| r) else {
        return VisitSource::Other;
    };
    let (ref_host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if !ref_host.eq_ignore_ascii_case(host) {
        return VisitSource::Other;
    }
    let path = path.split(['?', '#']).next().unwrap_or("");
    match page_of(if path.is_empty() { "/" } else { path }) {
        Some((VisitPage::Home, _)) => VisitSource::Home,
        Some((VisitPage::Search, _)) => VisitSource::Search,
        Some((VisitPage::Category, _)) => VisitSource::Category,
        Some((VisitPage::Shop, _)) => VisitSource::Shop,
        Some((VisitPage::Product, _)) => VisitSource::Product,
        _ => VisitSource::Other,
    }
}

/// Requests that are not shoppers: crawlers, scripts and the load generators. Matched on the
/// user agent, lower-cased; an empty one is a script too.
pub fn is_robot(user_agent: Option<&str>) -> bool {
    const MARKS: &[&str] = &[
        "bot",
        "spider",
        "crawl",
        "slurp",
        "curl",
        "wget",
        "python",
        "go-http",
        "java/",
        "okhttp",
        "headless",
        "lighthouse",
        "jishi-load",
        "reqwest",
        "axios",
        "node-fetch",
        "postman",
    ];
    match user_agent.map(str::to_ascii_lowercase) {
        None => true,
        Some(ua) if ua.trim().is_empty() => true,
        Some(ua) => MARKS.iter().any(|m| ua.contains(m)),
    }
}

/// A visitor id as stored: 16 to 64 of `[A-Za-z0-9_-]` (a cookie or the mini-program's
/// storage may hold anything; anything else starts a new visitor).
pub fn valid_visitor_id(id: &str) -> bool {
    (16..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_counted_by_kind_and_id() {
        assert_eq!(page_of("/"), Some((VisitPage::Home, 0)));
        assert_eq!(page_of("/search"), Some((VisitPage::Search, 0)));
        assert_eq!(page_of("/product/12"), Some((VisitPage::Product, 12)));
        assert_eq!(page_of("/shop/3/"), Some((VisitPage::Shop, 3)));
        assert_eq!(page_of("/product/12/reviews"), None);
        assert_eq!(page_of("/product/x"), None);
        assert_eq!(page_of("/cart"), None);
        assert_eq!(page_of("/admin"), None);
    }

    #[test]
    fn sources_come_from_share_links_and_same_site_referrers() {
        let host = Some("mall.example");
        let src = |q, r| source_of(q, r, host);
        assert_eq!(src(Some("from=share"), None), VisitSource::Share);
        assert_eq!(
            src(Some("a=1&from=share"), Some("http://mall.example/")),
            VisitSource::Share
        );
        assert_eq!(src(None, Some("http://mall.example/")), VisitSource::Home);
        assert_eq!(src(None, Some("https://mall.example")), VisitSource::Home);
        assert_eq!(
            src(None, Some("https://mall.example/search?q=茶")),
            VisitSource::Search
        );
        assert_eq!(
            src(None, Some("https://mall.example/shop/2")),
            VisitSource::Shop
        );
        assert_eq!(
            src(None, Some("https://mall.example/product/9#x")),
            VisitSource::Product
        );
        assert_eq!(
            src(None, Some("https://mall.example/cart")),
            VisitSource::Other
        );
        assert_eq!(
            src(None, Some("https://evil.example/search")),
            VisitSource::Other
        );
        assert_eq!(src(Some("from=shared"), None), VisitSource::Other);
        assert_eq!(src(None, None), VisitSource::Other);
    }

    #[test]
    fn mini_program_calls_map_to_the_same_pages() {
        assert_eq!(mp_page_of("/home", None), Some((VisitPage::Home, 0)));
        assert_eq!(
            mp_page_of("/products/7", None),
            Some((VisitPage::Product, 7))
        );
        assert_eq!(
            mp_page_of("/shops/2", Some("from=share")),
            Some((VisitPage::Shop, 2))
        );
        assert_eq!(
            mp_page_of("/products", Some("q=%E8%8C%B6&page=1")),
            Some((VisitPage::Search, 0))
        );
        assert_eq!(mp_page_of("/products", Some("category=3")), None);
        assert_eq!(mp_page_of("/products/7/reviews", None), None);
        assert_eq!(
            mp_page_of("/shops/2", Some("page=1&sort=sales")),
            Some((VisitPage::Shop, 2))
        );
        assert_eq!(mp_page_of("/shops/2", Some("page=2&sort=sales")), None);
        assert_eq!(mp_page_of("/cart", None), None);
        assert_eq!(mp_source_of(Some("from=share")), VisitSource::Share);
        assert_eq!(mp_source_of(Some("a=1&from=search")), VisitSource::Search);
        assert_eq!(mp_source_of(Some("from=nowhere")), VisitSource::Other);
        assert_eq!(mp_source_of(None), VisitSource::Other);
    }

    #[test]
    fn robots_and_load_tests_are_not_visitors() {
        let phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.40";
        assert!(!is_robot(Some(phone)));
        for ua in [
            "Baiduspider/2.0",
            "Mozilla/5.0 (compatible; Googlebot/2.1)",
            "curl/8.0",
            "jishi-load/1",
            "",
            "Mozilla/5.0 HeadlessChrome/120",
        ] {
            assert!(is_robot(Some(ua)), "{ua}");
        }
        assert!(is_robot(None));
    }

    #[test]
    fn visitor_ids_are_bounded_tokens() {
        assert!(valid_visitor_id("aZ09_-aZ09_-aZ09"));
        assert!(!valid_visitor_id("short"));
        assert!(!valid_visitor_id("has space in it!!"));
        assert!(!valid_visitor_id(&"a".repeat(65)));
    }
}
