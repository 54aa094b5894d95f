//! The browser's web-auth flow (`identity.launchWebAuthFlow`) behind the core's `AuthFlow` trait.

use po_bridge::app::link::{AuthFlow, AuthFlowError};
use po_bridge_browser as browser;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub struct WebAuthFlow;

fn identity() -> JsValue {
    js_sys::Reflect::get(&browser::ext(), &"identity".into()).unwrap_or(JsValue::UNDEFINED)
}

impl AuthFlow for WebAuthFlow {
    fn redirect_url(&self) -> String {
        let id = identity();
        js_sys::Reflect::get(&id, &"getRedirectURL".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .and_then(|f| f.call0(&id).ok())
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    }

    async fn launch(&self, url: &str, interactive: bool) -> Result<String, AuthFlowError> {
        let id = identity();
        let f = js_sys::Reflect::get(&id, &"launchWebAuthFlow".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .ok_or_else(|| AuthFlowError::Failed("this browser has no identity API".into()))?;
        let details = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&details, &"url".into(), &url.into());
        let _ = js_sys::Reflect::set(&details, &"interactive".into(), &interactive.into());
        let promise = f.call1(&id, &details).map_err(|e| AuthFlowError::Failed(format!("{e:?}")))?;
        match wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(promise)).await {
            Ok(v) => v.as_string().ok_or_else(|| AuthFlowError::Failed("no redirect URL".into())),
            Err(e) => {
                let message =
                    js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_default();
                Err(AuthFlowError::from_browser_message(message))
            }
        }
    }
}
