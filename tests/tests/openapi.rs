//! The OpenAPI document: it parses, lists every route of the API with its
//! bodies and the one error shape, and every route it lists is served.

use chengnuo_tests::TestApp;
use serde_json::Value;

/// Every route a client may call, as `METHOD path`.
const ROUTES: &[&str] = &[
    "GET /api/health",
    "GET /api/openapi.json",
    "POST /api/auth/login",
    "POST /api/auth/logout",
    "POST /api/auth/password",
    "GET /api/me",
    "GET /api/org",
    "GET /api/people",
    "GET /api/cycles",
    "GET /api/cycles/current",
    "GET /api/cycles/{id}/rounds",
    "GET /api/commitments",
    "POST /api/commitments",
    "GET /api/commitments/{id}",
    "PUT /api/commitments/{id}/draft",
    "POST /api/commitments/{id}/submit",
    "POST /api/commitments/{id}/withdraw",
    "POST /api/commitments/{id}/review",
    "POST /api/commitments/{id}/sign",
    "POST /api/commitments/{id}/publish",
    "GET /api/commitments/{id}/audit",
    "GET /api/audit",
    "GET /api/audit/actions",
    "GET /api/commitments/{id}/feedback",
    "GET /api/commitments/{id}/ledger",
    "GET /api/commitments/{id}/set-aside",
    "POST /api/commitments/{id}/ledger",
    "POST /api/commitments/{id}/items/{item}/steps",
    "GET /api/commitments/{id}/evaluation",
    "GET /api/board",
    "GET /api/board/{id}",
    "GET /api/board/{id}/feedback",
    "POST /api/board/{id}/feedback",
    "POST /api/feedback/{id}/hide",
    "GET /api/reports",
    "GET /api/reports/{committee}",
    "POST /api/reports/{committee}/submit",
    "GET /api/reports/{committee}/workbook",
    "POST /api/sync/push",
    "POST /api/sync/pull",
    "PUT /api/commitments/{id}/evidence/{hash}",
    "GET /api/commitments/{id}/evidence/{hash}",
    "GET /api/board/{id}/ledger",
    "POST /api/cycles",
    "PUT /api/cycles/{id}",
    "POST /api/cycles/{id}/current",
    "POST /api/cycles/{id}/rounds",
    "POST /api/rounds/{id}/close",
    "POST /api/rounds/{id}/codes",
    "POST /api/rounds/{id}/codes/void",
    "GET /api/rounds/{id}/codes/{unit}",
    "POST /api/ballots/paper",
    "POST /api/ballots",
    "GET /api/board/results",
    "GET /api/rectifications/overdue",
    "GET /api/todo",
    "GET /api/dashboard",
    "GET /api/dashboard/workbook",
    "POST /api/admin/roster",
    "GET /api/admin/units",
    "GET /api/admin/people",
    "POST /api/admin/accounts",
    "POST /api/admin/accounts/{person}/password",
    "POST /api/admin/accounts/{person}/disable",
    "POST /api/admin/accounts/{person}/enable",
    "POST /api/admin/grants",
    "POST /api/admin/grants/revoke",
    "GET /api/circulars/draft",
    "POST /api/circulars",
    "GET /api/circulars",
    "GET /api/circulars/{id}",
    "GET /api/board/circulars",
    "GET /api/board/units/{unit}/suggestions",
    "POST /api/board/units/{unit}/suggestions",
    "GET /api/units/{unit}/suggestions",
    "POST /api/suggestions/{id}/answer",
    "POST /api/suggestions/{id}/hide",
    "GET /api/commitments/{id}/nominations",
    "POST /api/commitments/{id}/nominations",
    "POST /api/nominations/{id}/consent",
    "GET /api/nominations",
    "GET /api/bulletins/draft",
    "POST /api/bulletins",
    "GET /api/board/bulletins",
    "GET /api/board/bulletins/{id}",
];

async fn document(app: &TestApp) -> Value {
    let response = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    response.json().await.expect("the document is JSON")
}

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().unwrap() {
            if ["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                out.push((method.to_uppercase(), path.clone(), operation.clone()));
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn the_document_lists_every_route_with_its_bodies_and_errors() {
    let app = chengnuo_tests::spawn_app().await;
    let doc = document(&app).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["info"]["title"].as_str().unwrap().contains("Chengnuo"));

    let mut listed: Vec<String> = operations(&doc)
        .iter()
        .map(|(method, path, _)| format!("{method} {path}"))
        .collect();
    listed.sort();
    let mut expected: Vec<String> = ROUTES.iter().map(|r| r.to_string()).collect();
    expected.sort();
    assert_eq!(listed, expected);

    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    // The one error shape, referenced by every operation's refusals.
    let error = &schemas["ErrorResponse"];
    assert!(error["properties"]["error"].is_object(), "{error}");
    for name in ["ErrorBody", "FieldBody"] {
        assert!(schemas.contains_key(name), "{name}");
    }
    for (method, path, operation) in operations(&doc) {
        let responses = operation["responses"].as_object().unwrap();
        let success = responses
            .keys()
            .find(|status| status.starts_with('2'))
            .unwrap_or_else(|| panic!("{method} {path} has no success response"));
        if !path.ends_with("openapi.json") && success != "204" {
            let content = responses[success]["content"].as_object().unwrap();
            assert!(
                content.values().all(|c| c["schema"].is_object()) && !content.is_empty(),
                "{method} {path}: the success body is described"
            );
        }
        if path != "/api/health" && path != "/api/openapi.json" {
            for status in ["400", "401", "403", "404", "409", "422", "500"] {
                let reference = &responses[status]["content"]["application/json"]["schema"]["$ref"];
                assert_eq!(
                    reference, "#/components/schemas/ErrorResponse",
                    "{method} {path} {status}"
                );
            }
        }
        // Some actions say everything in their address: signing out, making
        // a year the one in force, closing a round, the office's steps on an
        // account (a new password, disabling, enabling).
        if (method == "POST" || method == "PUT")
            && !path.ends_with("/logout")
            && !path.ends_with("/current")
            && !path.ends_with("/close")
            && !path.starts_with("/api/admin/accounts/")
        {
            // JSON everywhere but a file's bytes and the roster (CSV).
            let content = if path.contains("/evidence/") {
                "application/octet-stream"
            } else if path.ends_with("/roster") {
                "text/csv"
            } else {
                "application/json"
            };
            assert!(
                operation["requestBody"]["content"][content]["schema"].is_object(),
                "{method} {path}: the request body is described"
            );
        }
    }
    // Every schema a body refers to is in the document (the domain types included).
    let text = doc.to_string();
    for reference in text.split("\"#/components/schemas/").skip(1) {
        let name = &reference[..reference.find('"').unwrap()];
        assert!(
            schemas.contains_key(name),
            "{name} is referenced but missing"
        );
    }
    for name in [
        "Snapshot",
        "CommitmentDraft",
        "Operation",
        "Change",
        "PackageStatus",
    ] {
        assert!(schemas.contains_key(name), "{name}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_documented_route_is_served() {
    let app = chengnuo_tests::spawn_app().await;
    let doc = document(&app).await;
    let id = "00000000-0000-4000-8000-000000000001";
    for (method, path, _) in operations(&doc) {
        let url = app.url(
            &path
                .replace("{id}", id)
                .replace("{item}", id)
                .replace("{committee}", id),
        );
        let request = app
            .client
            .request(method.parse().unwrap(), url)
            .header("content-type", "application/json")
            .body("{}");
        let response = request.send().await.unwrap();
        // 405 would mean the path exists for another method only.
        assert_ne!(response.status(), 405, "{method} {path}");
        if response.status() == 404 {
            // The resource is missing, not the route: the API's JSON 404.
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"]["code"], "not_found", "{method} {path}");
        }
    }
    // An unknown route answers the same JSON 404, not a stack trace.
    let response = app
        .client
        .get(app.url("/api/no-such-thing"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}
