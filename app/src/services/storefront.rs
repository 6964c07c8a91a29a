//! The shop front's read model: every visible product (on sale, in an open shop, in an enabled
//! category) with its SKUs, every shop, the category tree and the search index, in memory.
//!
//! Reads (home, lists, search, product and shop pages, for H5 and the mini-program alike) touch
//! no database. Correctness comes from the write side: every repository function that changes a
//! product, a SKU's price or stock, a shop or a category records it on its write transaction
//! (`infra::db::Changes`), and the shop front, the database's [`CommitListener`], refreshes what
//! changed once that transaction commits, so the next read sees the change. (Several app
//! instances would add a change feed.) It also keeps the shops' active full-reductions, which
//! every cart and checkout prices with, read again at most [`PROMOTIONS_FRESH_MS`] after they
//! were loaded: a promotion changed by another process (a second instance, a command) counts
//! everywhere within that time.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, RwLock};

use crate::domain::category::{live_ids, CategoryRow};
use crate::domain::merchant::{MerchantKind, MerchantStatus};
use crate::domain::product::{sellable, SpecDim};
use crate::domain::storefront::{
    province_of, CategoryShortcut, HomeBanner, HomeFeed, ProductCard, ProductDetail, SearchPage,
    SearchQuery, ShopBrief, ShopPage, SkuView, SortBy, PAGE_SIZE,
};
use sqlx::{AnyConnection, AnyPool};

use crate::error::AppResult;
use crate::infra::clock::wall_ms;
use crate::infra::db::{Changes, CommitListener};
use crate::repo::categories as category_repo;
use crate::repo::full_reductions::{self as promotion_repo, FullReductionRow};
use crate::repo::merchants::{self as merchant_repo, MerchantRow};
use crate::repo::products::{self as product_repo, ProductRow, SkuRow};
use crate::services::search::{SearchDoc, SearchIndex};

#[derive(Debug, Default)]
pub struct ShopFront {
    inner: RwLock<Snapshot>,
}

#[derive(Debug, Default)]
struct Snapshot {
    products: HashMap<i64, Arc<ProductDetail>>,
    shops: HashMap<i64, MerchantRow>,
    categories: Vec<CategoryRow>,
    /// categories enabled together with all their ancestors
    live_categories: HashSet<i64>,
    search: SearchIndex,
    /// products the merchant marked for the shop page's featured row
    featured: HashSet<i64>,
    /// visible product ids in each fixed order, rebuilt when a product comes, goes or changes
    /// its sales, price or age (not on a stock change: checkout must not re-sort the catalogue)
    by_sales: Vec<i64>,
    by_price: Vec<i64>,
    by_newest: Vec<i64>,
    regions: Vec<String>,
    /// each shop's active full-reductions not ended when loaded, by id, and when they were
    /// loaded (epoch ms); whether one runs at a moment is read against its times then
    /// (`running_promotions`)
    promotions: HashMap<i64, (Vec<FullReductionRow>, i64)>,
    /// sorted search hits per (query, sort), so a popular word is scored and sorted once; emptied
    /// together with the orders above, which is exactly when a hit list can change
    hits: Mutex<HitCache>,
}

#[derive(Debug, Default)]
struct HitCache {
    lists: HashMap<(String, SortBy), Arc<[i64]>>,
    /// ids held over all lists; past `HIT_CACHE_IDS` the cache starts over
    ids: usize,
}

/// How long (ms) a shop's full-reductions are priced from memory before they are read again:
/// the most a change made by another process takes to count here.
pub const PROMOTIONS_FRESH_MS: i64 = 1_000;

/// Each shop's promotions among `rows`, loaded at `loaded_at` (shops without any get an empty
/// list, so they too are not read again until it is stale).
fn shops_promotions(
    shops: impl Iterator<Item = i64>,
    rows: Vec<FullReductionRow>,
    loaded_at: i64,
) -> HashMap<i64, (Vec<FullReductionRow>, i64)> {
    let mut out: HashMap<i64, (Vec<FullReductionRow>, i64)> =
        shops.map(|m| (m, (Vec::new(), loaded_at))).collect();
    for p in rows {
        out.entry(p.merchant_id)
            .or_insert_with(|| (Vec::new(), loaded_at))
            .0
            .push(p);
    }
    out
}

/// About 2 MB of cached ids.
const HIT_CACHE_IDS: usize = 250_000;

impl CommitListener for ShopFront {
    /// Records SKU stock after an order took or returned some: no database read and no
    /// re-sort, so checkout under load does not rebuild the catalogue.
    fn stock_moved(&self, stock: &BTreeMap<(i64, i64), i64>) {
        let mut snap = self.inner.write().expect("shop front lock");
        for (&(product_id, sku_id), &stock) in stock {
            if let Some(product) = snap.products.get_mut(&product_id) {
                let product = Arc::make_mut(product);
                if let Some(sku) = product.skus.iter_mut().find(|s| s.id == sku_id) {
                    sku.stock = stock;
                }
            }
        }
    }

    fn reload<'a>(
        &'a self,
        pool: &'a AnyPool,
        changes: &'a Changes,
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>> {
        Box::pin(async move {
            if let Err(e) = self.refresh(pool, changes).await {
                tracing::error!("shop front not refreshed after a write ({changes:?}): {e:?}");
            }
        })
    }
}

impl ShopFront {
    /// Loads everything (at start-up, and after changes to categories or shop status).
    pub async fn reload_all(&self, pool: &AnyPool) -> AppResult<()> {
        let categories = category_repo::list_categories(pool).await?;
        let shops = merchant_repo::list(pool).await?;
        let ids = product_repo::visible_ids(pool).await?;
        let mut rows = Vec::with_capacity(ids.len());
        let mut skus = Vec::with_capacity(ids.len() * 3);
        for chunk in ids.chunks(500) {
            rows.extend(product_repo::products_by_ids(pool, chunk).await?);
            skus.extend(product_repo::active_skus_of(pool, chunk).await?);
        }
        let loaded_at = wall_ms();
        let promotions =
            promotion_repo::active_after(&mut *pool.acquire().await?, loaded_at, None).await?;
        let mut snap = Snapshot {
            live_categories: live_ids(&categories),
            categories,
            shops: shops.into_iter().map(|s| (s.id, s)).collect(),
            ..Snapshot::default()
        };
        let mut skus_by_product: HashMap<i64, Vec<SkuRow>> = HashMap::new();
        for s in skus {
            skus_by_product.entry(s.product_id).or_default().push(s);
        }
        for row in rows {
            let skus = skus_by_product.remove(&row.id).unwrap_or_default();
            snap.upsert(row, skus);
        }
        snap.promotions = shops_promotions(snap.shops.keys().copied(), promotions, loaded_at);
        snap.reorder();
        *self.inner.write().expect("shop front lock") = snap;
        Ok(())
    }

    /// Refreshes one product after its fields, status, SKUs, price or stock changed (called by
    /// [`CommitListener::reload`]; directly only after an edit made outside a write transaction).
    pub async fn reload_product(&self, pool: &AnyPool, id: i64) -> AppResult<()> {
        let row = product_repo::product_by_id(pool, id).await?;
        let skus = product_repo::active_skus_of(pool, &[id]).await?;
        let mut snap = self.inner.write().expect("shop front lock");
        let reordered = match row {
            Some(row) => snap.upsert(row, skus),
            None => snap.remove(id),
        };
        if reordered {
            snap.reorder();
        }
        Ok(())
    }

    /// Refreshes a shop's card (decoration) and its products.
    async fn reload_shop(&self, pool: &AnyPool, merchant_id: i64) -> AppResult<()> {
        if let Some(shop) = merchant_repo::by_id(pool, merchant_id).await? {
            self.inner
                .write()
                .expect("shop front lock")
                .shops
                .insert(shop.id, shop);
        }
        let ids: Vec<i64> = {
            let snap = self.inner.read().expect("shop front lock");
            snap.products
                .values()
                .filter(|p| p.shop.id == merchant_id)
                .map(|p| p.id)
                .collect()
        };
        for id in ids {
            self.reload_product(pool, id).await?;
        }
        Ok(())
    }

    /// Refreshes what a committed write changed.
    async fn refresh(&self, pool: &AnyPool, changes: &Changes) -> AppResult<()> {
        if changes.everything {
            return self.reload_all(pool).await;
        }
        for &shop in &changes.shops {
            self.reload_shop(pool, shop).await?;
        }
        for &product in &changes.products {
            self.reload_product(pool, product).await?;
        }
        if !changes.promotions.is_empty() {
            let shops: Vec<i64> = changes.promotions.iter().copied().collect();
            self.reload_promotions(&mut *pool.acquire().await?, &shops)
                .await?;
        }
        Ok(())
    }

    async fn reload_promotions(&self, conn: &mut AnyConnection, shops: &[i64]) -> AppResult<()> {
        let loaded_at = wall_ms();
        let rows = promotion_repo::active_after(conn, loaded_at, Some(shops)).await?;
        let fresh = shops_promotions(shops.iter().copied(), rows, loaded_at);
        self.inner
            .write()
            .expect("shop front lock")
            .promotions
            .extend(fresh);
        Ok(())
    }

    /// The full-reductions of these shops running at `now` (epoch ms: active and within their
    /// times), by id. Read by the cart and the checkout from memory; a shop's are read again
    /// on `conn` (the caller's: taking a second connection while holding one can starve the
    /// pool under load) when they were loaded [`PROMOTIONS_FRESH_MS`] ago or more.
    pub async fn running_promotions(
        &self,
        conn: &mut AnyConnection,
        merchant_ids: &[i64],
        now: i64,
    ) -> AppResult<Vec<FullReductionRow>> {
        let wall = wall_ms();
        let stale: Vec<i64> = {
            let snap = self.inner.read().expect("shop front lock");
            merchant_ids
                .iter()
                .copied()
                .filter(|m| {
                    snap.promotions
                        .get(m)
                        .is_none_or(|(_, at)| wall - at >= PROMOTIONS_FRESH_MS)
                })
                .collect()
        };
        if !stale.is_empty() {
            self.reload_promotions(conn, &stale).await?;
        }
        let snap = self.inner.read().expect("shop front lock");
        let mut out: Vec<FullReductionRow> = merchant_ids
            .iter()
            .filter_map(|m| snap.promotions.get(m))
            .flat_map(|(rows, _)| rows)
            .filter(|p| p.starts_at <= now && now < p.ends_at)
            .cloned()
            .collect();
        out.sort_by_key(|p| p.id);
        out.dedup_by_key(|p| p.id);
        Ok(out)
    }

    pub fn product(&self, id: i64) -> Option<Arc<ProductDetail>> {
        self.inner
            .read()
            .expect("shop front lock")
            .products
            .get(&id)
            .cloned()
    }

    pub fn search(&self, q: &SearchQuery) -> SearchPage {
        self.inner.read().expect("shop front lock").search(q)
    }

    /// Whether a shop is open on the shop front.
    pub fn has_shop(&self, shop_id: i64) -> bool {
        self.inner
            .read()
            .expect("shop front lock")
            .shops
            .get(&shop_id)
            .is_some_and(|s| s.status == MerchantStatus::Active)
    }

    pub fn shop_page(&self, shop_id: i64, page: u32, sort: SortBy) -> Option<ShopPage> {
        let snap = self.inner.read().expect("shop front lock");
        let shop = snap
            .shops
            .get(&shop_id)
            .filter(|s| s.status == MerchantStatus::Active)?;
        let products = snap.search(&SearchQuery {
            shop: Some(shop_id),
            page,
            sort,
            ..SearchQuery::default()
        });
        let featured = snap
            .in_order(&snap.by_sales)
            .filter(|p| p.shop.id == shop_id && snap.featured.contains(&p.id))
            .take(6)
            .map(|p| card(p))
            .collect();
        Some(ShopPage {
            shop: snap.brief(shop),
            intro: shop.intro.clone(),
            kind_label: MerchantKind::parse(&shop.kind)
                .map(|k| k.label().to_string())
                .unwrap_or_default(),
            banners: keys(&shop.banners),
            featured,
            products,
        })
    }

    pub fn home(&self) -> HomeFeed {
        let snap = self.inner.read().expect("shop front lock");
        let mut banners: Vec<HomeBanner> = snap
            .shops
            .values()
            .filter(|s| s.status == MerchantStatus::Active)
            .filter_map(|s| {
                keys(&s.banners).into_iter().next().map(|image| HomeBanner {
                    shop_id: s.id,
                    shop_name: s.name.clone(),
                    image,
                })
            })
            .collect();
        banners.sort_by_key(|b| b.shop_id);
        let categories = snap
            .categories
            .iter()
            .filter(|c| c.parent_id.is_none() && snap.live_categories.contains(&c.id))
            .map(|c| CategoryShortcut {
                id: c.id,
                name: c.name.clone(),
                icon: c.icon.clone(),
            })
            .collect();
        // best sellers, at most four per shop so one shop does not fill the page
        let mut per_shop: HashMap<i64, usize> = HashMap::new();
        let recommended = snap
            .in_order(&snap.by_sales)
            .filter(|p| {
                let n = per_shop.entry(p.shop.id).or_default();
                *n += 1;
                *n <= 4
            })
            .take(20)
            .map(|p| card(p))
            .collect();
        HomeFeed {
            banners,
            categories,
            recommended,
        }
    }
}

impl Snapshot {
    /// Puts a product in (or takes it out of) the shop front. Returns whether the orders and
    /// search hits must be rebuilt: not when only stock or a SKU detail changed.
    fn upsert(&mut self, row: ProductRow, skus: Vec<SkuRow>) -> bool {
        let visible = self.shops.get(&row.merchant_id).is_some_and(|shop| {
            sellable(
                row.status,
                shop.status,
                self.live_categories.contains(&row.category_id),
            )
        }) && !skus.is_empty();
        if !visible {
            return self.remove(row.id);
        }
        let shop = &self.shops[&row.merchant_id];
        let category_name = self
            .categories
            .iter()
            .find(|c| c.id == row.category_id)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        if row.featured != 0 {
            self.featured.insert(row.id);
        } else {
            self.featured.remove(&row.id);
        }
        let mut images = vec![row.main_image.clone()];
        images.extend(keys(&row.gallery));
        images.retain(|k| !k.is_empty());
        let detail = ProductDetail {
            id: row.id,
            title: row.title,
            subtitle: row.subtitle,
            brand: row.brand,
            origin: row.origin,
            category_id: row.category_id,
            category_name,
            description: row.description,
            images,
            spec_dims: serde_json::from_str::<Vec<SpecDim>>(&row.spec_dims).unwrap_or_default(),
            skus: skus.into_iter().map(sku_view).collect(),
            min_price: row.min_price,
            max_price: row.max_price,
            sales: row.sales,
            created_at: row.created_at,
            shop: ShopBrief {
                id: shop.id,
                name: shop.name.clone(),
                logo: shop.logo.clone(),
                region: shop.region.clone(),
                product_count: 0,
            },
        };
        let old = self.products.get(&detail.id);
        let same_text = old.is_some_and(|o| {
            (&o.title, &o.subtitle, &o.brand, &o.origin)
                == (
                    &detail.title,
                    &detail.subtitle,
                    &detail.brand,
                    &detail.origin,
                )
                && (&o.category_name, &o.shop.name) == (&detail.category_name, &detail.shop.name)
        });
        let same_order = old.is_some_and(|o| {
            (
                o.sales,
                o.min_price,
                o.max_price,
                o.created_at,
                o.category_id,
            ) == (
                detail.sales,
                detail.min_price,
                detail.max_price,
                detail.created_at,
                detail.category_id,
            )
        });
        if !same_text {
            self.search.upsert(&SearchDoc {
                id: detail.id,
                title: detail.title.clone(),
                subtitle: detail.subtitle.clone(),
                brand: detail.brand.clone(),
                origin: detail.origin.clone(),
                category: detail.category_name.clone(),
                shop: detail.shop.name.clone(),
            });
        }
        self.products.insert(detail.id, Arc::new(detail));
        !(same_text && same_order)
    }

    /// Returns whether the product was visible (so the orders must be rebuilt).
    fn remove(&mut self, id: i64) -> bool {
        self.search.remove(id);
        self.featured.remove(&id);
        self.products.remove(&id).is_some()
    }

    fn reorder(&mut self) {
        let mut all: Vec<&Arc<ProductDetail>> = self.products.values().collect();
        let ids = |all: &[&Arc<ProductDetail>]| all.iter().map(|p| p.id).collect::<Vec<_>>();
        all.sort_by(|a, b| b.sales.cmp(&a.sales).then(b.id.cmp(&a.id)));
        self.by_sales = ids(&all);
        // low to high (ties by id); read backwards for high to low
        all.sort_by(|a, b| a.min_price.cmp(&b.min_price).then(a.id.cmp(&b.id)));
        self.by_price = ids(&all);
        all.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        self.by_newest = ids(&all);
        let mut regions: Vec<String> = all
            .iter()
            .map(|p| province_of(&p.origin).to_string())
            .filter(|r| !r.is_empty())
            .collect();
        regions.sort();
        regions.dedup();
        self.regions = regions;
        *self.hits.lock().expect("hit cache") = HitCache::default();
    }

    /// Products in one of the fixed orders.
    fn in_order<'a>(
        &'a self,
        order: &'a [i64],
    ) -> impl DoubleEndedIterator<Item = &'a Arc<ProductDetail>> {
        order.iter().filter_map(|id| self.products.get(id))
    }

    fn brief(&self, shop: &MerchantRow) -> ShopBrief {
        ShopBrief {
            id: shop.id,
            name: shop.name.clone(),
            logo: shop.logo.clone(),
            region: shop.region.clone(),
            product_count: self
                .products
                .values()
                .filter(|p| p.shop.id == shop.id)
                .count() as i64,
        }
    }

    fn search(&self, q: &SearchQuery) -> SearchPage {
        let categories: Option<HashSet<i64>> = q.category.map(|c| self.subtree(c));
        let region = q.region.as_deref().map(str::trim).filter(|r| !r.is_empty());
        let keep = |p: &ProductDetail| {
            categories
                .as_ref()
                .is_none_or(|c| c.contains(&p.category_id))
                && q.min_price.is_none_or(|m| p.max_price >= m)
                && q.max_price.is_none_or(|m| p.min_price <= m)
                && region.is_none_or(|r| p.origin.starts_with(r))
                && q.shop.is_none_or(|s| p.shop.id == s)
        };
        let skip = (q.page.max(1) as usize - 1) * PAGE_SIZE;
        let unfiltered = categories.is_none()
            && q.min_price.is_none()
            && q.max_price.is_none()
            && region.is_none()
            && q.shop.is_none();
        let hits;
        let (order, backwards): (&[i64], bool) = match self.sorted_hits(&q.q, q.sort) {
            Some(sorted) => {
                hits = sorted;
                (&hits, false)
            }
            None => match q.sort {
                SortBy::Default | SortBy::Sales => (&self.by_sales, false),
                SortBy::PriceAsc => (&self.by_price, false),
                SortBy::PriceDesc => (&self.by_price, true),
                SortBy::Newest => (&self.by_newest, false),
            },
        };
        let products: Box<dyn Iterator<Item = &Arc<ProductDetail>>> = if backwards {
            Box::new(self.in_order(order).rev())
        } else {
            Box::new(self.in_order(order))
        };
        let (items, total) = if unfiltered {
            // the common case: no pass over the catalogue
            let items = products
                .skip(skip)
                .take(PAGE_SIZE)
                .map(|p| card(p))
                .collect();
            (items, order.len())
        } else {
            let mut total = 0;
            let mut items = Vec::with_capacity(PAGE_SIZE);
            for p in products.filter(|p| keep(p)) {
                if total >= skip && items.len() < PAGE_SIZE {
                    items.push(card(p));
                }
                total += 1;
            }
            (items, total)
        };
        let page = q.page.max(1);
        SearchPage {
            items,
            total,
            page,
            page_size: PAGE_SIZE as u32,
            regions: self.regions.clone(),
        }
    }

    /// The ids matching every word of `query`, in the requested order; `None` when the query has
    /// no searchable word.
    fn sorted_hits(&self, query: &str, sort: SortBy) -> Option<Arc<[i64]>> {
        let key = (query.trim().to_string(), sort);
        if let Some(hit) = self.hits.lock().expect("hit cache").lists.get(&key) {
            return Some(hit.clone());
        }
        let mut hits: Vec<(&Arc<ProductDetail>, u32)> = self
            .search
            .search(query)?
            .into_iter()
            .filter_map(|(id, score)| self.products.get(&id).map(|p| (p, score)))
            .collect();
        hits.sort_by(|(a, sa), (b, sb)| {
            let primary = match sort {
                SortBy::Default => sb.cmp(sa).then(b.sales.cmp(&a.sales)),
                SortBy::Sales => b.sales.cmp(&a.sales),
                SortBy::PriceAsc => a.min_price.cmp(&b.min_price),
                SortBy::PriceDesc => b.min_price.cmp(&a.min_price),
                SortBy::Newest => b.created_at.cmp(&a.created_at),
            };
            primary.then(b.id.cmp(&a.id))
        });
        let sorted: Arc<[i64]> = hits.iter().map(|(p, _)| p.id).collect();
        let mut cache = self.hits.lock().expect("hit cache");
        if cache.ids + sorted.len() > HIT_CACHE_IDS {
            *cache = HitCache::default();
        }
        cache.ids += sorted.len();
        cache.lists.insert(key, sorted.clone());
        Some(sorted)
    }

    /// A category and all its descendants.
    fn subtree(&self, root: i64) -> HashSet<i64> {
        let mut out = HashSet::from([root]);
        // rows are ordered parents first, so one pass per level suffices
        for _ in 0..3 {
            for c in &self.categories {
                if c.parent_id.is_some_and(|p| out.contains(&p)) {
                    out.insert(c.id);
                }
            }
        }
        out
    }
}

fn sku_view(s: SkuRow) -> SkuView {
    SkuView {
        id: s.id,
        spec_values: serde_json::from_str(&s.spec_values).unwrap_or_default(),
        price: s.price,
        original_price: s.original_price,
        stock: s.stock,
    }
}

pub fn card(p: &ProductDetail) -> ProductCard {
    ProductCard {
        id: p.id,
        title: p.title.clone(),
        subtitle: p.subtitle.clone(),
        image: p.images.first().cloned().unwrap_or_default(),
        min_price: p.min_price,
        max_price: p.max_price,
        sales: p.sales,
        origin: p.origin.clone(),
        shop_id: p.shop.id,
        shop_name: p.shop.name.clone(),
        skus: p.skus.clone(),
    }
}

/// Image keys stored space-separated.
pub fn keys(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}
