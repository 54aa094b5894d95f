//! Recording what happened: [`apply`] moves a step (or the job) on by one [`Event`].

use super::action::Event;
use super::state::{Converged, Journal, JournalError, Outcome, RecordKind, StepKind, StepState};
use crate::lightspeed::OrderId;

/// Records what happened (pure; see the module docs).
pub fn apply(j: &mut Journal, event: Event) -> Result<(), JournalError> {
    let current = j.current();
    let check = |step: usize, j: &Journal| -> Result<(), JournalError> {
        if j.outcome != Outcome::Running || !j.is_open(step) {
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
                StepKind::Line { .. } => StepState::Checked,
                _ => StepState::Pending,
            };
        }
        Event::Twin { step, .. }
        | Event::ItemTwins { step, .. }
        | Event::MatrixTwins { step, .. }
        | Event::Duplicates { step, .. } => {
            check(*step, j)?;
            convergence(j, &event)?;
        }
        Event::Completed { step } => {
            check(*step, j)?;
            settle(j, *step);
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

/// The answers of the convergence lookups (twins, item twins, the final line pass).
fn convergence(j: &mut Journal, event: &Event) -> Result<(), JournalError> {
    match event {
        Event::Twin { step, survivor } => twin(j, *step, *survivor),
        Event::ItemTwins { step, given_up } => item_twins(j, *step, given_up),
        Event::MatrixTwins { step, given_up } => matrix_twins(j, *step, given_up),
        Event::Duplicates { step, keep } => duplicates(j, *step, keep),
        _ => Err(JournalError::Illegal(format!("{event:?}"))),
    }
}

/// The twin lookup's answer for twin step `step`: keep ours, or carry on with the survivor and
/// give ours up (archive pending, except a matrix, which is left empty).
fn twin(j: &mut Journal, step: usize, survivor: u64) -> Result<(), JournalError> {
    let illegal = || JournalError::Illegal(format!("twin answer for step {step}"));
    let StepKind::Twin { of } = j.steps[step].kind else { return Err(illegal()) };
    let (Some(ours), Some(record)) = (j.done_id(of), j.steps.get(of).and_then(|s| RecordKind::of(&s.kind))) else {
        return Err(illegal());
    };
    if survivor == ours {
        j.steps[step].status = StepState::Done { id: Some(ours) };
        return Ok(());
    }
    j.steps[of].status = StepState::Done { id: Some(survivor) };
    j.converged.push(Converged { step: of, record, ours, survivor, settled: false });
    j.steps[step].status = match record {
        RecordKind::Matrix => StepState::Done { id: Some(survivor) },
        _ => StepState::IntentRecorded,
    };
    Ok(())
}

/// The batched item twin lookup's answer: each item given up carries on with its survivor; ours
/// are archived next (none given up: the step is done).
fn item_twins(j: &mut Journal, step: usize, given_up: &[(usize, u64)]) -> Result<(), JournalError> {
    let StepKind::ItemTwins { items } = &j.steps[step].kind else {
        return Err(JournalError::Illegal(format!("item twin answer for step {step}")));
    };
    let items = items.clone();
    for &(of, survivor) in given_up {
        let ours = if items.contains(&of) { j.done_id(of) } else { None };
        let Some(ours) = ours.filter(|&ours| ours != survivor) else {
            return Err(JournalError::Illegal(format!("item twin of step {of}")));
        };
        j.steps[of].status = StepState::Done { id: Some(survivor) };
        j.converged.push(Converged { step: of, record: RecordKind::Item, ours, survivor, settled: false });
    }
    j.steps[step].status = if given_up.is_empty() { StepState::Done { id: None } } else { StepState::IntentRecorded };
    Ok(())
}

/// The batched matrix twin lookup's answer: each matrix given up carries on with its survivor
/// and is left empty (no matrix archive is documented), so the step is done.
fn matrix_twins(j: &mut Journal, step: usize, given_up: &[(usize, u64)]) -> Result<(), JournalError> {
    let StepKind::MatrixTwins { matrices } = &j.steps[step].kind else {
        return Err(JournalError::Illegal(format!("matrix twin answer for step {step}")));
    };
    let matrices = matrices.clone();
    for &(of, survivor) in given_up {
        let ours = if matrices.contains(&of) { j.done_id(of) } else { None };
        let Some(ours) = ours.filter(|&ours| ours != survivor) else {
            return Err(JournalError::Illegal(format!("matrix twin of step {of}")));
        };
        j.steps[of].status = StepState::Done { id: Some(survivor) };
        j.converged.push(Converged { step: of, record: RecordKind::Matrix, ours, survivor, settled: false });
    }
    j.steps[step].status = StepState::Done { id: None };
    Ok(())
}

/// The final pass's answer: each duplicated line step carries on with the older line; ours are
/// removed next.
fn duplicates(j: &mut Journal, step: usize, keep: &[(usize, u64)]) -> Result<(), JournalError> {
    if keep.is_empty() {
        j.steps[step].status = StepState::Done { id: None };
        return Ok(());
    }
    for &(line_step, survivor) in keep {
        let ours = match j.steps.get(line_step) {
            Some(s) if matches!(s.kind, StepKind::Line { .. }) => j.done_id(line_step),
            _ => None,
        };
        let Some(ours) = ours else {
            return Err(JournalError::Illegal(format!("duplicate of line step {line_step}")));
        };
        j.steps[line_step].status = StepState::Done { id: Some(survivor) };
        j.converged.push(Converged { step: line_step, record: RecordKind::Line, ours, survivor, settled: false });
    }
    j.steps[step].status = StepState::IntentRecorded;
    Ok(())
}

/// An archive (twin step), the item archives (item twin step) or the line removals (final pass) finished: their records are settled.
fn settle(j: &mut Journal, step: usize) {
    let kind = &j.steps[step].kind;
    for c in j.converged.iter_mut().filter(|c| !c.settled) {
        let mine = match kind {
            StepKind::Twin { of } => c.step == *of && c.record != RecordKind::Matrix,
            StepKind::ItemTwins { items } => c.record == RecordKind::Item && items.contains(&c.step),
            StepKind::DedupeLines => c.record == RecordKind::Line,
            _ => false,
        };
        if mine {
            c.settled = true;
        }
    }
}
