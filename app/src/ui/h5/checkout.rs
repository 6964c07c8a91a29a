//! 确认订单 and 支付.
//!
//! The checkout's state lives in its URL (`?items=12x2,15x1&from=cart&address=3&pickup=5&
//! coupons=5:12,0:0`): changing the address, a shop's delivery or a coupon is a link, so the page
//! works before the wasm loads. Coupons not named are the best ones, preselected by the server.
//! Every amount shown comes from the server's preview; 提交订单 sends SKUs and quantities only.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

use super::TopBar;
use crate::api::orders::{
    fetch_trade_to_pay, preview_checkout, CouponPicks, PaySimulated, SubmitOrder,
};
use crate::domain::cart::{CheckoutPreview, CouponChoice, DiscountLine, ShopPreview};
use crate::domain::money::price_text;
use crate::domain::order::{Delivery, TradeStatus};
use crate::domain::storefront::image_url;
use crate::error::AppError;
use crate::ui::common::{datetime_text, encode_component, href_with, ErrorBanner, SignInPrompt};
use crate::ui::kit::{form_error, Loaded, Place};

#[derive(Debug, Clone, PartialEq)]
struct CheckoutParams {
    items: String,
    from_cart: bool,
    address: Option<i64>,
    pickup: Vec<i64>,
    coupons: CouponPicks,
}

impl CheckoutParams {
    fn link(&self) -> String {
        let pickup: Vec<String> = self.pickup.iter().map(i64::to_string).collect();
        href_with(
            "/checkout",
            &[
                ("items", self.items.clone()),
                (
                    "from",
                    if self.from_cart {
                        "cart".into()
                    } else {
                        String::new()
                    },
                ),
                (
                    "address",
                    self.address.map(|a| a.to_string()).unwrap_or_default(),
                ),
                ("pickup", pickup.join(",")),
                ("coupons", self.coupons.text()),
            ],
        )
    }

    /// The link choosing `copy` (0: none) for a shop's order.
    fn with_shop_coupon(&self, merchant_id: i64, copy: i64) -> String {
        let mut next = self.clone();
        next.coupons.shops.retain(|(m, _)| *m != merchant_id);
        next.coupons.shops.push((merchant_id, copy));
        next.link()
    }

    /// The link choosing `copy` (0: none) as the platform coupon.
    fn with_platform_coupon(&self, copy: i64) -> String {
        let mut next = self.clone();
        next.coupons.platform = Some(copy);
        next.link()
    }

    fn with_delivery(&self, merchant_id: i64, delivery: Delivery) -> String {
        let mut next = self.clone();
        next.pickup.retain(|m| *m != merchant_id);
        if delivery == Delivery::Pickup {
            next.pickup.push(merchant_id);
        }
        next.link()
    }
}

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        CheckoutParams {
            items: q.get("items").unwrap_or_default(),
            from_cart: q.get("from").as_deref() == Some("cart"),
            address: q.get("address").and_then(|a| a.parse().ok()),
            pickup: q
                .get("pickup")
                .unwrap_or_default()
                .split(',')
                .filter_map(|m| m.parse().ok())
                .collect(),
            coupons: CouponPicks::parse(&q.get("coupons").unwrap_or_default()),
        }
    };
    let preview = Resource::new(params, |p| async move {
        let pickup: Vec<String> = p.pickup.iter().map(i64::to_string).collect();
        preview_checkout(
            p.items.clone(),
            p.address,
            Some(pickup.join(",")),
            Some(p.coupons.text()),
        )
        .await
    });
    view! {
        <Title text="确认订单" />
        <div class="mx-auto min-h-screen max-w-[480px] bg-page pb-20">
            <TopBar title="确认订单" />
            <Suspense fallback=|| view! { <p class="p-6 text-center text-sm text-gray-400">"计算中…"</p> }>
                {move || Suspend::new(async move {
                    let p = params();
                    match preview.await {
                        Ok(preview) => view! { <CheckoutForm preview p /> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <SignInPrompt what="下单" /> }.into_any(),
                        Err(e) => view! {
                            <div class="flex flex-col items-center gap-4 px-6 py-16 text-center">
                                <p role="alert" class="text-promo">{e.to_string()}</p>
                                <a href="/cart" class="btn-outline px-6">"返回购物车"</a>
                            </div>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn CheckoutForm(preview: CheckoutPreview, p: CheckoutParams) -> impl IntoView {
    let submit = ServerAction::<SubmitOrder>::new();
    let error = Signal::derive(form_error(move || submit.value().get()));
    let location = use_location();
    let here = move || format!("{}{}", location.pathname.get(), location.search.get());
    let needs_address = preview
        .shops
        .iter()
        .any(|s| s.delivery == Delivery::Express);
    let pick_address = {
        let back = encode_component(&here());
        format!("/addresses?pick=1&back={back}")
    };
    let pickup_text: Vec<String> = p.pickup.iter().map(i64::to_string).collect();
    let all_deliver = preview.shops.iter().all(|s| s.delivers);
    // the submit names exactly the coupons this preview priced, so the two agree to the fen
    let picked = CouponPicks {
        shops: preview
            .shops
            .iter()
            .map(|s| (s.merchant_id, s.coupon_id.unwrap_or(0)))
            .collect(),
        platform: Some(preview.platform_coupon_id.unwrap_or(0)),
    };
    view! {
        <ActionForm action=submit>
            <input type="hidden" name="items" value=p.items.clone() />
            {p.from_cart.then(|| view! { <input type="hidden" name="from_cart" value="1" /> })}
            {preview.address.as_ref().map(|a| view! { <input type="hidden" name="address_id" value=a.id.to_string() /> })}
            <input type="hidden" name="pickup" value=pickup_text.join(",") />
            <input type="hidden" name="key" value=preview.submit_key.clone() />
            <input type="hidden" name="coupons" value=picked.text() />
            <div class="flex flex-col gap-3 p-3">
                <ErrorBanner message=move || error.get() />
                {needs_address.then(|| match &preview.address {
                    Some(a) => view! {
                        <a href=pick_address.clone() class="flex items-center gap-3 rounded-xl bg-white p-4" data-test="checkout-address">
                            <span class="text-xl text-promo">"📍"</span>
                            <div class="min-w-0 flex-1">
                                <p class="font-bold">{a.receiver.clone()} <span class="ml-2 font-normal text-gray-500">{a.phone_masked.clone()}</span></p>
                                <p class="mt-1 text-sm text-gray-600">{a.full_text()}</p>
                            </div>
                            <span class="text-gray-400">"›"</span>
                        </a>
                    }.into_any(),
                    None => view! {
                        <a href=format!("/addresses/new?back={}", encode_component(&here())) class="flex items-center justify-center gap-2 rounded-xl bg-white p-5 text-promo" data-test="add-address">
                            "＋ 添加收货地址"
                        </a>
                    }.into_any(),
                })}
                {preview.shops.iter().enumerate().map(|(i, s)| {
                    let province = preview.address.as_ref().map(|a| a.province.clone()).unwrap_or_default();
                    view! { <ShopBlock i s=s.clone() p=p.clone() province pick_address=pick_address.clone() /> }
                }).collect_view()}
                {(!preview.platform_coupons.is_empty()).then(|| view! {
                    <section class="rounded-xl bg-white px-4 py-3 text-sm">
                        <CouponPicker title="平台优惠券" choices=preview.platform_coupons.clone()
                            link=move |copy| p.with_platform_coupon(copy) test="platform-coupons" />
                    </section>
                })}
                <section class="rounded-xl bg-white p-4 text-sm">
                    <p class="flex justify-between"><span>"商品金额"</span><span data-test="checkout-goods">{price_text(preview.goods)}</span></p>
                    <p class="mt-2 flex justify-between"><span>"运费"</span><span data-test="checkout-shipping">{price_text(preview.shipping)}</span></p>
                    {(preview.discount > 0).then(|| view! {
                        <p class="mt-2 flex justify-between"><span>"优惠"</span><span class="text-promo" data-test="checkout-discount">{format!("-{}", price_text(preview.discount))}</span></p>
                    })}
                </section>
                {preview.deposit.clone().map(|d| view! {
                    <section class="rounded-xl bg-white p-4 text-sm" data-test="checkout-deposit">
                        <p class="flex justify-between"><span class="font-bold">"阶段一：定金"</span><span>{price_text(d.deposit)}</span></p>
                        <p class="text-xs text-gray-400">"现在支付"</p>
                        <p class="mt-2 flex justify-between"><span class="font-bold">"阶段二：尾款"</span><span data-test="checkout-balance">{price_text(d.balance)}</span></p>
                        <p class="text-xs text-gray-400">{format!("{} 支付", d.balance_window)}</p>
                        <p class="mt-2 text-xs text-promo">{d.missed_label.clone()}</p>
                    </section>
                })}
            </div>
            <div class="fixed inset-x-0 bottom-0 z-10 mx-auto flex h-14 max-w-[480px] items-center justify-end gap-3 border-t border-gray-100 bg-white px-4 pb-[env(safe-area-inset-bottom)]">
                {match preview.deposit.clone() {
                    None => view! {
                        <span class="text-sm">{format!("共 {} 件，合计：", preview.shops.iter().flat_map(|s| &s.lines).map(|l| l.qty).sum::<i64>())}
                            <b class="text-lg text-promo" data-test="checkout-total">{price_text(preview.total)}</b>
                        </span>
                    }.into_any(),
                    // a 定金 presale pays the deposit now: that is the figure the bar shows
                    Some(d) => view! {
                        <span class="flex flex-col items-end leading-tight">
                            <span class="text-sm" data-test="checkout-pay-now">"今付定金 "<b class="text-lg text-promo">{price_text(d.deposit)}</b></span>
                            <span class="text-xs text-gray-500">"合计 "<span data-test="checkout-total">{price_text(preview.total)}</span></span>
                        </span>
                    }.into_any(),
                }}
                <button type="submit" class="btn-primary h-10 whitespace-nowrap px-6" disabled={(needs_address && preview.address.is_none()) || !all_deliver} data-test="submit-order">"提交订单"</button>
            </div>
        </ActionForm>
    }
}

/// One shop's part of the checkout. `province` is the address's (for a shop that does not
/// deliver there); `pick_address` links to choosing another address and back.
#[component]
fn ShopBlock(
    i: usize,
    s: ShopPreview,
    p: CheckoutParams,
    province: String,
    pick_address: String,
) -> impl IntoView {
    let offers_pickup = !s.pickup_address.is_empty();
    let choice = |d: Delivery| {
        let on = s.delivery == d;
        view! {
            <a href=p.with_delivery(s.merchant_id, d) aria-pressed=on.to_string()
                class="rounded-full border px-3 py-1 text-xs"
                class:border-promo=on class:text-promo=on class:border-gray-200=!on>{d.label()}</a>
        }
    };
    view! {
        <section class="rounded-xl bg-white p-4" data-test="checkout-shop">
            <h2 class="mb-2 text-sm font-bold">{s.shop_name.clone()}</h2>
            {s.lines.iter().map(|l| view! {
                <div class="flex gap-3 py-2">
                    <img src=image_url(&l.image, 240) alt="" width="64" height="64" loading="lazy" class="h-16 w-16 rounded-lg bg-page object-cover" />
                    <div class="min-w-0 flex-1">
                        <p class="line-clamp-2 text-sm">{l.title.clone()}</p>
                        <p class="mt-1 text-xs text-gray-400">{l.spec_label.clone()}</p>
                    </div>
                    <div class="text-right text-sm">
                        <p>{price_text(l.unit_price)}</p>
                        <p class="text-xs text-gray-400">{format!("×{}", l.qty)}</p>
                    </div>
                </div>
            }).collect_view()}
            <div class="mt-2 flex items-center justify-between text-sm">
                <span>"配送方式"</span>
                {if offers_pickup {
                    view! { <span class="flex gap-2">{choice(Delivery::Express)}{choice(Delivery::Pickup)}</span> }.into_any()
                } else {
                    view! { <span class="text-gray-500">{Delivery::Express.label()}</span> }.into_any()
                }}
            </div>
            {(s.delivery == Delivery::Pickup).then(|| view! {
                <p class="mt-2 rounded bg-page px-2 py-1 text-xs text-gray-600">{format!("自提地址：{}", s.pickup_address)}</p>
            })}
            {(!s.delivers).then(|| view! {
                <div role="alert" class="mt-2 rounded bg-red-50 px-3 py-2 text-xs text-promo" data-test="not-delivered">
                    <p>{format!("「{}」不配送到{}", s.shop_name, province)}</p>
                    <p class="mt-2 flex gap-2">
                        <a href=pick_address.clone() class="rounded-full border border-promo px-3 py-1">"更换收货地址"</a>
                        {offers_pickup.then(|| view! {
                            <a href=p.with_delivery(s.merchant_id, Delivery::Pickup) class="rounded-full border border-promo px-3 py-1">"改为到店自提"</a>
                        })}
                    </p>
                </div>
            })}
            <p class="mt-2 flex justify-between text-sm"><span>"运费"</span>
                <span>{if !s.delivers { "不配送".to_string() } else if s.amounts.shipping == 0 { "包邮".to_string() } else { price_text(s.amounts.shipping) }}</span>
            </p>
            {(!s.coupons.is_empty()).then(|| {
                let (p, m) = (p.clone(), s.merchant_id);
                view! {
                    <div class="mt-2 text-sm">
                        <CouponPicker title="店铺优惠券" choices=s.coupons.clone()
                            link=move |copy| p.with_shop_coupon(m, copy) test="shop-coupons" />
                    </div>
                }
            })}
            <Discounts lines=s.discounts.clone() />
            <label class="mt-2 flex items-center gap-3 text-sm">
                <span class="shrink-0">"订单备注"</span>
                <input type="hidden" name=format!("remarks[{i}][merchant_id]") value=s.merchant_id.to_string() />
                <input name=format!("remarks[{i}][remark]") maxlength="100" placeholder="选填，给商家留言" class="h-9 min-w-0 flex-1 rounded border border-gray-200 px-2 text-sm outline-none focus:border-promo" />
            </label>
            <p class="mt-3 text-right text-sm">"小计：" <b class="text-promo">{price_text(s.amounts.payable)}</b></p>
        </section>
    }
}

#[component]
pub fn PayPage() -> impl IntoView {
    let params = use_params_map();
    let trade_no = move || params.read().get("trade_no").unwrap_or_default();
    let pay = ServerAction::<PaySimulated>::new();
    let trade = Resource::new(
        move || (trade_no(), pay.version().get()),
        |(t, _)| fetch_trade_to_pay(t),
    );
    let error = Signal::derive(form_error(move || pay.value().get()));
    view! {
        <Title text="收银台" />
        <div class="mx-auto min-h-screen max-w-[480px] bg-page">
            <TopBar title="收银台" />
            <Loaded resource=trade place=Place::Shop sign_in_to="支付订单" let:t>
                {view! {
                    <section class="bg-white px-4 py-8 text-center">
                        <p class="text-sm text-gray-500">"支付金额"</p>
                        <p class="mt-1 text-3xl font-bold" data-test="pay-amount">{price_text(t.amount)}</p>
                        <p class="mt-2 text-xs text-gray-400">{format!("订单号 {}", t.trade_no)}</p>
                        {match t.status {
                            TradeStatus::Unpaid => view! { <p class="mt-2 text-sm text-promo">{format!("请在 {} 前完成支付，超时订单将自动取消", datetime_text(t.pay_deadline))}</p> }.into_any(),
                            TradeStatus::Paid => view! { <p class="mt-2 text-sm text-green-700" data-test="paid">"支付成功"</p> }.into_any(),
                            TradeStatus::Closed => view! { <p class="mt-2 text-sm text-gray-500">"订单已关闭"</p> }.into_any(),
                        }}
                    </section>
                    <section class="mt-3 bg-white px-4 py-2 text-sm">
                        {t.shops.iter().map(|(name, amount)| view! {
                            <p class="flex justify-between py-2"><span>{name.clone()}</span><span>{price_text(*amount)}</span></p>
                        }).collect_view()}
                    </section>
                    {(t.status == TradeStatus::Unpaid && !t.simulated).then(|| view! {
                        <p class="mt-3 bg-white px-4 py-4 text-center text-sm text-gray-600" data-test="pay-in-mini-program">
                            "请在微信中打开「集市」小程序，在「我的订单」里完成支付"
                        </p>
                    })}
                    {(t.status == TradeStatus::Unpaid && t.simulated).then(|| view! {
                        <section class="mt-3 bg-white px-4 py-3">
                            <p class="flex items-center justify-between text-sm">
                                <span>"模拟支付（演示环境，不产生真实扣款）"</span>
                                <span class="flex h-5 w-5 items-center justify-center rounded-full bg-promo text-xs text-white">"✓"</span>
                            </p>
                        </section>
                        <div class="p-4"><ErrorBanner message=move || error.get() /></div>
                        <ActionForm action=pay>
                            <input type="hidden" name="trade_no" value=t.trade_no.clone() />
                            <div class="px-4"><button type="submit" class="btn-primary w-full" data-test="pay-confirm">{format!("确认支付 {}", price_text(t.amount))}</button></div>
                        </ActionForm>
                    })}
                    <div class="p-4"><a href="/orders" class="btn-outline w-full">"查看我的订单"</a></div>
                }.into_any()}
            </Loaded>
        </div>
    }
}

/// A coupon slot: the chosen coupon (or why none), and every coupon held as a link choosing it
/// (those that do not apply say why and are not links).
#[component]
fn CouponPicker(
    title: &'static str,
    choices: Vec<CouponChoice>,
    link: impl Fn(i64) -> String + 'static,
    test: &'static str,
) -> impl IntoView {
    let chosen = choices.iter().find(|c| c.chosen);
    let summary = match chosen {
        Some(c) => format!("-{} {}", price_text(c.discount), c.coupon.name),
        None if choices.iter().any(|c| c.reason.is_none()) => "不使用".to_string(),
        None => "暂无可用".to_string(),
    };
    let none = link(0);
    view! {
        <details data-test=test>
            <summary class="flex cursor-pointer list-none justify-between">
                <span>{title}</span>
                <span class="text-promo">{summary} " ›"</span>
            </summary>
            <ul class="mt-2 flex flex-col gap-2">
                {choices.into_iter().map(|c| {
                    let face = format!("{} · {}", c.coupon.face, c.coupon.name);
                    match c.reason {
                        None => view! {
                            <li><a href=link(c.coupon.id) aria-pressed=c.chosen.to_string()
                                class="flex justify-between rounded border px-3 py-2"
                                class:border-promo=c.chosen class:border-gray-200=!c.chosen>
                                <span>{face}</span><span class="text-promo">{format!("-{}", price_text(c.discount))}</span>
                            </a></li>
                        }.into_any(),
                        Some(why) => view! {
                            <li class="flex justify-between rounded border border-gray-100 px-3 py-2 text-gray-400">
                                <span>{face}</span><span>{why}</span>
                            </li>
                        }.into_any(),
                    }
                }).collect_view()}
                <li><a href=none class="block rounded border border-gray-200 px-3 py-2 text-gray-500">"不使用优惠券"</a></li>
            </ul>
        </details>
    }
}

/// An order's discounts by source: 「满减活动 店庆满减 -¥10.00」.
#[component]
fn Discounts(lines: Vec<DiscountLine>) -> impl IntoView {
    lines
        .into_iter()
        .map(|d| {
            view! {
                <p class="mt-2 flex justify-between text-sm" data-test="discount-line">
                    <span>{d.source.label()} <span class="ml-1 text-gray-400">{d.name}</span></span>
                    <span class="text-promo">{format!("-{}", price_text(d.amount))}</span>
                </p>
            }
        })
        .collect_view()
}
