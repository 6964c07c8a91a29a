//! 商家后台 › 店铺装修 (logo, banners, introduction) and 店员管理 (the owner's staff list).

use leptos::prelude::*;
use leptos_meta::Title;

use super::ConsoleShell;
use crate::api::merchant_shop::{shop_settings, staff_list, AddStaff, RemoveStaff, SaveDecoration};
use crate::domain::account::{Realm, StaffRole};
use crate::domain::merchant::MerchantStatus;
use crate::ui::common::{datetime_text, raw_text_element, ErrorBanner, PasswordInput};
use crate::ui::kit::{form_error, Col, DataTable, FieldError, FormBanner, FormError, Loaded};
use crate::ui::upload::ImageField;

#[component]
pub fn ShopDecorationPage() -> impl IntoView {
    let save = ServerAction::<SaveDecoration>::new();
    let shop = Resource::new(|| (), |_| shop_settings());
    let form = FormError::new(move || save.value().get());
    view! {
        <Title text="店铺装修" />
        <ConsoleShell realm=Realm::Merchant>
            <h1 class="text-xl font-bold">"店铺装修"</h1>
            <Loaded resource=shop let:s>
                {{
                    let logo: Vec<String> = Some(s.logo.clone()).filter(|l| !l.is_empty()).into_iter().collect();
                    view! {
                        {(s.status != MerchantStatus::Active).then(|| view! {
                            <p class="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-promo">{format!("店铺已被平台暂停营业：{}", s.status_reason)}</p>
                        })}
                        <ActionForm action=save attr:data-done="已保存">
                            <div class="mt-5 flex max-w-3xl flex-col gap-5 rounded-lg bg-white p-6">
                                <p class="text-sm text-gray-500">{format!("店铺：{}", s.name)} " · " <a href=format!("/shop/{}", s.id) class="text-promo" target="_blank">"查看店铺页"</a></p>
                                <FormBanner form />
                                <div class="field"><span>"店铺logo"</span><ImageField name="logo" initial=logo label="上传logo" /><FieldError form field="logo" /></div>
                                <div class="field"><span>"店铺横幅（最多5张，建议 5:2）"</span><ImageField name="banners" initial=s.banners.clone() max=5 label="添加横幅" /><FieldError form field="banners" /></div>
                                <label class="field">
                                    <span>"店铺简介"</span>
                                    <textarea name="intro" rows="4" maxlength="500" class="input h-auto py-2">{raw_text_element(s.intro.clone())}</textarea>
                                    <FieldError form field="intro" />
                                </label>
                                <p class="text-sm text-gray-500">"推荐商品：在商品编辑页勾选“在店铺首页推荐”。"</p>
                                <button type="submit" class="btn-primary h-10 w-fit px-8">"保存"</button>
                            </div>
                        </ActionForm>
                    }.into_any()
                }}
            </Loaded>
        </ConsoleShell>
    }
}

#[component]
pub fn StaffPage() -> impl IntoView {
    let add = ServerAction::<AddStaff>::new();
    let remove = ServerAction::<RemoveStaff>::new();
    // the staff and whether the signed-in member is the owner (who may add or remove)
    let staff = Resource::new(
        || (),
        |_| async {
            let rows = staff_list().await?;
            let is_owner = shop_settings().await?.is_owner;
            Ok((rows, is_owner))
        },
    );
    let add_form = FormError::new(move || add.value().get());
    let remove_error = form_error(move || remove.value().get());
    view! {
        <Title text="店员管理" />
        <ConsoleShell realm=Realm::Merchant>
            <h1 class="text-xl font-bold">"店员管理"</h1>
            <p class="mt-1 text-sm text-gray-500">"店员可以管理商品和库存；只有店主可以添加或移除店员。"</p>
            <div class="mt-3"><ErrorBanner message=remove_error /></div>
            <div class="mt-5 flex items-start gap-6">
                <Loaded resource=staff let:loaded>
                    {
                        let (rows, is_owner) = loaded;
                        view! {
                            <DataTable columns=vec![Col::text("姓名"), Col::text("登录账号"), Col::text("身份"), Col::text("加入时间"), Col::text("操作")] rows test="staff-table" class="min-w-0 flex-1" let:r>
                                <tr>
                                    <td>{r.display_name.clone()}</td>
                                    <td>{r.username.clone()}</td>
                                    <td>{r.role.label()}</td>
                                    <td class="text-gray-500">{datetime_text(r.created_at)}</td>
                                    <td>
                                        {(is_owner && r.role == StaffRole::Staff).then(|| view! {
                                            <ActionForm action=remove>
                                                <input type="hidden" name="staff_id" value=r.id.to_string() />
                                                <button type="submit" class="text-promo">"移除"</button>
                                            </ActionForm>
                                        })}
                                    </td>
                                </tr>
                            </DataTable>
                            {is_owner.then(|| view! {
                                <ActionForm action=add>
                                    <div class="flex w-80 flex-col gap-4 rounded-lg bg-white p-6">
                                        <h2 class="font-bold">"添加店员"</h2>
                                        <FormBanner form=add_form />
                                        <label class="field"><span>"姓名"</span><input name="display_name" required maxlength="20" class="input" /><FieldError form=add_form field="display_name" /></label>
                                        <label class="field"><span>"登录账号"</span><input name="username" required autocomplete="off" class="input" /><FieldError form=add_form field="username" /></label>
                                        <label class="field"><span>"初始密码"</span><PasswordInput name="password" placeholder="至少8位，含字母和数字" autocomplete="new-password" /><FieldError form=add_form field="password" /></label>
                                        <button type="submit" class="btn-primary">"添加"</button>
                                    </div>
                                </ActionForm>
                            })}
                        }
                    }
                </Loaded>
            </div>
        </ConsoleShell>
    }
}
