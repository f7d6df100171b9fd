//! The permission table of DOMAIN.md section 2, checked role by role, in scope
//! and out of scope, including each refusal.

mod common;

use chengnuo_domain::commitment::{Committer, CommitterKind};
use chengnuo_domain::org::{CadreRank, MemberCategory};
use chengnuo_domain::permission::{can, Action, Actor, Denied, Target};
use chengnuo_domain::workflow::CommitmentState::{self, *};
use common::University;

fn check(actor: &Actor, action: Action, target: &Target) -> Result<(), Denied> {
    can(actor, action, target)
}

#[test]
fn a_member_drafts_submits_and_signs_only_their_own() {
    let u = University::new();
    let me = u.as_member();
    assert_eq!(
        check(&me, Action::Edit, &u.member_commitment(Draft)),
        Ok(())
    );
    assert_eq!(
        check(&me, Action::Edit, &u.member_commitment(Returned)),
        Ok(())
    );
    assert_eq!(
        check(&me, Action::Submit, &u.member_commitment(Draft)),
        Ok(())
    );
    assert_eq!(
        check(&me, Action::Sign, &u.member_commitment(Approved)),
        Ok(())
    );
    assert_eq!(
        check(&me, Action::Edit, &u.member_commitment(Submitted)),
        Err(Denied::WrongState(Submitted))
    );
    assert_eq!(
        check(&me, Action::Edit, &u.member_commitment(Signed)),
        Err(Denied::WrongState(Signed))
    );
    assert_eq!(
        check(&me, Action::Sign, &u.member_commitment(Submitted)),
        Err(Denied::WrongState(Submitted))
    );
    // A peer's draft is invisible to me; a published one is visible but not mine.
    let peers = u.person_commitment(u.peer, u.branch, Draft);
    assert_eq!(check(&me, Action::View, &peers), Err(Denied::NotVisible));
    assert_eq!(check(&me, Action::Edit, &peers), Err(Denied::NotVisible));
    let published = u.person_commitment(u.peer, u.branch, Published);
    assert_eq!(check(&me, Action::View, &published), Ok(()));
    assert_eq!(
        check(&me, Action::Edit, &published),
        Err(Denied::NotAllowed)
    );
    // Never my own review.
    assert_eq!(
        check(&me, Action::Review, &u.member_commitment(Submitted)),
        Err(Denied::NotAllowed)
    );
}

#[test]
fn the_public_sees_only_published_commitments() {
    let u = University::new();
    let public = Actor::public();
    for state in CommitmentState::ALL {
        let expected = if state == Published {
            Ok(())
        } else {
            Err(Denied::NotVisible)
        };
        assert_eq!(
            check(&public, Action::View, &u.member_commitment(state)),
            expected,
            "{state:?}"
        );
    }
    let published = u.member_commitment(Published);
    assert_eq!(check(&public, Action::Feedback, &published), Ok(()));
    assert_eq!(check(&public, Action::CastBallot, &published), Ok(()));
    assert_eq!(
        check(&public, Action::RatePeer, &published),
        Err(Denied::NotAllowed)
    );
    assert_eq!(
        check(&public, Action::CrossOff, &published),
        Err(Denied::NotAllowed)
    );
    assert_eq!(
        check(&public, Action::Feedback, &u.member_commitment(Signed)),
        Err(Denied::NotVisible)
    );
}

#[test]
fn a_branch_secretary_reviews_crosses_off_and_assesses_members_of_their_branch() {
    let u = University::new();
    let secretary = u.as_branch_secretary();
    assert_eq!(
        check(&secretary, Action::View, &u.member_commitment(Draft)),
        Ok(())
    );
    assert_eq!(
        check(&secretary, Action::Review, &u.member_commitment(Submitted)),
        Ok(())
    );
    assert_eq!(
        check(&secretary, Action::Review, &u.member_commitment(Draft)),
        Err(Denied::WrongState(Draft))
    );
    assert_eq!(
        check(
            &secretary,
            Action::CrossOff,
            &u.member_commitment(Published)
        ),
        Ok(())
    );
    assert_eq!(
        check(
            &secretary,
            Action::AssessOrganization,
            &u.member_commitment(Published)
        ),
        Ok(())
    );
    assert_eq!(
        check(&secretary, Action::Publish, &u.member_commitment(Signed)),
        Ok(())
    );
    assert_eq!(
        check(&secretary, Action::Publish, &u.member_commitment(Approved)),
        Err(Denied::WrongState(Approved))
    );
    // Not the member's text.
    assert_eq!(
        check(&secretary, Action::Edit, &u.member_commitment(Draft)),
        Err(Denied::NotAllowed)
    );
    // The branch's own commitment is theirs to draft, not to review.
    assert_eq!(
        check(
            &secretary,
            Action::Edit,
            &u.branch_commitment(u.branch, Draft)
        ),
        Ok(())
    );
    assert_eq!(
        check(
            &secretary,
            Action::Review,
            &u.branch_commitment(u.branch, Submitted)
        ),
        Err(Denied::NotAllowed)
    );
    // Outside the branch: nothing.
    let elsewhere = u.person_commitment(u.stranger, u.other_branch, Submitted);
    assert_eq!(
        check(&secretary, Action::View, &elsewhere),
        Err(Denied::NotVisible)
    );
    assert_eq!(
        check(&secretary, Action::Review, &elsewhere),
        Err(Denied::NotVisible)
    );
    // Their own personal commitment goes to the committee secretary.
    let own = u.person_commitment(u.branch_secretary, u.branch, Submitted);
    assert_eq!(
        check(&secretary, Action::Review, &own),
        Err(Denied::NotAllowed)
    );
    assert_eq!(
        check(&u.as_committee_secretary(), Action::Review, &own),
        Ok(())
    );
}

#[test]
fn a_committee_secretary_reviews_branches_under_it_and_submits_the_package() {
    let u = University::new();
    let secretary = u.as_committee_secretary();
    assert_eq!(
        check(
            &secretary,
            Action::Review,
            &u.branch_commitment(u.branch, Submitted)
        ),
        Ok(())
    );
    assert_eq!(
        check(
            &secretary,
            Action::CrossOff,
            &u.branch_commitment(u.branch, Signed)
        ),
        Ok(())
    );
    assert_eq!(
        check(
            &secretary,
            Action::Review,
            &u.branch_commitment(u.other_branch, Submitted)
        ),
        Err(Denied::NotVisible)
    );
    assert_eq!(
        check(
            &secretary,
            Action::Edit,
            &u.committee_commitment(u.committee, Draft)
        ),
        Ok(())
    );
    assert_eq!(
        check(
            &secretary,
            Action::Review,
            &u.committee_commitment(u.committee, Submitted)
        ),
        Err(Denied::NotAllowed)
    );
    assert_eq!(
        check(
            &secretary,
            Action::SubmitReport,
            &u.committee_unit(u.committee)
        ),
        Ok(())
    );
    assert_eq!(
        check(
            &secretary,
            Action::ViewReports,
            &u.committee_unit(u.committee)
        ),
        Ok(())
    );
    assert_eq!(
        check(
            &secretary,
            Action::SubmitReport,
            &u.committee_unit(u.other_committee)
        ),
        Err(Denied::NotVisible)
    );
    assert_eq!(
        check(
            &u.as_other_secretary(),
            Action::View,
            &u.member_commitment(Submitted)
        ),
        Err(Denied::NotVisible)
    );
    assert_eq!(
        check(
            &u.as_branch_secretary(),
            Action::SubmitReport,
            &u.committee_unit(u.committee)
        ),
        Err(Denied::NotVisible)
    );
}

#[test]
fn the_office_reviews_committees_and_configures_the_campaign() {
    let u = University::new();
    let office = u.as_office();
    assert_eq!(
        check(
            &office,
            Action::Review,
            &u.committee_commitment(u.committee, Submitted)
        ),
        Ok(())
    );
    assert_eq!(
        check(&office, Action::View, &u.member_commitment(Draft)),
        Ok(())
    );
    assert_eq!(
        check(&office, Action::ConfigureCycle, &Target::Campaign),
        Ok(())
    );
    assert_eq!(
        check(&office, Action::ManageAccounts, &Target::Campaign),
        Ok(())
    );
    assert_eq!(
        check(
            &office,
            Action::ViewReports,
            &u.committee_unit(u.other_committee)
        ),
        Ok(())
    );
    assert_eq!(
        check(
            &office,
            Action::SubmitReport,
            &u.committee_unit(u.committee)
        ),
        Err(Denied::NotAllowed)
    );
    for actor in [u.as_member(), u.as_committee_secretary(), Actor::public()] {
        assert_eq!(
            check(&actor, Action::ConfigureCycle, &Target::Campaign),
            Err(Denied::NotAllowed)
        );
    }
}

#[test]
fn a_leader_comments_inside_their_assignment_only() {
    let u = University::new();
    let leader = u.as_leader();
    // Cadres and units, not every member (the masses and the branch assess those).
    assert_eq!(
        check(
            &leader,
            Action::LeaderComment,
            &u.member_commitment(Published)
        ),
        Err(Denied::NotAllowed)
    );
    let Target::Commitment(mut cadre) = u.member_commitment(Published) else {
        unreachable!()
    };
    cadre.kind = CommitterKind::Member {
        category: MemberCategory::Teacher,
        cadre_rank: Some(CadreRank::Section),
        is_activist: false,
    };
    assert_eq!(
        check(&leader, Action::LeaderComment, &Target::Commitment(cadre)),
        Ok(())
    );
    assert_eq!(
        check(
            &leader,
            Action::LeaderComment,
            &u.committee_commitment(u.committee, Published)
        ),
        Ok(())
    );
    assert_eq!(
        check(
            &leader,
            Action::LeaderComment,
            &u.branch_commitment(u.branch, Signed)
        ),
        Ok(())
    );
    assert_eq!(
        check(
            &leader,
            Action::LeaderComment,
            &u.branch_commitment(u.other_branch, Published)
        ),
        Err(Denied::NotAllowed)
    );
    assert_eq!(
        check(&leader, Action::Review, &u.member_commitment(Submitted)),
        Err(Denied::NotAllowed)
    );
}

#[test]
fn members_rate_peers_in_their_branch_never_themselves() {
    let u = University::new();
    assert_eq!(
        check(
            &u.as_peer(),
            Action::RatePeer,
            &u.member_commitment(Published)
        ),
        Ok(())
    );
    assert_eq!(
        check(
            &u.as_member(),
            Action::RatePeer,
            &u.member_commitment(Published)
        ),
        Err(Denied::NotAllowed)
    );
    assert_eq!(
        check(
            &u.as_stranger(),
            Action::RatePeer,
            &u.member_commitment(Published)
        ),
        Err(Denied::NotAllowed)
    );
    assert_eq!(
        check(&u.as_peer(), Action::RatePeer, &u.member_commitment(Signed)),
        Err(Denied::NotVisible)
    );
}

#[test]
fn actions_on_the_wrong_kind_of_target_are_refused() {
    let u = University::new();
    assert_eq!(
        check(&u.as_office(), Action::Review, &Target::Campaign),
        Err(Denied::WrongTarget)
    );
    assert_eq!(
        check(&u.as_office(), Action::Edit, &u.committee_unit(u.committee)),
        Err(Denied::WrongTarget)
    );
    assert_eq!(
        check(
            &u.as_office(),
            Action::SubmitReport,
            &u.member_commitment(Published)
        ),
        Err(Denied::WrongTarget)
    );
}

#[test]
fn a_grade_is_public_once_published_its_breakdown_and_rectification_stay_in_the_chain() {
    let u = University::new();
    let published = u.person_commitment(u.peer, u.branch, Published);
    for actor in [u.as_member(), Actor::public(), u.as_stranger()] {
        assert_eq!(check(&actor, Action::ViewGrade, &published), Ok(()));
        assert_eq!(
            check(&actor, Action::ViewScores, &published),
            Err(Denied::NotAllowed)
        );
        assert_eq!(
            check(&actor, Action::ViewRectification, &published),
            Err(Denied::NotAllowed)
        );
    }
    // The committer and everyone above see it all.
    let own = u.member_commitment(Published);
    for actor in [
        u.as_member(),
        u.as_branch_secretary(),
        u.as_committee_secretary(),
        u.as_leader(),
        u.as_office(),
    ] {
        assert_eq!(check(&actor, Action::ViewScores, &own), Ok(()));
        assert_eq!(check(&actor, Action::ViewRectification, &own), Ok(()));
    }
    // Not yet published: no grade for anyone outside.
    assert_eq!(
        check(
            &Actor::public(),
            Action::ViewGrade,
            &u.member_commitment(Signed)
        ),
        Err(Denied::NotVisible)
    );
}

/// The client fetches the supervisors' screens for whoever
/// `supervises_some_unit`: exactly those who see, under some unit, a
/// commitment that is neither published nor theirs.
#[test]
fn supervising_some_unit_is_seeing_others_unpublished_commitments() {
    let u = University::new();
    let unpublished = [
        u.person_commitment(u.member, u.branch, Submitted),
        u.person_commitment(u.peer, u.branch, Submitted),
        u.person_commitment(u.stranger, u.other_branch, Submitted),
        u.branch_commitment(u.branch, Submitted),
        u.branch_commitment(u.other_branch, Submitted),
        u.committee_commitment(u.committee, Submitted),
        u.committee_commitment(u.other_committee, Submitted),
    ];
    let actors = [
        ("member", u.as_member(), false),
        ("peer", u.as_peer(), false),
        ("stranger", u.as_stranger(), false),
        ("public", Actor::public(), false),
        ("branch secretary", u.as_branch_secretary(), true),
        ("committee secretary", u.as_committee_secretary(), true),
        ("leader", u.as_leader(), true),
        ("office", u.as_office(), true),
        ("other secretary", u.as_other_secretary(), true),
    ];
    for (who, actor, supervises) in actors {
        assert_eq!(actor.supervises_some_unit(), supervises, "{who}");
        let sees_some = unpublished.iter().any(|target| {
            let Target::Commitment(commitment) = target else {
                unreachable!()
            };
            let own = commitment.committer == Committer::Person(actor.person.unwrap_or_default())
                || actor
                    .grants
                    .iter()
                    .any(|g| Committer::Unit(g.unit) == commitment.committer);
            !own && check(&actor, Action::View, target).is_ok()
        });
        assert_eq!(sees_some, supervises, "{who}");
    }
}

/// Whoever may send a committee's package sees it: the report screens ask
/// `ViewReports` alone.
#[test]
fn who_sends_a_package_sees_it() {
    let u = University::new();
    let actors = [
        u.as_member(),
        u.as_branch_secretary(),
        u.as_committee_secretary(),
        u.as_leader(),
        u.as_office(),
        u.as_other_secretary(),
        Actor::public(),
    ];
    for committee in [u.committee, u.other_committee] {
        let target = u.committee_unit(committee);
        for actor in &actors {
            if check(actor, Action::SubmitReport, &target).is_ok() {
                assert_eq!(check(actor, Action::ViewReports, &target), Ok(()));
            }
        }
    }
}

/// What sync puts on a device: the actor's own in any cycle; in the current
/// cycle whatever they may see as author or supervisor, whatever its state
/// (a published commitment of someone else is not theirs to carry).
#[test]
fn a_device_holds_its_owners_and_what_they_supervise_this_cycle() {
    use chengnuo_domain::permission::on_device;
    let u = University::new();
    let actors = [
        u.as_member(),
        u.as_peer(),
        u.as_branch_secretary(),
        u.as_committee_secretary(),
        u.as_leader(),
        u.as_office(),
        u.as_stranger(),
        u.as_other_secretary(),
        Actor::public(),
    ];
    for state in CommitmentState::ALL {
        let targets = [
            u.member_commitment(state),
            u.person_commitment(u.stranger, u.other_branch, state),
            u.branch_commitment(u.branch, state),
            u.branch_commitment(u.other_branch, state),
            u.committee_commitment(u.committee, state),
            u.committee_commitment(u.other_committee, state),
        ];
        for target in &targets {
            let Target::Commitment(commitment) = target else {
                unreachable!()
            };
            let draft = Target::Commitment(chengnuo_domain::permission::CommitmentTarget {
                state: Draft,
                ..commitment.clone()
            });
            for actor in &actors {
                let own = check(actor, Action::Edit, &draft).is_ok();
                let sees_unpublished = check(actor, Action::View, &draft).is_ok();
                assert_eq!(
                    on_device(actor, commitment, false),
                    own,
                    "{actor:?} {target:?}"
                );
                assert_eq!(
                    on_device(actor, commitment, true),
                    own || sees_unpublished,
                    "{actor:?} {target:?}"
                );
            }
        }
    }
}

#[test]
fn the_whole_ledger_with_its_files_is_the_chains_the_public_sees_what_is_made_public() {
    let u = University::new();
    let published = u.person_commitment(u.peer, u.branch, Published);
    for actor in [u.as_member(), Actor::public(), u.as_stranger()] {
        // The commitment itself is public once published…
        assert_eq!(check(&actor, Action::View, &published), Ok(()));
        // …its ledger's entries not made public, and their files, are not.
        assert_eq!(
            check(&actor, Action::ViewLedger, &published),
            Err(Denied::NotAllowed)
        );
    }
    let own = u.member_commitment(Published);
    for actor in [
        u.as_member(),
        u.as_branch_secretary(),
        u.as_committee_secretary(),
        u.as_leader(),
        u.as_office(),
    ] {
        assert_eq!(check(&actor, Action::ViewLedger, &own), Ok(()));
    }
}

/// 群众评议码: the unit's own secretary or the office issues, counts and
/// voids a unit's codes; a committee secretary above a branch does not
/// (each unit runs its own mass evaluation), a member sees nothing of it.
#[test]
fn a_units_secretary_or_the_office_issues_its_ballot_codes() {
    let u = University::new();
    let branch = u.branch_unit(u.branch);
    let committee = u.committee_unit(u.committee);
    let issue = Action::IssueBallotCodes;
    assert_eq!(check(&u.as_branch_secretary(), issue, &branch), Ok(()));
    assert_eq!(check(&u.as_office(), issue, &branch), Ok(()));
    assert_eq!(check(&u.as_office(), issue, &committee), Ok(()));
    assert_eq!(
        check(&u.as_committee_secretary(), issue, &committee),
        Ok(())
    );
    assert_eq!(
        check(&u.as_committee_secretary(), issue, &branch),
        Err(Denied::NotAllowed)
    );
    assert_eq!(
        check(
            &u.as_branch_secretary(),
            issue,
            &u.branch_unit(u.other_branch)
        ),
        Err(Denied::NotVisible)
    );
    assert_eq!(
        check(&u.as_member(), issue, &branch),
        Err(Denied::NotVisible)
    );
    assert_eq!(
        check(&u.as_leader(), issue, &branch),
        Err(Denied::NotAllowed)
    );
    assert_eq!(
        check(&u.as_member(), issue, &Target::Campaign),
        Err(Denied::WrongTarget)
    );
}

/// 督查: the office sees the whole school's dashboard; a committee secretary
/// and a leader their committee and what is under it; a branch secretary
/// their branch; a member, and anyone outside the subtree, nothing.
#[test]
fn supervision_dashboards_follow_the_supervised_subtree() {
    let u = University::new();
    let supervise = Action::Supervise;
    let school = Target::Unit {
        kind: chengnuo_domain::org::OrgUnitKind::School,
        ancestry: u.ancestry(u.school),
    };
    let committee = u.committee_unit(u.committee);
    let other_committee = u.committee_unit(u.other_committee);
    let branch = u.branch_unit(u.branch);
    for target in [&school, &committee, &other_committee, &branch] {
        assert_eq!(check(&u.as_office(), supervise, target), Ok(()));
    }
    for actor in [u.as_committee_secretary(), u.as_leader()] {
        assert_eq!(check(&actor, supervise, &committee), Ok(()));
        assert_eq!(check(&actor, supervise, &branch), Ok(()));
        assert_eq!(check(&actor, supervise, &school), Err(Denied::NotVisible));
        assert_eq!(
            check(&actor, supervise, &other_committee),
            Err(Denied::NotVisible)
        );
    }
    assert_eq!(check(&u.as_branch_secretary(), supervise, &branch), Ok(()));
    assert_eq!(
        check(&u.as_branch_secretary(), supervise, &committee),
        Err(Denied::NotVisible)
    );
    assert_eq!(
        check(&u.as_member(), supervise, &branch),
        Err(Denied::NotVisible)
    );
    assert_eq!(
        check(&u.as_other_secretary(), supervise, &committee),
        Err(Denied::NotVisible)
    );
}

/// 情况通报: the office for any unit, a unit's own secretary for it; not a
/// leader, not a committee secretary for a branch below, not a member.
#[test]
fn the_office_or_a_units_secretary_publishes_its_circulars() {
    let u = University::new();
    let publish = Action::PublishCircular;
    let committee = u.committee_unit(u.committee);
    let branch = u.branch_unit(u.branch);
    assert_eq!(check(&u.as_office(), publish, &committee), Ok(()));
    assert_eq!(
        check(&u.as_committee_secretary(), publish, &committee),
        Ok(())
    );
    assert_eq!(check(&u.as_branch_secretary(), publish, &branch), Ok(()));
    assert_eq!(
        check(&u.as_committee_secretary(), publish, &branch),
        Err(Denied::NotAllowed)
    );
    assert_eq!(
        check(&u.as_leader(), publish, &committee),
        Err(Denied::NotAllowed)
    );
    assert_eq!(
        check(&u.as_member(), publish, &branch),
        Err(Denied::NotVisible)
    );
    assert_eq!(
        check(&u.as_other_secretary(), publish, &committee),
        Err(Denied::NotVisible)
    );
}

/// 简报: a secretary over a published commitment (the office included)
/// nominates its practice, never a leader, a peer or the public; only the
/// committer consents; only the office composes the bulletin.
#[test]
fn secretaries_nominate_the_committer_consents_the_office_composes() {
    let u = University::new();
    let nominate = Action::NominatePractice;
    let consent = Action::ConsentToPublication;
    let published = u.member_commitment(CommitmentState::Published);
    for secretary in [
        u.as_branch_secretary(),
        u.as_committee_secretary(),
        u.as_office(),
    ] {
        assert_eq!(check(&secretary, nominate, &published), Ok(()));
        assert_eq!(
            check(&secretary, consent, &published),
            Err(Denied::NotAllowed)
        );
    }
    for other in [
        u.as_leader(),
        u.as_peer(),
        u.as_other_secretary(),
        u.as_stranger(),
    ] {
        assert_eq!(check(&other, nominate, &published), Err(Denied::NotAllowed));
    }
    assert_eq!(check(&u.as_member(), consent, &published), Ok(()));
    assert_eq!(
        check(&u.as_peer(), consent, &published),
        Err(Denied::NotAllowed)
    );
    // not before the text is public
    let signed = u.member_commitment(CommitmentState::Signed);
    assert_eq!(
        check(&u.as_branch_secretary(), nominate, &signed),
        Err(Denied::WrongState(CommitmentState::Signed))
    );
    let compose = Action::ComposeBulletin;
    assert_eq!(check(&u.as_office(), compose, &Target::Campaign), Ok(()));
    for other in [u.as_committee_secretary(), u.as_leader(), u.as_member()] {
        assert_eq!(
            check(&other, compose, &Target::Campaign),
            Err(Denied::NotAllowed)
        );
    }
}
