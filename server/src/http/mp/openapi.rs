//! The OpenAPI document of the mini-program API, served at `/api/mp/v1/openapi.json`.

use app::error::{ErrorBody, InvalidField};
use axum::Json;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "集市 Jishi mini-program API", version = "1"),
    servers((url = "/api/mp/v1")),
    paths(
        super::auth::wx_login,
        super::auth::logout,
        super::auth::me,
        super::storefront::home,
        super::storefront::categories,
        super::storefront::products,
        super::storefront::product,
        super::storefront::shop,
        super::buying::get_cart,
        super::buying::add_to_cart,
        super::buying::set_cart_qty,
        super::buying::select_cart,
        super::buying::remove_from_cart,
        super::buying::list_addresses,
        super::buying::add_address,
        super::buying::update_address,
        super::buying::delete_address,
        super::buying::preview,
        super::buying::submit,
        super::buying::pay,
        super::buying::simulated_pay,
        super::buying::list_orders,
        super::buying::get_order,
        super::buying::cancel_order,
        super::buying::confirm_order,
        super::buying::request_after_sale,
        super::buying::get_after_sale,
        super::buying::act_on_after_sale,
        super::uploads::image,
        super::subscriptions::templates,
        super::subscriptions::accept,
        super::coupons::claimable,
        super::coupons::claim,
        super::coupons::mine,
        super::coupons::shop_full_reductions,
        super::reviews::of_product,
        super::reviews::shop_scores,
        super::reviews::waiting,
        super::reviews::submit,
        super::reviews::append,
        super::reviews::mine,
        super::flash_sales::board,
        super::flash_sales::of_product,
        super::group_buys::selling,
        super::group_buys::of_product,
        super::group_buys::group,
        super::group_buys::leave,
        super::presales::selling,
        super::presales::of_product,
        super::presales::refund_late,
        super::presales::pay_balance,
    ),
    components(schemas(ErrorBody, InvalidField)),
    modifiers(&BearerAuth, &ErrorAnswers),
    tags(
        (name = "auth", description = "WeChat sign-in and bearer tokens"),
        (name = "storefront", description = "Home, categories, product search and detail, shops (no sign-in). Send `X-Visitor-Id` (16 to 64 of A-Z a-z 0-9 _ -, random, kept in the phone's storage) on every call: the mall counts page views and visitors by it (no other personal data); calls without it are not counted"),
        (name = "buying", description = "Cart, addresses, checkout, payment, orders and after-sales (bearer token)"),
        (name = "coupons", description = "领券中心, claiming, 我的优惠券 and shops' full-reductions; coupons are chosen at checkout"),
        (name = "subscriptions", description = "订阅消息: templates to ask for, and the shopper's acceptances (one message each)"),
        (name = "reviews", description = "Product reviews and figures, shop scores (no sign-in); 待评价, reviewing, appending and 我的评价 (bearer token)"),
        (name = "flash_sales", description = "秒杀: running and upcoming slots and a product's items (no sign-in); buy with `/checkout/submit` and `flash_sale_item_id`"),
        (name = "group_buys", description = "拼团: activities selling now, a product's activity with its open groups (no sign-in), a group's share page (bearer token optional: with one, the shopper's own seat and order), leaving a group (bearer token; refunded in full). Money in fen, times in epoch ms. Open a group with `/checkout/submit` and `group_buy_id`; join one with `group_buy_id` and `group_id`; a paid group order is `grouping` (待成团) until the group fills, then `to_ship`"),
        (name = "presales", description = "预售, paid in full or 定金+尾款: presales selling now and a product's presale (no sign-in), each with its ship promise and, for a deposit presale (`deposit`), its balance window, each SKU's deposit and what it counts for at balance time (定金膨胀), and what a missed balance does to the deposit; paying a deposit order's balance (`/orders/{id}/pay-balance`, then the trade like any other); the refund of an order past its ship promise (bearer token; at the shopper's word). Money in fen, times in epoch ms. Buy with `/checkout/submit`, `presale_id` and the one line: the trade takes the deposit of a deposit presale, the order waits in `awaiting_balance` (待付尾款) with `balance` (deposit, inflation, balance, window, status, `payable_now`); the paid order carries `ship_promise` (`ship_by`, `text`, and `late` once it is broken)")
    )
)]
pub struct MpApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Documents the error answers every operation can give, all in the [`ErrorBody`] envelope:
/// written once here from what the server does (the extractors, body limits and services), not
/// repeated on every handler.
struct ErrorAnswers;

impl Modify for ErrorAnswers {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        for (path, item) in doc.paths.paths.iter_mut() {
            let ops = [
                (&mut item.get, false),
                (&mut item.post, true),
                (&mut item.put, true),
                (&mut item.delete, true),
            ];
            for (op, writes) in ops {
                if let Some(op) = op.as_mut() {
                    add_error_answers(path, op, writes);
                }
            }
        }
    }
}

fn add_error_answers(path: &str, op: &mut Operation, writes: bool) {
    // a token the operation takes but does not need (an empty requirement among them) is never
    // answered with 401
    let signed_in = op
        .security
        .as_ref()
        .is_some_and(|s| !s.is_empty() && !s.contains(&SecurityRequirement::default()));
    let has_body = op.request_body.is_some();
    let in_path = op
        .parameters
        .iter()
        .flatten()
        .any(|p| p.parameter_in == ParameterIn::Path);
    let mut answers = vec![(
        400,
        "The request is malformed: unreadable JSON, query or path",
    )];
    if signed_in {
        answers.push((401, "No valid bearer token"));
        answers.push((403, "The account is disabled"));
    }
    if in_path || signed_in && writes {
        answers.push((404, "No such row, or another shopper's"));
    }
    if has_body {
        answers.push((408, "The body did not arrive in time"));
        answers.push((413, "The body is over 1 MB"));
        answers.push((422, "A field is wrong; `data.field` names it"));
    }
    if writes && signed_in {
        answers.push((
            409,
            "The row's state does not allow this now (sold out, already paid…)",
        ));
    }
    if path.contains("/pay") || path.contains("wx-login") {
        answers.push((502, "WeChat is unavailable"));
    }
    for (status, description) in answers {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::T(ResponseBuilder::new().description(description).build()));
    }
    // every error answer, declared here or on the handler, is the envelope
    for (status, answer) in op.responses.responses.iter_mut() {
        if let (false, RefOr::T(answer)) = (status.starts_with('2'), answer) {
            if answer.content.is_empty() {
                answer.content.insert(
                    "application/json".into(),
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                );
            }
        }
    }
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(MpApiDoc::openapi())
}
