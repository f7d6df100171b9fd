//! What the office's administration screen reads and changes: people and
//! their accounts per unit, counts per unit, roles taken away.

use crate::db::DbConnection;
use crate::store::StoreError;
use crate::store::{enum_from_text, enum_text, parse_id};
use chengnuo_domain::administration::AccountLine;
use chengnuo_domain::ids::{OrgUnitId, PersonId};
use chengnuo_domain::permission::{Role, RoleGrant};
use sqlx::Row;
use std::collections::HashMap;

/// People per branch, and how many of them have an account.
pub async fn unit_counts(
    db: &mut DbConnection,
) -> Result<HashMap<OrgUnitId, (u32, u32)>, StoreError> {
    let rows = sqlx::query(
        "SELECT p.branch_id, COUNT(*), COUNT(a.person_id) FROM persons p \
         LEFT JOIN accounts a ON a.person_id = p.id GROUP BY p.branch_id",
    )
    .fetch_all(&mut *db)
    .await?;
    rows.iter()
        .map(|row| {
            let n = |i: usize| u32::try_from(row.get::<i64, _>(i)).unwrap_or(u32::MAX);
            Ok((parse_id(row.get::<&str, _>(0))?, (n(1), n(2))))
        })
        .collect()
}

/// The people of a unit: those whose branch it is, and those holding a role
/// over it; with their account and every role they hold.
pub async fn account_lines(
    db: &mut DbConnection,
    unit: OrgUnitId,
) -> Result<Vec<AccountLine>, StoreError> {
    let rows = sqlx::query(
        "SELECT p.id, p.name, p.branch_id, p.category, p.cadre_rank, p.is_activist, p.title, \
         a.login, a.disabled_at, a.must_change_password FROM persons p \
         LEFT JOIN accounts a ON a.person_id = p.id \
         WHERE p.branch_id = $1 OR p.id IN (SELECT person_id FROM role_grants WHERE unit_id = $1) \
         ORDER BY p.name",
    )
    .bind(unit.to_string())
    .fetch_all(&mut *db)
    .await?;
    let mut lines = Vec::with_capacity(rows.len());
    for row in &rows {
        lines.push(AccountLine {
            person: crate::store::directory::person_from_row(row)?,
            login: row.get("login"),
            disabled: row.get::<Option<&str>, _>("disabled_at").is_some(),
            must_change_password: row.get::<Option<i64>, _>("must_change_password") == Some(1),
            roles: Vec::new(),
        });
    }
    let grants = sqlx::query(
        "SELECT g.person_id, g.role, g.unit_id FROM role_grants g JOIN persons p ON p.id = g.person_id \
         WHERE p.branch_id = $1 OR g.person_id IN (SELECT person_id FROM role_grants WHERE unit_id = $1) \
         ORDER BY g.role",
    )
    .bind(unit.to_string())
    .fetch_all(&mut *db)
    .await?;
    let index: HashMap<PersonId, usize> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| (l.person.person.id, i))
        .collect();
    for row in &grants {
        let person: PersonId = parse_id(row.get::<&str, _>(0))?;
        if let Some(&i) = index.get(&person) {
            lines[i].roles.push(RoleGrant {
                role: enum_from_text::<Role>(row.get::<&str, _>(1))?,
                unit: parse_id(row.get::<&str, _>(2))?,
            });
        }
    }
    Ok(lines)
}

/// Takes a role away; `StoreError::NotFound` when it was not held.
pub async fn revoke(
    db: &mut DbConnection,
    person: PersonId,
    role: Role,
    unit: OrgUnitId,
) -> Result<(), StoreError> {
    let done =
        sqlx::query("DELETE FROM role_grants WHERE person_id = $1 AND role = $2 AND unit_id = $3")
            .bind(person.to_string())
            .bind(enum_text(&role))
            .bind(unit.to_string())
            .execute(&mut *db)
            .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// How many people hold the office's role with an account that is not
/// disabled, other than `except`'s `(person, unit)` grant (the one about to
/// go) or `except`'s account (about to be disabled).
pub async fn other_working_offices(
    db: &mut DbConnection,
    person: chengnuo_domain::ids::PersonId,
    unit: Option<chengnuo_domain::ids::OrgUnitId>,
) -> Result<i64, StoreError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT g.person_id, g.unit_id FROM role_grants g \
         JOIN accounts a ON a.person_id = g.person_id \
         WHERE g.role = 'Office' AND a.disabled_at IS NULL",
    )
    .fetch_all(&mut *db)
    .await?;
    let person = person.to_string();
    let unit = unit.map(|u| u.to_string());
    let mut others: Vec<&String> = rows
        .iter()
        .filter(|(p, u)| match &unit {
            // A grant revoked: every other grant still counts.
            Some(unit) => !(*p == person && u == unit),
            // An account disabled: its grants no longer count.
            None => *p != person,
        })
        .map(|(p, _)| p)
        .collect();
    others.sort();
    others.dedup();
    Ok(others.len() as i64)
}
