//! 评价管理 of both consoles: a shop replies to its reviews and their appends (once each); the
//! platform sees every shop's and hides an abusive review with a reason, or shows it again.
//! Automatic positive reviews are not listed (nothing to reply to).

use leptos::prelude::*;
use leptos_meta::Title;

use super::finance::{latest_result, text_param};
use super::ConsoleShell;
use crate::api::reviews::{admin_reviews, shop_reviews, ModerateReview, ReplyReview};
use crate::domain::account::Realm;
use crate::domain::review::{stars_text, ReviewView, MAX_HIDE_REASON_CHARS, MAX_TEXT_CHARS};
use crate::domain::storefront::image_url;
use crate::ui::common::{datetime_text, ErrorBanner};
use crate::ui::kit::{form_error, Loaded, Pager, Tabs};

#[component]
pub fn MerchantReviewsPage() -> impl IntoView {
    view! { <ReviewsPage realm=Realm::Merchant /> }
}

#[component]
pub fn AdminReviewsPage() -> impl IntoView {
    view! { <ReviewsPage realm=Realm::Admin /> }
}

#[component]
fn ReviewsPage(realm: Realm) -> impl IntoView {
    let platform = realm == Realm::Admin;
    let base: &'static str = if platform {
        "/admin/reviews"
    } else {
        "/merchant/reviews"
    };
    let (filter, page) = (text_param("filter"), text_param("page"));
    let reply = ServerAction::<ReplyReview>::new();
    let moderate = ServerAction::<ModerateReview>::new();
    let last = latest_result(vec![
        Signal::derive(move || reply.value().get()),
        Signal::derive(move || moderate.value().get()),
    ]);
    let error = Signal::derive(form_error(move || last.get()));
    let list = Resource::new(
        move || {
            (
                filter(),
                page().parse::<u32>().unwrap_or(1),
                reply.version().get() + moderate.version().get(),
            )
        },
        move |(f, p, _)| async move {
            if platform {
                admin_reviews(Some(f), Some(p)).await
            } else {
                shop_reviews(Some(f), Some(p)).await
            }
        },
    );
    let tabs = vec![
        (String::new(), "全部".to_string()),
        ("unreplied".to_string(), "待回复".to_string()),
        ("negative".to_string(), "差评".to_string()),
        ("hidden".to_string(), "已隐藏".to_string()),
    ];
    view! {
        <Title text="评价管理" />
        <ConsoleShell realm>
            <h1 class="text-xl font-bold">"评价管理"</h1>
            <p class="mt-1 text-sm text-gray-500">
                {if platform {
                    "所有店铺的买家评价（系统默认好评不列出）。隐藏辱骂、广告等违规评价需填写原因，买家和商家可见原因，操作记入日志。"
                } else {
                    "本店商品的买家评价（系统默认好评不列出）。每条评价和追评各可回复一次，回复对所有买家公开。"
                }}
            </p>
            <Tabs base param="filter" items=tabs current=Signal::derive(filter) label="评价筛选" />
            <div class="mt-3"><ErrorBanner message=move || error.get() /></div>
            <Loaded resource=list let:l>
                {{
                    let pages = l.pages();
                    let caption = format!("共 {} 条，第 {}/{} 页", l.matching, l.page, pages);
                    view! {
                        <div class="mt-3 flex flex-col gap-3">
                            {if l.rows.is_empty() {
                                view! { <p class="rounded-lg bg-white p-8 text-center text-sm text-gray-400">"没有符合条件的评价"</p> }.into_any()
                            } else {
                                l.rows.into_iter().map(|r| view! { <ReviewItem r platform reply moderate /> }).collect_view().into_any()
                            }}
                        </div>
                        <Pager base params=vec![("filter", filter())] page=l.page has_more={l.page < pages} caption />
                    }.into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}

#[component]
fn ReviewItem(
    r: ReviewView,
    platform: bool,
    reply: ServerAction<ReplyReview>,
    moderate: ServerAction<ModerateReview>,
) -> impl IntoView {
    let id = r.id;
    let photos = |keys: &[String]| {
        keys.iter()
            .map(|k| view! {
                <a href=image_url(k, 1500) target="_blank" rel="noopener"><img src=image_url(k, 240) alt="评价图片" width="64" height="64" loading="lazy" class="h-16 w-16 rounded object-cover" /></a>
            })
            .collect_view()
    };
    let reply_form = |to: &'static str, label: &'static str| {
        view! {
            <ActionForm action=reply attr:class="mt-2 flex items-start gap-2">
                <input type="hidden" name="id" value=id.to_string() />
                <input type="hidden" name="to" value=to />
                <textarea name="content" rows="2" required maxlength=MAX_TEXT_CHARS.to_string() class="input h-auto flex-1 py-2 text-sm" placeholder=label></textarea>
                <button type="submit" class="h-9 rounded bg-promo px-4 text-sm text-white" data-test="reply-review">"回复"</button>
            </ActionForm>
        }
    };
    let can = |a: &str| r.actions.iter().any(|x| x == a);
    let (can_reply, can_reply_append, can_hide, can_unhide) = (
        can("reply"),
        can("reply_append"),
        can("hide"),
        can("unhide"),
    );
    view! {
        <article class="rounded-lg bg-white p-4 text-sm" data-test="console-review">
            <div class="flex items-start gap-3">
                <img src=image_url(&r.image, 240) alt="" width="48" height="48" loading="lazy" class="h-12 w-12 rounded bg-page object-cover" />
                <div class="min-w-0 flex-1">
                    <p class="truncate font-medium">
                        <a href=format!("/product/{}", r.product_id) target="_blank" class="hover:text-promo">{r.title.clone()}</a>
                        <span class="ml-2 text-xs text-gray-400">{r.spec_label.clone()}</span>
                    </p>
                    <p class="mt-0.5 text-xs text-gray-500">
                        {format!("{} · {} · 订单 #{}", r.reviewer, datetime_text(r.at), r.order_id)}
                    </p>
                </div>
                <div class="shrink-0 text-right text-xs text-gray-500">
                    <p class="text-amber-400" aria-label=format!("商品 {} 星", r.goods_stars)>{stars_text(r.goods_stars)}</p>
                    <p>{format!("服务 {} · 物流 {}", r.service_stars, r.logistics_stars)}</p>
                </div>
            </div>
            {r.hidden_reason.clone().map(|why| view! {
                <p class="mt-2 rounded bg-gray-100 px-2 py-1 text-xs text-gray-500" data-test="review-hidden">{format!("已隐藏：{why}")}</p>
            })}
            <p class="mt-2 whitespace-pre-line leading-6">{if r.content.is_empty() { "（未填写文字）".to_string() } else { r.content.clone() }}</p>
            <div class="mt-2 flex flex-wrap gap-1.5">{photos(&r.images)}</div>
            {r.reply.clone().map(|x| view! { <p class="mt-2 rounded bg-page px-2 py-1.5 text-xs text-gray-600"><b>"商家回复："</b>{x.content}</p> })}
            {can_reply.then(|| reply_form("review", "回复这条评价（公开）"))}
            {r.append.clone().map(|a| view! {
                <div class="mt-3 border-t border-gray-100 pt-2">
                    <p class="text-xs text-promo">{format!("{} 天后追评", a.days_after)}</p>
                    <p class="mt-0.5 whitespace-pre-line leading-6">{a.content.clone()}</p>
                    <div class="mt-2 flex flex-wrap gap-1.5">{photos(&a.images)}</div>
                    {a.reply.map(|x| view! { <p class="mt-2 rounded bg-page px-2 py-1.5 text-xs text-gray-600"><b>"商家回复："</b>{x.content}</p> })}
                </div>
            })}
            {can_reply_append.then(|| reply_form("append", "回复追评（公开）"))}
            {(platform && can_hide).then(|| view! {
                <ActionForm action=moderate attr:class="mt-3 flex items-center gap-2">
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="action" value="hide" />
                    <input name="reason" required maxlength=MAX_HIDE_REASON_CHARS.to_string() class="input h-9 flex-1 text-sm" placeholder="隐藏原因（如：含辱骂、广告）" />
                    <button type="submit" class="h-9 rounded border border-promo px-4 text-sm text-promo" data-test="hide-review">"隐藏"</button>
                </ActionForm>
            })}
            {(platform && can_unhide).then(|| view! {
                <ActionForm action=moderate attr:class="mt-3">
                    <input type="hidden" name="id" value=id.to_string() />
                    <input type="hidden" name="action" value="unhide" />
                    <button type="submit" class="h-9 rounded border border-gray-300 px-4 text-sm" data-test="unhide-review">"恢复显示"</button>
                </ActionForm>
            })}
        </article>
    }
    .into_any()
}
