//! 操作日志 of both consoles: filters (who, which action, which row, words in the detail, days),
//! the entries newest first with the row each concerns and what it changed, and the same filter
//! as a CSV download. A row's link shows that row's whole history. The platform sees everyone's
//! entries with the shop column; a shop's owner sees the shop's own.

use leptos::prelude::*;
use leptos_meta::Title;

use super::finance::text_param;
use super::ConsoleShell;
use crate::api::audit::{admin_audit, merchant_audit};
use crate::domain::account::Realm;
use crate::domain::audit::{action_label, realm_label, AuditFilter, AuditTarget, ACTIONS, REALMS};
use crate::ui::common::{datetime_text, href_with};
use crate::ui::kit::{Col, DataTable, Loaded, Pager};

#[component]
pub fn AdminAuditPage() -> impl IntoView {
    view! { <AuditLogPage realm=Realm::Admin /> }
}

#[component]
pub fn MerchantAuditPage() -> impl IntoView {
    view! { <AuditLogPage realm=Realm::Merchant /> }
}

#[component]
fn AuditLogPage(realm: Realm) -> impl IntoView {
    let platform = realm == Realm::Admin;
    let (base, csv): (&'static str, &'static str) = if platform {
        ("/admin/audit", "/admin/audit.csv")
    } else {
        ("/merchant/audit", "/merchant/audit.csv")
    };
    let (who, action, kind, row, q, from, to, page) = (
        text_param("realm"),
        text_param("action"),
        text_param("kind"),
        text_param("row"),
        text_param("q"),
        text_param("from"),
        text_param("to"),
        text_param("page"),
    );
    let filter = move || AuditFilter {
        realm: who(),
        action: action(),
        kind: kind(),
        row: row(),
        q: q(),
        from: from(),
        to: to(),
    };
    let entries = Resource::new(
        move || (filter(), page().parse::<u32>().unwrap_or(1)),
        move |(f, p)| async move {
            if platform {
                admin_audit(f, Some(p)).await
            } else {
                merchant_audit(f, Some(p)).await
            }
        },
    );
    let params = move || {
        let f = filter();
        vec![
            ("realm", f.realm),
            ("action", f.action),
            ("kind", f.kind),
            ("row", f.row),
            ("q", f.q),
            ("from", f.from),
            ("to", f.to),
        ]
    };
    view! {
        <Title text="操作日志" />
        <ConsoleShell realm>
            <div class="flex items-center justify-between">
                <h1 class="text-xl font-bold">"操作日志"</h1>
                <a href=move || href_with(csv, &params()) class="text-sm text-promo" data-test="audit-export">"导出 CSV"</a>
            </div>
            <p class="mt-1 text-sm text-gray-500">
                {if platform { "平台、商家的每次操作与登录，按时间倒序（中国时间）。" } else { "本店员工的每次操作与登录，按时间倒序（中国时间）。" }}
            </p>
            <form method="get" action=base class="mt-4 flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 text-sm" data-test="audit-filter">
                {platform.then(|| view! {
                    <label class="field"><span>"操作人"</span>
                        <select name="realm" class="input h-9 w-28 text-sm">
                            <option value="">"全部"</option>
                            {REALMS.iter().map(|(code, label)| view! {
                                <option value=*code selected=move || who() == *code>{*label}</option>
                            }).collect_view()}
                        </select>
                    </label>
                })}
                <label class="field"><span>"操作"</span>
                    <select name="action" class="input h-9 w-40 text-sm">
                        <option value="">"全部"</option>
                        {ACTIONS.iter().map(|(code, label)| view! {
                            <option value=*code selected=move || action() == *code>{*label}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>"对象"</span>
                    <select name="kind" class="input h-9 w-28 text-sm">
                        <option value="">"全部"</option>
                        {AuditTarget::ALL.iter().map(|t| view! {
                            <option value=t.as_str() selected=move || kind() == t.as_str()>{t.label()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>"编号"</span><input name="row" inputmode="numeric" maxlength="12" value=row placeholder="如 12" class="input h-9 w-24 text-sm" /></label>
                <label class="field"><span>"详情包含"</span><input name="q" maxlength="50" value=q placeholder="订单号、账号…" class="input h-9 w-44 text-sm" /></label>
                <label class="field"><span>"开始日期"</span><input type="date" name="from" value=from class="input h-9 w-40 text-sm" /></label>
                <label class="field"><span>"结束日期"</span><input type="date" name="to" value=to class="input h-9 w-40 text-sm" /></label>
                <button type="submit" class="btn-primary h-9 px-6 text-sm">"查询"</button>
            </form>
            <Loaded resource=entries let:p>
                {
                    let caption = format!("共 {} 条，第 {}/{} 页", p.total, p.page, p.pages());
                    let has_more = p.page < p.pages();
                    let page_no = p.page;
                    view! {
                        <DataTable columns=vec![Col::text("时间"), Col::text("操作人"), Col::text("店铺").only_if(platform), Col::text("操作"), Col::text("对象"), Col::text("变更"), Col::text("详情"), Col::text("IP")]
                            rows=p.rows test="audit-log" empty="没有符合条件的日志" let:r>
                            <tr>
                                <td class="whitespace-nowrap">{datetime_text(r.at)}</td>
                                <td>{format!("{} {}", realm_label(&r.realm), r.actor)}</td>
                                {platform.then(|| view! { <td>{r.shop.clone()}</td> })}
                                <td class="whitespace-nowrap">{action_label(&r.action)}</td>
                                <td class="whitespace-nowrap">
                                    {r.target.map(|t| {
                                        let history = href_with(base, &[("kind", t.as_str().to_string()), ("row", r.target_id.to_string())]);
                                        view! { <a href=history class="text-promo" title="该对象的全部记录" data-test="audit-target">{r.target_text()}</a> }
                                    })}
                                </td>
                                <td class="whitespace-nowrap" data-test="audit-change">{r.change_text()}</td>
                                <td class="break-all">{r.detail.clone()}</td>
                                <td class="text-xs text-gray-400">{r.ip.clone()}</td>
                            </tr>
                        </DataTable>
                        <Pager base params=params() page=page_no has_more caption />
                    }.into_any()
                }
            </Loaded>
        </ConsoleShell>
    }
}
