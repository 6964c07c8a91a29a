//! What each platform admin role may do: one table, [`GRANTS`], read by [`AdminRole::may`] and
//! [`AdminRole::require`]. A super admin may do everything; every other role only what it is
//! granted. Services check it on `services::admins::AdminScope`; merchant staff are confined by
//! `services::merchants::MerchantScope` instead.

use serde::{Deserialize, Serialize};

use crate::domain::account::AdminRole;
use crate::error::AppError;

/// Something a platform admin may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// 审核商家入驻
    ReviewApplications,
    /// 暂停或恢复店铺
    SuspendMerchants,
    /// 设置店铺佣金
    SetMerchantCommission,
    /// 下架或恢复商品
    TakeDownProducts,
    /// 审核商品（首次上架）
    ReviewProducts,
    /// 管理分类
    ManageCategories,
    /// 查看订单、仲裁售后
    HandleOrders,
    /// 处理结算、提现、财务报表
    HandleFinance,
    /// 平台优惠券与营销活动
    ManageMarketing,
    /// 查看操作日志（审计）
    ReadAudit,
    /// 隐藏或恢复评价
    ModerateReviews,
    /// 查看会员、停用或恢复会员账号
    ManageShoppers,
    /// 查看会员完整手机号（须填写原因，记入操作日志）
    RevealPhones,
    /// 停用或恢复商家员工账号
    ManageStaffAccounts,
    /// 管理平台管理员账号与角色
    ManageAdmins,
}

impl Permission {
    pub const ALL: [Permission; 15] = [
        Permission::ReviewApplications,
        Permission::SuspendMerchants,
        Permission::SetMerchantCommission,
        Permission::TakeDownProducts,
        Permission::ReviewProducts,
        Permission::ManageCategories,
        Permission::HandleOrders,
        Permission::HandleFinance,
        Permission::ManageMarketing,
        Permission::ReadAudit,
        Permission::ModerateReviews,
        Permission::ManageShoppers,
        Permission::RevealPhones,
        Permission::ManageStaffAccounts,
        Permission::ManageAdmins,
    ];

    /// What it allows, as the refusal says it ("仅…可以{what}").
    pub fn what(self) -> &'static str {
        match self {
            Permission::ReviewApplications => "审核商家入驻",
            Permission::SuspendMerchants => "暂停或恢复店铺",
            Permission::SetMerchantCommission => "设置店铺佣金",
            Permission::TakeDownProducts => "下架或恢复商品",
            Permission::ReviewProducts => "审核商品",
            Permission::ManageCategories => "管理分类",
            Permission::HandleOrders => "处理订单与售后",
            Permission::HandleFinance => "处理结算",
            Permission::ManageMarketing => "管理平台营销",
            Permission::ReadAudit => "查看操作日志",
            Permission::ModerateReviews => "管理评价",
            Permission::ManageShoppers => "管理会员",
            Permission::RevealPhones => "查看会员完整手机号",
            Permission::ManageStaffAccounts => "管理商家员工账号",
            Permission::ManageAdmins => "管理平台管理员",
        }
    }
}

/// The one permission table: which roles besides the super admin hold each permission.
pub const GRANTS: &[(Permission, &[AdminRole])] = {
    use AdminRole::*;
    use Permission::*;
    &[
        (ReviewApplications, &[Reviewer, Operator]),
        (SuspendMerchants, &[Operator, Reviewer]),
        (SetMerchantCommission, &[Operator, Finance]),
        (TakeDownProducts, &[Operator, Reviewer]),
        (ReviewProducts, &[Reviewer, Operator]),
        (ManageCategories, &[Operator]),
        (HandleOrders, &[Operator]),
        (HandleFinance, &[Finance]),
        (ManageMarketing, &[Operator]),
        (ReadAudit, &[Operator]),
        (ModerateReviews, &[Operator, Reviewer]),
        (ManageShoppers, &[Operator]),
        (RevealPhones, &[Operator]),
        (ManageStaffAccounts, &[Operator]),
        // only the super admin: no other role is granted it
        (ManageAdmins, &[]),
    ]
};

impl AdminRole {
    /// Whether this role may do `p` (a super admin may do everything).
    pub fn may(self, p: Permission) -> bool {
        self == AdminRole::Super
            || GRANTS
                .iter()
                .any(|(g, roles)| *g == p && roles.contains(&self))
    }

    /// `Ok` when this role may do `p`; otherwise 403 naming who may. Services reach it through
    /// `services::admins::AdminScope::require`, whose role is read from the account.
    pub fn require(self, p: Permission) -> Result<(), AppError> {
        if self.may(p) {
            Ok(())
        } else {
            Err(refusal(p))
        }
    }
}

/// The 403 of `p`: 「仅…可以…」, naming the roles that may.
fn refusal(p: Permission) -> AppError {
    let mut who = vec![AdminRole::Super.label()];
    for (g, roles) in GRANTS {
        if *g == p {
            who.extend(roles.iter().map(|r| r.label()));
        }
    }
    let who = match who.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}和{last}", rest.join("、")),
        _ => who.concat(),
    };
    AppError::Forbidden(format!("仅{who}可以{}", p.what()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_permission_has_one_row_and_super_holds_all() {
        for p in Permission::ALL {
            assert_eq!(GRANTS.iter().filter(|g| g.0 == p).count(), 1, "{p:?}");
            assert!(AdminRole::Super.may(p));
        }
        assert!(AdminRole::Finance.may(Permission::HandleFinance));
        assert!(!AdminRole::Finance.may(Permission::ManageCategories));
        assert!(!AdminRole::Reviewer.may(Permission::HandleOrders));
    }

    #[test]
    fn a_refusal_names_who_may() {
        let me = AdminRole::Reviewer;
        let e = me.require(Permission::HandleFinance).unwrap_err();
        assert_eq!(e.to_string(), "仅超级管理员和财务可以处理结算");
        let e = me.require(Permission::SetMerchantCommission).unwrap_err();
        assert_eq!(e.to_string(), "仅超级管理员、运营和财务可以设置店铺佣金");
        assert!(me.require(Permission::ReviewApplications).is_ok());
    }
}
