//! The HTML document around every page, and the bundle it loads.

use leptos::prelude::*;
use leptos_meta::MetaTags;

use super::App;

/// The stems of the front-end bundle's file names, each named after its content by
/// `scripts/build.sh` (so a name is cached for good): the shop's islands (`shop.<hash>.js` and
/// `.wasm`), the consoles' islands (`console.<hash>…`) and the stylesheet (`jishi.<hash>.css`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bundles {
    pub shop: String,
    pub console: String,
    pub style: String,
}

impl Bundles {
    /// The stems `scripts/build.sh` wrote to `<site root>/bundle-names` (lines `shop <stem>`,
    /// `console <stem>`, `style <stem>`); a part the file lacks keeps its plain name
    /// (`shop`, `console`, `jishi`), as does a site built without it.
    pub fn read(site_root: &str) -> Self {
        let text = std::fs::read_to_string(std::path::Path::new(site_root).join("bundle-names"))
            .unwrap_or_default();
        let stem = |part: &str, plain: &str| {
            text.lines()
                .filter_map(|l| l.split_once(' '))
                .find(|(p, _)| *p == part)
                .map(|(_, stem)| stem.trim().to_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| plain.to_string())
        };
        Self {
            shop: stem("shop", "shop"),
            console: stem("console", "console"),
            style: stem("style", "jishi"),
        }
    }

    /// The stylesheet's address (under `/pkg`).
    pub fn stylesheet_href(&self) -> String {
        format!("/pkg/{}.css", self.style)
    }

    /// The islands bundle a page at `path` loads: the consoles' under `/merchant` and `/admin`.
    pub fn islands_for(&self, path: &str) -> &str {
        let console = ["/merchant", "/admin"].iter().any(|p| {
            path.strip_prefix(p)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        });
        if console {
            &self.console
        } else {
            &self.shop
        }
    }
}

/// The document: head (stylesheet, the islands loader of the page's bundle, meta tags, the
/// page's Content-Security-Policy) and the app. `options` is Leptos' (the `/pkg` folder).
pub fn shell(options: LeptosOptions, bundles: Bundles) -> impl IntoView {
    // Outside its islands the page is never hydrated: no hydration markers, no serialized data
    // (what Leptos' HydrationScripts does in islands mode)
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    let path = use_context::<http::request::Parts>()
        .map(|p| p.uri.path().to_string())
        .unwrap_or_default();
    let islands = format!("/{}/{}", options.site_pkg_dir, bundles.islands_for(&path));
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
                <meta name="theme-color" content="#FF4E4E" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href=bundles.stylesheet_href() />
                <IslandsLoader bundle=islands />
                <MetaTags />
                {page_policy()}
            </head>
            <body class="bg-page text-ink antialiased">
                <App />
            </body>
        </html>
    }
}

/// The page's script, inline: the form sender (`forms.js`: forms outside islands are sent
/// without leaving the page), and the loader that hydrates the page's islands from `bundle`
/// (`/pkg/<stem>`, `.js` and `.wasm`) once the page is parsed and marks the document
/// `data-hydrated` when they are (at once on a page without islands; browser tests wait for
/// the mark).
#[component]
fn IslandsLoader(bundle: String) -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    let call = format!(
        "{}{}({:?}, {:?});",
        include_str!("forms.js"),
        include_str!("islands.js"),
        format!("{bundle}.js"),
        format!("{bundle}.wasm")
    );
    view! { <script type="module" nonce=nonce>{call}</script> }
}

/// Sends this page's Content-Security-Policy, naming the nonce Leptos gives its scripts.
fn page_policy() -> impl IntoView {
    if let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        let policy = crate::infra::security_headers::page_policy(&nonce);
        if let Ok(value) = http::HeaderValue::from_str(&policy) {
            res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consoles_load_their_bundle_and_the_shop_its_own() {
        let b = Bundles {
            shop: "shop.1".into(),
            console: "console.2".into(),
            style: "jishi.3".into(),
        };
        for path in [
            "/merchant",
            "/merchant/products/7",
            "/admin",
            "/admin/coupons",
        ] {
            assert_eq!(b.islands_for(path), "console.2", "{path}");
        }
        for path in ["/", "/product/1", "/merchants", "/administer", "/me"] {
            assert_eq!(b.islands_for(path), "shop.1", "{path}");
        }
        assert_eq!(b.stylesheet_href(), "/pkg/jishi.3.css");
    }

    #[test]
    fn a_site_without_names_keeps_the_plain_ones() {
        let b = Bundles::read("/nonexistent-site-root");
        assert_eq!(
            (b.shop.as_str(), b.console.as_str(), b.style.as_str()),
            ("shop", "console", "jishi")
        );
    }
}
