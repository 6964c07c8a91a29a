//! 商家入驻: a signed-in shopper applies to open a shop and follows the review. Linked from
//! 我的 and from the merchant console's sign-in page.

use leptos::prelude::*;
use leptos_meta::Title;

use super::TopBar;
use crate::api::applications::{apply_page, SubmitApplication};
use crate::domain::merchant::{ApplicationStatus, ApplicationView, ApplyPageData, CategoryChoice};
use crate::ui::common::{datetime_text, PasswordInput};
use crate::ui::kit::{FieldError, FormBanner, FormError, Loaded, Place};
use crate::ui::upload::ImageField;

#[component]
pub fn ApplyPage() -> impl IntoView {
    let submit = ServerAction::<SubmitApplication>::new();
    let data = Resource::new(|| (), |_| apply_page());
    view! {
        <Title text="商家入驻" />
        <div class="mx-auto min-h-screen max-w-[480px] bg-page pb-10 md:max-w-2xl">
            <TopBar title="商家入驻" />
            <Loaded resource=data place=Place::Shop signed_out=|| view! {
                <div class="m-4 rounded-xl bg-white p-6 text-center">
                    <p class="text-base font-bold">"开店先登录"</p>
                    <p class="mt-1 text-sm text-gray-500">"用手机号登录集市后即可提交入驻申请，审核结果也在这里查看。"</p>
                    <div class="mt-4 flex gap-3">
                        <a href="/login" class="btn-primary flex-1">"登录"</a>
                        <a href="/register" class="btn-outline flex-1">"注册"</a>
                    </div>
                </div>
            } let:d>
                {view! { <ApplyContent d submit /> }}
            </Loaded>
        </div>
    }
}

#[component]
fn ApplyContent(d: ApplyPageData, submit: ServerAction<SubmitApplication>) -> impl IntoView {
    let status = d.latest.as_ref().map(|a| a.status);
    let show_form = !matches!(
        status,
        Some(ApplicationStatus::Pending | ApplicationStatus::Approved)
    );
    view! {
        {d.latest.map(|a| view! { <StatusCard a /> })}
        {show_form.then(|| view! { <ApplicationForm categories=d.categories submit /> })}
    }
}

#[component]
fn StatusCard(a: ApplicationView) -> impl IntoView {
    let (tone, note) = match a.status {
        ApplicationStatus::Pending => (
            "bg-amber-50 text-amber-700",
            "平台将在1到3个工作日内完成审核，请留意。".to_string(),
        ),
        ApplicationStatus::Approved => (
            "bg-green-50 text-green-700",
            format!(
                "店铺已开通。请用登录账号 {} 和申请时设置的密码登录商家后台。",
                a.owner_username
            ),
        ),
        ApplicationStatus::Rejected => (
            "bg-red-50 text-promo",
            format!("驳回原因：{}", a.reject_reason),
        ),
    };
    view! {
        <section class="m-3 rounded-xl bg-white p-4" data-test="application-status">
            <div class="flex items-center justify-between">
                <h2 class="text-base font-bold">{a.shop_name.clone()}</h2>
                <span class=format!("rounded-full px-3 py-0.5 text-xs {tone}")>{a.status.label()}</span>
            </div>
            <p class="mt-1 text-xs text-gray-400">{format!("提交于 {} · {} · {}", datetime_text(a.created_at), a.kind_label, a.categories.join("、"))}</p>
            <p class="mt-3 text-sm">{note}</p>
            {(a.status == ApplicationStatus::Approved).then(|| view! {
                <a href="/merchant/login" class="btn-primary mt-4 w-full">"去商家后台"</a>
            })}
            {(a.status == ApplicationStatus::Rejected).then(|| view! {
                <p class="mt-3 text-xs text-gray-500">"请按原因修改后重新提交。"</p>
            })}
        </section>
    }
}

#[component]
fn ApplicationForm(
    categories: Vec<CategoryChoice>,
    submit: ServerAction<SubmitApplication>,
) -> impl IntoView {
    let form = FormError::new(move || submit.value().get());
    view! {
        <ActionForm action=submit>
            <div class="m-3 flex flex-col gap-4 rounded-xl bg-white p-4">
            <h2 class="text-base font-bold">"填写入驻资料"</h2>
            <FormBanner form />
            <label class="field">
                <span>"店铺名称"</span>
                <input name="shop_name" required maxlength="30" placeholder="如：凯里酸汤坊" class="input" />
                <FieldError form field="shop_name" />
            </label>
            <fieldset class="field">
                <legend class="mb-1.5">"主体类型"</legend>
                <div class="flex gap-4 text-base text-ink">
                    <label class="flex items-center gap-1.5"><input type="radio" name="kind" value="individual" checked />"个体工商户"</label>
                    <label class="flex items-center gap-1.5"><input type="radio" name="kind" value="enterprise" />"企业"</label>
                </div>
                <FieldError form field="kind" />
            </fieldset>
            <label class="field">
                <span>"所在地区"</span>
                <input name="region" required maxlength="30" placeholder="如：贵州·凯里" class="input" />
                <FieldError form field="region" />
            </label>
            <label class="field">
                <span>"店铺简介（选填）"</span>
                <textarea name="intro" maxlength="500" rows="2" class="input h-auto py-2"></textarea>
                <FieldError form field="intro" />
            </label>
            <div class="grid grid-cols-2 gap-3">
                <label class="field">
                    <span>"联系人"</span>
                    <input name="contact_name" required maxlength="20" class="input" />
                    <FieldError form field="contact_name" />
                </label>
                <label class="field">
                    <span>"联系电话"</span>
                    <input name="contact_phone" type="tel" inputmode="numeric" required class="input" />
                    <FieldError form field="contact_phone" />
                </label>
            </div>
            <label class="field">
                <span>"营业执照号（统一社会信用代码）"</span>
                <input name="licence_no" required maxlength="18" placeholder="18位统一社会信用代码" class="input uppercase" />
                <FieldError form field="licence_no" />
            </label>
            <div class="field">
                <span>"营业执照照片"</span>
                <ImageField name="licence_image" label="上传执照" />
                <FieldError form field="licence_image" />
            </div>
            <fieldset class="field">
                <legend class="mb-1.5">"经营类目"</legend>
                <div class="flex flex-wrap gap-2 text-base text-ink">
                    {categories
                        .into_iter()
                        .map(|c| view! {
                            <label class="flex items-center gap-1.5 rounded-full bg-page px-3 py-1 text-sm">
                                <input type="checkbox" name="category_ids[]" value=c.id.to_string() />
                                {c.icon} {c.name}
                            </label>
                        })
                        .collect_view()}
                </div>
                <FieldError form field="category_ids" />
            </fieldset>
            <div class="rounded-lg bg-page p-3">
                <p class="mb-2 text-xs text-gray-500">"设置店主登录账号：审核通过后用它登录商家后台"</p>
                <div class="flex flex-col gap-3">
                    <label class="field">
                        <span>"登录账号"</span>
                        <input name="owner_username" required autocomplete="off" placeholder="3到32位小写字母、数字或下划线" class="input" />
                        <FieldError form field="owner_username" />
                    </label>
                    <label class="field">
                        <span>"登录密码"</span>
                        <PasswordInput name="owner_password" placeholder="至少8位，含字母和数字" autocomplete="new-password" />
                        <FieldError form field="owner_password" />
                    </label>
                </div>
            </div>
            <button type="submit" class="btn-primary w-full" disabled=move || submit.pending().get()>
                {move || if submit.pending().get() { "提交中…" } else { "提交申请" }}
            </button>
            </div>
        </ActionForm>
    }
}
