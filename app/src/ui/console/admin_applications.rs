//! 平台管理 › 入驻审核: the queue of applications and one application with its papers.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::ConsoleShell;
use crate::api::applications::{admin_application, admin_applications, ReviewApplication};
use crate::domain::account::Realm;
use crate::domain::merchant::ApplicationStatus;
use crate::domain::storefront::image_url;
use crate::ui::common::{datetime_text, href_with, ErrorBanner};
use crate::ui::kit::{form_error, Col, DataTable, Loaded};

#[component]
pub fn ApplicationsPage() -> impl IntoView {
    let query = use_query_map();
    let status = move || {
        query
            .read()
            .get("status")
            .unwrap_or_else(|| "pending".into())
    };
    // `all` in the URL; the server takes an empty status as all
    let list = Resource::new(status, |s| {
        admin_applications(if s == "all" { String::new() } else { s })
    });
    view! {
        <Title text="入驻审核" />
        <ConsoleShell realm=Realm::Admin>
            <h1 class="text-xl font-bold">"入驻审核"</h1>
            <nav class="mt-4 flex gap-6 border-b border-gray-200 text-sm">
                {[("pending", "待审核"), ("approved", "已通过"), ("rejected", "已驳回"), ("all", "全部")].map(|(v, label)| {
                    let active = move || status() == v;
                    view! {
                        <a href=href_with("/admin/applications", &[("status", v.to_string())])
                            class="-mb-px border-b-2 px-1 pb-2" class:border-promo=active class:text-promo=active class:border-transparent=move || !active()>{label}</a>
                    }
                }).collect_view()}
            </nav>
            <Loaded resource=list let:rows>
                {view! {
                        <DataTable columns=vec![Col::text("店铺名称"), Col::text("主体"), Col::text("地区"), Col::text("经营类目"), Col::text("提交时间"), Col::text("状态"), Col::text("操作")] rows test="application-table" empty="没有申请" let:a>
                            <tr>
                                <td>{a.shop_name.clone()}</td>
                                <td>{a.kind_label.clone()}</td>
                                <td>{a.region.clone()}</td>
                                <td>{a.categories.join("、")}</td>
                                <td class="text-gray-500">{datetime_text(a.created_at)}</td>
                                <td>{a.status.label()}</td>
                                <td><a href=format!("/admin/applications/{}", a.id) class="text-promo">{if a.status == ApplicationStatus::Pending { "审核" } else { "查看" }}</a></td>
                            </tr>
                        </DataTable>
                }}
            </Loaded>
        </ConsoleShell>
    }
}

#[component]
pub fn ApplicationDetailPage() -> impl IntoView {
    let params = use_params_map();
    let review = ServerAction::<ReviewApplication>::new();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let detail = Resource::new(
        move || (id(), review.version().get()),
        |(id, _)| admin_application(id),
    );
    let error = Signal::derive(form_error(move || review.value().get()));
    view! {
        <Title text="审核入驻申请" />
        <ConsoleShell realm=Realm::Admin>
            <a href="/admin/applications" class="text-sm text-gray-500">"‹ 返回列表"</a>
            <Loaded resource=detail let:a>
                {{
                    let pending = !a.actions.is_empty();
                    let (approve_id, reject_id) = (a.id.to_string(), a.id.to_string());
                    view! {
                        <div class="mt-3 flex items-center gap-3">
                            <h1 class="text-xl font-bold">{a.shop_name.clone()}</h1>
                            <span class="rounded bg-gray-100 px-2 py-0.5 text-xs" data-test="application-state">{a.status.label()}</span>
                        </div>
                        <div class="mt-5 flex items-start gap-6">
                            <dl class="grid flex-1 grid-cols-[8rem_1fr] gap-y-3 rounded-lg bg-white p-6 text-sm">
                                <dt class="text-gray-500">"主体类型"</dt><dd>{a.kind_label.clone()}</dd>
                                <dt class="text-gray-500">"所在地区"</dt><dd>{a.region.clone()}</dd>
                                <dt class="text-gray-500">"联系人"</dt><dd>{a.contact_name.clone()}</dd>
                                <dt class="text-gray-500">"联系电话"</dt><dd>{a.contact_phone.clone()}</dd>
                                <dt class="text-gray-500">"营业执照号"</dt><dd class="font-mono">{a.licence_no.clone()}</dd>
                                <dt class="text-gray-500">"经营类目"</dt><dd>{a.categories.join("、")}</dd>
                                <dt class="text-gray-500">"店主账号"</dt><dd>{a.owner_username.clone()}</dd>
                                <dt class="text-gray-500">"店铺简介"</dt><dd>{a.intro.clone()}</dd>
                                <dt class="text-gray-500">"提交时间"</dt><dd>{datetime_text(a.created_at)}</dd>
                                {(!a.reject_reason.is_empty()).then(|| view! { <dt class="text-gray-500">"驳回原因"</dt><dd class="text-promo">{a.reject_reason.clone()}</dd> })}
                            </dl>
                            <figure class="w-96 rounded-lg bg-white p-4">
                                <a href=image_url(&a.licence_image, 1500) target="_blank">
                                    <img src=image_url(&a.licence_image, 750) alt="营业执照" class="w-full rounded" data-test="licence-image" />
                                </a>
                                <figcaption class="mt-2 text-center text-xs text-gray-500">"营业执照（点击查看大图）"</figcaption>
                            </figure>
                        </div>
                        {pending.then(|| view! {
                            <div class="mt-5 max-w-2xl rounded-lg bg-white p-6">
                                <ErrorBanner message=move || error.get() />
                                <div class="mt-2 flex items-start gap-6">
                                    <ActionForm action=review>
                                        <input type="hidden" name="id" value=approve_id />
                                        <input type="hidden" name="decision" value="approve" />
                                        <button type="submit" class="btn-primary h-10 px-8">"通过"</button>
                                    </ActionForm>
                                    <ActionForm action=review>
                                        <input type="hidden" name="id" value=reject_id />
                                        <input type="hidden" name="decision" value="reject" />
                                        <div class="flex items-center gap-2">
                                            <input name="reason" required placeholder="驳回原因（申请人可见）" aria-label="驳回原因" class="input h-10 w-72" />
                                            <button type="submit" class="btn-outline h-10 px-6">"驳回"</button>
                                        </div>
                                    </ActionForm>
                                </div>
                            </div>
                        })}
                    }.into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}
