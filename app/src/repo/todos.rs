//! How many things wait for someone, for the dashboards' to-do panels (SQL only; which counts a
//! console shows and where they link is `services::dashboards`).

use sqlx::AnyConnection;

use crate::domain::after_sale::AfterSaleStatus;
use crate::domain::merchant::ApplicationStatus;
use crate::domain::order::OrderStatus;
use crate::domain::product::ProductStatus;
use crate::domain::settlement::{BillStatus, WithdrawalStatus};
use crate::error::AppResult;

/// What waits for the platform.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlatformTodos {
    pub applications: i64,
    /// products waiting for 商品审核
    pub products: i64,
    pub arbitration: i64,
    pub withdrawals: i64,
    pub disputed_bills: i64,
}

/// One statement, one round trip: a console's 概览 counts its to-dos on every load.
pub async fn platform(conn: &mut AnyConnection) -> AppResult<PlatformTodos> {
    let by_status =
        |table: &str, bind: u8| format!("(SELECT COUNT(*) FROM {table} WHERE status = ${bind})");
    let sql = format!(
        "SELECT {}, {}, {}, {}, {}",
        by_status("merchant_applications", 1),
        by_status("products", 2),
        by_status("after_sales", 3),
        by_status("withdrawals", 4),
        by_status("settlement_bills", 5),
    );
    let (applications, products, arbitration, withdrawals, disputed_bills) =
        sqlx::query_as::<_, (i64, i64, i64, i64, i64)>(&sql)
            .bind(ApplicationStatus::Pending.as_str())
            .bind(ProductStatus::PendingReview.as_str())
            .bind(AfterSaleStatus::Arbitrating.as_str())
            .bind(WithdrawalStatus::Pending.as_str())
            .bind(BillStatus::Disputed.as_str())
            .fetch_one(&mut *conn)
            .await?;
    Ok(PlatformTodos {
        applications,
        products,
        arbitration,
        withdrawals,
        disputed_bills,
    })
}

/// A shop's to-dos.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShopTodos {
    pub to_ship: i64,
    /// Waiting for the shop: new requests and returned goods to check.
    pub after_sales: i64,
    /// On-sale SKUs with at most `low` units.
    pub low_stock: i64,
    pub bills_to_confirm: i64,
    /// Reviews (or their appends) not replied to.
    pub reviews_to_reply: i64,
}

/// One statement, one round trip, as [`platform`].
pub async fn shop(conn: &mut AnyConnection, merchant_id: i64, low: i64) -> AppResult<ShopTodos> {
    let unreplied = crate::repo::reviews::UNREPLIED;
    let sql = format!(
        "SELECT \
         (SELECT COUNT(*) FROM orders WHERE status = $2 AND merchant_id = $1), \
         (SELECT COUNT(*) FROM after_sales WHERE status IN ($3, $4) AND merchant_id = $1), \
         (SELECT COUNT(*) FROM skus s JOIN products p ON p.id = s.product_id \
          WHERE p.status = $5 AND s.active = 1 AND s.stock <= $6 AND s.merchant_id = $1), \
         (SELECT COUNT(*) FROM settlement_bills WHERE status = $7 AND merchant_id = $1), \
         (SELECT COUNT(*) FROM reviews r WHERE r.merchant_id = $1 AND r.automatic = 0{unreplied})"
    );
    let (to_ship, after_sales, low_stock, bills_to_confirm, reviews_to_reply) =
        sqlx::query_as::<_, (i64, i64, i64, i64, i64)>(&sql)
            .bind(merchant_id)
            .bind(OrderStatus::ToShip.as_str())
            .bind(AfterSaleStatus::Pending.as_str())
            .bind(AfterSaleStatus::Returned.as_str())
            .bind(ProductStatus::OnSale.as_str())
            .bind(low)
            .bind(BillStatus::Pending.as_str())
            .fetch_one(&mut *conn)
            .await?;
    Ok(ShopTodos {
        to_ship,
        after_sales,
        low_stock,
        bills_to_confirm,
        reviews_to_reply,
    })
}
