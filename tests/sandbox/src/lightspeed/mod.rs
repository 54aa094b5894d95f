//! Lightspeed Retail (R-Series) stand-in: REST API, OAuth server and back-office pages.
//! (Skeleton: answers 404 in Lightspeed's error shape until the sandbox issue lands.)

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Json, Router};

#[derive(Clone, Default)]
pub struct LightspeedSandbox {}

impl LightspeedSandbox {
    pub fn new() -> Self {
        LightspeedSandbox {}
    }
    pub fn reset(&self) {}
    pub fn router(&self) -> Router {
        Router::new().fallback(not_found)
    }
    pub fn control_router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        Router::new()
    }
}

async fn not_found() -> impl IntoResponse {
    (
        StatusCode::NOT_FOUND,
        Json(serde_json::json!({"httpCode": "404", "httpMessage": "Not Found", "message": "Not found", "errorClass": "NotFoundException"})),
    )
}
