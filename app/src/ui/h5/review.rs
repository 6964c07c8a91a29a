//! Reviews on the shop front: the product page's strip and the full list with its filters, a
//! shop's scores, the review form of an order (评价), and 我的评价 with its 追评 form.
//!
//! Stars are radios (`.star-picker` in style/main.css lights them without a script), filters
//! and pages are links, forms are plain forms: everything works before the wasm loads.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::TopBar;
use crate::api::reviews::{
    fetch_shop_scores, my_reviews, product_reviews, waiting_reviews, AppendReview, SubmitReview,
};
use crate::domain::review::{
    decimal_text, percent_text, stars_text, versus_category, ReviewFilter, ReviewSummary,
    ReviewView, MAX_IMAGES, MAX_TEXT_CHARS,
};
use crate::domain::storefront::image_url;
use crate::ui::common::{datetime_text, ErrorBanner};
use crate::ui::kit::{form_error, Loaded, Pager, Place};
use crate::ui::upload::ImageField;

/// The product page's 商品评价: the figures, two reviews and a link to them all.
#[component]
pub fn ProductReviewsStrip(product_id: i64) -> impl IntoView {
    let page = Resource::new(move || product_id, |id| product_reviews(id, None, None));
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(p) = page.await else { return ().into_any() };
                let all = format!("/product/{product_id}/reviews");
                view! {
                    <section class="mt-2 bg-white px-4 py-3" data-test="review-strip" aria-label="商品评价">
                        <a href=all.clone() class="flex items-center justify-between">
                            <h2 class="text-sm font-bold">{format!("商品评价（{}）", p.summary.total)}</h2>
                            <span class="text-xs text-gray-500">
                                {(p.summary.total > 0).then(|| format!("好评率 {} ", percent_text(p.summary.positive_rate_bps)))}
                                "查看全部 ›"
                            </span>
                        </a>
                        {if p.rows.is_empty() {
                            view! { <p class="py-3 text-center text-xs text-gray-400">"暂无评价，买过的朋友快来说说吧"</p> }.into_any()
                        } else {
                            p.rows.into_iter().take(2).map(|r| view! { <ReviewCard r /> }).collect_view().into_any()
                        }}
                    </section>
                }.into_any()
            })}
        </Transition>
    }
}

/// 全部评价 of a product: figures, filters with their counts, a page of reviews.
#[component]
pub fn ProductReviewsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let filter = move || query.read().get("filter").unwrap_or_default();
    let page_no = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
    };
    let data = Resource::new(
        move || (id(), filter(), page_no()),
        |(id, f, p)| product_reviews(id, Some(f), Some(p)),
    );
    view! {
        <Title text="商品评价" />
        <div class="mx-auto min-h-screen max-w-[480px] bg-page pb-6">
            <TopBar title="商品评价" />
            <Loaded resource=data place=Place::Shop not_found=true let:p>
                {{
                    let base = format!("/product/{}/reviews", id());
                    let current = ReviewFilter::parse(&filter()).unwrap_or(ReviewFilter::All);
                    let pages = p.pages();
                    let params = vec![("filter", current.as_str().to_string())];
                    view! {
                        <SummaryHead s=p.summary.clone() />
                        <nav class="flex flex-wrap gap-2 bg-white px-4 pb-3" aria-label="筛选评价">
                            {ReviewFilter::ALL.into_iter().map(|f| {
                                let n = count_of(&p.summary, f);
                                let on = f == current;
                                let href = if f == ReviewFilter::All { base.clone() } else { format!("{base}?filter={}", f.as_str()) };
                                view! {
                                    <a href=href aria-current=on.then_some("page") data-test="review-filter"
                                        class="rounded-full px-3 py-1 text-xs"
                                        class:bg-promo=on class:text-white=on class:bg-red-50=!on class:text-ink=!on>
                                        {format!("{} {n}", f.label())}
                                    </a>
                                }
                            }).collect_view()}
                        </nav>
                        <div class="mt-2 bg-white px-4">
                            {if p.rows.is_empty() {
                                view! { <p class="py-10 text-center text-sm text-gray-400">"没有符合条件的评价"</p> }.into_any()
                            } else {
                                p.rows.into_iter().map(|r| view! { <ReviewCard r /> }).collect_view().into_any()
                            }}
                        </div>
                        <div class="px-4">
                            <Pager base params page=p.page has_more={p.page < pages} caption=format!("共 {} 条，第 {}/{} 页", p.matching, p.page, pages) />
                        </div>
                    }.into_any()
                }}
            </Loaded>
        </div>
    }
}

/// How many reviews a filter finds, from the figures (automatic ones are not listed).
fn count_of(s: &ReviewSummary, f: ReviewFilter) -> i64 {
    match f {
        ReviewFilter::All => s.total - s.automatic,
        ReviewFilter::Photos => s.with_photos,
        // automatic reviews are five-star: listed under none of the grades
        ReviewFilter::Positive => s.positive - s.automatic,
        ReviewFilter::Neutral => s.neutral,
        ReviewFilter::Negative => s.negative,
        ReviewFilter::Appended => s.with_append,
    }
}

#[component]
fn SummaryHead(s: ReviewSummary) -> impl IntoView {
    view! {
        <section class="flex items-center gap-4 bg-white px-4 py-4" data-test="review-summary">
            <div class="text-center">
                <p class="text-3xl font-bold text-promo">{if s.total > 0 { decimal_text(s.rating_x10, 1) } else { "—".to_string() }}</p>
                <p class="text-xs text-gray-400">"综合评分"</p>
            </div>
            <div class="text-sm text-gray-600">
                <p>{format!("共 {} 条评价", s.total)}</p>
                {(s.total > 0).then(|| view! {
                    <p>"好评率 " <b class="text-promo">{percent_text(s.positive_rate_bps)}</b></p>
                })}
                {(s.automatic > 0).then(|| view! {
                    <p class="text-xs text-gray-400">{format!("其中 {} 条为系统默认好评", s.automatic)}</p>
                })}
            </div>
        </section>
    }
}

/// One review: who, stars, text, photos, the shop's reply, the append and its reply.
#[component]
pub fn ReviewCard(r: ReviewView) -> impl IntoView {
    let photos = |keys: Vec<String>| {
        (!keys.is_empty()).then(|| {
            view! {
                <div class="mt-2 grid grid-cols-3 gap-1.5">
                    {keys.into_iter().map(|k| view! {
                        <a href=image_url(&k, 1500) target="_blank" rel="noopener">
                            <img src=image_url(&k, 240) alt="评价图片" width="240" height="240" loading="lazy" class="aspect-square w-full rounded object-cover" />
                        </a>
                    }).collect_view()}
                </div>
            }
        })
    };
    view! {
        <article class="border-b border-gray-100 py-3 last:border-0" data-test="review">
            <div class="flex items-center justify-between text-xs text-gray-500">
                <span class="font-medium text-ink">{r.reviewer.clone()}</span>
                <span>{datetime_text(r.at)}</span>
            </div>
            <p class="mt-1 text-sm text-amber-400" aria-label=format!("商品 {} 星", r.goods_stars)>{stars_text(r.goods_stars)}</p>
            <p class="text-xs text-gray-400">{r.spec_label.clone()}</p>
            {r.hidden_reason.clone().map(|why| view! {
                <p class="mt-1 rounded bg-gray-100 px-2 py-1 text-xs text-gray-500" data-test="review-hidden">{format!("已被平台隐藏：{why}")}</p>
            })}
            <p class="mt-1 whitespace-pre-line text-sm leading-6" class:text-gray-400=r.automatic data-test="review-content">
                {if r.content.is_empty() { "此用户没有填写评价内容".to_string() } else { r.content.clone() }}
            </p>
            {photos(r.images.clone())}
            {r.reply.clone().map(|reply| view! {
                <p class="mt-2 rounded bg-page px-2 py-1.5 text-xs text-gray-600" data-test="review-reply"><b>"商家回复："</b>{reply.content}</p>
            })}
            {r.append.clone().map(|a| view! {
                <div class="mt-2" data-test="review-append">
                    <p class="text-xs text-promo">{if a.days_after == 0 { "当天追评".to_string() } else { format!("{} 天后追评", a.days_after) }}</p>
                    <p class="mt-0.5 whitespace-pre-line text-sm leading-6">{a.content.clone()}</p>
                    {photos(a.images.clone())}
                    {a.reply.map(|reply| view! {
                        <p class="mt-2 rounded bg-page px-2 py-1.5 text-xs text-gray-600"><b>"商家回复："</b>{reply.content}</p>
                    })}
                </div>
            })}
        </article>
    }
    .into_any()
}

/// The shop page's 店铺评分: three scores against the shop's category.
#[component]
pub fn ShopScoresStrip(shop_id: i64) -> impl IntoView {
    let scores = Resource::new(move || shop_id, fetch_shop_scores);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(s) = scores.await else { return ().into_any() };
                if s.reviews == 0 {
                    return ().into_any();
                }
                let row = |label: &'static str, score: i64, category: i64| {
                    let vs = versus_category(score, category);
                    let up = vs.starts_with("高于");
                    view! {
                        <div class="flex-1 text-center">
                            <p class="text-xs text-gray-500">{label}</p>
                            <p class="text-base font-bold">{decimal_text(score, 2)}</p>
                            <p class="text-[11px]" class:text-promo=up class:text-gray-400=!up>{vs}</p>
                        </div>
                    }
                };
                view! {
                    <section class="mx-3 mt-3 rounded-xl bg-white p-3" data-test="shop-scores" aria-label="店铺评分">
                        <p class="mb-2 text-xs text-gray-400">{format!("{} 条评价 · 与「{}」类店铺相比", s.reviews, s.category)}</p>
                        <div class="flex">
                            {row("宝贝描述", s.goods_x100, s.category_goods_x100)}
                            {row("卖家服务", s.service_x100, s.category_service_x100)}
                            {row("物流服务", s.logistics_x100, s.category_logistics_x100)}
                        </div>
                    </section>
                }.into_any()
            })}
        </Transition>
    }
}

/// Five radios named `name`, 5 → 1 (see `.star-picker`), five checked.
#[component]
fn StarPicker(#[prop(into)] name: String, label: &'static str) -> impl IntoView {
    let id = name.replace(['[', ']'], "-");
    view! {
        <fieldset class="flex items-center gap-3">
            <legend class="sr-only">{label}</legend>
            <span aria-hidden="true" class="w-16 text-sm text-gray-600">{label}</span>
            <span class="star-picker">
                {(1..=5).rev().map(|n| {
                    let input_id = format!("{id}{n}");
                    view! {
                        <input type="radio" id=input_id.clone() name=name.clone() value=n.to_string() checked={n == 5} />
                        <label for=input_id title=format!("{n} 星")>"★"<span class="sr-only">{format!("{n} 星")}</span></label>
                    }
                }).collect_view()}
            </span>
        </fieldset>
    }
    .into_any()
}

/// 评价 an order: each line waiting for its review, and the order's service and logistics stars.
#[component]
pub fn ReviewOrderPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let lines = Resource::new(id, |id| waiting_reviews(Some(id)));
    let submit = ServerAction::<SubmitReview>::new();
    let error = Signal::derive(form_error(move || submit.value().get()));
    view! {
        <Title text="发表评价" />
        <div class="mx-auto min-h-screen max-w-[480px] bg-page pb-24">
            <TopBar title="发表评价" />
            <Loaded resource=lines place=Place::Shop sign_in_to="评价" not_found=true let:lines>
                {{
                    let order_id = lines.first().map_or(0, |l| l.order_id);
                    let items = lines.into_iter().enumerate().map(|(n, l)| review_line(n, l)).collect_view();
                    view! {
                        <ActionForm action=submit>
                            <input type="hidden" name="order_id" value=order_id.to_string() />
                            <div class="flex flex-col gap-3 p-3">
                                <ErrorBanner message=move || error.get() />
                                {items}
                                <section class="flex flex-col gap-3 rounded-xl bg-white p-4">
                                    <h2 class="text-sm font-bold">"店铺评分"</h2>
                                    <StarPicker name="service_stars" label="卖家服务" />
                                    <StarPicker name="logistics_stars" label="物流服务" />
                                    <label class="flex items-center gap-2 text-sm text-gray-600"><input type="checkbox" name="anonymous" value="1" class="accent-promo" />"匿名评价（不展示昵称）"</label>
                                </section>
                            </div>
                            <div class="fixed inset-x-0 bottom-0 z-10 mx-auto max-w-[480px] border-t border-gray-100 bg-white p-3">
                                <button type="submit" class="btn-primary w-full" data-test="submit-review">"发布评价"</button>
                            </div>
                        </ActionForm>
                    }.into_any()
                }}
            </Loaded>
        </div>
    }
}

/// One line of the review form; its parts are built apart (type-erased) to keep the view
/// types shallow enough for the compiler.
fn review_line(n: usize, l: crate::domain::review::ReviewableLine) -> AnyView {
    let head = view! {
        <input type="hidden" name=format!("lines[{n}][order_item_id]") value=l.order_item_id.to_string() />
        <div class="flex items-center gap-3">
            <img src=image_url(&l.image, 240) alt="" width="56" height="56" loading="lazy" class="h-14 w-14 rounded-lg bg-page object-cover" />
            <div class="min-w-0 flex-1">
                <p class="truncate text-sm">{l.title.clone()}</p>
                <p class="text-xs text-gray-400">{l.spec_label.clone()}</p>
            </div>
        </div>
    }
    .into_any();
    let text = view! {
        <label class="field">
            <span class="sr-only">"评价内容"</span>
            <textarea name=format!("lines[{n}][content]") rows="4" maxlength=MAX_TEXT_CHARS.to_string() class="input h-auto py-2" placeholder="宝贝满足你的期待吗？说说它的优点和美中不足吧"></textarea>
        </label>
    }
    .into_any();
    let photos = view! {
        <div class="field"><span>{format!("晒图（选填，最多{MAX_IMAGES}张）")}</span><ImageField name=format!("lines[{n}][images]") max=MAX_IMAGES label="添加图片" /></div>
    }
    .into_any();
    view! {
        <section class="flex flex-col gap-3 rounded-xl bg-white p-4" data-test="review-line">
            {head}
            <StarPicker name=format!("lines[{n}][goods_stars]") label="商品质量" />
            {text}
            {photos}
        </section>
    }
    .into_any()
}

/// 我的评价: the shopper's reviews, with 追评 while it is open, and the lines still to review.
#[component]
pub fn MyReviewsPage() -> impl IntoView {
    let query = use_query_map();
    let page_no = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
    };
    let append = ServerAction::<AppendReview>::new();
    let data = Resource::new(
        move || (page_no(), append.version().get()),
        |(p, _)| async move {
            let waiting = waiting_reviews(None).await?;
            let mine = my_reviews(Some(p)).await?;
            Ok::<_, crate::error::AppError>((waiting, mine))
        },
    );
    let error = Signal::derive(form_error(move || append.value().get()));
    view! {
        <Title text="我的评价" />
        <div class="mx-auto min-h-screen max-w-[480px] bg-page pb-6">
            <TopBar title="我的评价" />
            <Loaded resource=data place=Place::Shop sign_in_to="查看我的评价" let:d>
                {{
                    let (waiting, mine) = d;
                    let pages = mine.pages();
                    let mut orders: Vec<(i64, String, usize)> = Vec::new();
                    for l in &waiting {
                        match orders.iter_mut().find(|o| o.0 == l.order_id) {
                            Some(o) => o.2 += 1,
                            None => orders.push((l.order_id, l.title.clone(), 1)),
                        }
                    }
                    view! {
                        <div class="flex flex-col gap-3 p-3">
                            <ErrorBanner message=move || error.get() />
                            {(!orders.is_empty()).then(|| view! {
                                <section class="rounded-xl bg-white p-4" data-test="waiting-reviews">
                                    <h2 class="mb-2 text-sm font-bold">{format!("待评价（{}）", waiting.len())}</h2>
                                    {orders.into_iter().map(|(order_id, title, n)| view! {
                                        <a href=format!("/orders/{order_id}/review") class="flex items-center justify-between py-1.5 text-sm">
                                            <span class="truncate">{if n > 1 { format!("{title} 等 {n} 件") } else { title }}</span>
                                            <span class="ml-2 shrink-0 rounded-full border border-promo px-3 py-0.5 text-xs text-promo">"去评价"</span>
                                        </a>
                                    }).collect_view()}
                                </section>
                            })}
                            <section class="rounded-xl bg-white px-4">
                                {if mine.rows.is_empty() {
                                    view! { <p class="py-10 text-center text-sm text-gray-400">"还没有评价"</p> }.into_any()
                                } else {
                                    mine.rows.into_iter().map(|r| {
                                        let can_append = r.actions.iter().any(|a| a == "append");
                                        let id = r.id;
                                        view! {
                                            <a href=format!("/product/{}", r.product_id) class="mt-3 block truncate text-xs text-gray-500">{r.title.clone()}</a>
                                            <ReviewCard r />
                                            {can_append.then(|| view! {
                                                <details class="mb-3 text-sm" data-test="append-form">
                                                    <summary class="cursor-pointer text-promo">"追加评价"</summary>
                                                    <ActionForm action=append attr:class="mt-2 flex flex-col gap-2">
                                                        <input type="hidden" name="id" value=id.to_string() />
                                                        <textarea name="content" rows="3" required maxlength=MAX_TEXT_CHARS.to_string() class="input h-auto py-2" placeholder="用了一段时间，说说感受吧"></textarea>
                                                        {view! { <ImageField name="images" max=MAX_IMAGES label="添加图片" /> }.into_any()}
                                                        <button type="submit" class="btn-primary">"发布追评"</button>
                                                    </ActionForm>
                                                </details>
                                            })}
                                        }.into_any()
                                    }).collect_view().into_any()
                                }}
                            </section>
                            <Pager base="/me/reviews" page=mine.page has_more={mine.page < pages} />
                        </div>
                    }.into_any()
                }}
            </Loaded>
        </div>
    }
}
