//! How answers travel to a phone: pages and API answers compressed by the request's
//! Accept-Encoding, the front-end bundle named by its content, sent from the copies the build
//! compressed and kept by browsers for a year, pages and data never kept by shared caches.
//! Nothing here depends on the database, so these run on SQLite only.

use axum::body::Body;
use http::{header, Request, StatusCode};
use tower::ServiceExt;

use crate::common::{TestApp, HOST};

const SHOP: &str = "shop.0123abcd4567ef89";
const CONSOLE: &str = "console.89abcdef01234567";
const STYLE: &str = "jishi.fedcba9876543210";

/// A site folder as `scripts/build.sh` leaves it: the bundle's parts under their content names,
/// each file with a brotli and a gzip copy (here, marked bytes, so the test sees which copy was
/// sent).
fn built_site() -> tempfile_dir::Dir {
    let dir = tempfile_dir::Dir::new();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(
        dir.path().join("bundle-names"),
        format!("shop {SHOP}\nconsole {CONSOLE}\nstyle {STYLE}\n"),
    )
    .unwrap();
    let files = [
        (SHOP, "js"),
        (SHOP, "wasm"),
        (CONSOLE, "js"),
        (CONSOLE, "wasm"),
        (STYLE, "css"),
    ];
    for (stem, ext) in files {
        let file = pkg.join(format!("{stem}.{ext}"));
        std::fs::write(&file, format!("{ext} plain ").repeat(100)).unwrap();
        std::fs::write(
            file.with_extension(format!("{ext}.br")),
            format!("{ext} brotli"),
        )
        .unwrap();
        std::fs::write(
            file.with_extension(format!("{ext}.gz")),
            format!("{ext} gzip"),
        )
        .unwrap();
    }
    dir
}

/// A server whose site folder is [`built_site`] (kept while the folder lives).
async fn serving_built_site() -> (TestApp, tempfile_dir::Dir) {
    let site = built_site();
    let app = TestApp::spawn_with(app::infra::db::Backend::Sqlite, |c| {
        c.site_root = site.path().to_string_lossy().into_owned();
    })
    .await;
    (app, site)
}

/// The temporary site folder, removed when dropped.
mod tempfile_dir {
    pub struct Dir(std::path::PathBuf);
    impl Dir {
        pub fn new() -> Dir {
            let path = std::env::temp_dir().join(format!("jishi-site-{}", rand::random::<u64>()));
            std::fs::create_dir_all(&path).unwrap();
            Dir(path)
        }
        pub fn path(&self) -> &std::path::Path {
            &self.0
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

struct Answer {
    status: StatusCode,
    headers: http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

async fn fetch(app: &TestApp, path: &str, accept_encoding: Option<&str>) -> Answer {
    let mut req = Request::get(path).header(header::HOST, HOST);
    if let Some(enc) = accept_encoding {
        req = req.header(header::ACCEPT_ENCODING, enc);
    }
    let res = app
        .router
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), 10 << 20)
        .await
        .unwrap()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

/// A page names the bundle's files by their content, a shop page the shop's islands and a console
/// page the consoles'; it is compressed for a browser that accepts it, never for one that does
/// not, and kept by no shared cache.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_compressed_private_and_name_the_bundle() {
    let (app, _site) = serving_built_site().await;
    app.seed_demo().await;

    let plain = fetch(&app, "/", None).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.header(header::CONTENT_ENCODING), "");
    let html = String::from_utf8(plain.body.clone()).unwrap();
    assert!(
        html.contains(&format!("/pkg/{STYLE}.css")),
        "the stylesheet by its content name"
    );
    assert!(
        html.contains(&format!("/pkg/{SHOP}.wasm")),
        "the shop's wasm by its content name"
    );
    assert!(
        !html.contains(CONSOLE),
        "a shopper never loads the consoles' code"
    );
    assert!(!html.contains("/pkg/jishi.css"));

    let console = fetch(&app, "/merchant/login", None).await;
    assert_eq!(console.status, StatusCode::OK);
    let html = String::from_utf8(console.body).unwrap();
    assert!(html.contains(&format!("/pkg/{CONSOLE}.wasm")));
    assert!(html.contains(&format!("/pkg/{STYLE}.css")));
    assert!(!html.contains(SHOP));
    assert_eq!(plain.header(header::CACHE_CONTROL), "private, no-cache");

    let gzip = fetch(&app, "/", Some("gzip")).await;
    assert_eq!(gzip.header(header::CONTENT_ENCODING), "gzip");
    assert_eq!(&gzip.body[..2], &[0x1f, 0x8b], "a gzip stream");
    assert!(
        gzip.body.len() * 3 < plain.body.len(),
        "{} bytes of {}",
        gzip.body.len(),
        plain.body.len()
    );
    assert!(gzip
        .header(header::VARY)
        .to_ascii_lowercase()
        .contains("accept-encoding"));
    assert_eq!(gzip.header(header::CACHE_CONTROL), "private, no-cache");

    let br = fetch(&app, "/", Some("gzip, deflate, br")).await;
    assert_eq!(br.header(header::CONTENT_ENCODING), "br");
    assert!(br.body.len() * 3 < plain.body.len());

    // the mini-program API too
    let api = fetch(&app, "/api/mp/v1/products?page=1", Some("br")).await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.header(header::CONTENT_ENCODING), "br");
    assert_eq!(api.header(header::CACHE_CONTROL), "private, no-cache");
}

/// The bundle's files go out as the copy the browser accepts (brotli before gzip), with one
/// year of caching; a name from an older build is a 404 nobody keeps.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bundle_is_sent_precompressed_and_kept_for_good() {
    let (app, _site) = serving_built_site().await;
    let wasm = format!("/pkg/{SHOP}.wasm");

    let br = fetch(&app, &wasm, Some("gzip, deflate, br")).await;
    assert_eq!(br.status, StatusCode::OK);
    assert_eq!(br.header(header::CONTENT_ENCODING), "br");
    assert_eq!(br.body, b"wasm brotli");
    assert_eq!(
        br.header(header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    assert!(br
        .header(header::VARY)
        .to_ascii_lowercase()
        .contains("accept-encoding"));
    assert_eq!(br.header(header::CONTENT_TYPE), "application/wasm");

    let gzip = fetch(&app, &format!("/pkg/{STYLE}.css"), Some("gzip")).await;
    assert_eq!(gzip.header(header::CONTENT_ENCODING), "gzip");
    assert_eq!(gzip.body, b"css gzip");

    let plain = fetch(&app, &format!("/pkg/{CONSOLE}.js"), None).await;
    assert_eq!(plain.header(header::CONTENT_ENCODING), "");
    assert_eq!(plain.body, "js plain ".repeat(100).as_bytes());
    assert_eq!(
        plain.header(header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );

    let old = fetch(&app, "/pkg/shop.ffffffffffffffff.wasm", Some("br")).await;
    assert_eq!(old.status, StatusCode::NOT_FOUND);
    assert!(!old.header(header::CACHE_CONTROL).contains("immutable"));
}

/// A shop page is plain HTML: no island, no data serialized for hydration, and its loader
/// fetches no wasm (it names the shop's bundle for when there are islands). A page with a
/// widget that needs the browser carries it as an island.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_ship_islands_only_where_the_browser_is_needed() {
    let (app, _site) = serving_built_site().await;
    app.seed_demo().await;

    let product = String::from_utf8(fetch(&app, "/product/1", None).await.body).unwrap();
    assert!(
        product.contains("data-test=\"spec-picker\""),
        "the page is rendered"
    );
    assert!(
        !product.contains("<leptos-island"),
        "no island on a product page"
    );
    assert!(
        product.contains("__RESOLVED_RESOURCES=[];"),
        "no data serialized for hydration"
    );
    assert!(
        product.contains("querySelectorAll('leptos-island')"),
        "the loader looks for islands first"
    );

    let login = String::from_utf8(fetch(&app, "/login", None).await.body).unwrap();
    assert!(login.contains("<leptos-island data-component=\"PasswordInput_"));
    assert!(login.contains(&format!("/pkg/{SHOP}.wasm")));
}
