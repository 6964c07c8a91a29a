//! Reviews: a shopper reviews the lines of a completed order and appends once, the shop replies,
//! the platform hides abusive ones, and a timer writes the automatic positive reviews. Every
//! write keeps the product's sums (`review_stats`) in the same transaction, so a rating is one
//! row away. What may be written and when is `domain::review`.

use crate::domain::audit::AuditTarget;
use crate::domain::order::{OrderStatus, MAX_LINES};
use crate::domain::permission::Permission;
use crate::domain::review::{
    check_images, check_stars, check_text, may_append, AppendInput, AppendView, OrderReviewInput,
    ReplyView, ReviewFilter, ReviewList, ReviewPage, ReviewSummary, ReviewView, ReviewableLine,
    ShopScores, AUTOMATIC_TEXT, MAX_HIDE_REASON_CHARS, PAGE_SIZE,
};
use crate::error::{AppError, AppResult};
use crate::repo::audit;
use crate::repo::reviews::{
    self as repo, ConsoleFilter, NewReview, ReplyTo, ReviewRow, StatsDelta,
};
use crate::services::admins::AdminScope;
use crate::services::merchants::MerchantScope;
use crate::services::uploads::check_image_keys;
use crate::state::AppState;

const DAY_MS: i64 = 86_400_000;

/// Who reads a review: what they see of it (a hidden one's reason) and may do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewReader {
    /// anyone on the shop front
    Public,
    Shopper(i64),
    Shop(i64),
    Platform,
}

/// The shopper reviews lines of one of their completed orders, all in one transaction. Errors:
/// 404 for an order or line not theirs; 409 when the order is not completed, a line is reviewed
/// already or was refunded in full; 422 for stars outside 1–5, text over 500 characters, more
/// than 9 photos or a photo that was not uploaded.
pub async fn submit(
    st: &AppState,
    shopper_id: i64,
    order_id: i64,
    input: &OrderReviewInput,
) -> AppResult<Vec<i64>> {
    if input.lines.is_empty() {
        return Err(AppError::invalid("lines", "请至少评价一件商品"));
    }
    // an order holds no more lines than a checkout takes
    if input.lines.len() > MAX_LINES {
        return Err(AppError::invalid(
            "lines",
            format!("一次最多评价 {MAX_LINES} 件商品"),
        ));
    }
    let words = &st.config.reviews.sensitive_words;
    let mut checked = Vec::with_capacity(input.lines.len());
    for l in &input.lines {
        let goods = check_stars("goods_stars", l.goods_stars)?;
        let service = check_stars("service_stars", l.service_stars)?;
        let logistics = check_stars("logistics_stars", l.logistics_stars)?;
        let content = check_text("content", &l.content, false, words)?;
        check_images(&l.images)?;
        let keys: Vec<&str> = l.images.iter().map(String::as_str).collect();
        check_image_keys(st, &keys).await?;
        checked.push((l, goods, service, logistics, content));
    }
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    let lines = repo::lines_of_order(&mut tx, order_id).await?;
    if lines.first().is_none_or(|l| l.shopper_id != shopper_id) {
        return Err(AppError::not_found("订单不存在"));
    }
    if lines[0].status != OrderStatus::Completed {
        return Err(AppError::Conflict("订单确认收货后才能评价".into()));
    }
    let mut ids = Vec::with_capacity(checked.len());
    for (l, goods, service, logistics, content) in checked {
        let line = lines
            .iter()
            .find(|x| x.order_item_id == l.order_item_id)
            .ok_or_else(|| AppError::not_found("订单中没有这件商品"))?;
        if line.fully_refunded() {
            return Err(AppError::Conflict("已全部退款的商品不能评价".into()));
        }
        let images = l.images.join(" ");
        let review = NewReview {
            line,
            goods_stars: goods,
            service_stars: service,
            logistics_stars: logistics,
            content: &content,
            images: &images,
            anonymous: l.anonymous,
            automatic: false,
            now,
        };
        let id = repo::insert(&mut tx, &review)
            .await?
            .ok_or_else(|| AppError::Conflict("这件商品已经评价过了".into()))?;
        ids.push(id);
    }
    repo::settle_pending(&mut tx, order_id).await?;
    tx.commit().await?;
    Ok(ids)
}

/// The shopper appends to their review, once, within 90 days of it. Errors: 404 for a review
/// not theirs; 409 when it has an append or the window closed; 422 for empty or long text or
/// bad photos.
pub async fn append(
    st: &AppState,
    shopper_id: i64,
    review_id: i64,
    input: &AppendInput,
) -> AppResult<()> {
    let words = &st.config.reviews.sensitive_words;
    let content = check_text("content", &input.content, true, words)?;
    check_images(&input.images)?;
    let keys: Vec<&str> = input.images.iter().map(String::as_str).collect();
    check_image_keys(st, &keys).await?;
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    let before = repo::get(&mut tx, review_id)
        .await?
        .filter(|r| r.shopper_id == shopper_id)
        .ok_or_else(|| AppError::not_found("评价不存在"))?;
    if before.appended_at.is_some() {
        return Err(AppError::Conflict("每条评价只能追评一次".into()));
    }
    if !may_append(before.created_at, now) {
        return Err(AppError::Conflict("评价已超过 90 天，不能再追评".into()));
    }
    let images = input.images.join(" ");
    if !repo::append(&mut tx, review_id, shopper_id, &content, &images, now).await? {
        return Err(AppError::Conflict("每条评价只能追评一次".into()));
    }
    if before.hidden == 0 {
        let mut after = before.clone();
        after.appended_at = Some(now);
        after.append_images = images;
        restat(&mut tx, &before, &after).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Adjusts the product's sums from how a visible review stood to how it stands.
async fn restat(
    tx: &mut crate::infra::db::WriteTx,
    before: &ReviewRow,
    after: &ReviewRow,
) -> AppResult<()> {
    let change = StatsDelta::change(StatsDelta::of_row(before), StatsDelta::of_row(after));
    let top = top_category_of(tx, before).await?;
    repo::add_to_stats(tx, before.product_id, before.merchant_id, top, &change).await
}

async fn top_category_of(tx: &mut crate::infra::db::WriteTx, r: &ReviewRow) -> AppResult<i64> {
    let lines = repo::lines_of_order(tx, r.order_id).await?;
    lines
        .iter()
        .find(|l| l.order_item_id == r.order_item_id)
        .map(repo::LineRow::top_category_id)
        .ok_or_else(|| AppError::internal("a review's line is gone"))
}

/// The shop replies to one of its reviews (`to_append` false) or to its append, once each.
/// Errors: 404 for another shop's review; 409 when replied to already or there is no append;
/// 422 for empty or long text.
pub async fn reply(
    st: &AppState,
    scope: &MerchantScope,
    review_id: i64,
    to_append: bool,
    content: &str,
    ip: &str,
) -> AppResult<()> {
    let words = &st.config.reviews.sensitive_words;
    let content = check_text("content", content, true, words)?;
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    let review = repo::get(&mut tx, review_id)
        .await?
        .filter(|r| r.merchant_id == scope.merchant_id && r.automatic == 0)
        .ok_or_else(|| AppError::not_found("评价不存在"))?;
    let to = if to_append {
        ReplyTo::Append
    } else {
        ReplyTo::Review
    };
    if !repo::reply(&mut tx, review_id, scope.merchant_id, to, &content, now).await? {
        let why = match (to, review.appended_at) {
            (ReplyTo::Append, None) => "这条评价还没有追评",
            _ => "已经回复过了",
        };
        return Err(AppError::Conflict(why.into()));
    }
    let what = if to_append { "追评" } else { "评价" };
    let detail = format!("回复{what}「{}」", review.title);
    let entry = scope
        .entry("review_reply", &detail, ip)
        .on(AuditTarget::Review, review_id);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The platform hides an abusive review (with the reason shown to its author and the shop), or
/// shows it again (`reason` ignored). Needs 管理评价. Errors: 404 for no such review; 409 when
/// it already is hidden (shown); 422 for a missing or long reason.
pub async fn moderate(
    st: &AppState,
    admin: &AdminScope,
    review_id: i64,
    hide: bool,
    reason: &str,
    ip: &str,
) -> AppResult<()> {
    admin.require(Permission::ModerateReviews)?;
    let reason = if hide {
        crate::domain::merchant::check_text("reason", "隐藏原因", reason, 2, MAX_HIDE_REASON_CHARS)?
    } else {
        String::new()
    };
    let now = st.clock.now_ms();
    let mut tx = st.db.begin_write().await?;
    let review = repo::get(&mut tx, review_id)
        .await?
        .ok_or_else(|| AppError::not_found("评价不存在"))?;
    if !repo::set_hidden(&mut tx, review_id, hide, &reason, now).await? {
        let why = if hide {
            "评价已隐藏"
        } else {
            "评价未被隐藏"
        };
        return Err(AppError::Conflict(why.into()));
    }
    let delta = StatsDelta::of_row(&review);
    let top = top_category_of(&mut tx, &review).await?;
    let delta = if hide { delta.negated() } else { delta };
    repo::add_to_stats(&mut tx, review.product_id, review.merchant_id, top, &delta).await?;
    let (action, before, after) = if hide {
        ("review_hide", "显示", "隐藏")
    } else {
        ("review_show", "隐藏", "显示")
    };
    let mut entry = admin
        .entry(action, &reason, ip)
        .on(AuditTarget::Review, review_id)
        .change(before, after);
    entry.merchant_id = Some(review.merchant_id);
    audit::record(&mut *tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes the automatic positive reviews that are due: the unreviewed lines (not fully
/// refunded) of orders completed `reviews.auto_positive_days` ago or more, up to `limit`
/// orders per call. Each order in its own transaction; a line a shopper reviewed meanwhile
/// keeps the shopper's review. Returns the reviews written.
pub async fn write_automatic(st: &AppState, limit: i64) -> AppResult<usize> {
    let now = st.clock.now_ms();
    let cutoff = now - st.config.reviews.auto_positive_days * DAY_MS;
    let due = repo::due_orders(&st.db.pool, cutoff, limit).await?;
    let mut written = 0;
    for order_id in due {
        let mut tx = st.db.begin_write().await?;
        let lines = repo::lines_of_order(&mut tx, order_id).await?;
        let reviewed = repo::reviewed_lines(&mut tx, order_id).await?;
        for line in lines
            .iter()
            .filter(|l| !l.fully_refunded() && !reviewed.contains(&l.order_item_id))
        {
            let review = NewReview {
                line,
                goods_stars: 5,
                service_stars: 5,
                logistics_stars: 5,
                content: "",
                images: "",
                anonymous: true,
                automatic: true,
                now,
            };
            if repo::insert(&mut tx, &review).await?.is_some() {
                written += 1;
            }
        }
        repo::settle_pending(&mut tx, order_id).await?;
        tx.commit().await?;
    }
    Ok(written)
}

/// One page of a product's reviews with its figures, for the product page and its review list.
pub async fn of_product(
    st: &AppState,
    product_id: i64,
    filter: ReviewFilter,
    page: u32,
) -> AppResult<ReviewPage> {
    if st.shop_front.product(product_id).is_none() {
        return Err(AppError::not_found("商品不存在或已下架"));
    }
    let page = page.max(1);
    let mut conn = st.db.pool.acquire().await?;
    let summary = repo::counts_of_product(&mut conn, product_id)
        .await?
        .summary();
    let (rows, matching) = repo::of_product(
        &mut conn,
        product_id,
        filter,
        i64::from(PAGE_SIZE),
        i64::from(page - 1) * i64::from(PAGE_SIZE),
    )
    .await?;
    Ok(ReviewPage {
        summary,
        rows: rows
            .iter()
            .map(|r| view(r, ReviewReader::Public, st.clock.now_ms()))
            .collect(),
        page,
        matching,
    })
}

/// A product's review figures alone (for cards and the product page's head).
pub async fn summary_of_product(st: &AppState, product_id: i64) -> AppResult<ReviewSummary> {
    let mut conn = st.db.pool.acquire().await?;
    Ok(repo::counts_of_product(&mut conn, product_id)
        .await?
        .summary())
}

/// A shop's three scores against its main category's (404 for a shop not open).
pub async fn shop_scores(st: &AppState, merchant_id: i64) -> AppResult<ShopScores> {
    if !st.shop_front.has_shop(merchant_id) {
        return Err(AppError::not_found("店铺不存在或已休息"));
    }
    let mut conn = st.db.pool.acquire().await?;
    let (shop, main) = repo::counts_of_shop(&mut conn, merchant_id).await?;
    let category = repo::counts_of_category(&mut conn, main).await?;
    let name = repo::category_names(&mut conn, &[main])
        .await?
        .pop()
        .map_or(String::new(), |(_, n)| n);
    let x100 = |sum, n| crate::domain::review::mean_scaled(sum, n, 100);
    Ok(ShopScores {
        reviews: shop.total,
        goods_x100: x100(shop.goods_sum, shop.total),
        service_x100: x100(shop.service_sum, shop.total),
        logistics_x100: x100(shop.logistics_sum, shop.total),
        category: name,
        category_goods_x100: x100(category.goods_sum, category.total),
        category_service_x100: x100(category.service_sum, category.total),
        category_logistics_x100: x100(category.logistics_sum, category.total),
    })
}

/// The shopper's lines waiting for a review (待评价), newest order first; of one order when
/// `order_id` is given (404 when that order has none to review).
pub async fn waiting(
    st: &AppState,
    shopper_id: i64,
    order_id: Option<i64>,
) -> AppResult<Vec<ReviewableLine>> {
    let rows = repo::waiting(&mut *st.db.pool.acquire().await?, shopper_id, order_id, 200).await?;
    if order_id.is_some() && rows.is_empty() {
        return Err(AppError::not_found("订单没有待评价的商品"));
    }
    Ok(rows
        .into_iter()
        .map(|r| ReviewableLine {
            order_id: r.order_id,
            order_no: r.order_no,
            order_item_id: r.order_item_id,
            product_id: r.product_id,
            title: r.title,
            spec_label: r.spec_label,
            image: r.image,
            completed_at: r.completed_at,
        })
        .collect())
}

/// The shopper's own reviews, newest first.
pub async fn mine(st: &AppState, shopper_id: i64, page: u32) -> AppResult<ReviewList> {
    let page = page.max(1);
    let (rows, matching) = repo::of_shopper(
        &mut *st.db.pool.acquire().await?,
        shopper_id,
        i64::from(PAGE_SIZE),
        i64::from(page - 1) * i64::from(PAGE_SIZE),
    )
    .await?;
    let now = st.clock.now_ms();
    Ok(ReviewList {
        rows: rows
            .iter()
            .map(|r| view(r, ReviewReader::Shopper(shopper_id), now))
            .collect(),
        page,
        matching,
    })
}

/// A console's filter by its query value; 422 for an unknown one.
pub fn console_filter(value: &str) -> AppResult<ConsoleFilter> {
    Ok(match value {
        "" | "all" => ConsoleFilter::All,
        "unreplied" => ConsoleFilter::Unreplied,
        "negative" => ConsoleFilter::Negative,
        "hidden" => ConsoleFilter::Hidden,
        _ => return Err(AppError::invalid("filter", "未知的筛选条件")),
    })
}

/// The shop's reviews for 评价管理.
pub async fn of_shop(
    st: &AppState,
    scope: &MerchantScope,
    filter: &str,
    page: u32,
) -> AppResult<ReviewList> {
    console_list(st, ReviewReader::Shop(scope.merchant_id), filter, page).await
}

/// Every shop's reviews for the platform's 评价管理 (needs 管理评价).
pub async fn for_platform(
    st: &AppState,
    admin: &AdminScope,
    filter: &str,
    page: u32,
) -> AppResult<ReviewList> {
    admin.require(Permission::ModerateReviews)?;
    console_list(st, ReviewReader::Platform, filter, page).await
}

async fn console_list(
    st: &AppState,
    reader: ReviewReader,
    filter: &str,
    page: u32,
) -> AppResult<ReviewList> {
    let filter = console_filter(filter)?;
    let page = page.max(1);
    let shop = match reader {
        ReviewReader::Shop(m) => Some(m),
        _ => None,
    };
    let (rows, matching) = repo::for_console(
        &mut *st.db.pool.acquire().await?,
        shop,
        filter,
        i64::from(PAGE_SIZE),
        i64::from(page - 1) * i64::from(PAGE_SIZE),
    )
    .await?;
    let now = st.clock.now_ms();
    Ok(ReviewList {
        rows: rows.iter().map(|r| view(r, reader, now)).collect(),
        page,
        matching,
    })
}

/// A review as `reader` sees it, with what they may do.
pub fn view(r: &ReviewRow, reader: ReviewReader, now: i64) -> ReviewView {
    let keys = |s: &str| s.split_whitespace().map(str::to_string).collect();
    let reply = r.replied_at.map(|at| ReplyView {
        content: r.reply.clone(),
        at,
    });
    let append = r.appended_at.map(|at| AppendView {
        content: r.append_content.clone(),
        images: keys(&r.append_images),
        at,
        days_after: (at - r.created_at).max(0) / DAY_MS,
        reply: r.append_replied_at.map(|at| ReplyView {
            content: r.append_reply.clone(),
            at,
        }),
    });
    let mut actions = Vec::new();
    match reader {
        ReviewReader::Shopper(s)
            if s == r.shopper_id && r.appended_at.is_none() && may_append(r.created_at, now) =>
        {
            actions.push("append".to_string());
        }
        ReviewReader::Shop(m) if m == r.merchant_id && r.automatic == 0 => {
            if r.replied_at.is_none() {
                actions.push("reply".to_string());
            }
            if r.appended_at.is_some() && r.append_replied_at.is_none() {
                actions.push("reply_append".to_string());
            }
        }
        ReviewReader::Platform => {
            actions.push(if r.hidden == 0 { "hide" } else { "unhide" }.to_string());
        }
        _ => {}
    }
    let sees_reason = !matches!(reader, ReviewReader::Public);
    ReviewView {
        id: r.id,
        product_id: r.product_id,
        order_id: r.order_id,
        title: r.title.clone(),
        spec_label: r.spec_label.clone(),
        image: r.image.clone(),
        reviewer: if r.anonymous != 0 {
            "匿名用户".to_string()
        } else {
            r.nickname.clone()
        },
        goods_stars: r.goods_stars,
        service_stars: r.service_stars,
        logistics_stars: r.logistics_stars,
        content: if r.automatic != 0 {
            AUTOMATIC_TEXT.to_string()
        } else {
            r.content.clone()
        },
        images: keys(&r.images),
        automatic: r.automatic != 0,
        at: r.created_at,
        reply,
        append,
        hidden_reason: (r.hidden != 0 && sees_reason).then(|| r.hidden_reason.clone()),
        actions,
    }
}
