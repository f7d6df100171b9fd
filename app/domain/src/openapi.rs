//! Schemas the derive cannot infer: codes that travel as strings.

use crate::commitment::{Area, Standard};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

fn code(pattern: &str, description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
        .description(Some(description))
        .into()
}

impl PartialSchema for Area {
    fn schema() -> RefOr<Schema> {
        code(
            "^(C[1-8]|B[1-3]|M[1-4])$",
            "A content area by its code: C1–C8 (committee), B1–B3 (branch), M1–M4 (member pledge).",
        )
    }
}
impl ToSchema for Area {}

impl PartialSchema for Standard {
    fn schema() -> RefOr<Schema> {
        code(
            "^(G[1-5]|L[1-5])$",
            "A standard by its code: G1–G5 (the five goods) or L1–L5 (the five leads).",
        )
    }
}
impl ToSchema for Standard {}
