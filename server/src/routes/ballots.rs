//! Mass evaluation (群众评议): a unit's secretary (or the office) issues
//! one-time codes for a round, prints them, counts and voids them; anyone
//! holding a code opens the ballot paper and casts one ballot, with no
//! account. A ballot only adds to counts (`store::ballots`): nothing kept
//! links it to its code or to a time, and casting is not audited.

use crate::auth::session::SignedIn;
use crate::client_address::ClientAddress;
use crate::context::ApiContext;
use crate::db::DbConnection;
use crate::error::{ApiError, ApiJson};
use crate::openapi::Refusals;
use crate::store::directory::Directory;
use crate::store::{ballots, board, cycles, evaluation, feedback, sign_in_failures};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chengnuo_domain::audit::AuditAction;
use chengnuo_domain::evaluation::Round;
use chengnuo_domain::ids::{OrgUnitId, RoundId};
use chengnuo_domain::mass_evaluation::{
    parse_choices, BallotCode, BallotPaper, CastBallot, CodeQuestion, CodeRequest, CodeSheet,
    Counted, IssuedCode, UnitCodes, VoidRequest, CODE_GUESSES, CODE_GUESS_WINDOW_MINUTES,
    CODE_LENGTH,
};
use chengnuo_domain::messages::{Message, ValidationErrors};
use chengnuo_domain::permission::{can, Action, Actor, Target};
use chrono::Utc;
use rand_core::{OsRng, RngCore};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(issue_codes))
        .routes(routes!(unit_codes))
        .routes(routes!(void_codes))
        .routes(routes!(ballot_paper))
        .routes(routes!(cast))
}

fn refused(field: &str, message: Message) -> ValidationErrors {
    let mut errors = ValidationErrors::default();
    errors.push(field, message);
    errors
}

/// The round, open today, and the unit, which the actor may issue codes for.
async fn unit_in_round(
    db: &mut DbConnection,
    context: &ApiContext,
    actor: &Actor,
    round: RoundId,
    unit: OrgUnitId,
) -> Result<(Round, std::sync::Arc<Directory>), ApiError> {
    let directory = context.directories.get(&mut *db).await?;
    let held = directory.unit(unit).ok_or(ApiError::NotFound)?;
    can(
        actor,
        Action::IssueBallotCodes,
        &Target::Unit {
            kind: held.unit.kind,
            ancestry: directory.ancestry(unit),
        },
    )?;
    let round = evaluation::round(&mut *db, round)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((round, directory))
}

/// Issuing and voiding codes are audited (casting a ballot never is).
async fn audited(
    db: &mut DbConnection,
    signed_in: &SignedIn,
    action: AuditAction,
    round: &Round,
    comment: String,
) -> Result<(), ApiError> {
    crate::store::audit::record(
        db,
        crate::store::audit::Record {
            at: Utc::now(),
            actor: Some(signed_in.person.person.id),
            action,
            subject_type: "round",
            subject_id: round.id.to_string(),
            from_state: None,
            to_state: None,
            comment: Some(comment),
        },
    )
    .await?;
    Ok(())
}

async fn open_today(db: &mut DbConnection, round: &Round) -> Result<(), ApiError> {
    let cycle = cycles::get(&mut *db, round.cycle)
        .await?
        .ok_or(ApiError::NotFound)?;
    if round.takes_input_on(cycle.today(Utc::now())) {
        Ok(())
    } else {
        Err(ApiError::NotNow(refused("round", Message::RoundNotOpen)))
    }
}

async fn counted(
    db: &mut DbConnection,
    directory: &Directory,
    round: &Round,
    unit: OrgUnitId,
) -> Result<UnitCodes, ApiError> {
    let (counts, unused_numbers) = ballots::counts(&mut *db, round.id, unit).await?;
    let quorum = cycles::get(&mut *db, round.cycle)
        .await?
        .map(|c| c.settings.mass_quorum)
        .unwrap_or_default();
    Ok(UnitCodes {
        unit,
        unit_name: directory
            .unit(unit)
            .map(|u| u.unit.name.clone())
            .unwrap_or_default(),
        counts,
        unused_numbers,
        quorum,
    })
}

/// The address a slip's QR code opens: the page's own origin as the
/// secretary's browser reached it, when it is a plain origin.
fn ballot_address(origin: &str, code: &BallotCode) -> String {
    let origin = origin.trim_end_matches('/');
    let host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    let plain = host.is_some_and(|host| {
        !host.is_empty()
            && host.len() <= 200
            && !host.contains(['/', '?', '#', ' ', '"', '<', '>', '\''])
    });
    if plain {
        format!("{origin}{}", code.ballot_path())
    } else {
        code.ballot_path()
    }
}

fn qr_svg(text: &str) -> Result<String, ApiError> {
    let code = qrcode::QrCode::new(text.as_bytes())
        .map_err(|e| ApiError::Internal(format!("QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(132, 132)
        .quiet_zone(true)
        .build())
}

/// Issues one-time codes for a unit in an open round and answers them once,
/// for the printed sheet: the server keeps only their hashes.
#[utoipa::path(post, path = "/rounds/{id}/codes", tag = "evaluation", security(("session" = [])),
    params(("id" = RoundId, Path)), request_body = CodeRequest,
    responses((status = 201, body = CodeSheet), Refusals))]
async fn issue_codes(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<RoundId>,
    ApiJson(body): ApiJson<CodeRequest>,
) -> Result<(StatusCode, Json<CodeSheet>), ApiError> {
    let (unit, count) = (body.unit, body.count);
    let codes: Vec<BallotCode> = (0..count)
        .map(|_| {
            let mut bytes = [0u8; CODE_LENGTH];
            OsRng.fill_bytes(&mut bytes);
            BallotCode::from_random(bytes)
        })
        .collect();
    let hashes: Vec<String> = codes.iter().map(BallotCode::hash).collect();
    let (round, numbers, unit_name) = crate::db::write(&context.db, async |tx| {
        let (round, directory) =
            unit_in_round(&mut *tx, &context, &signed_in.actor, id, unit).await?;
        open_today(&mut *tx, &round).await?;
        let numbers = ballots::issue(&mut *tx, round.id, unit, &hashes).await?;
        let unit_name = directory
            .unit(unit)
            .map(|u| u.unit.name.clone())
            .unwrap_or_default();
        audited(
            &mut *tx,
            &signed_in,
            AuditAction::IssueBallotCodes,
            &round,
            format!("{unit_name}: {count}"),
        )
        .await?;
        Ok((round, numbers, unit_name))
    })
    .await?;
    let mut issued = Vec::with_capacity(codes.len());
    for (code, number) in codes.iter().zip(numbers) {
        issued.push(IssuedCode {
            number,
            code: code.display(),
            qr_svg: qr_svg(&ballot_address(&body.origin, code))?,
        });
    }
    Ok((
        StatusCode::CREATED,
        Json(CodeSheet {
            unit,
            unit_name,
            round,
            codes: issued,
        }),
    ))
}

/// A unit's codes in a round, counted (used, unused, void) and the numbers
/// of the unused slips; never which code voted what.
#[utoipa::path(get, path = "/rounds/{id}/codes/{unit}", tag = "evaluation", security(("session" = [])),
    params(("id" = RoundId, Path), ("unit" = OrgUnitId, Path)),
    responses((status = 200, body = UnitCodes), Refusals))]
async fn unit_codes(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path((id, unit)): Path<(RoundId, OrgUnitId)>,
) -> Result<Json<UnitCodes>, ApiError> {
    let mut db = context.db.acquire().await?;
    let (round, directory) = unit_in_round(&mut db, &context, &signed_in.actor, id, unit).await?;
    Ok(Json(counted(&mut db, &directory, &round, unit).await?))
}

/// Voids lost slips by their printed numbers (a used one stays used).
#[utoipa::path(post, path = "/rounds/{id}/codes/void", tag = "evaluation", security(("session" = [])),
    params(("id" = RoundId, Path)), request_body = VoidRequest,
    responses((status = 200, body = UnitCodes), Refusals))]
async fn void_codes(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<RoundId>,
    ApiJson(body): ApiJson<VoidRequest>,
) -> Result<Json<UnitCodes>, ApiError> {
    let codes = crate::db::write(&context.db, async |tx| {
        let (round, directory) =
            unit_in_round(&mut *tx, &context, &signed_in.actor, id, body.unit).await?;
        let voided = ballots::void(&mut *tx, round.id, body.unit, &body.numbers).await?;
        audited(
            &mut *tx,
            &signed_in,
            AuditAction::VoidBallotCodes,
            &round,
            format!("{}: {voided}", body.unit),
        )
        .await?;
        counted(&mut *tx, &directory, &round, body.unit).await
    })
    .await?;
    Ok(Json(codes))
}

/// What a code leads to, or why it leads nowhere.
enum Found {
    Ballot {
        round: Round,
        unit: OrgUnitId,
        hash: String,
    },
    Unknown,
}

fn guesser_key(address: &std::net::IpAddr) -> String {
    let counted = crate::client_address::ClientAddress(*address).counted_as();
    format!("ballot:{}", feedback::sender_key(&counted))
}

/// Refuses an address that typed too many unknown codes lately.
async fn not_guessing(db: &mut DbConnection, key: &str) -> Result<(), ApiError> {
    let now = Utc::now();
    let window = chrono::Duration::minutes(CODE_GUESS_WINDOW_MINUTES);
    let (misses, oldest) = sign_in_failures::count(&mut *db, key, now - window).await?;
    if misses >= CODE_GUESSES {
        let retry = oldest.map_or(CODE_GUESS_WINDOW_MINUTES, |t| {
            ((t + window - now).num_seconds() + 59) / 60
        });
        return Err(ApiError::TooManyAttempts {
            retry_after_minutes: retry.max(1),
        });
    }
    Ok(())
}

/// The refusal of an unknown code (counted against its address in the
/// transaction that looked it up, which commits).
fn unknown_code() -> ApiError {
    ApiError::NotNow(refused("code", Message::BallotCodeUnknown))
}

/// A code's round and unit, in a round open today, not used, not void.
async fn usable(db: &mut DbConnection, typed: &str) -> Result<Found, ApiError> {
    let Some(code) = BallotCode::parse(typed) else {
        return Ok(Found::Unknown);
    };
    let hash = code.hash();
    let Some((round, unit, state)) = ballots::find(&mut *db, &hash).await? else {
        return Ok(Found::Unknown);
    };
    let round = evaluation::round(&mut *db, round)
        .await?
        .ok_or(ApiError::NotFound)?;
    open_today(&mut *db, &round).await?;
    state
        .admits_ballot()
        .map_err(|message| ApiError::NotNow(refused("code", message)))?;
    Ok(Found::Ballot { round, unit, hash })
}

async fn paper(
    db: &mut DbConnection,
    context: &ApiContext,
    round: Round,
    unit: OrgUnitId,
) -> Result<BallotPaper, ApiError> {
    let directory = context.directories.get(&mut *db).await?;
    let held = directory.unit(unit).ok_or(ApiError::NotFound)?;
    let (subjects, promised) = board::ballot_subjects(&mut *db, round.cycle, unit, held.unit.kind)
        .await?
        .into_iter()
        .unzip();
    Ok(BallotPaper {
        unit_name: held.unit.name.clone(),
        round,
        subjects,
        promised,
    })
}

/// The ballot paper a code opens (no sign-in): the unit, the round, and the
/// published commitments to rate with their progress. The code travels in
/// the body, never in an address a log would keep.
#[utoipa::path(post, path = "/ballots/paper", tag = "evaluation", request_body = CodeQuestion,
    responses((status = 200, body = BallotPaper), Refusals))]
async fn ballot_paper(
    State(context): State<ApiContext>,
    ClientAddress(address): ClientAddress,
    ApiJson(question): ApiJson<CodeQuestion>,
) -> Result<Json<BallotPaper>, ApiError> {
    let key = guesser_key(&address);
    // Counting the misses, looking the code up and counting a miss are one
    // write (writers take turns): guesses sent in parallel are checked no
    // more than the limit allows.
    let found = crate::db::write(&context.db, async |tx| {
        not_guessing(&mut *tx, &key).await?;
        match usable(&mut *tx, &question.code).await? {
            Found::Ballot { round, unit, .. } => {
                Ok(Some(paper(&mut *tx, &context, round, unit).await?))
            }
            Found::Unknown => {
                sign_in_failures::record(&mut *tx, &key, Utc::now()).await?;
                Ok(None)
            }
        }
    })
    .await?;
    found.map(Json).ok_or_else(unknown_code)
}

/// Casts the ballot of a code: every subject of its paper rated once; the
/// code is used up in the same transaction that counts the choices, so two
/// phones with one code cast one ballot.
#[utoipa::path(post, path = "/ballots", tag = "evaluation", request_body = CastBallot,
    responses((status = 201, body = Counted), Refusals))]
async fn cast(
    State(context): State<ApiContext>,
    ClientAddress(address): ClientAddress,
    ApiJson(ballot): ApiJson<CastBallot>,
) -> Result<(StatusCode, Json<Counted>), ApiError> {
    let key = guesser_key(&address);
    let counted = crate::db::write(&context.db, async |tx| {
        not_guessing(&mut *tx, &key).await?;
        let Found::Ballot { round, unit, hash } = usable(&mut *tx, &ballot.code).await? else {
            sign_in_failures::record(&mut *tx, &key, Utc::now()).await?;
            return Ok(None);
        };
        let paper = paper(&mut *tx, &context, round, unit).await?;
        let subjects: Vec<_> = paper.subjects.iter().map(|s| s.id).collect();
        let choices = parse_choices(&ballot.choices, &subjects)?;
        if !ballots::use_code(&mut *tx, &hash).await? {
            return Err(ApiError::NotNow(refused("code", Message::BallotCodeUsed)));
        }
        for (commitment, choice) in &choices {
            ballots::count(&mut *tx, paper.round.id, *commitment, *choice).await?;
        }
        Ok(Some(choices.len()))
    })
    .await?;
    match counted {
        Some(counted) => Ok((StatusCode::CREATED, Json(Counted { counted }))),
        None => Err(unknown_code()),
    }
}
