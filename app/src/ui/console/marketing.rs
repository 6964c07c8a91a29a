//! What 平台优惠券 (admin) and 营销中心 (merchant) draw alike: the coupon templates' table with
//! their usage, and the coupon form. The form shows only the fields of the chosen kind and
//! validity through CSS (`.promo-form` in `style/main.css`), so it works before the wasm loads.

use leptos::prelude::*;

use crate::domain::coupon::{CouponKind, Distribution, TemplateView};
use crate::domain::coupon_form::{percent_text, Choice, CouponForm};
use crate::domain::money::price_text;
use crate::domain::time::day_text;
use crate::ui::common::datetime_text;
use crate::ui::kit::{Col, DataTable, FieldError, FormBanner, FormError, StatusBadge};

/// The issuer's templates with what each did. `actions` draws a row's buttons (each page posts
/// to its own server function).
#[component]
pub fn CouponTable<A, V>(
    rows: Vec<TemplateView>,
    actions: A,
    #[prop(optional)] platform: bool,
) -> impl IntoView
where
    A: Fn(&TemplateView) -> V + 'static,
    V: IntoView + 'static,
{
    let columns = vec![
        Col::text("优惠券"),
        Col::text("发放方式").only_if(platform),
        Col::text("领取时间"),
        Col::num("已领 / 总量"),
        Col::num("已使用"),
        Col::num("已过期"),
        Col::num("优惠成本"),
        Col::num("带动成交"),
        Col::text("状态"),
        Col::text("操作"),
    ];
    view! {
        <DataTable columns rows test="coupon-table" empty="还没有优惠券" let:t>
            {
                let u = t.usage;
                let share = (platform && t.input.shop_share_bps > 0)
                    .then(|| format!("商家承担 {}%", percent_text(t.input.shop_share_bps)));
                view! {
                    <tr data-test="coupon-row" data-id=t.id>
                        <td>
                            <p class="font-medium">{t.name.clone()}</p>
                            <p class="text-xs text-gray-500">{t.face.clone()} " · " {t.scope_text.clone()}</p>
                            {share.map(|s| view! { <p class="text-xs text-gray-500">{s}</p> })}
                        </td>
                        {platform.then(|| view! { <td>{t.input.distribution.label()}</td> })}
                        <td class="text-xs text-gray-500 whitespace-nowrap">
                            {datetime_text(t.input.claim_from)} <br /> {datetime_text(t.input.claim_until)}
                        </td>
                        <td class="num">{format!("{} / {}", u.issued, t.input.total_qty)}</td>
                        <td class="num" data-test="coupon-used">{u.used}</td>
                        <td class="num">{u.expired}</td>
                        <td class="num" data-test="coupon-cost">{price_text(u.discount)}</td>
                        <td class="num">{price_text(u.gmv)}</td>
                        <td><StatusBadge status=t.status /></td>
                        <td class="whitespace-nowrap">{actions(&t)}</td>
                    </tr>
                }
            }
        </DataTable>
    }
}

/// The coupon form's fields, named `form[...]` for [`CouponForm`]. A platform form (`platform`)
/// offers categories, shops and typed product ids, how the coupon is given and the shop's
/// share; a shop's form offers its `products` as checkboxes.
#[component]
pub fn CouponFields(
    initial: CouponForm,
    form: FormError,
    #[prop(optional)] platform: bool,
    #[prop(optional)] categories: Vec<Choice>,
    #[prop(optional)] shops: Vec<Choice>,
    #[prop(optional)] products: Vec<Choice>,
) -> impl IntoView {
    let f = initial;
    let chosen_kind = f.kind.clone();
    let kind_radio = move |kind: CouponKind, hint: &'static str| {
        let checked = chosen_kind == kind.as_str();
        view! {
            <label class="flex items-center gap-2 rounded-lg border border-gray-200 px-3 py-2 text-sm has-[:checked]:border-promo has-[:checked]:text-promo">
                <input type="radio" name="form[kind]" value=kind.as_str() checked=checked />
                <span>{kind.label()}</span>
                <span class="text-xs text-gray-400">{hint}</span>
            </label>
        }
    };
    let chosen_validity = f.validity.clone();
    let validity_radio = move |value: &'static str, label: &'static str| {
        let checked = chosen_validity == value;
        view! {
            <label class="flex items-center gap-2 text-sm">
                <input type="radio" name="form[validity]" value=value checked=checked />
                {label}
            </label>
        }
    };
    let picked = |ids: &Option<Vec<i64>>, id: i64| ids.as_ref().is_some_and(|v| v.contains(&id));
    view! {
        <div class="promo-form flex flex-col gap-5">
            <FormBanner form />
            <Section title="基本信息">
                <label class="field col-span-2">
                    <span>"优惠券名称"</span>
                    <input name="form[name]" class="input" maxlength="30" required placeholder="例如：年货节满99减10" value=f.name.clone() />
                    <FieldError form field="name" />
                </label>
                <div class="col-span-2 flex flex-wrap gap-2" role="radiogroup" aria-label="优惠券类型">
                    {kind_radio(CouponKind::AmountOff, "满X元减Y元")}
                    {kind_radio(CouponKind::Percent, "打X折，设最高优惠")}
                    {kind_radio(CouponKind::NoThreshold, "下单直接减")}
                </div>
                <FieldError form field="kind" />
                <label class="field if-threshold">
                    <span>"使用门槛（元，商品金额满多少可用）"</span>
                    <input name="form[threshold]" class="input" inputmode="decimal" placeholder="0 为不限" value=f.threshold.clone() />
                    <FieldError form field="threshold" />
                </label>
                <label class="field if-amount">
                    <span>"优惠金额（元）"</span>
                    <input name="form[amount_off]" class="input" inputmode="decimal" placeholder="例如 10" value=f.amount_off.clone() />
                    <FieldError form field="amount_off" />
                </label>
                <label class="field if-percent">
                    <span>"折扣（折，例如 8.5）"</span>
                    <input name="form[zhe]" class="input" inputmode="decimal" placeholder="8.5" value=f.zhe.clone() />
                    <FieldError form field="zhe" />
                </label>
                <label class="field if-percent">
                    <span>"最高优惠（元）"</span>
                    <input name="form[cap]" class="input" inputmode="decimal" placeholder="例如 20" value=f.cap.clone() />
                    <FieldError form field="cap" />
                </label>
            </Section>
            <Section title="适用范围">
                {platform.then(|| view! {
                    <fieldset class="field col-span-2">
                        <legend class="mb-1.5">"限定品类（不选为全部品类；选中的品类含其下级）"</legend>
                        <div class="flex flex-wrap gap-x-4 gap-y-1.5" data-test="scope-categories">
                            {categories.iter().map(|c| view! {
                                <label class="flex items-center gap-1.5 text-sm text-ink" style=format!("margin-left: {}rem", (c.level - 1).max(0))>
                                    <input type="checkbox" name="form[category_ids][]" value=c.id checked=picked(&f.category_ids, c.id) />
                                    {c.name.clone()}
                                </label>
                            }).collect_view()}
                        </div>
                    </fieldset>
                    <fieldset class="field col-span-2">
                        <legend class="mb-1.5">"限定店铺（不选为全部店铺）"</legend>
                        <div class="flex flex-wrap gap-x-4 gap-y-1.5" data-test="scope-shops">
                            {shops.iter().map(|s| view! {
                                <label class="flex items-center gap-1.5 text-sm text-ink">
                                    <input type="checkbox" name="form[shop_ids][]" value=s.id checked=picked(&f.shop_ids, s.id) />
                                    {s.name.clone()}
                                </label>
                            }).collect_view()}
                        </div>
                    </fieldset>
                    <label class="field">
                        <span>"限定商品（商品编号，逗号分隔；留空为不限）"</span>
                        <input name="form[product_ids_text]" class="input" placeholder="例如 12, 15" value=f.product_ids_text.clone() />
                        <FieldError form field="product_ids" />
                    </label>
                    <label class="field">
                        <span>"不参与的商品（商品编号，逗号分隔）"</span>
                        <input name="form[excluded_ids_text]" class="input" placeholder="例如 31" value=f.excluded_ids_text.clone() />
                        <FieldError form field="excluded_product_ids" />
                    </label>
                })}
                {(!platform).then(|| view! {
                    <ProductChoices legend="适用商品（不选为全店通用）" products picked=f.product_ids.clone().unwrap_or_default() form />
                })}
                <FieldError form field="scope" />
            </Section>
            <Section title="有效期">
                <div class="col-span-2 flex gap-6" role="radiogroup" aria-label="有效期类型">
                    {validity_radio("days", "领取后若干天内有效")}
                    {validity_radio("fixed", "固定日期")}
                </div>
                <label class="field if-days">
                    <span>"有效天数"</span>
                    <input name="form[valid_days]" class="input" inputmode="numeric" value=f.valid_days.clone() />
                    <FieldError form field="valid_days" />
                </label>
                <label class="if-days flex items-center gap-2 self-end pb-3 text-sm">
                    <input type="checkbox" name="form[next_day]" checked=f.next_day.is_some() />
                    "领取次日 0 点起生效"
                </label>
                <label class="field if-fixed">
                    <span>"生效时间"</span>
                    <input name="form[valid_from]" type="datetime-local" class="input" value=f.valid_from.clone() />
                    <FieldError form field="valid_from" />
                </label>
                <label class="field if-fixed">
                    <span>"失效时间"</span>
                    <input name="form[valid_until]" type="datetime-local" class="input" value=f.valid_until.clone() />
                    <FieldError form field="valid_until" />
                </label>
            </Section>
            <Section title="发放与领取">
                {platform.then(|| view! {
                    <label class="field col-span-2">
                        <span>"发放方式"</span>
                        <select name="form[distribution]" class="input">
                            {Distribution::ALL.into_iter().map(|d| {
                                let selected = f.distribution == d.as_str();
                                view! { <option value=d.as_str() selected=selected>{distribution_text(d)}</option> }
                            }).collect_view()}
                        </select>
                        <FieldError form field="distribution" />
                    </label>
                })}
                <label class="field">
                    <span>"开始领取"</span>
                    <input name="form[claim_from]" type="datetime-local" class="input" required value=f.claim_from.clone() />
                    <FieldError form field="claim_from" />
                </label>
                <label class="field">
                    <span>"停止领取"</span>
                    <input name="form[claim_until]" type="datetime-local" class="input" required value=f.claim_until.clone() />
                    <FieldError form field="claim_until" />
                </label>
                <label class="field">
                    <span>"发放总量（张）"</span>
                    <input name="form[total_qty]" class="input" inputmode="numeric" required value=f.total_qty.clone() />
                    <FieldError form field="total_qty" />
                </label>
                <label class="field">
                    <span>"每人限领（张）"</span>
                    <input name="form[per_user_limit]" class="input" inputmode="numeric" required value=f.per_user_limit.clone() />
                    <FieldError form field="per_user_limit" />
                </label>
                <label class="field">
                    <span>"每人每天限领（张，0 为不限）"</span>
                    <input name="form[per_user_daily_limit]" class="input" inputmode="numeric" value=f.per_user_daily_limit.clone() />
                    <FieldError form field="per_user_daily_limit" />
                </label>
                {platform.then(|| view! {
                    <label class="field">
                        <span>"商家承担比例（%，默认 0 即平台全额补贴）"</span>
                        <input name="form[shop_share_percent]" class="input" inputmode="decimal" value=f.shop_share_percent.clone() />
                        <FieldError form field="shop_share_percent" />
                    </label>
                })}
            </Section>
        </div>
    }
}

/// A shop's products as checkboxes named `form[product_ids][]`, those in `picked` checked; its
/// refusal shows under the list.
#[component]
pub fn ProductChoices(
    legend: &'static str,
    products: Vec<Choice>,
    #[prop(optional)] picked: Vec<i64>,
    form: FormError,
) -> impl IntoView {
    view! {
        <fieldset class="field col-span-2">
            <legend class="mb-1.5">{legend}</legend>
            <div class="grid max-h-56 grid-cols-2 gap-x-4 gap-y-1.5 overflow-y-auto" data-test="scope-products">
                {products.into_iter().map(|p| view! {
                    <label class="flex items-center gap-1.5 text-sm text-ink">
                        <input type="checkbox" name="form[product_ids][]" value=p.id checked=picked.contains(&p.id) />
                        <span class="line-clamp-1">{p.name}</span>
                    </label>
                }).collect_view()}
            </div>
            <FieldError form field="product_ids" />
        </fieldset>
    }
}

fn distribution_text(d: Distribution) -> &'static str {
    match d {
        Distribution::Claim => "买家领取（领券中心、商品页、店铺页）",
        Distribution::Push => "定向发放（按手机号发给指定买家）",
        Distribution::SignUp => "新人注册赠送",
    }
}

/// A titled block of the form, its fields in two columns.
#[component]
fn Section(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <fieldset class="rounded-lg bg-white p-5">
            <legend class="float-left mb-4 w-full font-bold">{title}</legend>
            <div class="clear-both grid grid-cols-2 gap-x-6 gap-y-4">{children()}</div>
        </fieldset>
    }
}

/// 「2026-12-01 至 2026-12-07」 of a promotion's or coupon's time.
pub fn period_text(from: i64, until: i64) -> String {
    format!("{} 至 {}", day_text(from), day_text(until - 1))
}
