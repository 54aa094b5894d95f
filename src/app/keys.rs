//! Every key the background writes in its store, in one namespaced enum. The spellings are those
//! of commit 1695b83 (a store written then opens unchanged: `tests/app_store_migration.rs`).

use crate::export::journal::JobKey;
use crate::update::UpdateLog;

/// Where the job journals live (`po-bridge-job:<account>:<order>`, [`JobKey::storage_key`]).
pub const JOURNAL_PREFIX: &str = "po-bridge-job:";

/// Where each order's updates of its PO live (`po-bridge-update:<account>:<order>`,
/// [`UpdateLog::storage_key`]).
pub const UPDATES_PREFIX: &str = "po-bridge-update:";

/// Where job sets live (`po-bridge-set:<account>:<set>`, [`SetKey::storage_key`](crate::export::batch::SetKey::storage_key)).
pub const JOB_SET_PREFIX: &str = "po-bridge-set:";

/// Where the index of unfinished work lives (`unfinished:<key of a journal, update log or set>`,
/// [`super::unfinished`]).
pub const UNFINISHED_PREFIX: &str = "unfinished:";

/// Where what each exported PO was made from lives (`madefrom:<account>:<order>`).
pub const MADE_FROM_PREFIX: &str = "madefrom:";

/// A key of the background's store.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StorageKey {
    /// The linked accounts and buyer links (`AccountsState`).
    Accounts,
    /// NuORDER buyers seen on tabs, most recent first.
    NuorderSessions,
    /// OAuth client ids a developer or admin set.
    Settings,
    /// Test-only timings (see the background's `dev.rs`).
    DevSettings,
    /// Recent exports for the popup.
    History,
    /// An account's OAuth tokens.
    Tokens(String),
    /// An account's saved links (vendors, items) from earlier exports.
    Links(String),
    /// Order number → order id of an account's jobs (list rows know only numbers).
    Numbers(String),
    /// A staged order (what the content script handed over), by order id.
    Staged(String),
    /// The previewed plan of a staged order, by account and order (`plan:<account>:<order>`;
    /// 1695b83 keyed it by order only, and such a plan is never read again).
    Plan(JobKey),
    /// A plan as 1695b83 stored it (`plan:<order>`): never read; deleted when staging sweeps.
    LegacyPlan(String),
    /// An export dialog's one-time capability (`cap:<token>`, see [`super::capability`]).
    Capability(String),
    /// A job's journal.
    Journal(JobKey),
    /// When a job paused for the rate limit may resume (ms since the epoch).
    Pause(JobKey),
    /// What an exported PO was made from, without personal data (`madefrom:<account>:<order>`,
    /// [`super::made_from::PoSource`]): never expired by the staging sweep; deleted on unlink.
    MadeFrom(JobKey),
    /// An order's updates of its PO (`UpdateLog`, issue 18).
    Updates(JobKey),
    /// How many times the worker has started (each wake after an idle stop is one more).
    WorkerBoots,
    /// The NuORDER page each tab last reported ([`super::pages`]).
    Pages,
    /// An entry of the index of unfinished work, by the key of its journal, update log or set
    /// (`unfinished:<key>`), or a kind's mark by its prefix (`unfinished:po-bridge-job:`): see
    /// [`super::unfinished`].
    Unfinished(String),
}

impl StorageKey {
    /// The key as stored.
    pub fn as_string(&self) -> String {
        match self {
            StorageKey::Accounts => "accounts".into(),
            StorageKey::NuorderSessions => "nuorder_sessions".into(),
            StorageKey::Settings => "settings".into(),
            StorageKey::DevSettings => "dev:settings".into(),
            StorageKey::History => "history".into(),
            StorageKey::Tokens(a) => format!("tokens:{a}"),
            StorageKey::Links(a) => format!("links:{a}"),
            StorageKey::Numbers(a) => format!("numbers:{a}"),
            StorageKey::Staged(o) => format!("staged:{o}"),
            StorageKey::Plan(k) => format!("plan:{}:{}", k.account_id, k.order_id),
            StorageKey::LegacyPlan(o) => format!("plan:{o}"),
            StorageKey::Capability(t) => format!("cap:{t}"),
            StorageKey::Journal(k) => k.storage_key(),
            StorageKey::Pause(k) => format!("pause:{}", k.storage_key()),
            StorageKey::MadeFrom(k) => format!("{MADE_FROM_PREFIX}{}:{}", k.account_id, k.order_id),
            StorageKey::Updates(k) => UpdateLog::storage_key(k),
            StorageKey::WorkerBoots => "worker:boots".into(),
            StorageKey::Pages => "pages".into(),
            StorageKey::Unfinished(k) => format!("{UNFINISHED_PREFIX}{k}"),
        }
    }

    /// Read a stored key back (`None` for a key no build of PO Bridge writes).
    pub fn parse(key: &str) -> Option<StorageKey> {
        let fixed = [
            StorageKey::Accounts,
            StorageKey::NuorderSessions,
            StorageKey::Settings,
            StorageKey::DevSettings,
            StorageKey::History,
            StorageKey::WorkerBoots,
            StorageKey::Pages,
        ];
        if let Some(k) = fixed.into_iter().find(|k| k.as_string() == key) {
            return Some(k);
        }
        if let Some(rest) = key.strip_prefix(UNFINISHED_PREFIX) {
            let record = [JOURNAL_PREFIX, UPDATES_PREFIX, JOB_SET_PREFIX].iter().any(|p| rest.starts_with(p));
            return record.then(|| StorageKey::Unfinished(rest.to_string()));
        }
        if let Some(rest) = key.strip_prefix("pause:") {
            return job_key(rest).map(StorageKey::Pause);
        }
        if let Some(rest) = key.strip_prefix(UPDATES_PREFIX) {
            return job_key(&format!("{JOURNAL_PREFIX}{rest}")).map(StorageKey::Updates);
        }
        if key.starts_with(JOURNAL_PREFIX) {
            return job_key(key).map(StorageKey::Journal);
        }
        let (ns, rest) = key.split_once(':')?;
        let rest = rest.to_string();
        match ns {
            "tokens" => Some(StorageKey::Tokens(rest)),
            "links" => Some(StorageKey::Links(rest)),
            "numbers" => Some(StorageKey::Numbers(rest)),
            "staged" => Some(StorageKey::Staged(rest)),
            "plan" => Some(match rest.split_once(':') {
                Some((a, o)) => StorageKey::Plan(JobKey { account_id: a.to_string(), order_id: o.to_string() }),
                None => StorageKey::LegacyPlan(rest),
            }),
            "cap" => Some(StorageKey::Capability(rest)),
            "madefrom" => rest
                .split_once(':')
                .map(|(a, o)| StorageKey::MadeFrom(JobKey { account_id: a.to_string(), order_id: o.to_string() })),
            _ => None,
        }
    }
}

impl std::fmt::Display for StorageKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.as_string())
    }
}

/// `po-bridge-job:<account>:<order>` → the job key (account ids are digits; order ids hex).
fn job_key(key: &str) -> Option<JobKey> {
    let rest = key.strip_prefix(JOURNAL_PREFIX)?;
    let (account_id, order_id) = rest.split_once(':')?;
    Some(JobKey { account_id: account_id.to_string(), order_id: order_id.to_string() })
}
