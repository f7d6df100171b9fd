//! The OpenAPI 3 document of `/api`, generated from the handlers' annotations
//! and the shared domain types, served at `GET /api/openapi.json`. The router
//! and the document are built together (utoipa-axum), so a route cannot exist
//! without being documented.

use chengnuo_domain::messages::ErrorResponse;
use std::collections::BTreeMap;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{Content, RefOr};
use utoipa::{IntoResponses, Modify, OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Chengnuo (承诺) API",
        description = "Public commitments of party organizations: drafting, review, signature, publication, ledger, evaluation, report packages and offline sync. Every error has the shape `{\"error\": {\"code\", \"message\", \"fields\": [{\"field\", \"code\", \"message\"}]}}`, the message in the language of `Accept-Language` (Chinese by default, English)."
    ),
    modifiers(&SessionCookie),
    components(schemas(ErrorResponse)),
    tags(
        (name = "health", description = "Is the server up"),
        (name = "auth", description = "Sign-in, sign-out, the signed-in person"),
        (name = "organization", description = "The org tree and people"),
        (name = "cycles", description = "The yearly cycles and their calendars"),
        (name = "commitments", description = "Commitments and their transitions"),
        (name = "board", description = "The public board (公开栏), no sign-in"),
        (name = "feedback", description = "Public feedback on published commitments and its moderation"),
        (name = "ledger", description = "Fulfilment (台帐): progress entries, claims, crossing off"),
        (name = "evaluation", description = "Rounds, results and rectification orders"),
        (name = "reports", description = "Report packages (报送)"),
        (name = "administration", description = "Running the school (the office): roster, accounts, roles"),
        (name = "supervision", description = "Supervision (督查): a unit's dashboard and its workbook"),
        (name = "bulletins", description = "Bulletins of good practice (简报): nominations, consent, issues"),
        (name = "sync", description = "Offline sync: push an outbox, pull changes"),
    )
)]
pub struct ApiDoc;

struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "chengnuo_session",
                "Set by POST /api/auth/login (HttpOnly, SameSite=Strict)",
            ))),
        );
    }
}

fn error(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            Content::new(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                ErrorResponse::name(),
            )))),
        )
        .into()
}

/// The refusals any `/api` request may meet, all in the one error shape.
pub struct Refusals;

impl IntoResponses for Refusals {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        [
            ("400", "Malformed JSON or a wrong type (`bad_request`)"),
            ("401", "Not signed in, or wrong login or password (`unauthorized`, `bad_credentials`)"),
            ("403", "Visible but not allowed to the caller (`forbidden`)"),
            ("404", "Does not exist or is outside the caller's scope (`not_found`)"),
            ("405", "The address does not take this method (`method_not_allowed`, with Allow)"),
            ("409", "Not possible in the current state, or changed meanwhile (`wrong_state`, `conflict`)"),
            ("413", "Body too large (`payload_too_large`)"),
            ("415", "The body is not JSON (`unsupported_media_type`)"),
            ("422", "Fields refused, one entry per field (`invalid`)"),
            ("429", "Too many attempts (`too_many_attempts`, with Retry-After)"),
            ("500", "Server problem, never with details (`internal`)"),
            ("503", "The database stayed busy; nothing changed, retry (`busy`, with Retry-After)"),
        ]
        .into_iter()
        .map(|(status, description)| (status.to_owned(), error(description)))
        .collect()
    }
}
