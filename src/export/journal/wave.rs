//! Steps that run together (issue 17, item 4): the creates of the new matrices, and of the new
//! items, do not depend on one another, so the runner sends up to [`WAVE_MAX`] of them at once.
//!
//! A wave is the current step and the next steps of the same kind (matrix or item) in the same
//! state: all to create, or all to look up after an intent. The runner records the intent of
//! **every** write of a wave, in one journal save, before it sends any of them; a job killed with
//! several creates in flight finds each of them on resume, exactly as it finds one.
//!
//! A wave never holds two steps whose records the resume lookup could mistake for one another
//! (the pickers take the newest matching record): two matrices with the same description and
//! attribute set, two items with the same code, two code-less items with the same attributes.
//! Such a step waits for the next wave, so it is created after the other, as before.
//!
//! The final line pass (a read) and the Ordered mark (a PUT of a date) also run together.
//!
//! Everything else stays one step at a time: the vendor, the twin checks, the PO, and the PO's
//! **lines**, which Lightspeed lists by `orderLineID` (reference §4: the primary id is the default
//! sort, and no field the export sets orders them) and Order POST cannot carry (§9): the lines
//! stay in the order's order only if each is created after the one before.

use super::action::Action;
use super::next::{action_for, next_action};
use super::state::{Journal, Step, StepKind, StepState};
use crate::core::sorted;
use crate::core::text::folded;

/// At most this many steps run together. Lightspeed's burst limiter admits 20 requests a second;
/// with round trips of up to ~400 ms, 8 in flight keep it busy, and the client's pacer decides
/// when each one may go.
pub const WAVE_MAX: usize = 8;

/// What to do next: the current step's action, and the actions of the steps that run with it
/// (at most `max` in all; see the module docs). Pure.
pub fn next_actions(j: &Journal, max: usize) -> Vec<Action> {
    let first = next_action(j);
    if first.step().is_none() {
        return vec![first];
    }
    let mut actions = vec![first];
    actions.extend(j.wave(max).into_iter().skip(1).map(|step| action_for(j, step)));
    actions
}

/// What a step's record could be mistaken for on resume (None: the step never runs in a wave).
fn wave_key(kind: &StepKind) -> Option<String> {
    match kind {
        StepKind::Matrix { draft, .. } => {
            Some(format!("matrix {:?} {}", draft.attribute_set, draft.description.trim()))
        }
        StepKind::Item { draft, .. } => Some(match &draft.code {
            Some(code) => format!("code {:?}", code.key()),
            None => {
                let lower = |a: &Option<String>| a.as_deref().map(folded);
                format!("attributes {:?} {:?}", lower(&draft.attribute1), lower(&draft.attribute2))
            }
        }),
        _ => None,
    }
}

impl Journal {
    /// The steps of the current wave: the current step first (empty when nothing is left).
    pub fn wave(&self, max: usize) -> Vec<usize> {
        let Some(first) = self.current() else {
            return Vec::new();
        };
        let mut out = vec![first];
        let head = &self.steps[first];
        if self.mark_goes_with(first) && max > 1 {
            out.push(first + 1);
            return out;
        }
        let Some(key) = wave_key(&head.kind) else {
            return out;
        };
        let mut keys = sorted::set([key]);
        for (i, s) in self.steps.iter().enumerate().skip(first + 1) {
            if out.len() >= max || s.kind.group() != head.kind.group() {
                break;
            }
            if matches!(s.status, StepState::Done { .. }) {
                continue;
            }
            if s.status != head.status || !wave_key(&s.kind).is_some_and(|k| keys.insert(k)) {
                break;
            }
            out.push(i);
        }
        out
    }

    /// Whether the Ordered mark runs beside the final line pass at `step` (the pass only reads
    /// the lines and removes our duplicates; the mark is a PUT of a date on the same PO).
    fn mark_goes_with(&self, step: usize) -> bool {
        matches!(self.steps[step], Step { kind: StepKind::DedupeLines, status: StepState::Pending })
            && self.steps.get(step + 1).is_some_and(|s| {
                matches!(s.kind, StepKind::MarkOrdered { .. }) && !matches!(s.status, StepState::Done { .. })
            })
    }

    /// Whether an event for `step` may be applied now: the current step, or a later step of the
    /// same kind reached without crossing another kind (a step of the current wave).
    pub(super) fn is_open(&self, step: usize) -> bool {
        let Some(current) = self.current() else {
            return false;
        };
        let mark_beside_pass = matches!(self.steps[current].kind, StepKind::DedupeLines)
            && self.steps.get(step).is_some_and(|s| matches!(s.kind, StepKind::MarkOrdered { .. }));
        if step == current || (step == current + 1 && mark_beside_pass) {
            return true;
        }
        let kind = &self.steps[current].kind;
        step > current
            && step < self.steps.len()
            && wave_key(kind).is_some()
            && self.steps[current..=step].iter().all(|s| s.kind.group() == kind.group())
    }
}
