//! 商家后台 › 营销中心: the shop's coupons (with usage, CSV too) and full-reduction promotions
//! (满减 / 满折, up to five tiers, 每满, 包邮), their pause / end, and the two new-item forms.

use leptos::prelude::*;
use leptos_meta::Title;

use super::marketing::{period_text, CouponFields, CouponTable, ProductChoices};
use super::ConsoleShell;
use crate::api::merchant_marketing::{
    shop_marketing, ActFullReduction, ActShopCoupon, CreateFullReduction, CreateShopCoupon,
};
use crate::domain::account::Realm;
use crate::domain::coupon::TemplateView;
use crate::domain::coupon_form::CouponForm;
use crate::domain::full_reduction::{
    Basis, Benefit, FullReductionView, PromotionStatus, MAX_TIERS,
};
use crate::domain::full_reduction_form::FullReductionForm;
use crate::ui::common::ErrorBanner;
use crate::ui::kit::{
    form_error, Col, DataTable, FieldError, FormBanner, FormError, Loaded, RowActions, StatusBadge,
};

#[component]
pub fn MerchantMarketingPage() -> impl IntoView {
    let act_coupon = ServerAction::<ActShopCoupon>::new();
    let act_promotion = ServerAction::<ActFullReduction>::new();
    let page = Resource::new(|| (), |_| shop_marketing());
    let coupon_error = form_error(move || act_coupon.value().get());
    let promotion_error = form_error(move || act_promotion.value().get());
    let error = move || coupon_error().or_else(&promotion_error);
    view! {
        <Title text="营销中心" />
        <ConsoleShell realm=Realm::Merchant>
            <div class="flex items-center justify-between">
                <div>
                    <h1 class="text-xl font-bold">"营销中心"</h1>
                    <p class="mt-1 text-sm text-gray-500">"店铺优惠券和满减活动的优惠由本店承担，结算时从商品金额中扣除。"</p>
                </div>
                <div class="flex items-center gap-3">
                    <a href="/merchant/marketing/flash-sales" class="btn-outline h-9 px-5 text-sm" data-test="flash-sales-link">"秒杀报名"</a>
                    <a href="/merchant/marketing/group-buys" class="btn-outline h-9 px-5 text-sm" data-test="group-buys-link">"拼团活动"</a>
                    <a href="/merchant/marketing/presales" class="btn-outline h-9 px-5 text-sm" data-test="presales-link">"预售活动"</a>
                </div>
            </div>
            <div class="mt-3"><ErrorBanner message=error /></div>
            <Loaded resource=page let:page>
                {{
                    let now = page.now;
                    view! {
                        <div class="mt-4 flex items-center justify-between">
                            <h2 class="font-bold">"满减活动"</h2>
                            <a href="/merchant/marketing/full-reductions/new" class="btn-primary h-9 px-5 text-sm" data-test="new-full-reduction">"新建满减活动"</a>
                        </div>
                        <PromotionTable rows=page.full_reductions now act=act_promotion />
                        <div class="mt-8 flex items-center justify-between">
                            <h2 class="font-bold">"店铺优惠券"</h2>
                            <div class="flex items-center gap-4 text-sm">
                                <a href="/merchant/marketing/usage.csv" rel="external" class="text-gray-600 hover:text-promo" download data-test="coupon-csv">"导出使用报表"</a>
                                <a href="/merchant/marketing/coupons/new" class="btn-primary h-9 px-5" data-test="new-coupon">"新建优惠券"</a>
                            </div>
                        </div>
                        <CouponTable rows=page.coupons actions={move |t: &TemplateView| view! {
                            <div class="flex items-center gap-3">
                                <RowActions id=t.id moves=t.actions.clone() action=act_coupon test="coupon" />
                            </div>
                        }} />
                    }
                        .into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}

#[component]
fn PromotionTable(
    rows: Vec<FullReductionView>,
    now: i64,
    act: ServerAction<ActFullReduction>,
) -> impl IntoView {
    let columns = vec![
        Col::text("活动"),
        Col::text("优惠"),
        Col::text("商品"),
        Col::text("时间"),
        Col::text("状态"),
        Col::text("操作"),
    ];
    view! {
        <DataTable columns rows test="full-reduction-table" empty="还没有满减活动" let:p>
            {
                // a running promotion reads by its time too: not started yet, or over
                let timing = match p.status {
                    PromotionStatus::Active if now < p.starts_at => Some("未开始"),
                    PromotionStatus::Active if now >= p.ends_at => Some("已过期"),
                    _ => None,
                };
                view! {
                    <tr data-test="full-reduction-row">
                        <td class="font-medium">{p.title.clone()}</td>
                        <td class="text-sm">{p.label.clone()}</td>
                        <td>{if p.product_count == 0 { "全店商品".to_string() } else { format!("{} 件商品", p.product_count) }}</td>
                        <td class="text-xs text-gray-500 whitespace-nowrap">{period_text(p.starts_at, p.ends_at)}</td>
                        <td>
                            {match timing {
                                Some(t) => view! { <span class="rounded bg-gray-100 px-2 py-0.5 text-xs text-gray-600">{t}</span> }.into_any(),
                                None => view! { <StatusBadge status=p.status /> }.into_any(),
                            }}
                        </td>
                        <td class="whitespace-nowrap">
                            <div class="flex items-center gap-3">
                                <RowActions id=p.id moves=p.actions.clone() action=act test="promotion" />
                            </div>
                        </td>
                    </tr>
                }
            }
        </DataTable>
    }
}

#[component]
pub fn MerchantCouponNewPage() -> impl IntoView {
    let create = ServerAction::<CreateShopCoupon>::new();
    let page = Resource::new(|| (), |_| shop_marketing());
    let form = FormError::new(move || create.value().get());
    view! {
        <Title text="新建店铺优惠券" />
        <ConsoleShell realm=Realm::Merchant>
            <h1 class="text-xl font-bold">"新建店铺优惠券"</h1>
            <Loaded resource=page let:page>
                {view! {
                    <ActionForm action=create attr:class="mt-4 max-w-4xl">
                        <CouponFields initial=CouponForm::blank(page.now) form products=page.products />
                        <div class="mt-5 flex items-center gap-4">
                            <button type="submit" class="btn-primary px-8" disabled=move || create.pending().get()>"创建"</button>
                            <a href="/merchant/marketing" class="text-sm text-gray-500">"取消"</a>
                        </div>
                    </ActionForm>
                }.into_any()}
            </Loaded>
        </ConsoleShell>
    }
}

#[component]
pub fn FullReductionNewPage() -> impl IntoView {
    let create = ServerAction::<CreateFullReduction>::new();
    let page = Resource::new(|| (), |_| shop_marketing());
    let form = FormError::new(move || create.value().get());
    view! {
        <Title text="新建满减活动" />
        <ConsoleShell realm=Realm::Merchant>
            <h1 class="text-xl font-bold">"新建满减活动"</h1>
            <p class="mt-1 text-sm text-gray-500">"同一商品同一时间只能参加一个满减活动。达到的最高一档生效；勾选包邮的档位免本店运费。"</p>
            <Loaded resource=page let:page>
                {{
                    let f = FullReductionForm::blank(page.now);
                    let radio = |name: &'static str, value: &'static str, label: &'static str, checked: bool| view! {
                        <label class="flex items-center gap-2 rounded-lg border border-gray-200 px-3 py-2 text-sm has-[:checked]:border-promo has-[:checked]:text-promo">
                            <input type="radio" name=name value=value checked=checked />
                            {label}
                        </label>
                    };
                    view! {
                        <ActionForm action=create attr:class="promo-form mt-4 flex max-w-4xl flex-col gap-5">
                            <FormBanner form />
                            <section class="grid grid-cols-2 gap-x-6 gap-y-4 rounded-lg bg-white p-5">
                                <label class="field col-span-2">
                                    <span>"活动名称"</span>
                                    <input name="form[title]" class="input" maxlength="30" required placeholder="例如：新茶季满减" />
                                    <FieldError form field="title" />
                                </label>
                                <div class="flex flex-wrap gap-2" role="radiogroup" aria-label="门槛按">
                                    {radio("form[basis]", Basis::Amount.as_str(), "满金额（元）", f.basis == Basis::Amount.as_str())}
                                    {radio("form[basis]", Basis::Quantity.as_str(), "满件数", f.basis == Basis::Quantity.as_str())}
                                </div>
                                <div class="flex flex-wrap gap-2" role="radiogroup" aria-label="优惠方式">
                                    {radio("form[benefit]", Benefit::AmountOff.as_str(), "减金额（元）", f.benefit == Benefit::AmountOff.as_str())}
                                    {radio("form[benefit]", Benefit::Percent.as_str(), "打折（折）", f.benefit == Benefit::Percent.as_str())}
                                </div>
                            </section>
                            <section class="rounded-lg bg-white p-5">
                                <h2 class="font-bold">"优惠档位"</h2>
                                <p class="mt-1 text-xs text-gray-500">"门槛逐档递增；留空的行不保存。只勾包邮、不填优惠也可以。"</p>
                                <table class="mt-3 w-full text-sm" data-test="tier-rows">
                                    <thead class="text-left text-gray-500">
                                        <tr><th class="py-1 font-normal">"档位"</th><th class="font-normal">"门槛（元或件）"</th><th class="font-normal">"优惠（元或折）"</th><th class="font-normal">"包邮"</th></tr>
                                    </thead>
                                    <tbody>
                                        {(1..=MAX_TIERS).map(|n| view! {
                                            <tr>
                                                <td class="py-1.5 text-gray-500">{format!("第 {n} 档")}</td>
                                                <td class="pr-4"><input name=format!("form[thresholds][{}]", n - 1) class="input h-9" inputmode="decimal" aria-label=format!("第 {n} 档门槛") /></td>
                                                <td class="pr-4"><input name=format!("form[offs][{}]", n - 1) class="input h-9" inputmode="decimal" aria-label=format!("第 {n} 档优惠") /></td>
                                                <td><input type="checkbox" name="form[free_shipping][]" value=n.to_string() aria-label=format!("第 {n} 档包邮") /></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <FieldError form field="tiers" />
                                <div class="mt-4 flex items-center gap-6">
                                    <label class="flex items-center gap-2 text-sm">
                                        <input type="checkbox" name="form[repeat]" />
                                        "每满减（只设第 1 档，按门槛的倍数累加）"
                                    </label>
                                    <label class="if-repeat flex items-center gap-2 text-sm text-gray-600">
                                        "最多减（元）"
                                        <input name="form[repeat_cap]" class="input h-9 w-28" inputmode="decimal" />
                                    </label>
                                </div>
                                <FieldError form field="repeat" />
                                <FieldError form field="repeat_cap" />
                            </section>
                            <section class="grid grid-cols-2 gap-x-6 gap-y-4 rounded-lg bg-white p-5">
                                <label class="field">
                                    <span>"开始时间"</span>
                                    <input name="form[starts_at]" type="datetime-local" class="input" required value=f.starts_at.clone() />
                                    <FieldError form field="starts_at" />
                                </label>
                                <label class="field">
                                    <span>"结束时间"</span>
                                    <input name="form[ends_at]" type="datetime-local" class="input" required value=f.ends_at.clone() />
                                    <FieldError form field="ends_at" />
                                </label>
                                <ProductChoices legend="参加的商品（不选为全店商品）" products=page.products.clone() form />
                            </section>
                            <div class="flex items-center gap-4">
                                <button type="submit" class="btn-primary px-8" disabled=move || create.pending().get()>"创建"</button>
                                <a href="/merchant/marketing" class="text-sm text-gray-500">"取消"</a>
                            </div>
                        </ActionForm>
                    }
                        .into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}
