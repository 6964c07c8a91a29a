//! The demo's 预售, so a new user sees it at once: 昭通苹果园 presells 云南褚橙 for a week at
//! about 90 % of its price, every SKU of it not in another activity, promising to ship by the
//! tenth day. Made again whenever no presale is selling.

use crate::domain::presale::{PresaleInput, ShipPromise};
use crate::domain::time::{china_day, day_start, DAY_MS};
use crate::error::AppResult;
use crate::repo::accounts as account_repo;
use crate::repo::presales as repo;
use crate::state::AppState;

const SHOP: &str = "zhaotong_apple";
const PRODUCT: &str = "云南褚橙 冰糖橙";
const TITLE: &str = "褚橙预售 · 树上现摘 10 天内发货";

pub async fn seed(st: &AppState) -> AppResult<()> {
    let now = st.clock.now_ms();
    let mut conn = st.db.pool.acquire().await?;
    if !repo::selling(&mut conn, now, 1).await?.is_empty() {
        return Ok(());
    }
    let Some(staff) = account_repo::staff_by_username(&st.db.pool, SHOP).await? else {
        return Ok(());
    };
    // the product's SKUs with stock, in no other activity (one activity per SKU at a time)
    let skus: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT s.product_id, s.id, s.price, s.stock FROM skus s \
         JOIN products p ON p.id = s.product_id WHERE s.merchant_id = $1 AND p.title = $2 \
         AND p.status = 'on_sale' AND s.active = 1 AND s.stock >= 20 \
         AND s.id NOT IN (SELECT sku_id FROM flash_sale_items) \
         AND s.id NOT IN (SELECT sku_id FROM group_buy_skus) ORDER BY s.id",
    )
    .bind(staff.merchant_id)
    .bind(PRODUCT)
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    let Some(&(product_id, ..)) = skus.first() else {
        return Ok(());
    };
    let input = PresaleInput {
        title: TITLE.into(),
        starts_at: now - 60_000,
        ends_at: now + 7 * DAY_MS,
        ship: ShipPromise::Date {
            before: day_start(china_day(now) + 11),
        },
        per_order_limit: 3,
        per_user_limit: 5,
        // about 90 % of the price, ending in 9 jiao: ¥61.9
        skus: skus
            .iter()
            .map(|&(_, sku, price, stock)| {
                (sku, (price * 9 / 10 / 100).max(1) * 100 - 10, stock.min(50))
            })
            .collect(),
    };
    let mut tx = st.db.begin_write().await?;
    repo::insert(&mut tx, staff.merchant_id, product_id, &input, now).await?;
    tx.commit().await?;
    Ok(())
}
