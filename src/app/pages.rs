//! The NuORDER page each tab shows, as its in-page layer reports it once the page has settled
//! (issue 20, "a second way in"): what the popup's *This page* section shows — the order's
//! status and *Export this order* on an order's page, and, when our anchors matched nothing,
//! "PO Bridge can't find its place on this page" with a diagnostic to copy — and the only tab and
//! order *Export this order* may be sent to. No new permission: the in-page layer is already on
//! every NuORDER page, and it reports its own path.

use super::errors::AppError;
use super::keys::StorageKey;
use super::platform::{Calendar, KvStore};
use super::service::{App, Clients};
use super::sessions::{self, Asker};
use super::status::{journal_view, local_journal, view};
use super::store;
use crate::export::status::JobStatus;
use crate::inpage::diagnostic::{diagnostic, kind_label, route_pattern};
use crate::nuorder::pages::{detect, PageKind};
use crate::nuorder::selectors::ALL;
use crate::protocol::TabPageView;
use serde::{Deserialize, Serialize};

/// Reports kept: the most recent tabs, one report each.
pub const MAX_TABS: usize = 20;
/// A reported path longer than this is refused (NuORDER's are far shorter).
const MAX_PATH: usize = 2048;

/// What the popup says when the page is no order's.
const NOT_AN_ORDER: &str = "This NuORDER page shows no single order. Open an order, then choose Export this order.";

/// One tab's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRecord {
    pub tab_id: i64,
    pub path: String,
    /// Names of the anchors (`nuorder::selectors`) that matched nothing.
    pub missing: Vec<String>,
    pub at_ms: u64,
}

/// Keep `rec` as its tab's report: newest first, one per tab, at most [`MAX_TABS`].
pub fn record(list: &mut Vec<PageRecord>, rec: PageRecord) {
    list.retain(|r| r.tab_id != rec.tab_id);
    list.insert(0, rec);
    list.truncate(MAX_TABS);
}

/// The report the popup is about: the active tab's; when the popup is itself a tab (opened as a
/// page rather than from the toolbar), the most recent report.
pub fn for_popup(list: &[PageRecord], active: Option<i64>, own: Option<i64>) -> Option<&PageRecord> {
    match active.and_then(|a| list.iter().find(|r| r.tab_id == a)) {
        Some(r) => Some(r),
        None if own.is_some() && own == active => list.first(),
        None => None,
    }
}

impl<K: KvStore, Cal: Calendar, L: Clients> App<K, Cal, L> {
    /// A content script reports its page: its path and the anchors that matched nothing (only
    /// names of our own selectors are kept).
    pub async fn report_page(&self, tab: Option<i64>, path: String, missing: Vec<String>) -> Result<(), AppError> {
        let tab_id = tab.ok_or_else(|| AppError::Invalid("A page report needs a tab.".into()))?;
        if path.len() > MAX_PATH || !path.starts_with('/') {
            return Err(AppError::Invalid("That is not a NuORDER page's path.".into()));
        }
        let missing = ALL.iter().filter(|s| missing.iter().any(|m| m == s.name)).map(|s| s.name.to_string()).collect();
        let mut list: Vec<PageRecord> = store::get_or_default(&self.store, &StorageKey::Pages).await?;
        record(&mut list, PageRecord { tab_id, path, missing, at_ms: self.calendar.now_ms() });
        Ok(store::put(&self.store, &StorageKey::Pages, &list).await?)
    }

    /// The popup's *This page* section for the tab it is over (see [`for_popup`]); `None` when
    /// that tab is no NuORDER page PO Bridge runs on.
    pub async fn tab_page(
        &self,
        active: Option<i64>,
        own: Option<i64>,
        versions: (&str, &str),
    ) -> Result<Option<TabPageView>, AppError> {
        let list: Vec<PageRecord> = store::get_or_default(&self.store, &StorageKey::Pages).await?;
        let Some(rec) = for_popup(&list, active, own).cloned() else { return Ok(None) };
        let asker = Asker::tab(Some(rec.tab_id));
        let signed_in = sessions::session_for(&self.sessions().await, asker).is_some();
        let order_id = detect(&rec.path).filter(|p| p.kind == PageKind::OrderDetail).and_then(|p| p.order_id);
        let status = match (&order_id, self.account_for_tab(asker).await.ok()) {
            (Some(id), Some(account)) => Some(match local_journal(&self.store, &account.account_id, id).await {
                Some(j) => journal_view(&account, &j),
                None => view(Some(&account), "", Some(id), JobStatus::NotExported),
            }),
            (Some(id), None) => Some(view(None, "", Some(id), JobStatus::NotExported)),
            (None, _) => None,
        };
        Ok(Some(TabPageView {
            tab_id: rec.tab_id,
            kind: kind_label(&rec.path).to_string(),
            route: route_pattern(&rec.path),
            can_export: order_id.is_some() && signed_in,
            signed_in,
            status,
            diagnostic: diagnostic(&rec.path, &rec.missing, versions.0, versions.1),
            missing: rec.missing,
        }))
    }

    /// Where *Export this order* goes: the order of the detail page tab `tab` reported. The
    /// background then asks that tab's in-page layer to read and stage it, as a click would.
    pub async fn export_target(&self, tab: i64) -> Result<String, AppError> {
        let list: Vec<PageRecord> = store::get_or_default(&self.store, &StorageKey::Pages).await?;
        list.iter()
            .find(|r| r.tab_id == tab)
            .and_then(|r| detect(&r.path))
            .filter(|p| p.kind == PageKind::OrderDetail)
            .and_then(|p| p.order_id)
            .ok_or_else(|| AppError::Invalid(NOT_AN_ORDER.into()))
    }
}
