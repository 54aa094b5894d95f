//! Resources and actions, one type each: every resource holds the background's answer to one
//! request (`Answer`), every action sends one `UiRequest`. Showing a resource is `<Transition>` (a
//! fallback on the first load, the old content while it reloads) around a `Suspend` that renders
//! the answer or the background's one sentence of advice.
//!
//! One resource type and one action type per page (the fetch's future and the action's callback
//! boxed: `boxed_resource`, `boxed_action`) and the one `loaded`, each generic over the page's
//! reply type only (which each page's module fixes), keep a single copy of Leptos's async
//! machinery in each wasm module (each `LocalResource<T>` or `Action<I, O>` type, and each
//! closure handed to one, adds its own).

use crate::api::{ask, Reply};
use leptos::prelude::*;
use po_bridge::protocol::{ProtocolError, UiRequest};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;

/// The background's answer to a request.
pub type Answer<R> = Result<R, ProtocolError>;

/// A resource loaded by asking the background.
pub type Resource<R> = LocalResource<Answer<R>>;

/// Renders an answer, or refuses an answer of the wrong kind.
pub type Render<R> = Arc<dyn Fn(R) -> Result<AnyView, ProtocolError> + Send + Sync>;

/// Renders the background's error (its sentence and its next step).
pub type ErrorView = Arc<dyn Fn(ProtocolError) -> AnyView + Send + Sync>;

/// A resource that asks `fetch`'s answer (read again on `refetch`).
pub fn resource<R: Reply, Fut>(fetch: impl Fn() -> Fut + 'static) -> Resource<R>
where
    Fut: Future<Output = Answer<R>> + 'static,
{
    boxed_resource(Rc::new(move || Box::pin(fetch()) as Fetch<R>))
}

/// A fetch's future, boxed: every resource of a page is then one `LocalResource` of one future
/// type, and Leptos's async machinery is compiled once per module, not once per resource.
type Fetch<R> = Pin<Box<dyn Future<Output = Answer<R>>>>;

fn boxed_resource<R: Reply>(fetch: Rc<dyn Fn() -> Fetch<R>>) -> Resource<R> {
    LocalResource::new(move || fetch())
}

/// A resource that sends the same request each time.
pub fn asking<R: Reply>(req: UiRequest) -> Resource<R> {
    resource(move || ask(req.clone()))
}

/// An action that sends a request, then hands the request and its answer to `then`.
pub fn action<R: Reply>(then: impl Fn(UiRequest, Answer<R>) + 'static) -> Action<UiRequest, ()> {
    boxed_action(Rc::new(then))
}

/// Every action of a page is one `Action` of one closure type (as `boxed_resource`).
fn boxed_action<R: Reply>(then: Rc<dyn Fn(UiRequest, Answer<R>)>) -> Action<UiRequest, ()> {
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
pub fn loaded<R: Reply>(
    resource: Resource<R>,
    fallback: fn() -> AnyView,
    error: ErrorView,
    render: Render<R>,
) -> AnyView {
    let content = move || {
        let (render, error) = (render.clone(), error.clone());
        Suspend::new(async move { resource.await.and_then(|answer| render(answer)).unwrap_or_else(|e| error(e)) })
    };
    view! { <Transition fallback=fallback>{content}</Transition> }.into_any()
}
