//! Recording what happened: [`apply`] moves a step (or the job) on by one [`Event`].

use super::action::Event;
use super::state::{Journal, JournalError, Outcome, StepKind, StepState};
use crate::lightspeed::OrderId;

/// Records what happened (pure; see the module docs).
pub fn apply(j: &mut Journal, event: Event) -> Result<(), JournalError> {
    let current = j.current();
    let check = |step: usize, j: &Journal| -> Result<(), JournalError> {
        if j.outcome != Outcome::Running || Some(step) != current {
            return Err(JournalError::WrongStep { event: format!("{event:?}"), current });
        }
        Ok(())
    };
    match &event {
        Event::IntentRecorded { step } => {
            check(*step, j)?;
            j.steps[*step].status = StepState::IntentRecorded;
        }
        Event::Created { step, id } => {
            check(*step, j)?;
            let s = &mut j.steps[*step];
            let id = match s.kind {
                StepKind::MarkOrdered { .. } => None,
                _ => Some(*id),
            };
            s.status = StepState::Done { id };
        }
        Event::Found { step, id } => {
            check(*step, j)?;
            if matches!(j.steps[*step].kind, StepKind::CheckExists { .. }) {
                // Lightspeed had the PO before this job wrote anything.
                j.outcome = Outcome::AlreadyExported { po_id: OrderId(*id) };
                return Ok(());
            }
            j.steps[*step].status = StepState::Done { id: Some(*id) };
        }
        Event::NotFound { step } => {
            check(*step, j)?;
            let s = &mut j.steps[*step];
            s.status = match s.kind {
                StepKind::CheckExists { .. } => StepState::Done { id: None },
                _ => StepState::Pending,
            };
        }
        Event::Completed { step } => {
            check(*step, j)?;
            j.steps[*step].status = StepState::Done { id: None };
        }
        Event::OutcomeUnknown { step } => {
            check(*step, j)?;
            j.steps[*step].status = StepState::IntentRecorded;
        }
        Event::NeedsRelink => {
            if j.outcome != Outcome::Running {
                return Err(JournalError::Illegal(format!("{event:?}")));
            }
            j.outcome = Outcome::NeedsRelink;
        }
        Event::Failed { message, retryable } => {
            if j.outcome != Outcome::Running {
                return Err(JournalError::Illegal(format!("{event:?}")));
            }
            j.outcome = Outcome::Failed { message: message.clone(), retryable: *retryable };
        }
        Event::Resume => match &j.outcome {
            Outcome::NeedsRelink | Outcome::Failed { retryable: true, .. } => j.outcome = Outcome::Running,
            Outcome::Running => {}
            _ => return Err(JournalError::Illegal(format!("{event:?}"))),
        },
    }
    if j.outcome == Outcome::Running && j.current().is_none() {
        if let Some(po_id) = j.po_id() {
            j.outcome = Outcome::Exported { po_id };
        }
    }
    Ok(())
}
