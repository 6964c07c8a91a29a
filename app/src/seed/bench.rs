//! A large generated catalogue for load tests (`jishi seed-bench`): `merchants` shops selling
//! `products` products of three SKUs each, with Chinese titles built from real words so that
//! search has work to do. Written in bulk, one transaction per shop.

use crate::domain::product::ProductStatus;
use crate::error::AppResult;
use crate::infra::crypto::hash_password;
use crate::repo::categories as category_repo;
use crate::repo::products::{self as repo, ProductFields, SkuFields};
use crate::repo::stock::{self as stock_repo, StockEntry};
use crate::seed::demo::DEMO_PASSWORD;
use crate::services::merchants::{open_shop, NewShop};
use crate::services::uploads::store_processed;
use crate::state::AppState;

const REGIONS: [&str; 8] = [
    "贵州·都匀",
    "贵州·遵义",
    "云南·昭通",
    "云南·普洱",
    "贵州·大方",
    "四川·汉源",
    "贵州·凯里",
    "云南·临沧",
];
const ITEMS: [(&str, &str); 12] = [
    ("毛尖", "绿茶"),
    ("红茶", "红茶"),
    ("古树普洱", "普洱茶"),
    ("油辣椒酱", "辣椒酱"),
    ("糍粑辣椒", "辣椒酱"),
    ("花椒", "干货调料"),
    ("冰糖心苹果", "苹果"),
    ("石榴", "时令水果"),
    ("天麻", "天麻"),
    ("竹荪", "菌菇"),
    ("蜡染围巾", "蜡染"),
    ("苗绣包", "刺绣"),
];
const TRAITS: [&str; 10] = [
    "高山",
    "手工",
    "古法",
    "特级",
    "有机",
    "明前",
    "农家",
    "精选",
    "礼盒装",
    "产地直发",
];
const SIZES: [&str; 3] = ["小份", "标准装", "家庭装"];

/// Creates the shops and products; returns (shops, products).
pub async fn seed(st: &AppState, merchants: usize, products: usize) -> AppResult<(usize, usize)> {
    let pool = &st.db.pool;
    let categories = category_repo::list_categories(pool).await?;
    let tops: Vec<i64> = categories
        .iter()
        .filter(|c| c.parent_id.is_none())
        .map(|c| c.id)
        .collect();
    let leaf = |name: &str| {
        categories
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.id)
            .unwrap_or_default()
    };
    let picture = crate::infra::imaging::process(&one_picture())?;
    let image = store_processed(st, "system:bench", std::sync::Arc::new(picture))
        .await?
        .key;
    let password_hash = hash_password(DEMO_PASSWORD.to_string()).await?;
    let per_shop = products.div_ceil(merchants.max(1));
    let mut made = 0usize;
    for m in 0..merchants {
        let mut tx = st.db.begin_write().await?;
        let name = format!("压测店铺{:03}", m + 1);
        let username = format!("bench_{:03}", m + 1);
        let (merchant_id, staff_id) = open_shop(
            &mut tx,
            &NewShop {
                name: &name,
                kind: "enterprise",
                region: REGIONS[m % REGIONS.len()],
                intro: "压测用店铺",
                owner_username: &username,
                owner_name: "压测",
                owner_password_hash: &password_hash,
                category_ids: &tops,
            },
        )
        .await?;
        for i in 0..per_shop.min(products - made) {
            let n = made + i;
            let (item, category) = ITEMS[n % ITEMS.len()];
            let region = REGIONS[(n / ITEMS.len()) % REGIONS.len()];
            let title = format!(
                "{}{}{} {}",
                region.split('·').nth(1).unwrap_or(region),
                TRAITS[n % TRAITS.len()],
                item,
                TRAITS[(n / 7) % TRAITS.len()]
            );
            let dims = format!(
                r#"[{{"name":"规格","values":["{}","{}","{}"]}}]"#,
                SIZES[0], SIZES[1], SIZES[2]
            );
            let fields = ProductFields {
                category_id: leaf(category),
                title: &title,
                subtitle: "压测数据",
                brand: "集市",
                origin: region,
                description: "<p>压测商品</p>",
                main_image: &image,
                gallery: "",
                spec_dims: &dims,
                featured: i < 3,
            };
            let product_id =
                repo::insert_product(&mut tx, merchant_id, &fields, ProductStatus::OnSale).await?;
            repo::mark_approved(&mut tx, &[product_id], st.clock.now_ms()).await?;
            for (k, size) in SIZES.iter().enumerate() {
                let values = format!(r#"["{size}"]"#);
                let price = 990 + ((n * 37 + k * 1500) % 20000) as i64;
                let sku_id = repo::insert_sku(
                    &mut tx,
                    merchant_id,
                    product_id,
                    &SkuFields {
                        spec_values: &values,
                        price,
                        original_price: 0,
                        weight_g: 500,
                        code: "",
                        sort_order: k as i64,
                    },
                )
                .await?;
                let stock = 50 + (n % 200) as i64;
                stock_repo::adjust_stock(&mut tx, merchant_id, sku_id, stock).await?;
                stock_repo::log_stock(
                    &mut tx,
                    &StockEntry {
                        merchant_id,
                        product_id,
                        sku_id,
                        delta: stock,
                        stock_after: stock,
                        reason: "初始库存",
                        actor_realm: "merchant",
                        actor_id: Some(staff_id),
                    },
                )
                .await?;
            }
            repo::refresh_summary(&mut tx, product_id).await?;
        }
        made += per_shop.min(products - made);
        // the shop front loads once, below, rather than product by product
        tx.changes().clear();
        tx.commit().await?;
    }
    st.shop_front.reload_all(&st.db.pool).await?;
    Ok((merchants, made))
}

fn one_picture() -> Vec<u8> {
    let img = image::RgbImage::from_fn(300, 300, |x, y| {
        image::Rgb([200, (x % 256) as u8, (y % 256) as u8])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encoding a picture in memory");
    out
}
