//! 平台管理 › 营销 › 平台优惠券: the platform's templates with their usage (CSV too), pausing,
//! ending, voiding, 定向发放 to shoppers by phone (`?push=ID`), and the new-template form.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::marketing::{CouponFields, CouponTable};
use super::ConsoleShell;
use crate::api::admin_coupons::{
    platform_coupons, ActPlatformCoupon, CreatePlatformCoupon, PushCoupon,
};
use crate::domain::account::Realm;
use crate::domain::coupon::{Distribution, TemplateStatus, TemplateView};
use crate::domain::coupon_form::CouponForm;
use crate::ui::common::ErrorBanner;
use crate::ui::kit::{form_error, FieldError, FormBanner, FormError, Loaded, RowActions};

#[component]
pub fn AdminCouponsPage() -> impl IntoView {
    let act = ServerAction::<ActPlatformCoupon>::new();
    let push = ServerAction::<PushCoupon>::new();
    let page = Resource::new(|| (), |_| platform_coupons());
    let error = form_error(move || act.value().get());
    let query = use_query_map();
    view! {
        <Title text="平台优惠券" />
        <ConsoleShell realm=Realm::Admin>
            <div class="flex items-center justify-between">
                <div>
                    <h1 class="text-xl font-bold">"平台优惠券"</h1>
                    <p class="mt-1 text-sm text-gray-500">"平台券全场可用（可限定品类、店铺、商品），优惠由平台补贴，可设商家承担比例。作废会收回买家尚未使用的券。"</p>
                </div>
                <div class="flex items-center gap-4 text-sm">
                    <a href="/admin/coupons/usage.csv" rel="external" class="text-gray-600 hover:text-promo" download data-test="coupon-csv">"导出使用报表"</a>
                    <a href="/admin/coupons/new" class="btn-primary px-5" data-test="new-coupon">"新建优惠券"</a>
                </div>
            </div>
            <div class="mt-3"><ErrorBanner message=error /></div>
            <Loaded resource=page let:page>
                {{
                    let pushing = query
                        .read()
                        .get("push")
                        .and_then(|id| id.parse::<i64>().ok())
                        .and_then(|id| page.templates.iter().find(|t| t.id == id).cloned());
                    view! {
                        {pushing.map(|t| view! { <PushPanel template=t push /> })}
                        <CouponTable rows=page.templates platform=true actions={move |t: &TemplateView| row_actions(t, act)} />
                    }
                        .into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}

fn row_actions(t: &TemplateView, act: ServerAction<ActPlatformCoupon>) -> impl IntoView {
    let pushable = t.input.distribution == Distribution::Push && t.status == TemplateStatus::Active;
    let id = t.id;
    view! {
        <div class="flex items-center gap-3">
            {pushable.then(|| view! {
                <a href=format!("/admin/coupons?push={id}") class="text-promo" data-test="push-link">"发放"</a>
            })}
            <RowActions id moves=t.actions.clone() action=act test="coupon" />
        </div>
    }
}

/// 定向发放: phone numbers in, a copy to each shopper; what the last push did (in the query the
/// push answers with, `api::admin_coupons::push_coupon`) shown under the box.
#[component]
fn PushPanel(template: TemplateView, push: ServerAction<PushCoupon>) -> impl IntoView {
    let form = FormError::new(move || push.value().get());
    let query = use_query_map();
    let report = move || {
        query.with(|q| {
            let given = q.get("given")?;
            let count = |k: &str| q.get(k).unwrap_or_else(|| "0".into());
            let unknown = q
                .get("unknown")
                .filter(|u| !u.is_empty())
                .map(|u| format!("；未注册的手机号：{u}"));
            Some(view! {
                <p class="form-done" role="status" data-test="push-report">
                    {format!("已发放 {given} 张；已达每人上限 {} 人；券已发完未发到 {} 人", count("at_limit"), count("sold_out"))}
                    {unknown}
                </p>
            })
        })
    };
    view! {
        <section class="mt-4 rounded-lg bg-white p-5" data-test="push-panel">
            <h2 class="font-bold">{format!("定向发放「{}」", template.name)}</h2>
            <p class="mt-1 text-sm text-gray-500">
                {format!("{} · 已发 {} / {} 张 · 每人限 {} 张。每行一个手机号（也可用逗号分隔），一次最多 1000 个。",
                    template.face, template.usage.issued, template.input.total_qty, template.input.per_user_limit)}
            </p>
            <ActionForm action=push>
                <input type="hidden" name="id" value=template.id />
                <div class="mt-3 flex flex-col gap-3">
                    <label class="field">
                        <span class="sr-only">"买家手机号"</span>
                        <textarea name="phones" rows="4" class="input h-auto py-2" placeholder="13800000001\n13800000002" required></textarea>
                        <FieldError form field="phones" />
                    </label>
                    <div class="flex items-center gap-4">
                        <button type="submit" class="btn-primary px-6" disabled=move || push.pending().get()>"发放"</button>
                        <a href="/admin/coupons" class="text-sm text-gray-500">"收起"</a>
                    </div>
                    {report}
                    <FormBanner form />
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn AdminCouponNewPage() -> impl IntoView {
    let create = ServerAction::<CreatePlatformCoupon>::new();
    let page = Resource::new(|| (), |_| platform_coupons());
    let form = FormError::new(move || create.value().get());
    view! {
        <Title text="新建平台优惠券" />
        <ConsoleShell realm=Realm::Admin>
            <h1 class="text-xl font-bold">"新建平台优惠券"</h1>
            <Loaded resource=page let:page>
                {view! {
                    <ActionForm action=create attr:class="mt-4 max-w-4xl">
                        <CouponFields initial=CouponForm::blank(page.now) form platform=true categories=page.categories shops=page.shops />
                        <div class="mt-5 flex items-center gap-4">
                            <button type="submit" class="btn-primary px-8" disabled=move || create.pending().get()>"创建"</button>
                            <a href="/admin/coupons" class="text-sm text-gray-500">"取消"</a>
                        </div>
                    </ActionForm>
                }.into_any()}
            </Loaded>
        </ConsoleShell>
    }
}
