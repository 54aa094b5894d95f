//! Resources and actions, one type each: every resource holds the background's answer to one
//! request (`Answer`), every action sends one `UiRequest`. Showing a resource is `<Transition>` (a
//! fallback on the first load, the old content while it reloads) around a `Suspend` that renders
//! the answer or the background's one sentence of advice.
//!
//! One resource type, one action type and the one non-generic `loaded` below keep a single copy of
//! Leptos's async machinery in the wasm (each `LocalResource<T>` or `Action<I, O>` type adds its
//! own).

use crate::api::ask;
use leptos::prelude::*;
use po_bridge::protocol::{ProtocolError, Response, UiRequest};
use std::future::Future;
use std::sync::Arc;

/// The background's answer to a request.
pub type Answer = Result<Response, ProtocolError>;

/// A resource loaded by asking the background.
pub type Resource = LocalResource<Answer>;

/// Renders an answer, or refuses an answer of the wrong kind.
pub type Render = Arc<dyn Fn(Response) -> Result<AnyView, ProtocolError> + Send + Sync>;

/// Renders the background's error (its sentence and its next step).
pub type ErrorView = Arc<dyn Fn(ProtocolError) -> AnyView + Send + Sync>;

/// A resource that asks `fetch`'s answer (read again on `refetch`).
pub fn resource<Fut>(fetch: impl Fn() -> Fut + 'static) -> Resource
where
    Fut: Future<Output = Answer> + 'static,
{
    LocalResource::new(fetch)
}

/// A resource that sends the same request each time.
pub fn asking(req: UiRequest) -> Resource {
    resource(move || ask(req.clone()))
}

/// An action that sends a request, then hands the request and its answer to `then`.
pub fn action(then: impl Fn(UiRequest, Answer) + Clone + 'static) -> Action<UiRequest, ()> {
    Action::new_local(move |req: &UiRequest| {
        let (req, then) = (req.clone(), then.clone());
        async move {
            let answer = ask(req.clone()).await;
            then(req, answer);
        }
    })
}

/// The resource's answer rendered by `render`, `fallback` while it first loads, `error` when it
/// failed. The error is the `Suspend`'s own view, not an `<ErrorBoundary>`'s fallback: in Firefox
/// the boundary at times rendered nothing at all for an error that arrived seconds after the first
/// render (the locations' 503s, `popup.firefox`), leaving the user no sentence and no spinner.
pub fn loaded(resource: Resource, fallback: fn() -> AnyView, error: ErrorView, render: Render) -> AnyView {
    let content = move || {
        let (render, error) = (render.clone(), error.clone());
        Suspend::new(async move { resource.await.and_then(|answer| render(answer)).unwrap_or_else(|e| error(e)) })
    };
    view! { <Transition fallback=fallback>{content}</Transition> }.into_any()
}
